#!/usr/bin/env python3
"""Mixed traffic against two `junkai serve` processes sharing one database; prints a Markdown report.

    soak.py --servers URL_A URL_B --pids PID_A PID_B --demo DEMO_JSON --minutes 20 --database URL [--commit C]

Traffic (every call goes to one of the two servers at random, unless said otherwise):
- readers: staff and municipality schedules (coordinator, staff and desk tokens) and calendar feeds;
- requests: a desk submits a day for its post, the coordinator accepts or declines it, or the desk withdraws it;
- plans: the coordinator plans two weeks, solves (3 s), moves one assignment, publishes with If-Match;
- visibility: a write through one server read back through the other until it shows — a declared unavailable
  date (the list), a published plan (the staff member's cached schedule) and a revoked token (the cached
  principal answers 401) — timed from the write's answer to the first read that shows it;
- every 10 s: each server's resident memory (/proc/PID/status) and its /readyz.
At the end: which server's worker ran each solve job (solve_jobs.worker holds host/pid/…), from the database.
"""
import argparse
import json
import random
import statistics
import subprocess
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

import requests

lock = threading.Lock()
status_counts = defaultdict(Counter)   # server -> status -> n
errors = Counter()                     # kind -> n
latencies = defaultdict(list)          # what -> [ms]
visibility = defaultdict(list)         # what -> [ms]
memory = defaultdict(list)             # pid -> [(t, kib)]
ready = defaultdict(Counter)           # server -> status -> n
ready_views = defaultdict(Counter)     # server -> what its /readyz said -> n (max for active workers)
published = Counter()


class Client:
    def __init__(self, servers, cid):
        self.servers, self.cid = servers, cid
        self.local = threading.local()

    def session(self):
        if not hasattr(self.local, "s"):
            self.local.s = requests.Session()
        return self.local.s

    def call(self, method, path, token=None, server=None, what=None, expect=None, **kw):
        server = server or random.choice(self.servers)
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("http") else f"{server}/v1/consortia/{self.cid}{path}"
        started = time.perf_counter()
        try:
            r = self.session().request(method, url, headers=headers, timeout=60, **kw)
        except requests.RequestException as e:
            with lock:
                errors[f"{type(e).__name__} on {what or method}"] += 1
            return None
        ms = (time.perf_counter() - started) * 1000
        with lock:
            status_counts[server][r.status_code] += 1
            if what:
                latencies[what].append(ms)
            if expect and r.status_code not in expect:
                detail = ""
                if r.headers.get("Content-Type", "").startswith("application/problem+json"):
                    detail = ": " + str(r.json().get("detail", ""))[:80]
                errors[f"{what or method} answered {r.status_code}{detail}"] += 1
        return r


def items(body):
    return body.get("items", []) if isinstance(body, dict) else body


def future_weekdays(start_days, count):
    d = date.today() + timedelta(days=start_days)
    out = []
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def reader(client, demo, feeds, stop, pause):
    staff = [s for s in demo["staff"] if s.get("token")]
    desks = demo["municipalities"]
    start = date.today().isoformat()
    end = (date.today() + timedelta(days=60)).isoformat()
    while not stop.is_set():
        pick = random.random()
        if pick < 0.35:
            s = random.choice(staff)
            client.call("GET", f"/staff/{s['id']}/schedule", token=s["token"], what="staff schedule",
                        params={"from": start, "to": end}, expect={200, 304})
        elif pick < 0.7:
            m = random.choice(desks)
            client.call("GET", f"/municipalities/{m['code']}/schedule", token=m["token"], what="municipality schedule",
                        params={"from": start, "to": end}, expect={200, 304})
        elif feeds:
            url = random.choice(feeds)
            server = random.choice(client.servers)
            client.call("GET", server + url[url.index("/calendars/"):], what="calendar feed", expect={200, 304})
        if pause:
            time.sleep(pause)


