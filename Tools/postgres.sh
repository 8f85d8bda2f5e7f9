#!/usr/bin/env bash
# A PostgreSQL server of the tests' own, on loopback: `start` prints its URL, `stop` ends it,
# `reset` drops the databases earlier test runs made.
# Debian's postgresql package (installed when missing); a cluster of its own in
# AMANA_PG_DIR (default /tmp/amana-postgres), on AMANA_PG_PORT (default 55432), password
# authentication (scram-sha-256) even on loopback, as a deployment has it. Never for real data:
# the password is fixed and written here.
set -euo pipefail
# AMANA_PG_DURABLE=1: a second cluster with PostgreSQL's own durable defaults, for benchmarks
# that compare it with SQLite at synchronous=FULL (Tools/bench.sh).
if [ "${AMANA_PG_DURABLE:-}" = 1 ]; then
    dir=${AMANA_PG_DIR:-/tmp/amana-postgres-durable}
    port=${AMANA_PG_PORT:-55433}
else
    dir=${AMANA_PG_DIR:-/tmp/amana-postgres}
    port=${AMANA_PG_PORT:-55432}
fi
user=amana
password=amana-test
# Each install the tests make holds a pool of its own: a small one. The whole suite runs at once
# on two cores, so a connection may wait its turn for a long time: a generous connect_timeout.
url="postgres://$user:$password@127.0.0.1:$port/postgres?pool_size=4&connect_timeout=120"

# The suites make a database per install, hundreds a run, on two cores: this scratch cluster
# does not wait for its disk (fsync off). What the tests check is Amana's behaviour over
# PostgreSQL, not PostgreSQL's own durability; a deployment keeps PostgreSQL's defaults.
scratch="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${AMANA_PG_DURABLE:-}" = 1 ] && scratch=""

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_owner() {
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres account.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
    [ -n "$(bindir)" ] && return 0
    echo "postgres.sh: installing postgresql" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    # Debian's package starts a cluster of its own; ours is separate, on its own port.
}

case "${1:-}" in
start)
    install_server
    bin=$(bindir)
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
        chmod 700 "$dir"
        pwfile=$(mktemp); echo "$password" >"$pwfile"; chmod 644 "$pwfile"
        as_owner "$bin/initdb" -D "$dir" -U "$user" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=1000 $scratch" >/dev/null
    fi
    echo "$url"
    ;;
stop)
    bin=$(bindir)
    [ -n "$bin" ] && [ -f "$dir/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
url)
    echo "$url"
    ;;
data)
    # Where the cluster keeps its files (the tests look there for plaintext).
    echo "$dir"
    ;;
reset)
    # The test databases of earlier runs (each suite's install makes one).
    export PGPASSWORD=$password
    psql -X -q -h 127.0.0.1 -p "$port" -U "$user" -d postgres -At \
        -c "SELECT datname FROM pg_database WHERE datname LIKE 'amana\_t\_%'" | while read -r db; do
        dropdb -h 127.0.0.1 -p "$port" -U "$user" "$db"
    done
    ;;
*)
    echo "usage: Tools/postgres.sh start|stop|url|data|reset" >&2
    exit 2
    ;;
esac
