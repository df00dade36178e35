#!/usr/bin/env bash
# Web pages benchmark: every page's latency (one client) and size on the demo consortium, release build.
#   Benchmarks/web/run.sh     writes Benchmarks/web/results.md
# Environment: BENCH_CONFIG=release, BENCH_PORT=18090, BENCH_REQUESTS=300 (per page), BENCH_OUT (scratch folder,
# default /tmp/junkai-web-bench), BENCH_SCRATCH_PATH (a separate SwiftPM build folder), BENCH_BIN (use this junkai
# binary instead of building), BENCH_RESULTS, BENCH_DATABASE (default junkai_bench_web).
# It uses the private PostgreSQL of Database/local.sh with its own database (recreated), seeds the demo consortium and
# its past (seed-delivery), serves on 127.0.0.1 and runs bench.py against it; nothing else is contacted.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
config=${BENCH_CONFIG:-release}
port=${BENCH_PORT:-18090}
requests_per_page=${BENCH_REQUESTS:-300}
out=${BENCH_OUT:-/tmp/junkai-web-bench}
results=${BENCH_RESULTS:-Benchmarks/web/results.md}
pgport=${JUNKAI_PGPORT:-54329}
db=${BENCH_DATABASE:-junkai_bench_web}

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install -q requests
rm -rf "$out" && mkdir -p "$out"

pg_isready -q -h 127.0.0.1 -p "$pgport" || Database/local.sh pg >/dev/null
psql -h 127.0.0.1 -p "$pgport" -U postgres -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/$db"

if [ -n "${BENCH_BIN:-}" ]; then
    bin=$BENCH_BIN
else
    log "building ($config)"
    scratch=()
    [ -n "${BENCH_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH_PATH")
    swift build -c "$config" "${scratch[@]}" --product junkai 2>&1 | grep -E "error|Build complete" >&2 || true
    bin=$(swift build -c "$config" "${scratch[@]}" --show-bin-path)/junkai
fi
[ -x "$bin" ] || { log "no binary at $bin"; exit 1; }

"$bin" migrate >&2
"$bin" seed Examples/demo/nara-consortium.instance.json --name "奈良県DX人材共同任用（ベンチマーク）" > "$out/demo.json"
# The demo's past, as Database/local.sh serve gives it: this fiscal year's work records and cost share.
"$bin" seed-delivery --seed-output "$out/demo.json" --cost-share Examples/demo/nara-cost-share.json > "$out/demo-delivery.json"
admin=$("$bin" token issue --role admin --label web-bench)
"$bin" serve --hostname 127.0.0.1 --port "$port" --log-level error --public-url "http://127.0.0.1:$port" \
    > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done

log "measuring ($requests_per_page requests per page)"
python3 Benchmarks/web/bench.py "http://127.0.0.1:$port" "$out/demo.json" "$admin" "$out/table.md" \
    --requests "$requests_per_page" || status=$?
{
    echo "# Web pages benchmark"
    echo
    echo "Release build, demo consortium (奈良県 50 posts, 22 staff, a quarter), $(date -u +%Y-%m-%d) at commit" \
         "$(git rev-parse --short HEAD 2>/dev/null || echo "${BENCH_COMMIT:-?}"), $(nproc) cores."
    echo
    cat "$out/table.md"
} > "$results"
log "results: $results"
exit "${status:-0}"
