#!/usr/bin/env python3
"""The web pages' speed and size on the demo consortium, one client at a time.

    bench.py BASE DEMO_JSON ADMIN_TOKEN OUT.md [--requests N]

Sets the demo up as a coordinator would (a plan over the demo's quarter, solved and published, a few requests),
signs a browser in for each role with a sign-in link (coordinator, one municipality desk, one staff member),
then requests every page N times in a row over one keep-alive connection, as a browser that accepts gzip.
For each page: p50, p99 and worst latency (time to the last byte), the compressed size of the page, and that
size plus its stylesheet and scripts (also compressed). Writes the table to OUT.md and prints it.
Only BASE is contacted.
"""
import gzip
import http.client
import json
import re
import statistics
import sys
import time
import urllib.parse

import requests

LIMIT_MS = 50.0
LIMIT_BYTES = 300 * 1024


def api(base, method, path, token, body=None, expect=(200, 201, 202)):
    r = requests.request(method, f"{base}/v1{path}", json=body, timeout=60, headers={"Authorization": f"Bearer {token}"})
    if r.status_code not in expect:
        sys.exit(f"bench.py: {method} {path}: {r.status_code} {r.text[:300]}")
    return r.json() if r.content else None


def sign_in(base, link):
    """A cookie jar signed in through a link (GET the page, post its form)."""
    s = requests.Session()
    page = s.get(link, timeout=30)
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    r = s.post(link, data={"_csrf": token}, allow_redirects=False, timeout=30)
    if r.status_code != 303:
        sys.exit(f"bench.py: sign-in answered {r.status_code}")
    return s


def setup(base, demo, admin):
    cid = demo["consortium"]
    coord = demo["coordinatorToken"]
    period = demo["period"]
    plan = api(base, "POST", f"/consortia/{cid}/plans", coord, {"period": period, "name": "ベンチマーク"})
    api(base, "POST", f"/consortia/{cid}/plans/{plan['id']}/solve", coord, {"seconds": 10})
    deadline = time.time() + 180
    while True:
        p = api(base, "GET", f"/consortia/{cid}/plans/{plan['id']}", coord)
        if p["status"] != "solving":
            break
        if time.time() > deadline:
            sys.exit("bench.py: the solve did not finish")
        time.sleep(0.5)
    r = requests.post(f"{base}/v1/consortia/{cid}/plans/{plan['id']}/publish", timeout=60,
                      headers={"Authorization": f"Bearer {coord}", "If-Match": f"\"{p['version']}\""})
    if r.status_code != 200:
        sys.exit(f"bench.py: publish answered {r.status_code} {r.text[:200]}")
    # A second solved plan over the same quarter, so that its page shows a difference against the published one.
    plan2 = api(base, "POST", f"/consortia/{cid}/plans", coord, {"period": period, "name": "ベンチマーク（案）"})
    api(base, "POST", f"/consortia/{cid}/plans/{plan2['id']}/solve", coord, {"seconds": 5, "seed": 2})
    while api(base, "GET", f"/consortia/{cid}/plans/{plan2['id']}", coord)["status"] == "solving":
        time.sleep(0.5)
    links = {
        "coordinator": api(base, "POST", f"/consortia/{cid}/sign-in-links", admin, {"role": "coordinator"})["url"],
        "municipality": api(base, "POST", f"/consortia/{cid}/sign-in-links", coord,
                            {"role": "municipality", "municipality": demo["municipalities"][0]["code"]})["url"],
        "staff": api(base, "POST", f"/consortia/{cid}/sign-in-links", coord,
                     {"role": "staff", "staff": demo["staff"][0]["id"]})["url"],
    }
    listed = api(base, "GET", f"/consortia/{cid}/requests", coord)
    requests_list = listed.get("items", []) if isinstance(listed, dict) else listed
    rid = requests_list[0]["id"] if requests_list else None
    code = demo["municipalities"][0]["code"]
    sid = demo["staff"][0]["id"]
    c = f"/consortia/{cid}"
    pages = [
        ("coordinator", "home", c),
        ("coordinator", "plans", f"{c}/plans"),
        ("coordinator", "plan (terms, publish difference)", f"{c}/plans/{plan2['id']}"),
        ("coordinator", "grid, quarter (22 staff × 91 days)", f"{c}/plans/{plan2['id']}/grid"),
        ("coordinator", "coverage, quarter (50 posts × 14 weeks)", f"{c}/plans/{plan2['id']}/coverage"),
        ("coordinator", "requests inbox (all)", f"{c}/requests?status=all"),
        ("coordinator", "staff", f"{c}/staff"),
        ("coordinator", "posts (skill matrix)", f"{c}/posts"),
        ("coordinator", "members", f"{c}/members"),
        ("municipality", "requests", f"{c}/municipalities/{code}/requests?all=1"),
        ("municipality", "month calendar", f"{c}/municipalities/{code}/schedule?month={period['start'][:7]}"),
        ("staff", "my month", f"{c}/staff/{sid}/schedule?month={period['start'][:7]}"),
        ("staff", "unavailable dates", f"{c}/staff/{sid}/unavailability"),
    ]
    if rid:
        pages.append(("coordinator", "decline form", f"{c}/requests/{rid}/decline"))
    # Delivery (the demo's past from `junkai seed-delivery`: this fiscal year's work records and cost share).
    pages += [
        ("coordinator", "work records to confirm, year by member", f"{c}/work-records"),
        # The list comes 100 rows a page (?page=N; past the last shows the last): its first and its last page.
        ("coordinator", "work records, all of the year (first page)", f"{c}/work-records?status=all"),
        ("coordinator", "work records, all of the year (last page)", f"{c}/work-records?status=all&page=9999"),
        ("coordinator", "cost share", f"{c}/cost-share"),
        ("municipality", "work records", f"{c}/municipalities/{code}/work-records"),
        ("staff", "work records", f"{c}/staff/{sid}/work-records"),
    ]
    return links, pages


