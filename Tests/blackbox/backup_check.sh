#!/usr/bin/env bash
# A backup restored into an empty database serves the same schedules.
#   backup_check.sh JUNKAI_BIN BASE DEMO_JSON PYTHON
# Dumps DATABASE_URL with `Database/local.sh backup`, restores the dump into a new database on the same server with
# `Database/local.sh restore`, starts a second `junkai serve` on it and compares, for April 2027 (the journey's
# published month), every member's and every staff member's schedule as the two servers answer them.
set -euo pipefail
bin=$1 base=$2 demo=$3 py=$4
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
source_url=$DATABASE_URL
restored_db=junkai_restore_check
restored_url="${source_url%/*}/$restored_db"
server=""
cleanup() {
    [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }
    psql -q "$source_url" -c "DROP DATABASE IF EXISTS $restored_db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

DATABASE_URL=$source_url "$repo/Database/local.sh" backup "$work/junkai.dump" >/dev/null 2>"$work/backup.log" \
    || { cat "$work/backup.log"; echo "backup_check: backup failed"; exit 1; }
psql -q "$source_url" -c "DROP DATABASE IF EXISTS $restored_db" -c "CREATE DATABASE $restored_db" >/dev/null
DATABASE_URL=$restored_url "$repo/Database/local.sh" restore "$work/junkai.dump" 2>"$work/restore.log" \
    || { cat "$work/restore.log"; echo "backup_check: restore failed"; exit 1; }

port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL=$restored_url "$bin" serve --port "$port" --log-level warning >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log"; echo "backup_check: restored server not ready"; exit 1; }

"$py" - "$base" "http://127.0.0.1:$port" "$demo" <<'EOF'
import json, sys
import requests

original, restored, demo_path = sys.argv[1:4]
demo = json.load(open(demo_path, encoding="utf-8"))
cid = demo["consortium"]["id"] if isinstance(demo["consortium"], dict) else demo["consortium"]
headers = {"Authorization": f"Bearer {demo['coordinatorToken']}"}
paths = [f"/v1/consortia/{cid}/municipalities/{m['code']}/schedule" for m in demo["municipalities"]]
paths += [f"/v1/consortia/{cid}/staff/{s['id']}/schedule" for s in demo["staff"]]
days = 0
for path in paths:
    answers = []
    for base in (original, restored):
        r = requests.get(base + path, params={"from": "2027-04-01", "to": "2027-04-30"}, headers=headers, timeout=30)
        if r.status_code != 200:
            sys.exit(f"backup_check: {base}{path} answered {r.status_code}")
        answers.append(r.json())
    if answers[0] != answers[1]:
        sys.exit(f"backup_check: {path} differs after the restore")
    body = answers[0]
    entries = body.get("items", body.get("entries", body.get("assignments", []))) if isinstance(body, dict) else body
    days += len(entries) if isinstance(entries, list) else 0
if days == 0:
    sys.exit("backup_check: no scheduled day to compare (was a plan published before the check?)")
print(f"backup_check: {len(paths)} schedules, {days} entries, the same from the restored dump")
EOF
