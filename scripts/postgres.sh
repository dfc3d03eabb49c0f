#!/usr/bin/env bash
# A throw-away PostgreSQL server for Flowhive's tests and local runs (never for production data).
#
#   scripts/postgres.sh start    install PostgreSQL if missing, initdb once, start, create role/db flowhive
#   scripts/postgres.sh stop     fast shutdown
#   scripts/postgres.sh status   "running on 127.0.0.1:<port> (data <dir>)" or "stopped"; exit 0 / 3
#   scripts/postgres.sh url      print the Npgsql connection string
#
# Environment:
#   FLOWHIVE_PG_PORT  TCP port (default 55432); the server listens on 127.0.0.1 only.
#   FLOWHIVE_PG_BIN   directory holding initdb/pg_ctl/postgres (default: newest /usr/lib/postgresql/*/bin).
#
# Data lives in <repo>/.build/pg/data (gitignored); the unix socket lives in that data directory, so no
# other local user can reach it. The server is tuned for tests (fsync off): a crash can lose its data.
#
# initdb and postgres refuse to run as root. When this script runs as root it runs them as the `postgres`
# system user (runuser) and makes the directory chain up to the data directory traversable (o+x) for it.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${FLOWHIVE_PG_PORT:-55432}"
PGHOME="$ROOT/.build/pg"
DATA="$PGHOME/data"
LOG="$PGHOME/postgres.log"
ROLE=flowhive
PASSWORD=flowhive
DB=flowhive

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || die "FLOWHIVE_PG_PORT must be a TCP port number, got '$PORT'"

is_root() { [[ "$(id -u)" == 0 ]]; }

# Runs a PostgreSQL binary as the user that owns the cluster.
as_pg() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
    if [[ -n "${FLOWHIVE_PG_BIN:-}" ]]; then
        [[ -x "$FLOWHIVE_PG_BIN/initdb" ]] || die "FLOWHIVE_PG_BIN=$FLOWHIVE_PG_BIN has no initdb"
        echo "$FLOWHIVE_PG_BIN"; return
    fi
    local newest
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$newest" && -x "$newest/initdb" ]]; then echo "$newest"; return; fi
    return 1
}

install_postgres() {
    is_root || die "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available"
    echo "postgres.sh: installing postgresql with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh image has no package lists yet: update once and retry before giving up.
    apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; } \
        || die "apt-get install postgresql failed"
}

BIN="$(find_bin || true)"

socket_ok() {
    # sun_path is 108 bytes: a deep checkout would make the socket path fail with an obscure error.
    local sock="$DATA/.s.PGSQL.$PORT"
    (( ${#sock} < 100 )) || die "unix socket path too long (${#sock} chars): $sock; move the checkout to a shorter path"
}

# The postgres user must be able to walk into .build/pg from /.
make_traversable() {
    is_root || return 0
    local dir="$PGHOME"
    while [[ "$dir" != "/" ]]; do
        if ! runuser -u postgres -- test -x "$dir"; then
            chmod o+x "$dir" || die "cannot make $dir traversable for the postgres user"
            echo "postgres.sh: chmod o+x $dir (so the postgres user can reach $DATA)" >&2
        fi
        dir="$(dirname "$dir")"
    done
}

init_cluster() {
    mkdir -p "$PGHOME"
    make_traversable
    if [[ -f "$DATA/PG_VERSION" ]]; then return; fi
    rm -rf "$DATA"
    mkdir -p "$DATA"
    if is_root; then chown postgres:postgres "$DATA"; fi
    chmod 700 "$DATA"
    # Local socket: trust (only the cluster owner can enter the 0700 data dir); TCP: passwords.
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$PGHOME/initdb.log" 2>&1 \
        || die "initdb failed; see $PGHOME/initdb.log: $(tail -n 1 "$PGHOME/initdb.log")"
    echo "include_if_exists = 'flowhive.conf'" >>"$DATA/postgresql.conf"
}

# Rewritten on every start so that a changed FLOWHIVE_PG_PORT takes effect.
write_conf() {
    cat >"$DATA/flowhive.conf" <<CONF
# Written by scripts/postgres.sh on every start.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATA'
# A test server: durability is not worth the fsync time here.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    if is_root; then chown postgres:postgres "$DATA/flowhive.conf"; fi
}

running() {
    [[ -n "$BIN" && -f "$DATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

psql_admin() {
    as_pg "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

ensure_role_and_db() {
    local has_role has_db
    has_role="$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" || die "cannot query the server on port $PORT"
    if [[ "$has_role" != 1 ]]; then
        psql_admin -c "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD'" >/dev/null || die "cannot create role $ROLE"
    fi
    has_db="$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" || die "cannot query the server on port $PORT"
    if [[ "$has_db" != 1 ]]; then
        psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >/dev/null || die "cannot create database $DB"
    fi
}

cmd_start() {
    if [[ -z "$BIN" ]]; then install_postgres; BIN="$(find_bin)" || die "no initdb found after installing postgresql"; fi
    socket_ok
    mkdir -p "$PGHOME"
    # Two test runs may call start at once: one of them initialises, the other waits.
    exec 9>"$PGHOME/.lock"
    flock -w 120 9 || die "timed out waiting for $PGHOME/.lock"
    init_cluster
    if ! running; then
        # Something else (another checkout's test server?) holding the port would only show up as a FATAL in the log.
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            die "port $PORT on 127.0.0.1 is already in use by another process; stop it or set FLOWHIVE_PG_PORT"
        fi
        write_conf
        : >"$LOG"
        if is_root; then chown postgres:postgres "$LOG"; fi
        # 9>&-: the postmaster must not inherit (and hold forever) the start lock.
        as_pg "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 >/dev/null 2>&1 9>&- \
            || die "server did not start on 127.0.0.1:$PORT; see $LOG: $(grep -E 'FATAL|ERROR|could not' "$LOG" | tail -n 1)"
    fi
    ensure_role_and_db
    echo "postgres.sh: running on 127.0.0.1:$PORT (data $DATA)" >&2
}

cmd_stop() {
    if running; then
        as_pg "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null || die "pg_ctl stop failed; see $LOG"
        echo "postgres.sh: stopped" >&2
    else
        echo "postgres.sh: not running" >&2
    fi
}

cmd_status() {
    if running; then
        echo "running on 127.0.0.1:$PORT (data $DATA)"
    else
        echo "stopped"
        exit 3
    fi
}

cmd_url() {
    echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$PASSWORD;Database=$DB"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) die "usage: scripts/postgres.sh start|stop|status|url" ;;
esac