def requester(client, demo, stop):
    desks = {m["code"]: m["token"] for m in demo["municipalities"]}
    posts = [p for p in demo["posts"] if p.get("municipality") in desks]
    days = future_weekdays(20, 200)
    coordinator = demo["coordinatorToken"]
    while not stop.is_set():
        post = random.choice(posts)
        token = desks[post["municipality"]]
        r = client.call("POST", "/requests", token=token, what="submit request",
                        json={"post": post["id"], "date": random.choice(days).isoformat(), "kind": "preferred",
                              "note": "soak"}, expect={201, 409, 422})
        if r is None or r.status_code != 201:
            continue
        rid = r.json()["id"]
        pick = random.random()
        if pick < 0.4:
            client.call("POST", f"/requests/{rid}/accept", token=coordinator, what="accept request", expect={200})
            # 409 when a plan published meanwhile already met the accepted day: the contract's answer, not a fault.
            client.call("DELETE", f"/requests/{rid}", token=coordinator, what="withdraw request", expect={204, 409})
        elif pick < 0.7:
            client.call("POST", f"/requests/{rid}/decline", token=coordinator, what="decline request",
                        json={"reason": "soak"}, expect={200})
        else:
            # 409 too when a plan published meanwhile met the day (the desk's request was honoured).
            client.call("DELETE", f"/requests/{rid}", token=token, what="withdraw request", expect={204, 409})
        time.sleep(0.2)


