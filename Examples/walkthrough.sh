#!/usr/bin/env bash
# Junkai API walk-through with curl: every role, one step at a time.
# Junkai API を curl で一通り試すウォークスルー（管理者 → コーディネーター → 市町村 → コーディネーター → 職員）。
#
#   Database/local.sh serve          # terminal 1: builds, seeds the 奈良県 demo, serves on :8080
#   Examples/walkthrough.sh          # terminal 2
#
# Environment (all optional):
#   JUNKAI_URL     the service (default http://127.0.0.1:8080)
#   JUNKAI_DEMO    the seed output (default .junkai/demo.json, written by `Database/local.sh serve`)
#   ADMIN_TOKEN    an admin token; without it the script issues one with `junkai token issue --role admin`
#                  (needs DATABASE_URL, default the private database of Database/local.sh)
#   PAUSE=1        wait for Enter after each step
# Needs curl and python3 (for reading JSON; no jq).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
base=${JUNKAI_URL:-http://127.0.0.1:8080}
base=${base%/}
demo=${JUNKAI_DEMO:-}
if [ -z "$demo" ]; then
    # local.sh keeps its state in .junkai, or (run as root, when postgres cannot reach the checkout) in /tmp.
    for candidate in "$repo/.junkai/demo.json" /tmp/junkai-pg-*/demo.json; do
        [ -f "$candidate" ] && { demo=$candidate; break; }
    done
fi
period_start=2027-04-01
period_end=2027-04-30

if [ -t 1 ]; then b=$'\033[1m' c=$'\033[36m' r=$'\033[31m' n=$'\033[0m'; else b="" c="" r="" n=""; fi
bold() { printf '\n%s%s%s\n' "$b" "$*" "$n"; }
say() { printf '  %s\n' "$*"; }
pause() { if [ "${PAUSE:-0}" = 1 ]; then read -r -p "  (Enter)" _; fi; }
die() { printf '%swalkthrough: %s%s\n' "$r" "$*" "$n" >&2; exit 1; }

# json EXPR: evaluates a Python expression over the JSON on stdin, bound to `j`; prints strings bare.
json() {
    python3 -c '
import json, sys
j = json.load(sys.stdin)
v = eval(sys.argv[1], {"j": j})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
' "$1"
}

# call METHOD PATH TOKEN [BODY] [extra curl args…]: shows the request and the answer; the body lands in $reply
# and the status in $status. Exits when the status is not the one in $expect (default 2xx).
call() {
    local method=$1 path=$2 token=$3 body=${4:-}
    shift 4 2>/dev/null || shift $#
    local args=(-sS -o /tmp/junkai-walkthrough.$$ -w '%{http_code}' -X "$method" "$base$path")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
    local shown="" a
    for a in "$@"; do [ "$a" = -H ] || shown+=" -H '$a'"; done
    printf '  %s$ curl -X %s %s%s%s%s%s\n' "$c" "$method" "$path" "${token:+ -H 'Authorization: Bearer …'}" "$shown" \
        "${body:+ -d '$body'}" "$n"
    status=$(curl "${args[@]}" "$@") || die "no answer from $base (is the service running? Database/local.sh serve)"
    reply=$(cat /tmp/junkai-walkthrough.$$)
    rm -f /tmp/junkai-walkthrough.$$
    printf '  → %s\n' "$status"
    if [ -n "$reply" ]; then
        printf '%s' "$reply" | python3 -c '
import json, sys
text = sys.stdin.read()
try:
    out = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
except ValueError:
    out = text
lines = out.splitlines()
for line in lines[:40]:
    print("    " + line)
if len(lines) > 40:
    print("    … (%d more lines)" % (len(lines) - 40))
'
    fi
    local want=${expect:-2..}
    [[ $status =~ ^$want$ ]] || die "$method $path answered $status, expected $want"
    expect=
}

# ---------------------------------------------------------------------------------------------------------
bold "0. 準備 / Getting ready"
[ -n "$demo" ] && [ -f "$demo" ] || die "no demo file: start the service with Database/local.sh serve (it writes .junkai/demo.json), or set JUNKAI_DEMO"
say "デモの協議会とトークン / demo consortium and tokens: $demo"
cid=$(json 'j["consortium"]["id"] if isinstance(j["consortium"], dict) else j["consortium"]' < "$demo")
coordinator=$(json 'j["coordinatorToken"]' < "$demo")
say "consortium id: $cid"
say "認証不要のエンドポイント / public endpoints: /healthz, /readyz, /openapi.json"
call GET /healthz ""
call GET /readyz ""
say "OpenAPI 3.1 の仕様書は $base/openapi.json (YAML: /openapi.yaml)"
say "トークンなしで /v1 を呼ぶと 401 / /v1 without a token answers 401:"
expect=401 call GET "/v1/consortia/$cid/posts" ""
pause

# ---------------------------------------------------------------------------------------------------------
bold "1. 管理者 (admin): 協議会をつくる / create a consortium"
admin=${ADMIN_TOKEN:-}
if [ -z "$admin" ]; then
    bin=""
    for dir in "$repo/.build/release" "$repo/.build/debug"; do [ -x "$dir/junkai" ] && { bin=$dir/junkai; break; }; done
    if [ -n "$bin" ]; then
        say "管理者トークンはコマンドラインで発行します / the first admin token comes from the command line:"
        say "\$ junkai token issue --role admin --label walkthrough"
        admin=$(DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:${JUNKAI_PGPORT:-54329}/junkai} \
                "$bin" token issue --role admin --label walkthrough 2>/dev/null) || admin=""
    fi
