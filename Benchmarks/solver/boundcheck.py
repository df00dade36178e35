#!/usr/bin/env python3
"""Check that `junkai bound` never exceeds the optimum, against CP-SAT on instances it solves exactly.

    boundcheck.py [--junkai .build/release/junkai] [--cases 60] [--seed 1] [--seconds 60] [--keep DIR]

Each case is a small generated instance (2-12 posts, 1-7 staff, 1-6 weeks; continuity cases 2-4 posts of 2-4 days a week, 4-8 staff) with random weights, closed dates
and, in a share of cases, a baseline and pins (a replanning variant). A third of the cases make continuity
dominate (continuity 2000-20000, unmet demand 20000-60000, every other weight small, and everyone working
at most one or two days a week, so a post's week takes two or three people), where the week flows alone bound badly and the
continuity part of the bound does the work. CP-SAT (cpsat.py's exact model) solves each to OPTIMAL; cases it
cannot prove within --seconds are skipped and counted. Then `junkai bound --json` runs with and without the
optimal plan steering it. A bound above the optimum is a failure (exit 1); the ratio bound / optimum is
reported as a measure of tightness.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cpsat  # noqa: E402
import generate  # noqa: E402
import score  # noqa: E402

PERIODS = [("2027-04-05", "2027-04-11"), ("2027-04-05", "2027-04-25"), ("2027-04-26", "2027-05-23"),
           ("2027-12-13", "2028-01-16"), ("2027-07-05", "2027-08-15")]


def make_instance(rng: random.Random, case: int) -> tuple[dict, str]:
    start, end = rng.choice(PERIODS)
    kind = ["plain", "continuity", "replan"][case % 3]
    # Continuity cases: more people than posts, so a post can be shared.
    posts, staff = (rng.randint(2, 4), rng.randint(4, 8)) if kind == "continuity" else (rng.randint(2, 12), rng.randint(1, 7))
    inst = generate.generate("tiny", rng.randrange(10**6), name=f"bc-{case}-{kind}", overrides=dict(
        posts=posts, staff=staff, start=start, end=end,
        prefecture=rng.choice(["奈良県", "北海道", "沖縄県", "鹿児島県"])))
    if kind == "continuity":
        inst["weights"] = {k: rng.randint(0, 20) for k in score.DEFAULT_WEIGHTS}
        inst["weights"]["continuity"] = rng.randint(2000, 20000)
        inst["weights"]["unmetDemand"] = rng.randint(20000, 60000)
        # Short weeks per person: a post's week needs two or three people, so continuity binds.
        for s in inst["staff"]:
            s["maxDaysPerWeek"] = rng.randint(1, 2)
            s["targetDaysPerWeek"] = min(s.get("targetDaysPerWeek", 1), s["maxDaysPerWeek"])
        for p in inst["posts"]:
            p["daysPerWeek"] = rng.randint(2, 4)
            p.pop("allowedWeekdays", None)
    elif rng.random() < 0.5:
        inst["weights"] = {k: rng.randint(0, 2000) for k in rng.sample(list(score.DEFAULT_WEIGHTS), rng.randint(1, 4))}
    if kind == "replan":
        base = score.Instance(inst)
        plan, _ = cpsat.solve(base, 5, 1)
        plan_doc = {"format": "junkai.plan/1", "instance": inst["name"],
                    "assignments": [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in plan]}
        if plan:
            inst = generate.replan(inst, plan_doc, rng.randrange(10**6))
    return inst, kind


def junkai_bound(junkai: str, inst_path: str, plan_path: str | None) -> dict:
    cmd = [junkai, "bound", inst_path, "--seconds", "2", "--json"] + (["--plan", plan_path] if plan_path else [])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: rc {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--junkai", default=os.path.join(HERE, "..", "..", ".build", "release", "junkai"))
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=60, help="CP-SAT limit per case")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", default=os.path.join(HERE, "out", "boundcheck"))
    a = ap.parse_args(argv)
    rng = random.Random(f"junkai-boundcheck:{a.seed}")
    os.makedirs(a.keep, exist_ok=True)
    checked, skipped, failures = 0, 0, []
    ratios: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(a.cases):
            raw, kind = make_instance(rng, case)
            try:
                inst = score.Instance(raw)
            except score.Invalid as e:
                skipped += 1
                print(f"case {case}: generated instance invalid ({e}); skipped", file=sys.stderr)
                continue
            plan, log = cpsat.solve(inst, a.seconds, a.workers)
            if log["status"] != "OPTIMAL":
                skipped += 1
                print(f"case {case} ({kind}): CP-SAT {log['status']} in {a.seconds:g} s; skipped", file=sys.stderr)
                continue
            opt = score.score(inst, plan)["objective"]
            ipath = os.path.join(tmp, f"{case}.instance.json")
            ppath = os.path.join(tmp, f"{case}.plan.json")
            with open(ipath, "w", encoding="utf-8") as f:
                json.dump(raw, f, ensure_ascii=False)
            with open(ppath, "w", encoding="utf-8") as f:
                json.dump(cpsat.plan_json(inst, plan)[0], f, ensure_ascii=False)
            alone = junkai_bound(a.junkai, ipath, None)
            steered = junkai_bound(a.junkai, ipath, ppath)
            checked += 1
            for label, b in (("alone", alone), ("steered", steered)):
                if b["bound"] > opt or b["flowBound"] > opt:
                    failures.append(f"case {case} ({kind}, {label}): bound {b['bound']} flow {b['flowBound']} > optimum {opt}")
                    for src, name in ((ipath, f"{case}.instance.json"), (ppath, f"{case}.optimal.plan.json")):
                        with open(src, encoding="utf-8") as fi, open(os.path.join(a.keep, name), "w", encoding="utf-8") as fo:
                            fo.write(fi.read())
            ratio = steered["bound"] / opt if opt else 1.0
            ratios.setdefault(kind, []).append(ratio)
            print(f"case {case:3d} {kind:10s} posts {len(inst.posts):2d} staff {len(inst.staff)}: optimum {opt:8d} "
                  f"bound {alone['bound']:8d} / steered {steered['bound']:8d} (flow {alone['flowBound']}) "
                  f"{100 * ratio:6.2f}%", flush=True)
    print(f"\n{checked} cases checked against CP-SAT optima, {skipped} skipped, {len(failures)} bounds above the optimum")
    for kind, rs in sorted(ratios.items()):
        rs.sort()
        print(f"  {kind:10s} {len(rs):3d} cases: bound/optimum min {100 * rs[0]:.2f}%, median {100 * rs[len(rs) // 2]:.2f}%, "
              f"exact in {sum(r >= 1 for r in rs)}")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
