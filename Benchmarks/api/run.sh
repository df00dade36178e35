#!/usr/bin/env bash
# API benchmark: the staff schedule and the ICS feed against the trivial /healthz route.
#   Benchmarks/api/run.sh            release build, 20 s per run, writes Benchmarks/api/results.md
# Environment: BENCH_CONFIG=debug (plumbing check only), BENCH_DURATION=20s, BENCH_PORT=18080,
# BENCH_CONNECTIONS=64, BENCH_THREADS=2, BENCH_OUT (scratch folder, default /tmp/junkai-api-bench),
# BENCH_SCRATCH_PATH (a separate SwiftPM build folder, so that a long release build does not hold the lock
# on .build; seed it with a copy of .build/checkouts, .build/repositories and .build/workspace-state.json),
# BENCH_RESULTS (where the table goes, default Benchmarks/api/results.md), BENCH_COMMIT (the commit to name when run from a snapshot without .git). While others edit the tree, run
# it from a snapshot (`git archive HEAD | tar -x -C DIR`) with JUNKAI_STATE_DIR pointing at the running
# PostgreSQL's state folder, so that no edit lands in the middle of the release build.
# It uses the private PostgreSQL of Database/local.sh with its own database junkai_bench (recreated),
# loads 1,000 staff and a fiscal year of published assignments (load.sql), serves on 127.0.0.1 and
# runs wrk; every request goes to this machine's loopback only, and each run stops after its duration.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
here=Benchmarks/api
config=${BENCH_CONFIG:-release}
duration=${BENCH_DURATION:-20s}
port=${BENCH_PORT:-18080}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
out=${BENCH_OUT:-/tmp/junkai-api-bench}
pgport=${JUNKAI_PGPORT:-54329}

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
    log "installing wrk (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
python3 -c 'import icalendar' 2>/dev/null || { log "installing icalendar (pip)"; python3 -m pip install -q icalendar; }

rm -rf "$out" && mkdir -p "$out"

log "starting the private PostgreSQL"
Database/local.sh pg >/dev/null
psql_base=(psql -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql_base[@]}" -d postgres -c "DROP DATABASE IF EXISTS junkai_bench" -c "CREATE DATABASE junkai_bench"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/junkai_bench"
psql=("${psql_base[@]}" -d junkai_bench)

log "building ($config; a first release build takes several minutes)"
scratch=()
[ -n "${BENCH_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH_PATH")
swift build -c "$config" "${scratch[@]}" --product junkai 2>&1 | grep -E "error|Compiling junkai|Build complete" >&2 || true
bin=$(swift build -c "$config" "${scratch[@]}" --show-bin-path)/junkai
[ -x "$bin" ] || { log "no binary at $bin"; exit 1; }

log "migrating and loading the data"
"$bin" migrate >&2
"${psql[@]}" -f "$here/load.sql"
assignments=$("${psql[@]}" -tAc "SELECT count(*) FROM published_assignments")
cancelled=$("${psql[@]}" -tAc "SELECT count(*) FROM published_assignments WHERE status = 'cancelled'")
"${psql[@]}" -tAc "SELECT id FROM staff ORDER BY id" > "$out/staff.txt"
log "$(wc -l < "$out/staff.txt") staff, $assignments published assignments ($cancelled cancelled)"

log "serving on 127.0.0.1:$port"
"$bin" serve --hostname 127.0.0.1 --port "$port" --no-worker --log-level error \
    --public-url "http://127.0.0.1:$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.2
done

log "fetching every target once (ETags, sizes) and checking one feed with icalendar"
python3 "$here/bench.py" targets "$out/staff.txt" "http://127.0.0.1:$port" "$out" >&2
python3 Tests/blackbox/ics_check.py "http://127.0.0.1:$port$(head -1 "$out/feed.tsv" | cut -f1)" >&2

first_staff=$(head -1 "$out/staff.txt")
# The plan a pooled connection settles on after five executions (the generic one).
"${psql[@]}" -c "SET plan_cache_mode = force_generic_plan" -c "PREPARE s(uuid, uuid, date, date) AS $(python3 - <<'EOF'
import re
src = open("Sources/JunkaiStore/Store+Schedules.swift").read()
print(re.search(r'struct StaffScheduleStatement.*?static let sql = """\n(.*?)"""', src, re.S).group(1))
EOF
)" -c "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s('00000000-0000-4000-8000-000000000001', '$first_staff', '2027-06-01', '2027-06-30')" \
    > "$out/plan.txt" || log "EXPLAIN failed (the report goes on without the plan)"

run() {
    local name=$1 tsv=$2 mode=$3
    log "wrk $name: $threads threads, $connections connections, $duration"
    wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$here/rotate.lua" \
        "http://127.0.0.1:$port" -- "$out/$tsv" "$mode" > "$out/$name.txt"
    grep RESULT "$out/$name.txt" >&2
}

# Warm up PostgreSQL's caches and each pooled connection's prepared statements (not reported).
wrk -t"$threads" -c"$connections" -d5s -s "$here/rotate.lua" "http://127.0.0.1:$port" -- "$out/schedule.tsv" fresh >/dev/null
wrk -t"$threads" -c"$connections" -d3s -s "$here/rotate.lua" "http://127.0.0.1:$port" -- "$out/feed.tsv" fresh >/dev/null

run healthz healthz.tsv fresh
run schedule-fresh schedule.tsv fresh
run schedule-revalidate schedule.tsv revalidate
run feed-fresh feed.tsv fresh
run feed-revalidate feed.tsv revalidate

cat > "$out/meta.json" <<EOF
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "commit": "${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}", "cpus": $(nproc),
 "threads": $threads, "connections": $connections, "duration": "$duration",
 "postgres": "$("${psql[@]}" -tAc "SHOW server_version" | cut -d' ' -f1)",
 "assignments": $assignments, "cancelled": $cancelled}
EOF
results=${BENCH_RESULTS:-$here/results.md}
[ "$config" = release ] || results=${BENCH_RESULTS:-$out/results.md}
python3 "$here/bench.py" report "$out" "$results"
log "wrote $results"
