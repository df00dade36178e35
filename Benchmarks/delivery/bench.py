#!/usr/bin/env python3
"""One-client latency and CSV throughput of the delivery endpoints of a running `junkai serve`.

    bench.py BASE CONSORTIUM TOKEN OUT.json [--runs N]

Each measured request runs on one keep-alive connection, one at a time (one client), after warm-up requests that
are not counted. Latency: p50, p99 and max over N requests. Throughput: bytes received from the first byte of the
request to the last byte of the body, per request, for a month of work records as CSV (each month of the year in
turn). Only BASE is contacted.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def get(conn, path, token):
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    body = r.read()
    elapsed = time.perf_counter() - started
    if r.status != 200:
        sys.exit(f"bench: GET {path} answered {r.status}: {body[:300]!r}")
    return elapsed, body, r


def post(conn, path, token):
    conn.request("POST", path, headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse()
    body = r.read()
    return r.status, body


def latency(conn, path, token, runs, warmup=20):
    for _ in range(warmup):
        get(conn, path, token)
    times = [get(conn, path, token)[0] * 1000 for _ in range(runs)]
    _, body, _ = get(conn, path, token)
    return {"path": path, "runs": runs, "p50_ms": round(statistics.median(times), 2), "p99_ms": round(percentile(times, 99), 2),
            "max_ms": round(max(times), 2), "bytes": len(body)}


def main():
    args = sys.argv[1:]
    runs = 300
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    base, cid, token, out = args
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    root = f"/v1/consortia/{cid}"
    results = {"runs": runs, "latency": [], "csv": []}

    # The cost share must be open for the first runs (computed from 120,000 records), then fixed.
    post(conn, f"{root}/cost-shares/2027/reopen", token)
    report = json.loads(get(conn, f"{root}/reports/delivery?fiscalYear=2027", token)[1])
    share = json.loads(get(conn, f"{root}/cost-shares/2027", token)[1])
    members = len({r["municipality"] for r in report["rows"]})
    results["members"] = members
    results["totalYen"] = share["totalYen"]
    results["sharesAddUp"] = sum(s["totalYen"] for s in share["shares"]) == share["totalYen"]
    for name, path in [("delivery report (JSON, 40 members × 12 months)", f"{root}/reports/delivery?fiscalYear=2027"),
                       ("delivery report (CSV)", f"{root}/reports/delivery?fiscalYear=2027&format=csv"),
                       ("delivery report, one member", f"{root}/reports/delivery?fiscalYear=2027&municipality=292010"),
                       ("cost share, open (computed from the records)", f"{root}/cost-shares/2027"),
                       ("cost share, open, CSV", f"{root}/cost-shares/2027?format=csv")]:
        results["latency"].append({"name": name, **latency(conn, path, token, runs)})
        print(json.dumps(results["latency"][-1], ensure_ascii=False), file=sys.stderr)
    status, body = post(conn, f"{root}/cost-shares/2027/fix", token)
    if status != 200:
        sys.exit(f"bench: fix answered {status}: {body[:300]!r}")
    results["latency"].append({"name": "cost share, fixed (frozen figures)",
                               **latency(conn, f"{root}/cost-shares/2027", token, runs)})
    print(json.dumps(results["latency"][-1], ensure_ascii=False), file=sys.stderr)
    post(conn, f"{root}/cost-shares/2027/reopen", token)

    months = [(2027, m) for m in range(4, 13)] + [(2028, m) for m in range(1, 4)]
    last_day = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    for kind, fmt in [("CSV", "&format=csv"), ("JSON", "")]:
        get(conn, f"{root}/work-records?from=2027-05-01&to=2027-05-31{fmt}", token)
        for rep in range(2):
            for y, m in months:
                path = f"{root}/work-records?from={y}-{m:02d}-01&to={y}-{m:02d}-{last_day[m]:02d}{fmt}"
                elapsed, body, r = get(conn, path, token)
                rows = body.count(b"\r\n") - 1 if fmt else body.count(b'"id":')
                results["csv"].append({"kind": kind, "month": f"{y}-{m:02d}", "bytes": len(body), "rows": rows,
                                       "seconds": round(elapsed, 4), "mb_per_s": round(len(body) / elapsed / 1e6, 1)})
    for kind in ["CSV", "JSON"]:
        runs_of = [c for c in results["csv"] if c["kind"] == kind]
        rates = [c["mb_per_s"] for c in runs_of]
        results[f"{kind.lower()}Summary"] = {
            "months": len(runs_of), "median_mb_per_s": statistics.median(rates), "min_mb_per_s": min(rates),
            "median_bytes": statistics.median(c["bytes"] for c in runs_of),
            "median_rows": statistics.median(c["rows"] for c in runs_of),
            "median_seconds": statistics.median(c["seconds"] for c in runs_of)}
        print(kind, json.dumps(results[f"{kind.lower()}Summary"]), file=sys.stderr)
    json.dump(results, open(out, "w"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