fi
if [ -n "$admin" ]; then
    expect='(201|401)' call POST /v1/consortia "$admin" '{"name": "ウォークスルー協議会 / walk-through consortium"}'
fi
if [ -n "$admin" ] && [ "$status" = 401 ]; then
    say "(このサービスはその管理者トークンを知りません。DATABASE_URL が別のデータベースでは？ / the service does not know"
    say " that admin token: was it issued against another DATABASE_URL? Set ADMIN_TOKEN to see this step)"
elif [ -n "$admin" ]; then
    new_cid=$(printf '%s' "$reply" | json 'j["id"]')
    say "新しい協議会のコーディネーター用トークンを発行 / a coordinator token for the new consortium:"
    call POST "/v1/consortia/$new_cid/tokens" "$admin" '{"role": "coordinator", "label": "walkthrough"}'
    say "トークンは一度だけ表示され、ハッシュだけが保存されます / shown once, stored only as a hash."
    say "ここからはデモの協議会で続けます / the rest continues in the demo consortium."
else
    say "(管理者トークンがないので省略 / no admin token: set ADMIN_TOKEN to see this step)"
fi
pause

# ---------------------------------------------------------------------------------------------------------
bold "2. コーディネーター (coordinator): 構成団体・スキル・ポスト・職員 / members, skills, posts, staff"
say "全国地方公共団体コード（検査数字つき6桁）を組込みの台帳で引く / look a code up in the built-in register:"
call GET /v1/register/municipalities/292010 "$coordinator"
say "検査数字が違うと 422、どの項目が悪いかを pointer で示します / a wrong check digit is a 422 naming the field:"
expect=422 call GET /v1/register/municipalities/292011 "$coordinator"
say "奈良市を構成団体に追加（名称・よみ・位置は台帳から）/ add 奈良市 as a member, filled from the register:"
expect='(201|409)' call POST "/v1/consortia/$cid/municipalities" "$coordinator" '{"code": "292010"}'
[ "$status" = 409 ] && say "(すでに構成団体です / already a member: 409)"
say "スキル一覧にスキルを登録（PUT は作成か名称変更）/ create or rename a skill of the catalogue:"
call PUT "/v1/consortia/$cid/skills/gov-cloud" "$coordinator" '{"name": "ガバメントクラウド移行"}'
say "奈良市のポスト：週1日、火・木曜、ガバメントクラウド移行レベル3以上 / a post at 奈良市, 1 day a week on Tue/Thu:"
call POST "/v1/consortia/$cid/posts" "$coordinator" \
    '{"municipality": "292010", "title": "奈良市 ガバメントクラウド移行支援", "requirements": {"gov-cloud": 3}, "daysPerWeek": 1, "allowedWeekdays": [2, 4]}'
post=$(printf '%s' "$reply" | json 'j["id"]')
say "daysPerWeek は 1〜5。範囲外は 422 / daysPerWeek outside 1–5 is a 422:"
expect=422 call POST "/v1/consortia/$cid/posts" "$coordinator" \
    '{"municipality": "292010", "title": "x", "requirements": {}, "daysPerWeek": 6}'