def wait_until(check, timeout=10.0):
    """Polls `check` until it is true; the time from the call in ms, or None after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return (time.perf_counter() - started) * 1000
        time.sleep(0.005)
    return None


def prober(client, demo, admin_token, stop):
    staff = [s for s in demo["staff"] if s.get("token")]
    coordinator = demo["coordinatorToken"]
    days = future_weekdays(100, 300)
    while not stop.is_set():
        a, b = random.sample(client.servers, 2)
        s = random.choice(staff)
        r = client.call("POST", f"/staff/{s['id']}/unavailability", token=coordinator, server=a, what="declare unavailable",
                        json={"date": random.choice(days).isoformat(), "kind": "undesired"}, expect={201, 409})
        if r is not None and r.status_code == 201:
            uid = r.json()["id"]

            def shows():
                rr = client.call("GET", f"/staff/{s['id']}/unavailability", token=coordinator, server=b)
                return rr is not None and rr.status_code == 200 and any(u.get("id") == uid for u in items(rr.json()))
            ms = wait_until(shows)
            with lock:
                if ms is None:
                    errors["unavailability not visible on the other server within 10 s"] += 1
                else:
                    visibility["unavailable date → list"].append(ms)
            client.call("DELETE", f"/staff/{s['id']}/unavailability/{uid}", token=coordinator, server=b,
                        what="remove unavailable", expect={204})
        # A token revoked through one server stops working on the other.
        t = client.call("POST", "/tokens", token=coordinator, server=a, what="issue token",
                        json={"role": "staff", "staff": s["id"], "label": "soak"}, expect={201})
        if t is not None and t.status_code == 201:
            issued = t.json()
            client.call("GET", f"/staff/{s['id']}/schedule", token=issued["token"], server=b, expect={200})
            client.call("DELETE", f"/tokens/{issued['id']}", token=coordinator, server=a, what="revoke token",
                        expect={204})

            def refused():
                rr = client.call("GET", f"/staff/{s['id']}/schedule", token=issued["token"], server=b)
                return rr is not None and rr.status_code == 401
            ms = wait_until(refused)
            with lock:
                if ms is None:
                    errors["revoked token still accepted by the other server after 10 s"] += 1
                else:
                    visibility["token revoked → 401"].append(ms)
        time.sleep(0.5)


def planner(client, demo, stop):
    coordinator = demo["coordinatorToken"]
    staff_tokens = {s["id"]: s["token"] for s in demo["staff"] if s.get("token")}
    cycle = 0
    while not stop.is_set():
        cycle += 1
        monday = date.today() + timedelta(days=14 + 7 * (cycle % 20) - date.today().weekday())
        period = {"start": monday.isoformat(), "end": (monday + timedelta(days=11)).isoformat()}
        r = client.call("POST", "/plans", token=coordinator, what="create plan",
                        json={"period": period, "name": f"soak {cycle}"}, expect={201})
        if r is None or r.status_code != 201:
            time.sleep(1)
            continue
        pid = r.json()["id"]
        client.call("POST", f"/plans/{pid}/solve", token=coordinator, what="solve", json={"seconds": 3}, expect={202})
        plan = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not stop.is_set():
            rr = client.call("GET", f"/plans/{pid}", token=coordinator, what="read plan", expect={200})
            if rr is not None and rr.status_code == 200 and rr.json().get("status") == "solved":
                plan = rr.json()
                break
            time.sleep(0.5)
        if plan is None:
            if not stop.is_set():
                with lock:
                    errors["a solve did not end within 180 s"] += 1
            continue
        # One manual edit: unassign one assignment (any hard-rule refusal is a correct answer too).
        mine = [a for a in plan["assignments"] if not a.get("pinned")]
        if mine:
            x = random.choice(mine)
            client.call("DELETE", f"/plans/{pid}/assignments/{x['post']}/{x['date']}", token=coordinator,
                        what="edit assignment", headers={"If-Match": f'"{plan["version"]}"'}, expect={200, 204, 409, 412, 422})
        rr = client.call("GET", f"/plans/{pid}", token=coordinator, what="read plan", expect={200})
        if rr is None or rr.status_code != 200:
            continue
        plan = rr.json()
        a, b = random.sample(client.servers, 2)
        p = client.call("POST", f"/plans/{pid}/publish", token=coordinator, server=a, what="publish",
                        headers={"If-Match": f'"{plan["version"]}"'}, expect={200})
        if p is None or p.status_code != 200 or not plan["assignments"]:
            continue
        with lock:
            published["plans"] += 1
        sid = random.choice(plan["assignments"])["staff"]
        expected = sorted((x["date"], x["post"]) for x in plan["assignments"] if x["staff"] == sid)
        token = staff_tokens.get(sid)
        if not token:
            continue

        def shows():
            rr = client.call("GET", f"/staff/{sid}/schedule", token=token, server=b,
                             params={"from": period["start"], "to": period["end"]})
            return rr is not None and rr.status_code == 200 and \
                sorted((e["date"], e["post"]) for e in rr.json().get("assignments", [])) == expected
        ms = wait_until(shows)
        with lock:
            if ms is None:
                errors["published schedule not visible on the other server within 10 s"] += 1
            else:
                visibility["publish → staff schedule"].append(ms)


def sampler(client, pids, stop, started):
    while not stop.is_set():
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as f:
                    kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
                memory[pid].append((time.monotonic() - started, kib))
            except (OSError, StopIteration):
                with lock:
                    errors[f"server pid {pid} gone"] += 1
        for server in client.servers:
            try:
                r = requests.get(f"{server}/readyz", timeout=10)
                ready[server][r.status_code] += 1
                if r.status_code == 200:
                    body = r.json()
                    queue = body.get("solveQueue") or {}
                    with lock:
                        ready_views[server]["listening"] += body.get("changeNotifications") == "listening"
                        ready_views[server]["worker " + str(body.get("solveWorker"))] += 1
                        seen = ready_views[server]
                        seen["max active workers"] = max(seen["max active workers"], queue.get("activeWorkers", 0))
            except requests.RequestException:
                ready[server]["no answer"] += 1
        stop.wait(10)


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", nargs=2, required=True)
    ap.add_argument("--pids", nargs=2, type=int, required=True)
    ap.add_argument("--demo", required=True)
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--database", required=True)
    ap.add_argument("--commit", default="")
    ap.add_argument("--warmup-minutes", type=float, default=3)
    ap.add_argument("--reader-pause", type=float, default=0.02,
                    help="seconds each of the 3 reader threads waits between reads (0: as fast as they go)")
    args = ap.parse_args()
    demo = json.load(open(args.demo, encoding="utf-8"))
    cid = demo["consortium"]["id"] if isinstance(demo["consortium"], dict) else demo["consortium"]
    client = Client(args.servers, cid)
    feeds = []
    for s in demo["staff"][:8]:
        if s.get("token"):
            r = client.call("POST", f"/staff/{s['id']}/calendar-feed", token=s["token"], expect={201})
            if r is not None and r.status_code == 201:
                feeds.append(r.json()["url"])

    stop = threading.Event()
    started = time.monotonic()
    threads = [threading.Thread(target=reader, args=(client, demo, feeds, stop, args.reader_pause)) for _ in range(3)]
    threads += [threading.Thread(target=requester, args=(client, demo, stop)),
                threading.Thread(target=prober, args=(client, demo, None, stop)),
                threading.Thread(target=planner, args=(client, demo, stop)),
                threading.Thread(target=sampler, args=(client, args.pids, stop, started))]
    for t in threads:
        t.daemon = True
        t.start()
    time.sleep(args.minutes * 60)
    stop.set()
    for t in threads:
        t.join(timeout=200)
    elapsed = time.monotonic() - started

    jobs = subprocess.run(["psql", args.database, "-tA", "-F", "\t", "-c",
                           "SELECT split_part(worker, '/', 2), status, count(*) FROM solve_jobs GROUP BY 1, 2"],
                          capture_output=True, text=True).stdout
    by_pid = Counter()
    for line in jobs.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].isdigit():
            by_pid[int(parts[0])] += int(parts[2])

    total = sum(sum(c.values()) for c in status_counts.values())
    fivexx = sum(n for c in status_counts.values() for s, n in c.items() if s >= 500)
    print(f"# Soak: two servers, one database ({args.minutes:g} minutes)\n")
    print(f"Release build{', commit ' + args.commit if args.commit else ''}, {date.today().isoformat()}, "
          f"demo consortium (50 posts, 22 staff), both servers with their solve worker, one PostgreSQL, "
          f"2 CPUs shared with the load generator; 3 readers pausing {args.reader_pause * 1000:g} ms between reads, "
          f"a requester, a prober (write → read on the other server) and a planner.\n")
    print("| | server A | server B |\n| --- | ---: | ---: |")
    a, b = args.servers
    print(f"| requests answered | {sum(status_counts[a].values()):,} | {sum(status_counts[b].values()):,} |")
    print(f"| 5xx | {sum(n for s, n in status_counts[a].items() if s >= 500)} | "
          f"{sum(n for s, n in status_counts[b].items() if s >= 500)} |")
    pa, pb = args.pids
    print(f"| solve jobs run by its worker | {by_pid[pa]} | {by_pid[pb]} |")
    def mem_row(pid):
        samples = memory[pid]
        warm = [k for t, k in samples if t >= args.warmup_minutes * 60]
        if len(warm) < 2:
            return "-", "-", "-"
        first, last = warm[0], statistics.mean(k for k in warm[-3:])
        return f"{first / 1024:.0f}", f"{last / 1024:.0f}", f"{(last - first) / first:+.1%}"
    ma, mb = mem_row(pa), mem_row(pb)
    print(f"| resident memory after {args.warmup_minutes:g} min warm-up, MiB | {ma[0]} | {mb[0]} |")
    print(f"| resident memory at the end, MiB | {ma[1]} | {mb[1]} |")
    print(f"| growth after warm-up | {ma[2]} | {mb[2]} |")
    print(f"| /readyz answers (every 10 s) | {dict(ready[a])} | {dict(ready[b])} |")
    for key, label in [("listening", "/readyz: change notifications listening"),
                       ("worker running", "/readyz: this server's solve worker running"),
                       ("max active workers", "/readyz: most workers seen running jobs at once")]:
        print(f"| {label} | {ready_views[a][key]} | {ready_views[b][key]} |")
    print(f"\n{total:,} requests in {elapsed / 60:.1f} min ({total / elapsed:.0f}/s), {fivexx} with a 5xx; "
          f"{published['plans']} plans solved and published.\n")
    print("Written through one server, read back through the other (ms, from the write's answer):\n")
    print("| what | n | p50 | p99 | max |\n| --- | ---: | ---: | ---: | ---: |")
    for what, values in sorted(visibility.items()):
        print(f"| {what} | {len(values)} | {pct(values, 50):.1f} | {pct(values, 99):.1f} | {max(values):.1f} |")
    print("\nLatency of the traffic (ms):\n")
    print("| request | n | p50 | p99 |\n| --- | ---: | ---: | ---: |")
    for what, values in sorted(latencies.items()):
        print(f"| {what} | {len(values):,} | {pct(values, 50):.1f} | {pct(values, 99):.1f} |")
    if errors:
        print("\nUnexpected answers:\n")
        for what, n in errors.most_common():
            print(f"- {what}: {n}")
    else:
        print("\nNo unexpected answer.")


if __name__ == "__main__":
    main()
