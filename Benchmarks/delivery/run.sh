#!/usr/bin/env bash
# Delivery benchmark: the delivery report and the cost share for a 40-member consortium with a year of work records
# (≈ 121,000) for 1,000 staff, one client, p99; and a month of work records as CSV, MB/s.
#   Benchmarks/delivery/run.sh        release build, writes Benchmarks/delivery/results.md
# Environment: BENCH_CONFIG=debug (plumbing check only), BENCH_RUNS=300 (requests per latency run), BENCH_PORT=18081,
# BENCH_OUT (scratch folder, default /tmp/junkai-delivery-bench), BENCH_SCRATCH_PATH (a separate SwiftPM build folder),
# BENCH_BIN (use this junkai binary instead of building), BENCH_RESULTS (default Benchmarks/delivery/results.md),
# BENCH_COMMIT. Uses the private PostgreSQL of Database/local.sh with its own database (BENCH_DATABASE, default
# junkai_bench_delivery, recreated): the API benchmark's data (Benchmarks/api/load.sql) plus
# Benchmarks/delivery/load.sql. Every request goes to this machine's loopback only.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
here=Benchmarks/delivery
config=${BENCH_CONFIG:-release}
port=${BENCH_PORT:-18081}
runs=${BENCH_RUNS:-300}
out=${BENCH_OUT:-/tmp/junkai-delivery-bench}
pgport=${JUNKAI_PGPORT:-54329}
db=${BENCH_DATABASE:-junkai_bench_delivery}
log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }

rm -rf "$out" && mkdir -p "$out"
log "starting the private PostgreSQL"
pg_isready -q -h 127.0.0.1 -p "$pgport" || Database/local.sh pg >/dev/null
psql_base=(psql -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql_base[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/$db"
psql=("${psql_base[@]}" -d "$db")

if [ -n "${BENCH_BIN:-}" ]; then
    bin=$BENCH_BIN
else
    log "building ($config; a first release build takes many minutes)"
    scratch=()
    [ -n "${BENCH_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH_PATH")
    swift build -c "$config" "${scratch[@]}" --product junkai 2>&1 | grep -E "error|Compiling junkai|Build complete" >&2 || true
    bin=$(swift build -c "$config" "${scratch[@]}" --show-bin-path)/junkai
fi
[ -x "$bin" ] || { log "no binary at $bin"; exit 1; }

log "migrating and loading the data"
"$bin" migrate >&2
"${psql[@]}" -f Benchmarks/api/load.sql
"${psql[@]}" -f "$here/load.sql"
records=$("${psql[@]}" -tAc "SELECT count(*) FROM work_records")
members=$("${psql[@]}" -tAc "SELECT count(*) FROM municipalities")
log "$members members, $records work records"

log "serving on 127.0.0.1:$port"
"$bin" serve --hostname 127.0.0.1 --port "$port" --no-worker --log-level error > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.2
done

cid=00000000-0000-4000-8000-000000000001
python3 "$here/bench.py" "http://127.0.0.1:$port" "$cid" jk_bench_coordinator "$out/results.json" --runs "$runs"

# Where the time goes: the report's counts (which the cost share's days also come from), as the server reads them.
"${psql[@]}" -c "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
    SELECT p.municipality_code, extract(month FROM c.month)::int, sum(c.planned)::int,
           sum(c.requests_accepted)::int, sum(c.requests_met)::int, sum(c.reported)::int, sum(c.onsite)::int,
           sum(c.remote)::int, sum(c.absent)::int
    FROM delivery_month_counts c JOIN posts p ON p.id = c.post_id
    WHERE c.consortium_id = '$cid' AND c.month BETWEEN '2027-04-01' AND '2028-03-31'
    GROUP BY 1, 2" > "$out/plan-days.txt" || true

results=${BENCH_RESULTS:-$here/results.md}
[ "$config" = release ] || results=${BENCH_RESULTS:-$out/results.md}
python3 - "$out/results.json" "$results" "$records" "$members" "${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}" \
    "$out/plan-days.txt" <<'PY'
import json, sys, datetime, os
res = json.load(open(sys.argv[1]))
out, records, members, commit, plan = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
lines = [f"# Delivery benchmark ({datetime.datetime.utcnow():%Y-%m-%d %H:%M}Z, commit {commit}, {os.cpu_count()} CPUs)", "",
         f"{members} members, {records} work records (fiscal 2027, 1,000 staff), one client on one keep-alive connection,",
         f"{res['runs']} requests per run after 20 warm-up requests. The members' shares add up to the total: {res['sharesAddUp']}.", "",
         "| request | p50 ms | p99 ms | max ms | bytes |", "| --- | ---: | ---: | ---: | ---: |"]
for r in res["latency"]:
    lines.append(f"| {r['name']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['bytes']:,} |")
lines += ["", "| a month of work records | months | median rows | median bytes | median s | median MB/s | slowest MB/s |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for kind in ["csv", "json"]:
    s = res[f"{kind}Summary"]
    lines.append(f"| {kind.upper()} | {s['months']} | {int(s['median_rows']):,} | {int(s['median_bytes']):,} | {s['median_seconds']} | "
                 f"{s['median_mb_per_s']} | {s['min_mb_per_s']} |")
if os.path.exists(plan):
    lines += ["", "Query plan of the report's monthly counts per member (delivery_month_counts, migrations 0006 and 0009):", "", "```",
              open(plan).read().rstrip(), "```"]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
log "wrote $results"
