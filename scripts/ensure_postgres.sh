#!/usr/bin/env bash
# ensure_postgres.sh — make sure the PostgreSQL *server* binaries are installed.
#
# Prints ONE line on stdout: the directory holding initdb, pg_ctl and postgres
# (e.g. /usr/lib/postgresql/15/bin). All messages go to stderr, so callers do:
#     PG_BINDIR=$(scripts/ensure_postgres.sh)
#
# Where it looks, in order:
#   1. $PG_BINDIR, if set (explicit override);
#   2. `pg_config --bindir`;
#   3. the newest /usr/lib/postgresql/*/bin (Debian's layout);
#   4. the folder of `pg_ctl` found on PATH (symlinks resolved).
# If none has all three programs: as root, install Debian's `postgresql`
# package; otherwise explain how to install it and exit 1.
#
# Note: installing Debian's package may create and start a cluster "main" on
# port 5432. We never use it (scripts/with_postgres.sh runs its own server).
set -euo pipefail

log() { echo "ensure_postgres: $*" >&2; }

# True if folder $1 holds all the server programs we need.
has_server() {
    [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

# Print the first folder that has the server programs; fail if none does.
find_bindir() {
    local d candidates=()
    candidates+=("${PG_BINDIR:-}")
    if command -v pg_config >/dev/null 2>&1; then
        candidates+=("$(pg_config --bindir 2>/dev/null || true)")
    fi
    # Debian installs each major version side by side; take the newest.
    while IFS= read -r d; do
        candidates+=("$d")
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
    if command -v pg_ctl >/dev/null 2>&1; then
        candidates+=("$(dirname "$(readlink -f "$(command -v pg_ctl)")")")
    fi
    for d in "${candidates[@]}"; do
        if has_server "$d"; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

install_postgres() {
    local opts=(-y --no-install-recommends -o DPkg::Lock::Timeout=600)
    export DEBIAN_FRONTEND=noninteractive
    # `apt-get update` only when the lists don't know the package yet, or
    # when installing from (possibly stale) lists fails.
    if ! apt-cache show postgresql >/dev/null 2>&1; then
        log "package lists do not know postgresql; running apt-get update"
        apt-get update -q
    fi
    if ! apt-get install "${opts[@]}" postgresql; then
        log "install failed; refreshing package lists and retrying"
        apt-get update -q
        apt-get install "${opts[@]}" postgresql
    fi
}

if bindir=$(find_bindir); then
    echo "$bindir"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    log "PostgreSQL server programs (initdb, pg_ctl, postgres) not found,"
    log "and not running as root so cannot install them. Install them first, e.g.:"
    log "    sudo apt-get install postgresql"
    log "(or set PG_BINDIR to a folder holding initdb, pg_ctl and postgres)"
    exit 1
fi

log "PostgreSQL server programs not found; installing Debian's postgresql"
install_postgres >&2

if ! bindir=$(find_bindir); then
    log "still no initdb/pg_ctl/postgres after installing; giving up"
    exit 1
fi
log "installed; server programs in $bindir"
echo "$bindir"