def measure(base, jar, path, n):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.cookies.get_dict().items())
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip", "Accept": "text/html"}
    times, size, body = [], 0, b""
    for i in range(n + 5):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        data = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            sys.exit(f"bench.py: GET {path} answered {r.status}")
        if i >= 5:  # the first requests warm the connection and the server's caches
            times.append(dt)
        size = len(data)
        body = gzip.decompress(data) if r.getheader("Content-Encoding") == "gzip" else data
    conn.close()
    return times, size, body.decode("utf-8")


def asset_bytes(base, html, cache):
    """Compressed bytes of the page's own stylesheet and scripts."""
    total = 0
    for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        if ref not in cache:
            r = requests.get(base + ref, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
            cache[ref] = len(r.raw.read())
        total += cache[ref]
    return total


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def main():
    base, demo_path, admin, out = sys.argv[1:5]
    n = int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 300
    base = base.rstrip("/")
    demo = json.load(open(demo_path))
    links, pages = setup(base, demo, admin)
    jars = {role: sign_in(base, url) for role, url in links.items()}
    rows, cache, ok = [], {}, True
    for role, name, path in pages:
        times, size, html = measure(base, jars[role], path, n)
        with_assets = size + asset_bytes(base, html, cache)
        p50, p99, worst = statistics.median(times), pct(times, 99), max(times)
        good = p99 < LIMIT_MS and with_assets < LIMIT_BYTES
        ok &= good
        rows.append(f"| {role} | {name} | {p50:.1f} | {p99:.1f} | {worst:.1f} | {size / 1024:.1f} | {len(html.encode()) / 1024:.1f} | "
                    f"{with_assets / 1024:.1f} | {'yes' if good else '**no**'} |")
    table = "\n".join([
        f"{n} requests per page, one client, keep-alive, `Accept-Encoding: gzip`; sizes in KiB.",
        "",
        "| role | page | p50 ms | p99 ms | max ms | gzip KiB | HTML KiB | with CSS+JS (gzip) KiB | < 50 ms, < 300 KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *rows,
    ])
    with open(out, "w") as f:
        f.write(table + "\n")
    print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
