#!/usr/bin/env python3
"""Warm re-solves: one small change to a solved instance, then `junkai solve --start` from the old plan.

    warm.py [--junkai PATH] [--instances nara-q1,region150-s1] [--fresh-seconds 30] [--warm-seconds 5]
            [--seeds 1,2,3] [--base-seeds 1]

For each instance and base seed: a base plan (`junkai solve --seconds FRESH --seed BASE`), then each change
  ill      -- the staff member with the most assignments is unavailable on two consecutive assigned days
  request  -- a new required request on an open post-day (a cell the base plan leaves empty)
  pin      -- a new pinned assignment: someone else than planned on a planned post-day
is applied to a copy of the instance; the changed instance is solved fresh (`--seconds FRESH`, each seed)
and warm (`--start BASE --seconds WARM`, each seed). Reported: the fresh objectives, the warm objective,
and the warm run's time to reach the fresh run's objective of the same seed (from its progress lines).
The summary also says how often one fresh solve reaches another seed's fresh objective of the same changed
instance: where fresh solves disagree, that is the most a warm re-solve from one base plan can be held to.
Writes warm-results.md next to this script, or --out (and prints it).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score  # noqa: E402


def solve(junkai: str, inst: str, seconds: float, seed: int, start: str | None = None) -> tuple[dict, list, dict]:
    """Runs junkai solve; returns (plan, [(t, objective)], report)."""
    with tempfile.TemporaryDirectory() as d:
        rep = os.path.join(d, "report.json")
        cmd = [junkai, "solve", inst, "--seconds", str(seconds), "--seed", str(seed), "--report", rep]
        if start:
            cmd += ["--start", start]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        pts = []
        for line in p.stderr.splitlines():
            parts = line.split()
            if len(parts) == 2:
                try:
                    pts.append((float(parts[0]), int(parts[1])))
                except ValueError:
                    pass
        with open(rep) as f:
            report = json.load(f)
    return json.loads(p.stdout), pts, report


def changes(inst: dict, plan: dict) -> dict[str, dict]:
    """The changed instances, by change name."""
    base = score.Instance(inst)
    asg = score.parse_plan(base, plan)
    out = {}
    # ill: two consecutive assigned days of the busiest person.
    by_staff: dict[str, list] = {}
    for s, p, d in asg:
        by_staff.setdefault(s, []).append(d)
    busiest = max(sorted(by_staff), key=lambda s: len(by_staff[s]))
    days = sorted(by_staff[busiest])
    mid = len(days) // 2
    ill = json.loads(json.dumps(inst))
    ill["name"] = inst["name"] + "-ill"
    for s in ill["staff"]:
        if s["id"] == busiest:
            s["unavailableDates"] = sorted(set(s.get("unavailableDates", [])) | {days[mid].isoformat(), days[mid + 1].isoformat()})
    out["ill"] = ill
    # request: a required request on a post-day the plan leaves open, where someone eligible could work.
    taken = {(p, d) for _, p, d in asg}
    posts = {p["id"]: p for p in inst["posts"]}
    req = json.loads(json.dumps(inst))
    req["name"] = inst["name"] + "-request"
    existing = {(r["post"], r["date"]) for r in inst.get("requests", [])}
    candidates = []
    for pid in sorted(posts):
        for d in sorted(base.working):
            if (pid, d) in taken or (pid, d.isoformat()) in existing:
                continue
            if d.isoweekday() not in posts[pid].get("allowedWeekdays", [1, 2, 3, 4, 5]):
                continue
            candidates.append((pid, d))
    pid, d = candidates[len(candidates) // 3]
    req.setdefault("requests", []).append({"post": pid, "date": d.isoformat(), "kind": "required"})
    out["request"] = req
    # pin: on a planned post-day, pin another eligible person who is free that day; keep it if valid.
    busy = {(s, d) for s, _, d in asg}
    for s, p, d in sorted(asg, key=lambda a: (a[2], a[1]))[len(asg) // 2:]:
        pin = json.loads(json.dumps(inst))
        pin["name"] = inst["name"] + "-pin"
        others = [t["id"] for t in inst["staff"] if t["id"] != s and (t["id"], d) not in busy]
        done = False
        for t in others:
            pin["pinned"] = inst.get("pinned", []) + [{"staff": t, "post": p, "date": d.isoformat()}]
            try:
                score.Instance(pin)
            except score.Invalid:
                continue
            done = True
            break
        if done:
            out["pin"] = pin
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--junkai", default=os.path.join(HERE, "..", "..", ".build", "release", "junkai"))
    ap.add_argument("--instances", default="nara-q1,region150-s1")
    ap.add_argument("--fresh-seconds", type=float, default=30)
    ap.add_argument("--warm-seconds", type=float, default=5)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--base-seeds", default="1")
    ap.add_argument("--out", default=os.path.join(HERE, "warm-results.md"))
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    work = os.path.join(HERE, "out", "warm")
    os.makedirs(work, exist_ok=True)
    rows = []
    fresh_pairs = [0, 0]  # (reached, compared): fresh solves reaching another seed's fresh objective
    reached = 0  # warm solves reaching their seed's fresh objective
    for name in a.instances.split(","):
        src = os.path.join(HERE, "instances", f"{name}.instance.json")
        with open(src) as f:
            inst = json.load(f)
        for base_seed in [int(b) for b in a.base_seeds.split(",")]:
            base_plan, _, base_rep = solve(a.junkai, src, a.fresh_seconds, base_seed)
            base_path = os.path.join(work, f"{name}.base{base_seed}.plan.json")
            with open(base_path, "w") as f:
                json.dump(base_plan, f)
            for change, changed in changes(inst, base_plan).items():
                path = os.path.join(work, f"{name}-base{base_seed}-{change}.instance.json")
                with open(path, "w") as f:
                    json.dump(changed, f, ensure_ascii=False)
                fresh_objectives = []
                for seed in seeds:
                    _, _, fresh = solve(a.junkai, path, a.fresh_seconds, seed)
                    fresh_objectives.append(fresh["objective"])
                    _, pts, warm = solve(a.junkai, path, a.warm_seconds, seed, start=base_path)
                    reach = next((t for t, o in pts if o <= fresh["objective"]), None)
                    if reach is None and warm["objective"] <= fresh["objective"]:
                        reach = warm["seconds"]  # reached in the final polish
                    reached += reach is not None
                    rows.append((name, base_seed, change, seed, base_rep["objective"], fresh["objective"],
                                 warm["objective"], pts[0][1] if pts else None, reach, warm.get("bound"),
                                 warm.get("gap")))
                    print(rows[-1], flush=True)
                for i, x in enumerate(fresh_objectives):
                    for j, y in enumerate(fresh_objectives):
                        if i != j:
                            fresh_pairs[0] += y <= x
                            fresh_pairs[1] += 1
    lines = [
        "# Warm re-solves",
        "",
        f"`warm.py --fresh-seconds {a.fresh_seconds:g} --warm-seconds {a.warm_seconds:g} --seeds {a.seeds} "
        f"--base-seeds {a.base_seeds}`: "
        f"base plan of the instance (fresh solve, seeds {a.base_seeds}), one change, then a fresh solve and a "
        "warm solve (`--start` the base plan) of the changed instance with the same seed.",
        "",
        f"| instance | base seed | change | seed | base | fresh ({a.fresh_seconds:g} s) | warm start | warm final | warm time to fresh objective | bound | gap |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, base_seed, change, seed, base, fresh, warm, start, reach, bound, gap in rows:
        lines.append(f"| {name} | {base_seed} | {change} | {seed} | {base:,} | {fresh:,} | {start:,} | {warm:,} | "
                     f"{'%.2f s' % reach if reach is not None else 'not reached'} | {bound:,} | {gap * 100:.2f}% |")
    lines += ["", f"Warm solves reaching the fresh objective of their seed within {a.warm_seconds:g} s: "
              f"{reached} of {len(rows)}. Fresh solves reaching another seed's fresh objective of the same changed "
              f"instance: {fresh_pairs[0]} of {fresh_pairs[1]}."]
    text = "\n".join(lines) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
