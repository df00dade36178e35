#!/usr/bin/env bash
# Soak: two `junkai serve` processes on one PostgreSQL under 20 minutes of mixed traffic, release build.
#   Benchmarks/soak/run.sh     writes Benchmarks/soak/results.md
# Environment: SOAK_MINUTES=20, SOAK_PORTS="18101 18102", BENCH_CONFIG=release, BENCH_OUT (default /tmp/junkai-soak),
# BENCH_SCRATCH_PATH (a separate SwiftPM build folder), BENCH_RESULTS. Uses the private PostgreSQL of
# Database/local.sh with its own database junkai_bench_soak (recreated); nothing else is contacted.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
config=${BENCH_CONFIG:-release}
read -r port_a port_b <<< "${SOAK_PORTS:-18101 18102}"
minutes=${SOAK_MINUTES:-20}
out=${BENCH_OUT:-/tmp/junkai-soak}
results=${BENCH_RESULTS:-Benchmarks/soak/results.md}
pgport=${JUNKAI_PGPORT:-54329}

log() { printf '\033[1m[soak]\033[0m %s\n' "$*" >&2; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install -q requests
rm -rf "$out" && mkdir -p "$out"

pg_isready -q -h 127.0.0.1 -p "$pgport" || Database/local.sh pg >/dev/null
psql -h 127.0.0.1 -p "$pgport" -U postgres -q -d postgres -c "DROP DATABASE IF EXISTS junkai_bench_soak" \
    -c "CREATE DATABASE junkai_bench_soak"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/junkai_bench_soak"

log "building ($config)"
scratch=()
[ -n "${BENCH_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH_PATH")
swift build -c "$config" "${scratch[@]}" --product junkai 2>&1 | grep -E "error|Build complete" >&2 || true
bin=$(swift build -c "$config" "${scratch[@]}" --show-bin-path)/junkai
[ -x "$bin" ] || { log "no binary at $bin"; exit 1; }

"$bin" migrate >&2
"$bin" seed Examples/demo/nara-consortium.instance.json --name "奈良県DX人材共同任用（ソーク）" > "$out/demo.json"
pids=()
for port in "$port_a" "$port_b"; do
    "$bin" serve --hostname 127.0.0.1 --port "$port" --log-level warning --public-url "http://127.0.0.1:$port" \
        > "$out/server-$port.log" 2>&1 &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null' EXIT
for port in "$port_a" "$port_b"; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done
log "two servers (pids ${pids[*]}) on :$port_a and :$port_b; $minutes minutes of traffic"
python3 Benchmarks/soak/soak.py --servers "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" \
    --pids "${pids[@]}" --demo "$out/demo.json" --minutes "$minutes" --database "$DATABASE_URL" \
    --commit "$(git rev-parse --short HEAD)" > "$results"
cat "$results"
