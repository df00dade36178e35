#!/usr/bin/env python3
"""Cross-check score.py against `junkai score --json` on many random instances and plans.

    crosscheck.py [--junkai /work/main/.build/release/junkai] [--cases 200] [--seed 1] [--keep DIR]

Each case is a generated instance (periods chosen to cross 年末年始, Golden Week,
September's 国民の休日 and years beyond the Cabinet Office list; random weights,
closed dates, baseline and pins) and a random plan: a greedy feasible plan, then
perturbed with duplicates, ineligible and out-of-period entries, dropped pins and
swapped staff, so that both feasible and infeasible plans are compared. A few cases
are deliberately invalid files, where both tools must exit 2.

Compared: exit code, objective, feasible, every term's count and value, and the set
of broken rules. Disagreeing cases are written to --keep (default out/crosscheck/).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import score  # noqa: E402

PERIODS = [
    ("2027-04-01", "2027-05-16"),   # new fiscal year, Golden Week
    ("2027-12-13", "2028-01-23"),   # 年末年始 across the published/law boundary
    ("2027-11-15", "2027-12-31"),   # last published holidays
    ("2028-02-07", "2028-03-26"),   # law-only: 建国記念の日, 天皇誕生日, 春分の日
    ("2029-04-23", "2029-05-13"),   # 昭和の日 on Sunday -> 振替休日
    ("2026-09-14", "2026-09-27"),   # 国民の休日 2026-09-22 (published)
    ("2032-09-13", "2032-09-26"),   # 国民の休日 2032-09-21 (law)
    ("2030-08-05", "2030-08-18"),   # 山の日 on Sunday -> 振替休日
    ("2027-06-30", "2027-07-04"),   # a period shorter than a week
]


def make_instance(rng: random.Random, case: int) -> dict:
    start, end = rng.choice(PERIODS)
    posts = rng.randint(2, 14)
    staff = rng.randint(1, 8)
    inst = generate.generate("tiny", rng.randrange(10**6), name=f"xc-{case}", overrides=dict(
        posts=posts, staff=staff, start=start, end=end,
        prefecture=rng.choice(["奈良県", "北海道", "東京都", "沖縄県", "鹿児島県"])))
    if rng.random() < 0.5:
        names = list(score.DEFAULT_WEIGHTS)
        inst["weights"] = {k: rng.randint(0, 2000) for k in rng.sample(names, rng.randint(1, 4))}
    if rng.random() < 0.4:
        d0 = dt.date.fromisoformat(start)
        span = (dt.date.fromisoformat(end) - d0).days + 1
        inst["closedDates"] = sorted({(d0 + dt.timedelta(days=rng.randrange(-3, span + 3))).isoformat()
                                      for _ in range(rng.randint(1, 3))})
    for s in inst["staff"]:
        # Cover the optional-field defaults and the edge of the travel limit.
        if rng.random() < 0.2:
            s.pop("targetDaysPerWeek", None)
        if rng.random() < 0.2 and "maxTravelKm" in s:
            s["maxTravelKm"] = rng.choice([0, 1, 10, 25, 30, 1000])
    if rng.random() < 0.3:
        for p in inst["posts"]:
            p.pop("preferredWeekdays", None)
    for r in inst["requests"]:
        if rng.random() < 0.1:
            inst["requests"].append(dict(r))  # a duplicate request counts twice
            break
    return inst


def greedy_plan(rng: random.Random, inst: score.Instance) -> list[tuple[str, str, dt.date]]:
    plan: list = []
    staff_day, post_day = set(), set()
    staff_week: dict = {}
    post_week: dict = {}
    days = sorted(inst.working)
    rng.shuffle(days)
    for d in days:
        wk = score.monday(d)
        posts = list(inst.post_order)
        rng.shuffle(posts)
        for pid in posts:
            if (pid, d) in post_day or post_week.get((pid, wk), 0) >= inst.demand(pid, wk):
                continue
            cands = [s for s in inst.staff_order
                     if (s, d) not in staff_day and staff_week.get((s, wk), 0) < inst.staff[s]["max"]
                     and inst.meets(s, pid) and inst.in_range(s, pid) and inst.calendar_ok(s, pid, d)]
            if not cands or rng.random() < 0.25:
                continue
            s = rng.choice(cands)
            plan.append((s, pid, d))
            staff_day.add((s, d))
            post_day.add((pid, d))
            staff_week[(s, wk)] = staff_week.get((s, wk), 0) + 1
            post_week[(pid, wk)] = post_week.get((pid, wk), 0) + 1
    return plan


def perturb(rng: random.Random, inst: score.Instance, plan: list) -> list:
    plan = list(plan)
    if not plan or rng.random() < 0.3:
        return plan  # keep some plans feasible
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        if op == 0 and plan:
            plan.append(rng.choice(plan))  # duplicate
        elif op == 1:
            d = inst.start + dt.timedelta(days=rng.randrange(-8, (inst.end - inst.start).days + 9))
            plan.append((rng.choice(inst.staff_order), rng.choice(inst.post_order), d))
        elif op == 2 and plan:
            plan.pop(rng.randrange(len(plan)))  # may drop a pin or a baseline entry
        elif op == 3 and plan:
            i = rng.randrange(len(plan))
            s, p, d = plan[i]
            plan[i] = (rng.choice(inst.staff_order), p, d)
        elif op == 4 and plan:
            i = rng.randrange(len(plan))
            s, p, d = plan[i]
            plan[i] = (s, p, d + dt.timedelta(days=rng.choice([-7, -1, 1, 7])))
        elif op == 5:
            s = rng.choice(inst.staff_order)
            d = rng.choice(sorted(inst.working)) if inst.working else inst.start
            for pid in rng.sample(inst.post_order, min(2, len(inst.post_order))):
                plan.append((s, pid, d))
    return plan


def as_plan_json(name: str, plan: list) -> dict:
    return {"format": "junkai.plan/1", "instance": name,
            "assignments": [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in plan]}


def invalid_variant(rng: random.Random, inst: dict, plan: dict) -> tuple[dict, dict, str]:
    inst, plan = json.loads(json.dumps(inst)), json.loads(json.dumps(plan))
    kind = rng.randrange(7)
    if kind == 0:
        c = inst["municipalities"][0]["code"]
        inst["municipalities"][0]["code"] = c[:5] + str((int(c[5]) + 1) % 10)
        return inst, plan, "bad check digit"
    if kind == 1:
        inst["posts"][0]["requirements"] = {"no-such-skill": 2}
        return inst, plan, "unknown skill"
    if kind == 2:
        inst["posts"][0]["daysPerWeek"] = rng.choice([0, 6])
        return inst, plan, "daysPerWeek out of range"
    if kind == 3:
        inst["staff"].append(dict(inst["staff"][0]))
        return inst, plan, "repeated staff id"
    if kind == 4:
        inst["requests"] = [{"post": inst["posts"][0]["id"], "date": "2040-01-01", "kind": "required"}]
        return inst, plan, "request outside the period"
    if kind == 5:
        plan["assignments"].append({"staff": "nobody", "post": inst["posts"][0]["id"],
                                    "date": inst["period"]["start"]})
        return inst, plan, "unknown staff in plan"
    plan["assignments"].append({"staff": inst["staff"][0]["id"], "post": inst["posts"][0]["id"],
                                "date": "2027-02-30"})
    return inst, plan, "malformed date in plan"


def python_side(inst_raw: dict, plan_raw: dict) -> tuple[int, dict | None]:
    try:
        inst = score.Instance(inst_raw)
        res = score.score(inst, score.parse_plan(inst, plan_raw))
    except score.Invalid:
        return 2, None
    return (0 if res["feasible"] else 1), res


def swift_side(junkai: str, ipath: str, ppath: str) -> tuple[int, dict | None, str]:
    p = subprocess.run([junkai, "score", ipath, ppath, "--json"], capture_output=True, text=True, timeout=120)
    try:
        out = json.loads(p.stdout) if p.stdout.strip() else None
    except json.JSONDecodeError:
        out = None
    return p.returncode, out, p.stderr


def compare(py_rc, py, sw_rc, sw) -> list[str]:
    diffs = []
    if py_rc != sw_rc:
        diffs.append(f"exit code: python {py_rc}, junkai {sw_rc}")
    if py is None or sw is None:
        if (py is None) != (sw is None) and py_rc != 2:
            diffs.append("junkai printed no JSON")
        return diffs
    if py["objective"] != sw.get("objective"):
        diffs.append(f"objective: python {py['objective']}, junkai {sw.get('objective')}")
    if py["feasible"] != sw.get("feasible"):
        diffs.append(f"feasible: python {py['feasible']}, junkai {sw.get('feasible')}")
    st = sw.get("terms") or {}
    for t in score.TERMS:
        a, b = py["terms"][t], st.get(t)
        if b is None or a["count"] != b.get("count") or a["value"] != b.get("value"):
            diffs.append(f"term {t}: python {a}, junkai {b}")
    pr = {v["rule"] for v in py["violations"]}
    sr = {v.get("rule") for v in (sw.get("violations") or [])}
    if pr != sr:
        diffs.append(f"broken rules: python {sorted(pr)}, junkai {sorted(sr)}")
    return diffs


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--junkai", default="/work/main/.build/release/junkai")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default=os.path.join(HERE, "out", "crosscheck"))
    ap.add_argument("--python-only", action="store_true",
                    help="only exercise the generator and score.py (no junkai binary needed)")
    a = ap.parse_args(argv)
    if not a.python_only and not os.access(a.junkai, os.X_OK):
        print(f"--junkai: {a.junkai} is not an executable (build it: swift build -c release)", file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    os.makedirs(a.keep, exist_ok=True)
    stats = {"cases": 0, "agree": 0, "disagree": 0, "feasible": 0, "infeasible": 0, "invalid": 0}
    with tempfile.TemporaryDirectory() as tmp:
        if not a.python_only:
            # A private copy, so that a rebuild of the binary mid-run cannot change or block it.
            for attempt in range(30):
                try:
                    shutil.copy2(a.junkai, os.path.join(tmp, "junkai"))
                    break
                except OSError:
                    time.sleep(2)
            a.junkai = os.path.join(tmp, "junkai")
        for case in range(a.cases):
            inst_raw = make_instance(rng, case)
            inst = score.Instance(inst_raw)
            base = greedy_plan(rng, inst)
            if rng.random() < 0.3 and base:
                # Replanning case: baseline and pins from another plan.
                other = greedy_plan(rng, inst)
                inst_raw["baseline"] = as_plan_json("", other)["assignments"]
                inst_raw["pinned"] = as_plan_json("", rng.sample(base, min(len(base), rng.randint(1, 4))))["assignments"]
                inst = score.Instance(inst_raw)
            plan_raw = as_plan_json(inst.name, perturb(rng, inst, base))
            label = "random"
            if rng.random() < 0.08:
                inst_raw, plan_raw, label = invalid_variant(rng, inst_raw, plan_raw)
            py_rc, py = python_side(inst_raw, plan_raw)
            stats["cases"] += 1
            stats[{0: "feasible", 1: "infeasible", 2: "invalid"}[py_rc]] += 1
            if a.python_only:
                continue
            ipath, ppath = os.path.join(tmp, "i.json"), os.path.join(tmp, "p.json")
            with open(ipath, "w", encoding="utf-8") as f:
                json.dump(inst_raw, f, ensure_ascii=False)
            with open(ppath, "w", encoding="utf-8") as f:
                json.dump(plan_raw, f, ensure_ascii=False)
            sw_rc, sw, sw_err = swift_side(a.junkai, ipath, ppath)
            diffs = compare(py_rc, py, sw_rc, sw)
            if diffs:
                stats["disagree"] += 1
                d = os.path.join(a.keep, f"case-{case:04d}")
                os.makedirs(d, exist_ok=True)
                for src, name in ((ipath, "instance.json"), (ppath, "plan.json")):
                    with open(src, encoding="utf-8") as f, open(os.path.join(d, name), "w", encoding="utf-8") as g:
                        g.write(f.read())
                with open(os.path.join(d, "diff.txt"), "w", encoding="utf-8") as f:
                    f.write(f"{label}\n" + "\n".join(diffs) + f"\n--- junkai stderr\n{sw_err}\n")
                print(f"case {case} ({label}): " + "; ".join(diffs[:3]))
            else:
                stats["agree"] += 1
    print(json.dumps(stats))
    return 0 if stats["disagree"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
