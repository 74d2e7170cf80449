#!/usr/bin/env bash
# with_postgres.sh CMD [ARGS...] — run CMD against a throwaway PostgreSQL.
#
# Creates a fresh cluster in a temporary folder, starts it on a free port on
# 127.0.0.1, creates the database "lagspill" (user "lagspill", superuser, so
# Django's test runner can create test_lagspill), and runs CMD with
#     DATABASE_URL=postgres://lagspill@127.0.0.1:PORT/lagspill
# (plus PGHOST/PGPORT/PGUSER/PGDATABASE for psql) in its environment.
# Afterwards — also on failure or Ctrl-C — the server is stopped and the
# folder deleted. Exits with CMD's exit code.
#
# Durability is switched off (fsync etc.): the data is thrown away anyway.
# PostgreSQL refuses to run as root, so as root the server runs as an
# unprivileged user ($LAGSPILL_PG_USER, default "lagspill-pg", created if
# missing; falls back to "nobody").
#
# Example:  scripts/with_postgres.sh bash -c 'psql "$DATABASE_URL" -c "select 1"'
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

log() { echo "with_postgres: $*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bindir=$("$here/ensure_postgres.sh")

# --- who runs the server ----------------------------------------------------
pg_user=""
if [[ "$(id -u)" -eq 0 ]]; then
    PATH=$PATH:/usr/sbin:/sbin   # useradd, runuser live there
    pg_user=${LAGSPILL_PG_USER:-lagspill-pg}
    if ! id "$pg_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$pg_user" >&2 || pg_user=nobody
    fi
fi

# Run a command as the server's user (directly when we are not root). Runs
# from the cluster folder: the unprivileged user may not be able to enter the
# caller's working directory.
as_pg() {
    if [[ -n "$pg_user" ]]; then
        (cd "$tmp" && runuser -u "$pg_user" -- "$@")
    else
        (cd "$tmp" && "$@")
    fi
}

# --- temporary folder and cleanup --------------------------------------------
# As root the folder goes in /tmp, whose parents anyone can enter (a private
# $TMPDIR might not be); the socket path must also stay short (< 108 bytes).
if [[ -n "$pg_user" ]]; then
    tmp=$(mktemp -d /tmp/lagspill-pg.XXXXXX)
else
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/lagspill-pg.XXXXXX")
fi
data="$tmp/data"     # the cluster
logfile="$tmp/log"   # server log; the socket goes in $tmp itself

# shellcheck disable=SC2329  # called from the EXIT trap
cleanup() {
    # Fast stop: nothing in this cluster is worth a clean shutdown.
    if [[ -f "$data/postmaster.pid" ]]; then
        as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
# On Ctrl-C / kill: exit (which runs cleanup via the EXIT trap) with the usual code.
trap 'exit 130' INT
trap 'exit 143' TERM
# The server's user must own the folder (initdb, log and socket go there).
[[ -z "$pg_user" ]] || chown "$pg_user" "$tmp"

# --- create and start the cluster --------------------------------------------
initdb_opts=(-D "$data" -A trust -U lagspill --encoding UTF8 --locale C)
# --no-sync (skip fsync of the new files) exists since PostgreSQL 10.
if "$bindir/initdb" --help 2>/dev/null | grep -q -- '--no-sync'; then
    initdb_opts+=(--no-sync)
fi
if ! as_pg "$bindir/initdb" "${initdb_opts[@]}" >"$tmp/initdb.log" 2>&1; then
    log "initdb failed:"
    tail -n 30 "$tmp/initdb.log" >&2
    exit 1
fi

# A free port: bind to port 0 and see what the kernel picked. Another process
# could grab it before the server does, so try a few times.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
started=""
for attempt in 1 2 3; do
    port=$(free_port)
    server_opts="-k '$tmp' -p $port -h 127.0.0.1 -F"
    server_opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    rm -f "$logfile"   # fresh log per attempt (pg's user must be able to create it)
    if as_pg "$bindir/pg_ctl" -D "$data" -o "$server_opts" -l "$logfile" -w -t 60 start >/dev/null; then
        started=yes
        break
    fi
    log "server did not start on port $port (attempt $attempt); log tail:"
    tail -n 20 "$logfile" >&2 || true
    # Only a port taken in the meantime is worth another try.
    grep -q 'already in use' "$logfile" 2>/dev/null || break
done
if [[ -z "$started" ]]; then
    log "giving up: PostgreSQL would not start"
    exit 1
fi

# --- database and environment for CMD ----------------------------------------
createdb=$bindir/createdb
[[ -x "$createdb" ]] || createdb=createdb
"$createdb" -h 127.0.0.1 -p "$port" -U lagspill lagspill

export DATABASE_URL="postgres://lagspill@127.0.0.1:$port/lagspill"
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=lagspill PGDATABASE=lagspill
log "PostgreSQL running on 127.0.0.1:$port (cluster in $tmp)"

# Run CMD as a child (not exec), so the EXIT trap still cleans up; keep its code.
status=0
"$@" || status=$?
exit "$status"
