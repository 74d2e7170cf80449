#!/usr/bin/env bash
# ensure_pdf_libs.sh — make sure the system libraries WeasyPrint needs are installed.
#
# WeasyPrint (the PDF reports) lays out text with Pango (libpango-1.0, libpangoft2-1.0) and needs
# at least one font; Debian's fonts-dejavu-core gives DejaVu Sans, which the report stylesheet names.
#   * already there       -> exit 0 (fast, no apt calls);
#   * missing, as root    -> apt-get install them from Debian's mirrors;
#   * missing, not root   -> explain how to install them, exit 1.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
log() { echo "ensure_pdf_libs: $*" >&2; }

have_libs() {
    local libs
    libs="$(ldconfig -p 2>/dev/null || true)"  # not piped into grep -q: pipefail and SIGPIPE
    [[ "$libs" == *libpango-1.0.so.0* && "$libs" == *libpangoft2-1.0.so.0* ]] \
        && [[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]
}

if have_libs; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    log "Pango or the DejaVu fonts are missing, and not running as root so cannot install them."
    log "    sudo apt-get install ${PACKAGES[*]}"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y --no-install-recommends -o DPkg::Lock::Timeout=600)
log "installing ${PACKAGES[*]}"
if ! apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}" >&2; then
    apt-get update -q >&2
    apt-get install "${APT_OPTS[@]}" "${PACKAGES[@]}" >&2
fi
have_libs || { log "still missing after installing; giving up"; exit 1; }