say "外部DX人材を登録（自宅は近鉄奈良駅付近）/ a staff member living near Kintetsu-Nara station:"
call POST "/v1/consortia/$cid/staff" "$coordinator" \
    '{"name": "山田 花子", "home": {"lat": 34.6846, "lon": 135.8279}, "skills": {"gov-cloud": 4}, "maxDaysPerWeek": 3, "targetDaysPerWeek": 2, "availableWeekdays": [1, 2, 3, 4, 5], "maxTravelKm": 40}'
staff=$(printf '%s' "$reply" | json 'j["id"]')
say "奈良市の窓口用と職員用のトークンを発行 / tokens for 奈良市's desk and for the staff member:"
call POST "/v1/consortia/$cid/tokens" "$coordinator" '{"role": "municipality", "municipality": "292010", "label": "奈良市 DX推進課"}'
municipality=$(printf '%s' "$reply" | json 'j["token"]')
call POST "/v1/consortia/$cid/tokens" "$coordinator" "{\"role\": \"staff\", \"staff\": \"$staff\", \"label\": \"山田\"}"
staff_token=$(printf '%s' "$reply" | json 'j["token"]')
pause

# ---------------------------------------------------------------------------------------------------------
bold "3. 市町村 (municipality): 日を指定して依頼 / request a day"
say "開庁日カレンダー（土日・祝日・年末年始・閉庁日は閉庁）/ the working days of April 2027:"
call GET "/v1/calendar/working-days?from=$period_start&to=$period_end&consortium=$cid" "$municipality"
day=$(printf '%s' "$reply" | json '[d["date"] for d in j["days"] if d["working"] and __import__("datetime").date.fromisoformat(d["date"]).isoweekday() in (2, 4)][2]')
say "祝日（4月29日 昭和の日）の依頼は 422 / a request on 昭和の日 is refused:"
expect=422 call POST "/v1/consortia/$cid/requests" "$municipality" "{\"post\": \"$post\", \"date\": \"2027-04-29\", \"kind\": \"required\"}"
say "$day（開庁日の木曜または火曜）に必須の依頼 / a required request on $day:"
expect='(201|409)' call POST "/v1/consortia/$cid/requests" "$municipality" \
    "{\"post\": \"$post\", \"date\": \"$day\", \"kind\": \"required\", \"note\": \"庁内クラウド移行の打合せ\"}"
request=$(printf '%s' "$reply" | json 'j.get("id", "")')
say "市町村トークンには自分の依頼だけが見えます / a municipality token sees only its own requests:"
call GET "/v1/consortia/$cid/requests?status=submitted" "$municipality"
pause

# ---------------------------------------------------------------------------------------------------------
bold "4. コーディネーター: 承認・計画・求解・公開 / accept, plan, solve, publish"
if [ -n "$request" ]; then
    call POST "/v1/consortia/$cid/requests/$request/accept" "$coordinator"
fi
say "2027年4月の計画（下書き）/ a draft plan for April 2027:"
call POST "/v1/consortia/$cid/plans" "$coordinator" "{\"period\": {\"start\": \"$period_start\", \"end\": \"$period_end\"}, \"name\": \"2027年4月 巡回計画\"}"
plan=$(printf '%s' "$reply" | json 'j["id"]')
say "求解の前に診断：誰も担当できないポスト・能力不足の週・満たせない必須依頼 / diagnostics before solving: posts"
say "nobody can staff (and why), weeks beyond everyone's capacity, required requests no plan can meet:"
call GET "/v1/consortia/$cid/plans/$plan/diagnostics" "$coordinator"
say "バックグラウンドで5秒間求解（202 Accepted）/ solve in the background for 5 seconds:"
call POST "/v1/consortia/$cid/plans/$plan/solve" "$coordinator" '{"seconds": 5}'
say "solved になるまで待つ / poll until solved:"
for _ in $(seq 1 120); do
    status_now=$(curl -sS -H "Authorization: Bearer $coordinator" "$base/v1/consortia/$cid/plans/$plan" | json 'j["status"]')
    printf '    status: %s\n' "$status_now"
    [ "$status_now" = solved ] && break
    [ "$status_now" = draft ] && die "the solve failed (the plan is back to draft); see GET /v1/consortia/$cid/plans/$plan"
    sleep 1
