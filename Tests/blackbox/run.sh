#!/usr/bin/env bash
# Black-box checks against a running `junkai serve`: the iCalendar feed through a real parser,
# schemathesis against the served OpenAPI document, and the Python scorer against `junkai score`.
# Called by `Database/local.sh test` with JUNKAI_TEST_DATABASE_URL set and the debug build done.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
bin=$(swift build --show-bin-path)/junkai
state=${JUNKAI_STATE_DIR:-$repo/.junkai}
work=$(mktemp -d)
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# The Python tools live in a venv of their own, never in the system's site-packages.
venv=$state/venv-blackbox
if ! [ -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || {
        sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
        $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    }
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r Tests/blackbox/requirements.txt \
    || { echo "FAIL installing the Python tools into $venv"; exit 1; }
py=$venv/bin/python

# A port nobody uses, unless one is given.
port=${JUNKAI_BLACKBOX_PORT:-$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
base=http://127.0.0.1:$port
metrics_port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

export DATABASE_URL=$JUNKAI_TEST_DATABASE_URL
"$bin" migrate >/dev/null || { echo "FAIL migrate"; exit 1; }
"$bin" seed Examples/demo/nara-consortium.instance.json --name "blackbox $(date +%s)" > "$work/demo.json" \
    || { echo "FAIL seed"; exit 1; }
# Logs as JSON lines at info (one access line per request): the log check and schemathesis' coverage read them.
"$bin" serve --port "$port" --public-url "$base" --log-level info --log-format json --metrics-port "$metrics_port" \
    > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; kill -0 $server 2>/dev/null || break; sleep 0.2; done
# The answers must come from the server started here, not from another process that holds the port.
if kill -0 $server 2>/dev/null && curl -fs "$base/readyz" >/dev/null \
    && ss -Htlnp "sport = :$port" | grep -q "pid=$server,"; then
    pass "server ready on port $port (pid $server owns it)"
else
    fail "server ready on port $port"; cat "$work/server.log"; exit 1
fi

# A coordinator solves and publishes a plan so that the feed has events.
"$py" Tests/blackbox/journey.py "$base" "$work/demo.json" "$work/feed-url" && pass "journey (solve, publish, feed)" || fail "journey"
if [ -s "$work/feed-url" ]; then
    "$py" Tests/blackbox/ics_check.py "$(cat "$work/feed-url")" && pass "iCalendar feed parses (icalendar)" || fail "iCalendar feed"
    "$py" Tests/blackbox/ics_check.py "$(cat "$work/feed-url.municipality")" && pass "municipality feed parses (icalendar)" \
        || fail "municipality feed"
else
    fail "iCalendar feed (no URL)"
fi

# The desk's backup: a dump restored into an empty database serves the same schedules.
Tests/blackbox/backup_check.sh "$bin" "$base" "$work/demo.json" "$py" \
    && pass "backup and restore (Database/local.sh): the restored database serves the same schedules" || fail "backup and restore"

# The web pages in Debian's Chromium driven by Playwright: a journey per role, a forged post refused, markup shown
# as text, axe-core on every page. Screenshots are kept in $artifacts/web (the README shows three of them).
artifacts=${JUNKAI_ARTIFACTS_DIR:-$repo/.junkai/test-output}
if ! [ -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
web_admin=$("$bin" token issue --role admin --label web-check)
rm -rf "$artifacts/web"
"$py" Tests/blackbox/web_check.py "$base" "$work/demo.json" "$web_admin" "$artifacts/web" \
    && pass "web pages in Chromium: a journey per role, forgery refused, markup as text, axe-core clean" || fail "web pages"

admin=$("$bin" token issue --role admin --label blackbox)
"$py" Tests/blackbox/observability_check.py "http://127.0.0.1:$metrics_port/metrics" "$work/server.log" "$work/demo.json" \
    && pass "metrics on their own port; JSON log lines without tokens or names" || fail "metrics and logs"

if JUNKAI_ACCESS_LOG="$work/server.log" "$py" Tests/blackbox/schemathesis_check.py "$base" "$admin" "$work/demo.json"; then
    pass "schemathesis: no server errors, responses match the document"
else
    fail "schemathesis"
fi

"$py" Benchmarks/solver/crosscheck.py --junkai "$bin" --cases "${JUNKAI_CROSSCHECK_CASES:-40}" \
    && pass "Python scorer agrees with junkai score" || fail "scorer cross-check"

echo "blackbox: $passed passed, $failed failed"
[ "$failed" = 0 ]
