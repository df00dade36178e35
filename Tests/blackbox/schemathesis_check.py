#!/usr/bin/env python3
"""Schemathesis against the served OpenAPI document of a running `junkai serve`.

    schemathesis_check.py BASE ADMIN_TOKEN DEMO_JSON

Runs schemathesis 4 (its `schemathesis run` command line) against BASE/openapi.json in three passes: as the demo
consortium's coordinator (the main pass), as an admin, and as one of its staff members. Path parameters {cid},
{postId}, {staffId} and {code} are fixed to real ids from DEMO_JSON (the JSON `junkai seed` printed), and {pid},
{jobId} and {rid} to the plan the journey published, its solve job and a request, so that the generated cases
reach the handlers instead of stopping at 404 (a published plan is read-only, so no solve starts). DELETE
operations get only the real {cid}, so the run cannot remove the demo's posts, staff or tokens.
Issuing a calendar feed for the fixed staff member replaces that member's feed URL.

Checks: no 5xx (not_a_server_error), every status documented, content types and headers as documented, and every
body valid against its schema. Bounded: at most MAX_EXAMPLES cases per operation and phase (fewer for the other
passes), the examples, coverage and fuzzing phases only, and a wall-clock limit per pass. Only BASE is contacted.
Prints each failure schemathesis reports and a summary; exits 1 on any failure or error, 2 on bad arguments.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta

MAX_EXAMPLES = int(os.environ.get("JUNKAI_SCHEMATHESIS_EXAMPLES", "20"))
PASS_TIMEOUT = int(os.environ.get("JUNKAI_SCHEMATHESIS_PASS_SECONDS", "150"))
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])


TOOL_RACE = "AST constructor recursion depth mismatch"


def schemathesis_command():
    """The schemathesis 4 command line, or exit with a message when it is missing or too old."""
    beside = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    exe = beside if os.access(beside, os.X_OK) else (shutil.which("schemathesis") or shutil.which("st"))
    cmd = [exe] if exe else [sys.executable, "-m", "schemathesis.cli"]
    try:
        out = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        sys.exit(f"schemathesis_check: schemathesis is not installed ({e}); pip install -r Tests/blackbox/requirements.txt")
    m = re.search(r"(\d+)\.(\d+)", out.stdout + out.stderr)
    if out.returncode != 0 or not m:
        sys.exit(f"schemathesis_check: `{' '.join(cmd)} --version` failed: {out.stderr.strip()}")
    if int(m.group(1)) < 4:
        sys.exit(f"schemathesis_check: schemathesis {m.group(0)} found; this check uses the 4.x command line")
    return cmd, m.group(0)


def toml_string(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string literal is a valid TOML basic string


def config(path_values, delete_values):
    """A schemathesis.toml fixing path parameters: `path_values` for reads and writes, `delete_values` (ids of a
    disposable world seeded for the run) for DELETE."""
    def table(values):
        return "{ " + ", ".join(f"{toml_string('path.' + k)} = {toml_string(v)}" for k, v in values.items()) + " }"
    return "\n".join([
        "[generation]",
        "database = \"none\"",
        "",
        "[[operations]]",
        "include-method-regex = \"^(GET|HEAD|POST|PUT|PATCH)$\"",
        f"parameters = {table(path_values)}",
        "",
        "[[operations]]",
        "include-method = \"DELETE\"",
        f"parameters = {table(delete_values)}",
        "",
        "# /readyz answers a documented 503 while the database is unreachable or behind on migrations.",
        "[[operations]]",
        "include-path = \"/readyz\"",
        "checks = { not_a_server_error = { expected-statuses = [\"2XX\", \"3XX\", \"4XX\", 503] } }",
        "",
    ])


def run_pass(cmd, name, base, token, path_values, delete_values, max_examples, workdir, workers=2):
    """One schemathesis run; returns (report dict or None, exit code, output text, seconds)."""
    cfg = os.path.join(workdir, f"{name}.toml")
    report = os.path.join(workdir, f"{name}.json")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(config(path_values, delete_values))
    args = cmd + [
        "--config-file", cfg, "--no-color",
        "run", f"{base}/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(max_examples),
        "--workers", str(workers),
        "--request-timeout", "30",
        "--seed", os.environ.get("JUNKAI_SCHEMATHESIS_SEED", "20270401"),
        "--report", "json", "--report-json-path", report,
        "--warnings", "off",
    ]
    started = time.monotonic()
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=PASS_TIMEOUT if workers > 1 else PASS_TIMEOUT * 3 // 2, cwd=workdir)
        code, output = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        code, output = None, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    elapsed = time.monotonic() - started
    data = None
    if os.path.exists(report):
        # A pass killed at its time limit leaves the report empty or cut short: no report, then.
        try:
            with open(report, encoding="utf-8") as f:
                data = json.load(f)
        except ValueError:
            data = None
    return data, code, output, elapsed


def failure_section(output, limit=200):
    """The FAILURES and ERRORS blocks of schemathesis' output, trimmed."""
    lines = output.splitlines()
    keep, on = [], False
    for line in lines:
        if re.match(r"^=+ (FAILURES|ERRORS) =+$", line):
            on = True
        elif re.match(r"^=+ (WARNINGS|SUMMARY) =+$", line):
            on = False
        if on:
            keep.append(line)
    if len(keep) > limit:
        keep = keep[:limit] + [f"… ({len(keep) - limit} more lines)"]
    return "\n".join(keep)