done
[ "$status_now" = solved ] || die "not solved after 120 s"
call GET "/v1/consortia/$cid/plans/$plan" "$coordinator"
version=$(printf '%s' "$reply" | json 'j["version"]')
say "目的関数 $(printf '%s' "$reply" | json 'j["objective"]')、割当 $(printf '%s' "$reply" | json 'j["assignmentCount"]') 件 / objective and assignments above."
say "目的関数の説明：要約（主な原因）と、ポスト・職員・週ごとの内訳 / why the objective is what it is: the summary first:"
call GET "/v1/consortia/$cid/plans/$plan/explanation?lang=ja" "$coordinator"
printf '%s' "$reply" | json '"\n".join([j["headline"]] + ["  - " + c["text"] for c in j["causes"]])' | sed 's/^/    /'
say "If-Match で確認した版を指定して公開（違う版なら 412）/ publish the version you reviewed:"
expect=412 call POST "/v1/consortia/$cid/plans/$plan/publish" "$coordinator" "" -H "If-Match: \"$((version + 1))\""
call POST "/v1/consortia/$cid/plans/$plan/publish" "$coordinator" "" -H "If-Match: \"$version\""
pause

# ---------------------------------------------------------------------------------------------------------
bold "5. 職員 (staff): 予定表とカレンダー購読 / schedule and calendar feed"
call GET "/v1/consortia/$cid/staff/$staff/schedule?from=$period_start&to=$period_end" "$staff_token"
say "他の職員の予定は見えません（404）/ another staff member's schedule is not found:"
other=$(json '[s["id"] for s in j["staff"]][0]' < "$demo")
expect=404 call GET "/v1/consortia/$cid/staff/$other/schedule" "$staff_token"
say "奈良市から見た公開済みの予定 / the published schedule as 奈良市 sees it:"
call GET "/v1/consortia/$cid/municipalities/292010/schedule?from=$period_start&to=$period_end" "$municipality"
say "問い合わせ先（カレンダーの各予定に表示）/ the coordinator's contact, shown in every calendar event:"
call PATCH "/v1/consortia/$cid" "$coordinator" '{"contact": "奈良県DX共同任用事務局 0742-00-0000 dx-kyodo@example.jp"}'
say "iCalendar の購読URL（新しく発行すると古いURLは無効）/ a secret feed URL; issuing a new one revokes the old:"
call POST "/v1/consortia/$cid/staff/$staff/calendar-feed" "$staff_token"
feed=$(printf '%s' "$reply" | json 'j["url"]')
curl -sS "$feed" | head -n 20 | sed 's/^/    /'
say "購読URL / feed URL: $feed"
say "このURLを Google カレンダーや Outlook の「URLで追加」に登録できます / subscribe to it from any calendar app."
say "奈良市の窓口にも「誰がいつ来るか」の購読URLがあります / 奈良市's desk subscribes to who comes when:"
call POST "/v1/consortia/$cid/municipalities/292010/calendar-feed" "$municipality"
town_feed=$(printf '%s' "$reply" | json 'j["url"]')
town_ics=$(curl -sS "$town_feed")
printf '%s\n' "$town_ics" | grep -E '^(X-WR-CALNAME|SUMMARY|DESCRIPTION|LOCATION)' | sed -n '1,5s/^/    /p'
say "協議会全体の予定（CSVは Excel でそのまま開けます）/ the whole consortium's schedule, also as CSV for Excel:"
call GET "/v1/consortia/$cid/schedule?from=$period_start&to=$period_end" "$coordinator"
csv=$(curl -sS -H "Authorization: Bearer $coordinator" "$base/v1/consortia/$cid/schedule?from=$period_start&to=$period_end&format=csv")
printf '%s\n' "$csv" | sed -n '1,4s/^/    /p'
say "知らない項目は 422（綴り違いの maxTravelkm は上限なしにはなりません）/ an unknown field is refused, not ignored:"
expect=422 call POST "/v1/consortia/$cid/staff" "$coordinator" \
    '{"name": "綴り違い", "home": {"lat": 34.68, "lon": 135.8}, "skills": {}, "maxDaysPerWeek": 2, "maxTravelkm": 30}'
pause

