#!/usr/bin/env python3
"""Reference CP-SAT model of rotation-model.md (OR-Tools).

    cpsat.py INSTANCE.json [--seconds 600] [--workers 2] [-o PLAN.json] [--log LOG.json]

x[s,p,d] exists only for triples that pass H1, H4 and H7, so those rules hold by
construction; H2, H3, H5, H6 and H8 are linear constraints; every objective term
is modelled exactly (the encodings below are equalities, not just bounds, so the
solver's objective of ANY solution -- not only an optimal one -- equals what an
independent scorer computes for the plan it writes).

The log is JSON: every improving solution as [seconds, objective, bound], then the
final status, objective, best bound and timings.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score  # noqa: E402  (instance parsing, calendar and distances)

# Bump when the model changes; run.py keys its cache on it. (Start hints are not part of
# the model: runs from 2026-11-27 before `startHint` appears in the log hinted x only.)
MODEL_VERSION = 1


class Model:
    def __init__(self, inst: score.Instance):
        from ortools.sat.python import cp_model
        self.cp = cp_model
        self.inst = inst
        self.m = cp_model.CpModel()
        self.x: dict[tuple[str, str, dt.date], object] = {}
        self.const = 0  # objective constant (weighted)
        self.obj_vars: list = []
        self.obj_coefs: list[int] = []
        # auxiliary variables, kept so that a start plan can be hinted completely
        self.over: dict[tuple[str, dt.date], object] = {}
        self.used: dict[tuple[str, str], object] = {}
        self.any: dict[str, object] = {}
        self._build()

    def _add(self, term: str, var, coef: int = 1) -> None:
        self.obj_vars.append(var)
        self.obj_coefs.append(coef * self.inst.weights[term])

    def _build(self) -> None:
        inst, m = self.inst, self.m
        w = inst.weights
        days = sorted(inst.working)
        by_sd = defaultdict(list)   # H2
        by_pd = defaultdict(list)   # H3
        by_sw = defaultdict(list)   # H5, overTarget
        by_pw = defaultdict(list)   # H6, unmetDemand
        by_sp = defaultdict(list)   # continuity
        for sid in inst.staff_order:
            s = inst.staff[sid]
            hlat, hlon = s["home"]
            mt = s["maxTravel"]
            for pid in inst.post_order:
                p = inst.posts[pid]
                if mt is not None:
                    mlat, _ = inst.munis[p["muni"]]
                    if abs(mlat - hlat) * 110.0 > mt + 2:  # cheap reject before haversine
                        continue
                if not inst.meets(sid, pid) or not inst.in_range(sid, pid):
                    continue
                k = inst.km(sid, pid)
                pref = p["preferred"]
                for d in days:
                    if not inst.calendar_ok(sid, pid, d):
                        continue
                    v = m.NewBoolVar("")
                    self.x[(sid, pid, d)] = v
                    wk = score.monday(d)
                    by_sd[(sid, d)].append(v)
                    by_pd[(pid, d)].append(v)
                    by_sw[(sid, wk)].append(v)
                    by_pw[(pid, wk)].append(v)
                    by_sp[(sid, pid)].append(v)
                    # per-assignment terms, and -1 unit of unmet demand for the post-week
                    coef = (k * w["travelPerKm"] - w["unmetDemand"]
                            + (w["undesiredDate"] if d in s["undesired"] else 0)
                            + (w["nonPreferredWeekday"] if pref and d.isoweekday() not in pref else 0))
                    if coef:
                        self.obj_vars.append(v)
                        self.obj_coefs.append(coef)
        for vs in by_sd.values():
            if len(vs) > 1:
                m.AddAtMostOne(vs)
        for vs in by_pd.values():
            if len(vs) > 1:
                m.AddAtMostOne(vs)
        for (sid, wk), vs in by_sw.items():
            s = inst.staff[sid]
            if len(vs) > s["max"]:
                m.Add(sum(vs) <= s["max"])
            excess_ub = min(len(vs), s["max"]) - s["target"]
            if excess_ub > 0:
                o = m.NewIntVar(0, excess_ub, "")
                m.AddMaxEquality(o, [0, sum(vs) - s["target"]])
                self.over[(sid, wk)] = o
                self._add("overTarget", o)
        # unmetDemand = sum(demand) - sum(x) because H6 keeps each post-week at or below demand.
        for pid in inst.post_order:
            for wk in inst.weeks:
                dem = inst.demand(pid, wk)
                self.const += dem * w["unmetDemand"]
                vs = by_pw.get((pid, wk), [])
                if len(vs) > dem:
                    m.Add(sum(vs) <= dem)
        # requests: missed = 1 - (assignments at that post that day), at most one by H3
        for pid, d, kind in inst.requests:
            term = "missedRequiredRequest" if kind == "required" else "missedPreferredRequest"
            self.const += w[term]
            for v in by_pd.get((pid, d), []):
                self.obj_vars.append(v)
                self.obj_coefs.append(-w[term])
        # continuity: sum of used[s,p] minus any[p]; both exact indicators
        used_by_post = defaultdict(list)
        for (sid, pid), vs in by_sp.items():
            u = m.NewBoolVar("")
            for v in vs:
                m.AddImplication(v, u)
            m.AddBoolOr(vs).OnlyEnforceIf(u)
            used_by_post[pid].append(u)
            self.used[(sid, pid)] = u
        for pid, us in used_by_post.items():
            if len(us) == 1:
                continue  # one candidate: never more than one distinct staff
            a = m.NewBoolVar("")
            for u in us:
                m.AddImplication(u, a)
            m.AddBoolOr(us).OnlyEnforceIf(a)
            self.any[pid] = a
            for u in us:
                self._add("continuity", u)
            self._add("continuity", a, -1)
        # disruption: each baseline entry in the period that the plan drops
        for sid, pid, d in inst.baseline:
            if inst.start <= d <= inst.end:
                self.const += w["disruption"]
                v = self.x.get((sid, pid, d))
                if v is not None:
                    self.obj_vars.append(v)
                    self.obj_coefs.append(-w["disruption"])
        # H8 pinned: validated as eligible and mutually consistent by score.Instance
        for sid, pid, d in inst.pinned:
            v = self.x.get((sid, pid, d))
            if v is None:
                raise score.Invalid(f"/pinned: ({sid}, {pid}, {d}) is not an eligible assignment")
            m.Add(v == 1)
        m.Minimize(self.cp.LinearExpr.WeightedSum(self.obj_vars, self.obj_coefs) + self.const)

    def hint(self, plan: list[tuple[str, str, dt.date]]) -> int:
        """Hint every variable, auxiliaries included, so a feasible plan is a complete solution."""
        chosen = set(plan)
        for key, v in self.x.items():
            self.m.AddHint(v, key in chosen)
        per_sw = defaultdict(int)
        for sid, _, d in chosen:
            per_sw[(sid, score.monday(d))] += 1
        for (sid, wk), o in self.over.items():
            self.m.AddHint(o, max(0, per_sw[(sid, wk)] - self.inst.staff[sid]["target"]))
        pairs = {(s, p) for s, p, _ in chosen}
        for key, u in self.used.items():
            self.m.AddHint(u, key in pairs)
        posts = {p for _, p in pairs}
        for pid, a in self.any.items():
            self.m.AddHint(a, pid in posts)
        return len(chosen)


def greedy(inst: score.Instance, x: dict) -> list[tuple[str, str, dt.date]]:
    """A quick feasible plan to hint the search: pins first, then day by day, the scarcest posts
    first, each given the staff member already serving it or else the nearest one with room."""
    cands = defaultdict(list)
    for (sid, pid, d) in x:
        cands[(pid, d)].append(sid)
    plan = list(inst.pinned)
    staff_day = {(s, d) for s, _, d in plan}
    post_day = {(p, d) for _, p, d in plan}
    sw, pw = defaultdict(int), defaultdict(int)
    regular: dict[str, str] = {}
    for s, p, d in plan:
        sw[(s, score.monday(d))] += 1
        pw[(p, score.monday(d))] += 1
        regular.setdefault(p, s)
    for d in sorted(inst.working):
        wk = score.monday(d)
        posts = sorted((p for p in inst.post_order if cands.get((p, d))), key=lambda p: len(cands[(p, d)]))
        for pid in posts:
            if (pid, d) in post_day or pw[(pid, wk)] >= inst.demand(pid, wk):
                continue
            ok = [s for s in cands[(pid, d)]
                  if (s, d) not in staff_day and sw[(s, wk)] < inst.staff[s]["max"]]
            if not ok:
                continue
            s = regular.get(pid) if regular.get(pid) in ok else min(ok, key=lambda s: (inst.km(s, pid), s))
            plan.append((s, pid, d))
            staff_day.add((s, d))
            post_day.add((pid, d))
            sw[(s, wk)] += 1
            pw[(pid, wk)] += 1
            regular.setdefault(pid, s)
    return plan


class Recorder:
    def __init__(self, t0: float, progress_path: str | None = None):
        self.t0 = t0
        self.events: list[list] = []
        # Written as found, so a run killed by a memory watchdog still tells what it had.
        self.progress = open(progress_path, "w", encoding="utf-8") if progress_path else None

    def make(self, cp_model):
        rec = self

        class CB(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                ev = [round(time.monotonic() - rec.t0, 3),
                      int(round(self.ObjectiveValue())), int(round(self.BestObjectiveBound()))]
                rec.events.append(ev)
                if rec.progress:
                    rec.progress.write(json.dumps(ev) + "\n")
                    rec.progress.flush()
        return CB()


def solve(inst: score.Instance, seconds: float, workers: int, seed: int = 0,
          max_memory_mb: int = 0, hint_plan=None, quiet: bool = True,
          progress_path: str | None = None, params: str = "") -> tuple[list, dict]:
    t0 = time.monotonic()
    rec = Recorder(t0, progress_path)
    if rec.progress:
        rec.progress.write(json.dumps({"phase": "build"}) + "\n")
        rec.progress.flush()
    model = Model(inst)
    t_build = time.monotonic() - t0
    if rec.progress:
        rec.progress.write(json.dumps({"phase": "solve", "variables": len(model.x),
                                       "buildSeconds": round(t_build, 3)}) + "\n")
        rec.progress.flush()
    if hint_plan is None:
        hint_plan = greedy(inst, model.x)
    hint_objective = None
    if hint_plan:
        model.hint(hint_plan)
        hint_objective = score.score(inst, hint_plan)["objective"]
    cp_model = model.cp
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = not quiet
    if max_memory_mb:
        solver.parameters.max_memory_in_mb = max_memory_mb
    for item in filter(None, (p.strip() for p in params.replace(",", " ").split())):
        key, _, raw = item.partition(":")
        value = {"true": True, "false": False}.get(raw.lower())
        if value is None:
            try:
                value = int(raw)
            except ValueError:
                value = float(raw)
        setattr(solver.parameters, key, value)
    t1 = time.monotonic()
    status = solver.Solve(model.m, rec.make(cp_model))
    t_solve = time.monotonic() - t1
    status_name = solver.StatusName(status)
    plan = []
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found:
        plan = sorted((k for k, v in model.x.items() if solver.Value(v)), key=lambda a: (a[2], a[0], a[1]))
    log = {
        "instance": inst.name,
        "modelVersion": MODEL_VERSION,
        "seconds": seconds, "workers": workers, "seed": seed, "params": params,
        "variables": len(model.x),
        "status": status_name,
        "objective": int(round(solver.ObjectiveValue())) if found else None,
        "bound": int(round(solver.BestObjectiveBound())) if status_name != "MODEL_INVALID" else None,
        "hintObjective": hint_objective,
        "startHint": "greedy plan, every variable" if hint_plan else "none",
        "buildSeconds": round(t_build, 3),
        "solveSeconds": round(t_solve, 3),
        "improvements": rec.events,
    }
    return plan, log


def plan_json(inst: score.Instance, plan: list) -> dict:
    result = score.score(inst, plan)
    return {
        "format": "junkai.plan/1",
        "instance": inst.name,
        "assignments": [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in plan],
        "objective": result["objective"],
        "terms": result["terms"],
    }, result


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-memory-mb", type=int, default=0)
    ap.add_argument("--hint", metavar="PLAN.json", help="start from this plan (default: a greedy plan)")
    ap.add_argument("--no-hint", action="store_true", help="no start plan at all")
    ap.add_argument("-o", "--output", help="plan JSON (junkai.plan/1); default stdout")
    ap.add_argument("--log", help="log JSON; default stderr")
    ap.add_argument("--params", default="", help="extra CP-SAT parameters as name:value pairs, e.g. 'cp_model_presolve:false'")
    ap.add_argument("--progress", help="JSON lines of improving solutions, written as they come")
    ap.add_argument("--verbose", action="store_true", help="CP-SAT search log on stderr")
    a = ap.parse_args(argv)
    try:
        inst = score.load_instance(a.instance)
        hint = score.parse_plan(inst, score.load_json(a.hint, "--hint")) if a.hint else ([] if a.no_hint else None)
        plan, log = solve(inst, a.seconds, a.workers, a.seed, a.max_memory_mb, hint, not a.verbose, a.progress, a.params)
    except score.Invalid as e:
        print(f"invalid: {e}", file=sys.stderr)
        return 2
    if log["objective"] is not None:
        pj, result = plan_json(inst, plan)
        # The model's objective must be what the independent scorer says.
        log["scoredObjective"] = result["objective"]
        log["scoredFeasible"] = result["feasible"]
        log["agrees"] = result["feasible"] and result["objective"] == log["objective"]
        text = json.dumps(pj, ensure_ascii=False)
        if a.output:
            with open(a.output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        else:
            print(text)
    ltext = json.dumps(log)
    if a.log:
        with open(a.log, "w", encoding="utf-8") as f:
            f.write(ltext + "\n")
    else:
        print(ltext, file=sys.stderr)
    if "agrees" in log and not log["agrees"]:
        print(f"DISAGREEMENT: CP-SAT objective {log['objective']} vs score.py {log['scoredObjective']}"
              f" (feasible={log['scoredFeasible']})", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