def demo_ids(demo):
    """Real ids for the path parameters and the tokens of the passes."""
    c = demo.get("consortium")
    cid = c.get("id") if isinstance(c, dict) else c
    munis = demo.get("municipalities") or []
    staff = demo.get("staff") or []
    posts = demo.get("posts") or []
    if not (cid and demo.get("coordinatorToken") and munis and staff and posts):
        sys.exit("schemathesis_check: the demo file needs consortium, coordinatorToken, municipalities, staff and posts")
    code = munis[0]["code"]
    post = next((p["id"] for p in posts if p.get("municipality") == code), posts[0]["id"])
    values = {"cid": cid, "code": code, "postId": post, "staffId": staff[0]["id"]}
    return values, demo["coordinatorToken"], staff[0].get("token")


def published_plan_ids(base, cid, coordinator):
    """Ids of a published plan, its latest solve job and one request, so that their reads reach real rows.

    A published plan is read-only: solving, publishing or editing it answers 409, so fixing {pid} to it exercises
    those handlers without starting background solves. Returns {} when the consortium has no published plan."""
    def get(path):
        req = urllib.request.Request(f"{base}/v1/consortia/{cid}{path}", headers={"Authorization": f"Bearer {coordinator}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)
    values = {}
    plans = get("/plans")
    plans = plans.get("items", []) if isinstance(plans, dict) else plans
    plan = next((p for p in plans if p.get("status") == "published"), None)
    if plan:
        values["pid"] = plan["id"]
        values["date"] = (plan.get("period") or {}).get("start", "2027-04-01")
        job = (get(f"/plans/{plan['id']}").get("solve") or {}).get("id")
        if job:
            values["jobId"] = job
    requests = get("/requests")
    requests = requests.get("items", []) if isinstance(requests, dict) else requests
    if requests:
        values["rid"] = requests[0]["id"]
    return values


class Api:
    """Just enough of a client to seed the run's disposable world."""
    def __init__(self, base, cid, token):
        self.base, self.cid, self.token = base, cid, token

    def call(self, method, path, body=None, expect=(200, 201), root=None):
        data = json.dumps(body).encode() if body is not None else None
        prefix = f"/v1/consortia/{self.cid}" if root is None else root
        req = urllib.request.Request(f"{self.base}{prefix}{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        if status not in expect:
            raise SystemExit(f"schemathesis_check: seeding {method} {path} answered {status}: {text[:300]}")
        return json.loads(text) if text else {}


def seed_disposable(base, cid, coordinator):
    """A member, skill, post and staff member of its own with an unavailable date, a feed, a request, a token and
    a work record, made for this run: reads and writes reach them by id, and DELETE removes them (or answers 409
    where a record protects them) instead of answering 404 for ids the fuzzer invents."""
    api = Api(base, cid, coordinator)
    members = api.call("GET", "/municipalities")
    members = members.get("items", members) if isinstance(members, dict) else members
    taken = {m["code"] for m in members}
    found = api.call("GET", "/register/municipalities?q=" + urllib.parse.quote("村"), root="/v1")
    found = found.get("items", found) if isinstance(found, dict) else found
    code = next(m["code"] for m in found if m["code"] not in taken)
    api.call("POST", "/municipalities", {"code": code})
    skill = "schemathesis-spare"
    api.call("PUT", f"/skills/{skill}", {"name": "予備スキル"})
    post = api.call("POST", "/posts", {"municipality": code, "title": "予備ポスト", "requirements": {},
                                       "daysPerWeek": 1})["id"]
    staff = api.call("POST", "/staff", {"name": "予備 人材", "home": {"lat": 34.68, "lon": 135.8}, "skills": {},
                                        "maxDaysPerWeek": 2})["id"]
    # Working days by the server's own calendar: a request on a holiday or in 年末年始 is refused (422), and
    # "a month from now" falls in one every year around 29 November.
    today = date.today()
    days = api.call("GET", "/calendar/working-days?from=" + (today - timedelta(days=14)).isoformat()
                    + "&to=" + (today + timedelta(days=60)).isoformat(), root="/v1")["days"]
    working = [date.fromisoformat(d["date"]) for d in days if d["working"]]
    soon = next(d for d in working if d >= today + timedelta(days=30))
    past = max(d for d in working if d <= today - timedelta(days=3))
    unavailable = api.call("POST", f"/staff/{staff}/unavailability", {"date": soon.isoformat(), "kind": "unavailable"})["id"]
    feed = api.call("POST", f"/staff/{staff}/calendar-feed")["url"]
    request = api.call("POST", "/requests", {"post": post, "date": soon.isoformat(), "kind": "preferred"})["id"]
    token = api.call("POST", "/tokens", {"role": "staff", "staff": staff, "label": "schemathesis"})["id"]
    record = api.call("POST", "/work-records", {"staff": staff, "post": post, "date": past.isoformat(), "mode": "remote",
                                                "minutes": 60, "category": "consultation", "summary": "予備"})["id"]
    fiscal_year = today.year if today.month >= 4 else today.year - 1
    shared = {"skillId": skill, "unavailabilityId": unavailable, "wid": record, "tokenId": token,
              "feedToken": feed.rsplit("/", 1)[-1].removesuffix(".ics"), "fy": str(fiscal_year)}
    disposable = {"cid": cid, "code": code, "postId": post, "staffId": staff, "rid": request, **shared}
    return shared, disposable


def coverage(log_path, offset, doc):
    """Per documented operation, the statuses the server's access log shows since `offset`; (covered, missing)."""
    seen = {}
    with open(log_path, encoding="utf-8") as f:
        f.seek(offset)
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("message") != "request":
                continue
            method = entry.get("method", "").lower()
            method = "get" if method == "head" else method
            seen.setdefault((method, entry.get("route")), set()).add(int(entry.get("status", 0)))
    covered, missing = [], []
    for path, item in doc.get("paths", {}).items():
        for method in item:
            if method not in ("get", "put", "post", "delete", "patch"):
                continue
            statuses = seen.get((method, path), set())
            (covered if statuses - {404} else missing).append((method.upper(), path, sorted(statuses)))
    return covered, missing


def main():
    if len(sys.argv) != 4:
        print("usage: schemathesis_check.py BASE ADMIN_TOKEN DEMO_JSON", file=sys.stderr)
        return 2
    base, admin, demo_path = sys.argv[1].rstrip("/"), sys.argv[2].strip(), sys.argv[3]
    with open(demo_path, encoding="utf-8") as f:
        values, coordinator, staff_token = demo_ids(json.load(f))
    cmd, version = schemathesis_command()

    with urllib.request.urlopen(f"{base}/openapi.json", timeout=30) as r:
        doc = json.load(r)
    if not str(doc.get("openapi", "")).startswith("3.1"):
        print(f"schemathesis_check: {base}/openapi.json is not OpenAPI 3.1 (openapi: {doc.get('openapi')!r})")
        return 1
    values.update(published_plan_ids(base, values["cid"], coordinator))
    shared, disposable = seed_disposable(base, values["cid"], coordinator)
    values.update(shared)
    log_path = os.environ.get("JUNKAI_ACCESS_LOG")
    log_offset = os.path.getsize(log_path) if log_path else 0
    operations = sum(1 for item in doc.get("paths", {}).values() for m in item
                     if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace"))
    print(f"schemathesis {version} against {base}/openapi.json: {operations} operations, "
          f"path parameters {', '.join(f'{k}={v}' for k, v in values.items())}")

    passes = [("coordinator", coordinator, MAX_EXAMPLES), ("admin", admin, max(1, MAX_EXAMPLES // 2))]
    if staff_token:
        passes.append(("staff", staff_token, max(1, MAX_EXAMPLES // 4)))
    failed = False
    rows = []
    with tempfile.TemporaryDirectory(prefix="junkai-schemathesis-") as workdir:
        for name, token, n in passes:
            data, code, output, elapsed = run_pass(cmd, name, base, token, values, disposable, n, workdir)
            if data is not None and not data.get("failures") and TOOL_RACE in output:
                # CPython 3.11's parser is not thread-safe when Hypothesis describes its filters from two workers at
                # once: a crash of the tool, not an answer of the server. The pass is run again on one worker.
                print(f"{name} pass: schemathesis crashed in Hypothesis ({TOOL_RACE}); running the pass again on one worker")
                data, code, output, elapsed = run_pass(cmd, name, base, token, values, disposable, n, workdir, workers=1)
            if data is None:
                failed = True
                why = "timed out" if code is None else f"exited {code} without a report"
                print(f"\n--- {name} pass {why} after {elapsed:.0f} s")
                print(output[-4000:])
                rows.append((name, "-", "-", why))
                continue
            cases = data.get("test_cases", {})
            ops = data.get("operations", {})
            failures = data.get("failures") or []
            errors = data.get("errors") or []
            problems = []
            for fl in failures:
                problems.append(f"{fl.get('code')} {fl.get('title')} ×{fl.get('count')}: {', '.join(fl.get('operations', []))}")
            for er in errors:
                problems.append(f"error: {json.dumps(er, ensure_ascii=False)[:300]}")
            if code not in (0, None) and not problems:
                problems.append(f"schemathesis exited {code}")
            if code is None:
                problems.append(f"the pass hit the {PASS_TIMEOUT} s limit")
            if problems:
                failed = True
                print(f"\n--- {name} pass: {len(problems)} problem(s)")
                section = failure_section(output)
                if section:
                    print(section)
            rows.append((name, f"{ops.get('tested', 0)}/{ops.get('selected', 0)}", str(cases.get("generated", 0)),
                         "ok" if not problems else "; ".join(problems)))
            print(f"{name} pass: {ops.get('tested', 0)} operations, {cases.get('generated', 0)} cases, "
                  f"{len(failures)} failure kind(s), {len(errors)} error(s), {elapsed:.0f} s")

    if log_path:
        covered, missing = coverage(log_path, log_offset, doc)
        share = len(covered) / max(1, len(covered) + len(missing))
        print(f"\ncoverage: {len(covered)} of {len(covered) + len(missing)} operations ({share:.0%}) got an answer other "
              f"than 404 (the server's access log)")
        for method, path, statuses in missing:
            print(f"  only 404 or never called: {method} {path} {statuses}")
        if share < 0.9:
            failed = True
            print("schemathesis_check: under 90% of the operations reached the logic")
    print("\nsummary (pass, operations tested, cases, result):")
    for row in rows:
        print("  " + " | ".join(row))
    print("schemathesis: " + ("FAILED" if failed else "no server errors; every response matches the document"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