# ---------------------------------------------------------------------------------------------------------
bold "6. 勤務実績・実績報告・負担金 / work records, the delivery report and the year's cost share"
today=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date())')
yesterday=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$today') - datetime.timedelta(days=1))")
week_ago=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$today') - datetime.timedelta(days=7))")
tomorrow=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$today') + datetime.timedelta(days=1))")
fy=$(python3 -c "d = '$yesterday'; print(int(d[:4]) - (1 if int(d[5:7]) < 4 else 0))")
# The demo's past (Database/local.sh serve runs `junkai seed-delivery`) leaves the last days' published assignments
# unrecorded: find one, so the record below is a planned day. Otherwise 山田 (step 2) records an unplanned day.
rec_staff=$staff rec_token=$staff_token rec_post=$post rec_date=$yesterday rec_code=292010 rec_municipality=$municipality
staff_count=$(json 'len(j["staff"])' < "$demo")
for i in $(seq 0 $((staff_count - 1))); do
    sid=$(json "j['staff'][$i]['id']" < "$demo"); stok=$(json "j['staff'][$i]['token']" < "$demo")
    sched=$(curl -sS -H "Authorization: Bearer $stok" "$base/v1/consortia/$cid/staff/$sid/schedule?from=$week_ago&to=$yesterday")
    mine=$(curl -sS -H "Authorization: Bearer $stok" "$base/v1/consortia/$cid/work-records?from=$week_ago&to=$yesterday")
    pick=$(printf '%s\n%s\n' "$sched" "$mine" | python3 -c '
import json, sys
lines = sys.stdin.read().split("\n")
try:
    sched, mine = json.loads(lines[0]), json.loads(lines[1])
except ValueError:
    sys.exit(0)
done = {(r["post"], r["date"]) for r in mine.get("items", [])}
free = [a for a in sched.get("assignments", []) if (a["post"], a["date"]) not in done]
if free:
    print(free[-1]["post"], free[-1]["date"], free[-1]["municipality"])
')
    if [ -n "$pick" ]; then
        read -r rec_post rec_date rec_code <<< "$pick"
        rec_staff=$sid rec_token=$stok
        rec_municipality=$(json "[m['token'] for m in j['municipalities'] if m['code'] == '$rec_code'][0]" < "$demo")
        break
    fi
done
say "職員が勤務した日を記録（$rec_date、公開済みの予定があれば planned: true）/ a staff member records a day worked:"
summary='庁内DX推進会議に出席し、「窓口DX」の進め方を協議。\n次回までに業務フローを整理する'
call POST "/v1/consortia/$cid/work-records" "$rec_token" \
    "{\"staff\": \"$rec_staff\", \"post\": \"$rec_post\", \"date\": \"$rec_date\", \"mode\": \"onsite\", \"minutes\": 420, \"category\": \"meeting\", \"summary\": \"$summary\"}"
record=$(printf '%s' "$reply" | json 'j["id"]')
say "明日の日付は記録できません（422、pointer は /date）/ a future date is refused:"
expect=422 call POST "/v1/consortia/$cid/work-records" "$rec_token" \
    "{\"staff\": \"$rec_staff\", \"post\": \"$rec_post\", \"date\": \"$tomorrow\", \"mode\": \"onsite\", \"minutes\": 60, \"category\": \"other\", \"summary\": \"x\"}"
say "市町村 $rec_code は自分のポストの記録だけを確認します / the post's municipality confirms it:"
call POST "/v1/consortia/$cid/work-records/$record/confirm" "$rec_municipality"
say "確認済みの記録は職員も編集できません（409）/ a confirmed record is locked:"
expect=409 call PATCH "/v1/consortia/$cid/work-records/$record" "$rec_token" '{"minutes": 480}'
say "$rec_code の${fy}年度の実績報告（CSV、Excel でそのまま開けます）/ the member's delivery report as CSV for Excel:"
curl -sS -D - -o /dev/null -H "Authorization: Bearer $rec_municipality" \
    "$base/v1/consortia/$cid/reports/delivery?fiscalYear=$fy&format=csv" | grep -i -E '^(content-type|content-disposition)' | sed 's/^/    /'
call GET "/v1/consortia/$cid/reports/delivery?fiscalYear=$fy&format=csv" "$rec_municipality"
pause

say "${fy}年度の負担金（均等割・人口割・実績割）/ the year's cost share:"
call GET "/v1/consortia/$cid/cost-shares/$fy" "$coordinator"
if [ "$(printf '%s' "$reply" | json 'j["status"]')" = fixed ]; then
    say "確定済みなので、いったん再開します（監査ログに残ります）/ fixed by an earlier run: reopen it (audited):"
    call POST "/v1/consortia/$cid/cost-shares/$fy/reopen" "$coordinator"
fi
say "ステップ2で奈良市が加わったので、人口を全構成団体分そろえて設定し直します / 奈良市 joined in step 2: set every member's population:"
members=$(curl -sS -H "Authorization: Bearer $coordinator" "$base/v1/consortia/$cid/municipalities")
body=$(printf '%s' "$members" | python3 -c '
import json, sys
listed = json.load(sys.stdin)
codes = [m["code"] for m in (listed["items"] if isinstance(listed, dict) else listed)]
share = json.load(open(sys.argv[1]))
known = dict(share["populations"], **{"292010": 354630})  # 奈良市
share["populations"] = {c: known[c] for c in codes if c in known}
if any(c not in known for c in codes):
    share["rule"] = {"equal": 50, "population": 0, "days": 50}
print(json.dumps(share, ensure_ascii=False))
' "$repo/Examples/demo/nara-cost-share.json")
expect='(200|201)' call PUT "/v1/consortia/$cid/cost-shares/$fy" "$coordinator" "$body"
say "年度を確定（以後の記録では数字が動きません）/ fix the year: later records do not move its figures:"
call POST "/v1/consortia/$cid/cost-shares/$fy/fix" "$coordinator"
say "確定した年度は変更できません（409）/ a fixed year cannot be edited:"
expect=409 call PUT "/v1/consortia/$cid/cost-shares/$fy" "$coordinator" "$body"
say "負担金の一覧（CSV、最後に合計行）/ the shares as CSV, ending with the 合計 row:"
call GET "/v1/consortia/$cid/cost-shares/$fy?format=csv" "$municipality"
if [ -n "${bin:-}" ]; then
    say "同じ数字をコマンドラインで / the same figures from the command line:"
    say "\$ junkai report cost-share $fy --consortium $cid"
    DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:${JUNKAI_PGPORT:-54329}/junkai} \
        "$bin" report cost-share "$fy" --consortium "$cid" 2>&1 | sed 's/^/    /' || true
fi
pause

# ---------------------------------------------------------------------------------------------------------
bold "7. 公開後の変更と競合 / changes after publishing: conflicts, replan, cancelling a solve"
say "公開済みの勤務日を後から壊した変更（不在日・閉庁日・スキルや曜日の変更・削除）の一覧。デモでは直近2週間を公開した後に"
say "1人の不在日を登録してあります（junkai seed-conflict）/ published days that a later change broke; the demo published"
say "the next two weeks and then declared one person unavailable on a published day:"
call GET "/v1/consortia/$cid/conflicts" "$coordinator"
conflicts=$(printf '%s' "$reply" | json 'len(j["items"])')
if [ "$conflicts" -gt 0 ]; then
    who=$(printf '%s' "$reply" | json 'j["items"][0]["staff"]')
    when=$(printf '%s' "$reply" | json 'j["items"][0]["date"]')
    say "その職員の予定表でもその日に印がつきます（conflicts）/ the day is marked in that person's schedule too:"
    call GET "/v1/consortia/$cid/staff/$who/schedule?from=$when&to=$when" "$coordinator"
    say "影響のある週だけの下書きを作り、競合していない割当は固定して求解（最小限の変更）/ a draft over the affected"
    say "weeks, every unaffected day pinned, solved for minimal disruption:"
    call POST "/v1/consortia/$cid/conflicts/replan" "$coordinator" '{"seconds": 3}'
    replan=$(printf '%s' "$reply" | json 'j["plan"]["id"]')
    for _ in $(seq 1 60); do
        status_now=$(curl -sS -H "Authorization: Bearer $coordinator" "$base/v1/consortia/$cid/plans/$replan" | json 'j["status"]')
        [ "$status_now" = solving ] || break
        sleep 1
    done
    say "再計画の状態 / the replan is now: $status_now（確認して If-Match で公開できます / review it, then publish with If-Match）"
else
    say "(競合はありません。再計画は 409 / no conflicts: a replan answers 409)"
    expect=409 call POST "/v1/consortia/$cid/conflicts/replan" "$coordinator"
fi
say "実行中の求解は取り消せます（ジョブは cancelled、計画は元の状態へ）/ a running solve can be cancelled:"
call POST "/v1/consortia/$cid/plans" "$coordinator" "{\"period\": {\"start\": \"$period_start\", \"end\": \"$period_end\"}, \"name\": \"取消の例\"}"
spare=$(printf '%s' "$reply" | json 'j["id"]')
call POST "/v1/consortia/$cid/plans/$spare/solve" "$coordinator" '{"seconds": 60}'
job=$(printf '%s' "$reply" | json 'j["job"]["id"]')
call POST "/v1/consortia/$cid/plans/$spare/solve/$job/cancel" "$coordinator"

bold "完了 / Done"
