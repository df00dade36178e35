#!/usr/bin/env bash
# Junkai on a private PostgreSQL that this script initialises and starts itself.
#   Database/local.sh serve   build, start PostgreSQL, migrate, seed the demo consortium, serve on :8080
#   Database/local.sh test    build, start PostgreSQL, run the whole test suite against it
#   Database/local.sh pg      only start PostgreSQL and print its DATABASE_URL
#   Database/local.sh stop    stop the private PostgreSQL
#   Database/local.sh backup [FILE]   dump the database (pg_dump, custom format) to FILE
#   Database/local.sh restore FILE    restore a dump into the database, replacing what it holds
# DATABASE_URL (and for tests JUNKAI_TEST_DATABASE_URL) overrides the private database.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
port=${JUNKAI_PGPORT:-54329}
state=${JUNKAI_STATE_DIR:-$repo/.junkai}
pgdata=$state/pgdata

log() { printf '\033[1m[junkai]\033[0m %s\n' "$*" >&2; }

pg_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
    return 1
}

ensure_postgres_installed() {
    pg_bin >/dev/null && return 0
    log "installing PostgreSQL (apt-get)"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    pg_bin >/dev/null || { log "PostgreSQL binaries not found after install"; exit 1; }
}

# As root, PostgreSQL refuses to run: initdb and the server run as the postgres user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    ensure_postgres_installed
    local bin; bin=$(pg_bin)
    mkdir -p "$state"
    if [ "$(id -u)" = 0 ]; then
        # The postgres user must be able to reach the data folder.
        if ! runuser -u postgres -- test -x "$state"; then
            state=/tmp/junkai-pg-$(printf '%s' "$repo" | md5sum | cut -c1-8)
            pgdata=$state/pgdata
            mkdir -p "$state"
        fi
        chown postgres:postgres "$state"
    fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        log "initialising a private PostgreSQL in $pgdata"
        as_pg "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        log "starting PostgreSQL on 127.0.0.1:$port"
        as_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
            -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c max_connections=1000" start >/dev/null
    fi
    for db in junkai junkai_test; do
        as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" postgres \
            | grep -q 1 || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
    done
    # The server keeps PostgreSQL's durable defaults (fsync, full-page writes) for what coordinators enter. Only the
    # test database trades durability for speed: a commit there does not wait for its WAL to reach the disk.
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "ALTER DATABASE junkai_test SET synchronous_commit = off" postgres
}

# The database that backup and restore work on: DATABASE_URL, else the private server's junkai.
target_url() {
    if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; else start_postgres; echo "postgres://postgres@127.0.0.1:$port/junkai"; fi
}

stop_postgres() {
    local bin; bin=$(pg_bin) || exit 0
    [ -f "$pgdata/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$pgdata" -m fast stop || true
}

case "${1:-}" in
    pg)
        start_postgres
        echo "postgres://postgres@127.0.0.1:$port/junkai"
        ;;
    stop)
        stop_postgres
        ;;
    backup)
        url=$(target_url); bin=$(pg_bin || { ensure_postgres_installed; pg_bin; })
        file=${2:-$state/backups/junkai-$(date -u +%Y%m%dT%H%M%SZ).dump}
        mkdir -p "$(dirname "$file")"
        "$bin/pg_dump" --format=custom --no-owner --file="$file" "$url"
        log "backed up to $file"
        echo "$file"
        ;;
    restore)
        [ -n "${2:-}" ] && [ -f "$2" ] || { log "usage: Database/local.sh restore FILE (a dump made by backup)"; exit 64; }
        url=$(target_url); bin=$(pg_bin || { ensure_postgres_installed; pg_bin; })
        # One transaction: the database holds either the whole dump or what it held before. Stop `serve` first.
        "$bin/pg_restore" --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$url" "$2"
        log "restored $2"
        ;;
    serve)
        if [ -z "${DATABASE_URL:-}" ]; then start_postgres; export DATABASE_URL="postgres://postgres@127.0.0.1:$port/junkai"; fi
        log "building (the first build takes several minutes)"
        swift build -c release --product junkai
        bin=$(swift build -c release --show-bin-path)/junkai
        "$bin" migrate
        if [ ! -f "$state/demo.json" ]; then
            log "seeding the demo consortium (Examples/demo/nara-consortium.instance.json)"
            "$bin" seed Examples/demo/nara-consortium.instance.json --name "奈良県DX人材共同任用（デモ）" > "$state/demo.json"
            rm -f "$state/demo-delivery.json" "$state/demo-conflict.json"
        fi
        if [ ! -s "$state/demo-delivery.json" ]; then
            log "seeding the demo's past: a published plan, work records and the year's cost share (junkai seed-delivery)"
            "$bin" seed-delivery --seed-output "$state/demo.json" --cost-share Examples/demo/nara-cost-share.json \
                > "$state/demo-delivery.json"
        fi
        if [ ! -s "$state/demo-conflict.json" ]; then
            log "seeding a conflict: the next two weeks published, then one published day made unavailable (junkai seed-conflict)"
            "$bin" seed-conflict --seed-output "$state/demo.json" > "$state/demo-conflict.json"
        fi
        log "demo consortium and tokens: $state/demo.json"
        log "serving on http://127.0.0.1:${PORT:-8080} — try: Examples/walkthrough.sh"
        exec "$bin" serve --hostname "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
        ;;
    test)
        if [ -z "${JUNKAI_TEST_DATABASE_URL:-}" ]; then
            if [ -n "${DATABASE_URL:-}" ]; then export JUNKAI_TEST_DATABASE_URL=$DATABASE_URL
            else start_postgres; export JUNKAI_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/junkai_test"; fi
        fi
        log "swift test (debug) against $JUNKAI_TEST_DATABASE_URL"
        swift build --build-tests
        set +e
        swift test --skip-build 2>&1 | tee "$state/swift-test.log"
        status=${PIPESTATUS[0]}
        set -e
        [ "$status" = 0 ] || { log "swift test failed"; exit "$status"; }
        Tests/blackbox/run.sh
        ;;
    *)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 64
        ;;
esac
