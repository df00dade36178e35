#!/usr/bin/env python3
"""What an operator reads: the Prometheus metrics and the JSON log lines of a running `junkai serve`.

    observability_check.py METRICS_URL SERVER_LOG DEMO_JSON

METRICS_URL is `--metrics-port`'s /metrics after some traffic (a journey with a solve); SERVER_LOG holds what the
server wrote with `--log-format json`. Checks that the metric families the README lists are there, that every log
line is one JSON object with time, level and message, that every request left an access line with its route
template, status, duration and request id, and that no line holds a token or a person's name from the demo.
"""
import json
import sys
import urllib.request

FAMILIES = [
    "http_requests_total",
    "http_server_request_duration_seconds",
    "junkai_solve_jobs",
    "junkai_solve_duration_seconds",
    "junkai_cache_lookups_total",
    "junkai_db_connections_in_use",
    "junkai_db_connection_use",
    "junkai_db_pool_max_connections",
]


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    metrics_url, log_path, demo_path = sys.argv[1:]
    problems = []
    with urllib.request.urlopen(metrics_url, timeout=10) as r:
        text = r.read().decode()
        if not r.headers.get("Content-Type", "").startswith("text/plain"):
            problems.append(f"/metrics Content-Type is {r.headers.get('Content-Type')!r}")
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}
    for family in FAMILIES:
        if not any(n == family or n.startswith(family + "_") for n in names):
            problems.append(f"metric family {family} missing")
    if 'http_route="/v1/consortia/{cid}/plans/{pid}/solve"' not in text and "/solve" not in text:
        problems.append("no request metric for the solve route")

    demo = json.load(open(demo_path, encoding="utf-8"))
    secrets = [demo.get("coordinatorToken", "")]
    secrets += [m.get("token", "") for m in demo.get("municipalities", [])]
    secrets += [s.get("token", "") for s in demo.get("staff", [])]
    people = [s.get("name", "") for s in demo.get("staff", []) if len(s.get("name", "")) >= 2]
    lines = access = 0
    with open(log_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            lines += 1
            try:
                entry = json.loads(line)
            except ValueError:
                problems.append(f"log line {number} is not JSON: {line[:120]}")
                continue
            for key in ("time", "level", "message"):
                if key not in entry:
                    problems.append(f"log line {number} has no {key}")
            if entry.get("message") == "request":
                access += 1
                for key in ("method", "route", "status", "durationMs", "requestId"):
                    if key not in entry:
                        problems.append(f"access line {number} has no {key}")
            for s in secrets:
                if s and s in line:
                    problems.append(f"log line {number} holds a token")
            for p in people:
                if p in line:
                    problems.append(f"log line {number} holds a person's name")
    if access == 0:
        problems.append("no access-log line")
    for p in problems[:30]:
        print("observability_check:", p)
    print(f"observability_check: {len(names)} metric series names, {lines} log lines ({access} access lines), "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
