#!/usr/bin/env python3
"""One trip through the API as its four kinds of callers make it, against a running `junkai serve`.

    journey.py BASE DEMO_JSON FEED_URL_OUT

DEMO_JSON is what `junkai seed` printed: {consortium, coordinatorToken, municipalities: [{code, name, token}],
staff: [{id, name, token}], posts: [...]}. A municipality requests a day for one of its posts, the coordinator
accepts it, plans April 2027, solves, waits for the solve, and publishes with If-Match; a staff member reads
the published schedule and issues a calendar feed, whose URL goes to FEED_URL_OUT. Any unexpected status or
body stops the journey with a message saying which step failed and exits 1.
"""
import json
import sys
import time
from datetime import date

import requests

PERIOD_START, PERIOD_END = "2027-04-01", "2027-04-30"
SOLVE_SECONDS = 3
SOLVE_TIMEOUT = 120.0


class JourneyFailure(Exception):
    pass


def fail(step, message):
    raise JourneyFailure(f"{step}: {message}")


class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.http = requests.Session()

    def call(self, step, method, path, token=None, expect=200, json_body=None, headers=None, params=None):
        """Sends one request and checks its status; returns the decoded JSON (or None for no body)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        try:
            r = self.http.request(method, self.base + path, json=json_body, headers=h, params=params, timeout=30)
        except requests.RequestException as e:
            fail(step, f"{method} {path}: no answer ({e})")
        expected = expect if isinstance(expect, (list, tuple, set)) else [expect]
        if r.status_code not in expected:
            fail(step, f"{method} {path}: expected {' or '.join(map(str, expected))}, got {r.status_code}: {r.text[:500]}")
        if r.status_code >= 400:
            ctype = r.headers.get("Content-Type", "")
            if not ctype.startswith("application/problem+json"):
                fail(step, f"{method} {path}: a {r.status_code} must be application/problem+json, got {ctype!r}")
        if not r.content:
            return None
        try:
            return r.json()
        except ValueError:
            fail(step, f"{method} {path}: the body is not JSON: {r.text[:200]!r}")


def require(step, condition, message):
    if not condition:
        fail(step, message)


def field(step, obj, name):
    require(step, isinstance(obj, dict) and name in obj, f"the answer has no {name!r}: {json.dumps(obj)[:300]}")
    return obj[name]


def consortium_id(demo):
    c = demo.get("consortium")
    return c.get("id") if isinstance(c, dict) else c


def main(base, demo_path, feed_out):
    with open(demo_path, encoding="utf-8") as f:
        demo = json.load(f)
    cid = consortium_id(demo)
    coordinator = demo.get("coordinatorToken")
    require("demo", cid and coordinator, f"{demo_path} has no consortium id or coordinatorToken")
    require("demo", demo.get("municipalities") and demo.get("staff"), f"{demo_path} lists no municipalities or staff")
    api = Api(base)
    root = f"/v1/consortia/{cid}"

    # 0. Public endpoints answer without a token; /v1 does not.
    api.call("health", "GET", "/healthz")
    api.call("ready", "GET", "/readyz")
    api.call("no token", "GET", f"{root}/posts", expect=401)

    # 1. A municipality finds one of its posts and a working day in April 2027 without an open request.
    posts = field("coordinator lists posts", api.call("coordinator lists posts", "GET", f"{root}/posts", token=coordinator), "items")
    require("coordinator lists posts", isinstance(posts, list) and posts, "no posts in the demo consortium")
    tokens = {m["code"]: m["token"] for m in demo["municipalities"] if m.get("token")}
    post = next((p for p in posts if p.get("municipality") in tokens), None)
    require("pick a post", post is not None, "no post belongs to a municipality with a token in the demo file")
    code, municipality = post["municipality"], tokens[post["municipality"]]

    own = field("municipality lists posts", api.call("municipality lists posts", "GET", f"{root}/posts", token=municipality), "items")
    require("municipality lists posts", all(p.get("municipality") == code for p in own),
            "a municipality token sees another municipality's posts")
    require("municipality lists posts", any(p.get("id") == post["id"] for p in own), "the municipality does not see its post")

    days = api.call("working days", "GET", "/v1/calendar/working-days", token=municipality,
                    params={"from": PERIOD_START, "to": PERIOD_END})
    day_list = field("working days", days, "days")
    require("working days", len(day_list) == 30, f"April 2027 has 30 dates, got {len(day_list)}")
    holiday = next((d for d in day_list if d["date"] == "2027-04-29"), {})
    require("working days", holiday.get("working") is False and holiday.get("reason"),
            f"2027-04-29 (昭和の日) must be a non-working day with a reason: {holiday}")

    allowed = set(post.get("allowedWeekdays") or [1, 2, 3, 4, 5])
    open_requests = field("municipality lists requests",
                          api.call("municipality lists requests", "GET", f"{root}/requests", token=municipality), "items")
    taken = {r["date"] for r in open_requests if r.get("post") == post["id"] and r.get("status") in ("submitted", "accepted")}
    candidates = [d["date"] for d in day_list if d["working"] and d["date"] not in taken
                  and date.fromisoformat(d["date"]).isoweekday() in allowed]
    require("pick a date", candidates, f"post {post['id']} has no free working day in April 2027")
    day = candidates[len(candidates) // 2]

    # A request on a holiday is refused with a pointer to the date.
    refused = api.call("request on a holiday", "POST", f"{root}/requests", token=municipality, expect=422,
                       json_body={"post": post["id"], "date": "2027-04-29", "kind": "required"})
    require("request on a holiday", any(e.get("pointer") == "/date" for e in refused.get("errors", [])),
            f"the 422 must point at /date: {refused}")

    # 2. The municipality submits the request; the coordinator accepts it.
    req = api.call("municipality submits a request", "POST", f"{root}/requests", token=municipality, expect=201,
                   json_body={"post": post["id"], "date": day, "kind": "required", "note": "blackbox journey"})
    require("municipality submits a request", req.get("status") == "submitted", f"status is {req.get('status')!r}")
    rid = field("municipality submits a request", req, "id")
    api.call("municipality may not accept", "POST", f"{root}/requests/{rid}/accept", token=municipality, expect=403)
    accepted = api.call("coordinator accepts", "POST", f"{root}/requests/{rid}/accept", token=coordinator)
    require("coordinator accepts", accepted.get("status") == "accepted", f"status is {accepted.get('status')!r}")

    # 3. The coordinator plans April 2027 and solves it in the background.
    plan = api.call("create plan", "POST", f"{root}/plans", token=coordinator, expect=201,
                    json_body={"period": {"start": PERIOD_START, "end": PERIOD_END}, "name": "blackbox journey"})
    require("create plan", plan.get("status") == "draft", f"a new plan is {plan.get('status')!r}, not draft")
    pid = field("create plan", plan, "id")
    api.call("solve", "POST", f"{root}/plans/{pid}/solve", token=coordinator, expect=202,
             json_body={"seconds": SOLVE_SECONDS})

    deadline = time.monotonic() + SOLVE_TIMEOUT
    while True:
        plan = api.call("poll plan", "GET", f"{root}/plans/{pid}", token=coordinator)
        status = plan.get("status")
        if status == "solved":
            break
        solve = plan.get("solve") or {}
        if status not in ("draft", "solving") or solve.get("status") in ("failed", "cancelled"):
            fail("poll plan", f"the solve ended as plan {status!r}, job {solve.get('status')!r}: {solve.get('error')}")
        if time.monotonic() > deadline:
            fail("poll plan", f"not solved after {SOLVE_TIMEOUT:.0f} s (status {status!r})")
        time.sleep(0.5)
    assignments = field("solved plan", plan, "assignments")
    require("solved plan", assignments, "the solved plan has no assignments")
    require("solved plan", isinstance(plan.get("objective"), int), f"objective is {plan.get('objective')!r}")
    version = field("solved plan", plan, "version")
    served = next((a for a in assignments if a["post"] == post["id"] and a["date"] == day), None)
    require("solved plan", served is not None, f"the accepted required request ({post['id']} on {day}) is not staffed")

    # 4. Publishing needs the current version in If-Match.
    api.call("publish without If-Match", "POST", f"{root}/plans/{pid}/publish", token=coordinator, expect=(400, 412, 422, 428))
    api.call("publish with a stale version", "POST", f"{root}/plans/{pid}/publish", token=coordinator, expect=412,
             headers={"If-Match": f'"{version + 1000}"'})
    published = api.call("publish", "POST", f"{root}/plans/{pid}/publish", token=coordinator,
                         headers={"If-Match": f'"{version}"'})
    require("publish", published.get("status") == "published", f"status is {published.get('status')!r}")

    # 5. The staff member on that request reads the published schedule and issues a feed.
    staff_tokens = {s["id"]: s["token"] for s in demo["staff"] if s.get("token")}
    require("staff token", served["staff"] in staff_tokens, f"no token for staff {served['staff']} in the demo file")
    sid, staff_token = served["staff"], staff_tokens[served["staff"]]
    schedule = api.call("staff schedule", "GET", f"{root}/staff/{sid}/schedule", token=staff_token,
                        params={"from": PERIOD_START, "to": PERIOD_END})
    entries = field("staff schedule", schedule, "assignments")
    mine = [a for a in assignments if a["staff"] == sid]
    require("staff schedule", len(entries) == len(mine),
            f"the schedule lists {len(entries)} days, the published plan {len(mine)}")
    require("staff schedule", any(e["date"] == day and e["post"] == post["id"] for e in entries),
            f"the schedule misses {day} at {post['id']}")
    for e in entries:
        for k in ("date", "post", "postTitle", "municipality", "municipalityName", "lat", "lon"):
            require("staff schedule", k in e, f"an entry has no {k!r}: {e}")
    other = next((s for s in staff_tokens if s != sid), None)
    if other:
        api.call("another staff member's schedule", "GET", f"{root}/staff/{other}/schedule", token=staff_token,
                 params={"from": PERIOD_START, "to": PERIOD_END}, expect=404)

    town = api.call("municipality schedule", "GET", f"{root}/municipalities/{code}/schedule", token=municipality,
                    params={"from": PERIOD_START, "to": PERIOD_END})
    require("municipality schedule", any(a["date"] == day and a["post"] == post["id"] and a["staff"] == sid
                                          for a in field("municipality schedule", town, "assignments")),
            f"the municipality schedule misses {day}")

    feed = api.call("calendar feed", "POST", f"{root}/staff/{sid}/calendar-feed", token=staff_token, expect=201)
    url = field("calendar feed", feed, "url")
    require("calendar feed", url.startswith(("http://", "https://")) and url.endswith(".ics"), f"not a feed URL: {url}")
    r = requests.get(url, timeout=30)
    require("calendar feed", r.status_code == 200, f"GET feed answered {r.status_code}")
    require("calendar feed", r.headers.get("Content-Type", "").startswith("text/calendar"),
            f"feed content type is {r.headers.get('Content-Type')!r}")
    require("calendar feed", "BEGIN:VCALENDAR" in r.text and r.text.count("BEGIN:VEVENT") >= len(entries),
            "the feed does not hold one VEVENT per published day")
    # The municipality's feed of who comes when: the same design, issued by its desk.
    town_feed = api.call("municipality calendar feed", "POST", f"{root}/municipalities/{code}/calendar-feed",
                         token=municipality, expect=201)
    town_url = field("municipality calendar feed", town_feed, "url")
    r = requests.get(town_url, timeout=30)
    require("municipality calendar feed", r.status_code == 200 and "BEGIN:VEVENT" in r.text,
            f"GET municipality feed answered {r.status_code} without events")
    with open(feed_out, "w", encoding="utf-8") as f:
        f.write(url + "\n")
    with open(feed_out + ".municipality", "w", encoding="utf-8") as f:
        f.write(town_url + "\n")
    print(f"journey: request {rid} on {day} accepted, plan {pid} v{version} published "
          f"({len(assignments)} assignments), staff {sid} has {len(entries)} days, feed written to {feed_out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: journey.py BASE DEMO_JSON FEED_URL_OUT", file=sys.stderr)
        sys.exit(64)
    try:
        main(*sys.argv[1:])
    except JourneyFailure as e:
        print(f"journey FAILED at {e}", file=sys.stderr)
        sys.exit(1)
