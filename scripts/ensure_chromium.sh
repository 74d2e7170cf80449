#!/usr/bin/env bash
# ensure_chromium.sh — make sure Debian's Chromium is installed at /usr/bin/chromium.
#
# Used by the browser (screenshot / end-to-end) tests. Behaviour:
#   * already installed   -> print path and version, exit 0 (fast, no apt calls);
#   * missing, as root    -> apt-get install chromium (+ a basic font so pages
#                            render readable text in screenshots), then as above;
#   * missing, not root   -> explain how to install it, exit 1.
#
# Safe to run any number of times. Only Debian's own packages are used: no
# browser download from elsewhere (the CI network only reaches the mirrors).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# Packages to install when Chromium is missing. fonts-dejavu-core gives
# headless Chromium a real sans/serif/mono font for screenshots.
PACKAGES=(chromium fonts-dejavu-core)

log() { echo "ensure_chromium: $*" >&2; }

# apt options: never prompt, wait (instead of failing) if another apt holds the lock.
APT_OPTS=(-y --no-install-recommends -o DPkg::Lock::Timeout=600)

install_packages() {
    export DEBIAN_FRONTEND=noninteractive
    # Run `apt-get update` only when needed: when the package lists do not
    # know chromium yet (fresh machine), or when an install from possibly
    # stale lists fails (e.g. a version vanished from the mirror).
    if ! apt-cache show chromium >/dev/null 2>&1; then
        log "package lists do not know chromium; running apt-get update"
        apt-get update -q
    fi
    if ! apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}"; then
        log "install failed; refreshing package lists and retrying"
        apt-get update -q
        apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}"
    fi
}

if [[ ! -x "$CHROMIUM" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        log "$CHROMIUM not found; installing ${PACKAGES[*]} (this takes a while)"
        install_packages >&2
    else
        log "$CHROMIUM not found, and not running as root so cannot install it."
        log "Install Debian's Chromium first, e.g.:"
        log "    sudo apt-get install chromium fonts-dejavu-core"
        exit 1
    fi
fi

if [[ ! -x "$CHROMIUM" ]]; then
    log "still no $CHROMIUM after installing; giving up"
    exit 1
fi

# Report what we have. --version does not start a browser, so it is quick.
echo "chromium: $CHROMIUM"
echo "version: $("$CHROMIUM" --version 2>/dev/null || echo unknown)"
