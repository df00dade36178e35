#!/usr/bin/env bash
# Black-box checks against a running `junkai serve`: the iCalendar feed through a real parser,
# schemathesis against the served OpenAPI document, and the Python scorer against `junkai score`.
# Called by `Database/local.sh test` with JUNKAI_TEST_DATABASE_URL set and the debug build done.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
bin=$(swift build --show-bin-path)/junkai
port=${JUNKAI_BLACKBOX_PORT:-18080}
base=http://127.0.0.1:$port
work=$(mktemp -d)
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

python3 -m pip install -q --disable-pip-version-check -r Tests/blackbox/requirements.txt >/dev/null 2>&1 \
    || python3 -m pip install -q --disable-pip-version-check -r Tests/blackbox/requirements.txt

export DATABASE_URL=$JUNKAI_TEST_DATABASE_URL
"$bin" migrate >/dev/null || { echo "FAIL migrate"; exit 1; }
"$bin" seed Examples/demo/nara-consortium.instance.json --name "blackbox $(date +%s)" > "$work/demo.json" \
    || { echo "FAIL seed"; exit 1; }
"$bin" serve --port "$port" --public-url "$base" --log-level warning > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/readyz" >/dev/null && pass "server ready" || { fail "server ready"; cat "$work/server.log"; exit 1; }

# A coordinator solves and publishes a plan so that the feed has events.
python3 Tests/blackbox/journey.py "$base" "$work/demo.json" "$work/feed-url" && pass "journey (solve, publish, feed)" || fail "journey"
if [ -s "$work/feed-url" ]; then
    python3 Tests/blackbox/ics_check.py "$(cat "$work/feed-url")" && pass "iCalendar feed parses (icalendar)" || fail "iCalendar feed"
    python3 Tests/blackbox/ics_check.py "$(cat "$work/feed-url.municipality")" && pass "municipality feed parses (icalendar)" \
        || fail "municipality feed"
else
    fail "iCalendar feed (no URL)"
fi

# The web pages in Debian's Chromium driven by Playwright: a journey per role, a forged post refused, markup shown
# as text, axe-core on every page. Screenshots are kept in $artifacts/web (the README shows three of them).
artifacts=${JUNKAI_ARTIFACTS_DIR:-$repo/.junkai/test-output}
if ! [ -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
web_admin=$("$bin" token issue --role admin --label web-check)
rm -rf "$artifacts/web"
python3 Tests/blackbox/web_check.py "$base" "$work/demo.json" "$web_admin" "$artifacts/web" \
    && pass "web pages in Chromium: a journey per role, forgery refused, markup as text, axe-core clean" || fail "web pages"

admin=$("$bin" token issue --role admin --label blackbox)
if python3 Tests/blackbox/schemathesis_check.py "$base" "$admin" "$work/demo.json"; then
    pass "schemathesis: no server errors, responses match the document"
else
    fail "schemathesis"
fi

python3 Benchmarks/solver/crosscheck.py --junkai "$bin" --cases "${JUNKAI_CROSSCHECK_CASES:-40}" \
    && pass "Python scorer agrees with junkai score" || fail "scorer cross-check"

echo "blackbox: $passed passed, $failed failed"
[ "$failed" = 0 ]
