#!/usr/bin/env python3
"""The solver benchmark in one command: CP-SAT reference versus `junkai solve`.

    run.py [--instances tiny,nara,nara-q1,region150,fy110] [--seed 1]
           [--cpsat-seconds 600] [--cpsat-workers 2,8] [--junkai PATH] [--junkai-seconds N]

For every instance: CP-SAT (cpsat.py) with each worker count (best of them counts),
`junkai solve INSTANCE --seconds N --seed K`, both plans scored with
`junkai score --json` (score.py when the binary is missing), peak memory of each
from /usr/bin/time -v, and junkai's time to come within 1% of its final objective
from its progress lines. Writes results.md; CP-SAT results are cached in out/cache/
by instance hash and settings, so a rerun does not redo 10-minute solves.

An instance is a preset name (generated with --seed), `nara-q1` (the shared
example, copied under instances/), `PRESET-replan` (a committed replanning
variant), or a path to a junkai.instance/1 file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cpsat  # noqa: E402
import generate  # noqa: E402
import score  # noqa: E402

OUT = os.path.join(HERE, "out")
CACHE = os.path.join(OUT, "cache")
INSTANCES = os.path.join(HERE, "instances")
REFERENCE = os.path.join(HERE, "reference.json")
TIME = "/usr/bin/time"


# ---------------------------------------------------------------- instances

def resolve_instance(spec: str, seed: int) -> tuple[str, str, dict]:
    """(name, path, provenance) of an instance spec."""
    if os.path.isfile(spec):
        raw = score.load_json(spec, spec)
        return raw.get("name") or os.path.basename(spec), os.path.abspath(spec), {"file": spec}
    for cand in (f"{spec}.instance.json", f"{spec}-s{seed}.instance.json"):
        path = os.path.join(INSTANCES, cand)
        if os.path.isfile(path):
            prov = {"file": os.path.relpath(path, HERE)}
            if spec in generate.PRESETS:
                prov.update(preset=spec, seed=seed)
            return os.path.basename(path).removesuffix(".instance.json"), path, prov
    if spec in generate.PRESETS:
        os.makedirs(os.path.join(OUT, "instances"), exist_ok=True)
        path = os.path.join(OUT, "instances", f"{spec}-s{seed}.instance.json")
        if not os.path.isfile(path):
            generate.dump(generate.generate(spec, seed), path)
        return f"{spec}-s{seed}", path, {"preset": spec, "seed": seed, "file": os.path.relpath(path, HERE)}
    raise SystemExit(f"--instances: {spec!r} is neither a preset ({', '.join(generate.PRESETS)}), "
                     f"a file under instances/, nor a path")


def file_hash(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


# ---------------------------------------------------------------- processes

def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], stdout_path: str, stderr_path: str, limit_kb: int = 0,
                 timeout: float | None = None) -> dict:
    """Run under /usr/bin/time -v (and nice, when JUNKAI_BENCH_NICE is set, e.g. 19); kill the tree if it passes
    limit_kb resident memory."""
    time_path = stderr_path + ".time"
    niceness = os.environ.get("JUNKAI_BENCH_NICE", "")
    full = ["nice", "-n", niceness] if niceness else []
    have_time = os.access(TIME, os.X_OK)
    if have_time:
        full += [TIME, "-v", "-o", time_path]
    full += cmd
    t0 = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(full, stdout=out, stderr=err, start_new_session=True)
        state = {"peak_kb": 0, "killed": None}

        def watch():
            while proc.poll() is None:
                rss = tree_rss_kb(proc.pid)
                state["peak_kb"] = max(state["peak_kb"], rss)
                if limit_kb and rss > limit_kb:
                    state["killed"] = f"memory {rss / 1048576:.1f} GB"
                    os.killpg(proc.pid, 9)
                    return
                if timeout and time.monotonic() - t0 > timeout:
                    state["killed"] = f"timeout {timeout:.0f} s"
                    os.killpg(proc.pid, 9)
                    return
                time.sleep(0.5)

        th = threading.Thread(target=watch, daemon=True)
        th.start()
        rc = proc.wait()
        th.join()
    wall = time.monotonic() - t0
    peak_kb = state["peak_kb"]
    if have_time and os.path.exists(time_path):
        with open(time_path, encoding="utf-8", errors="replace") as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        if m:
            peak_kb = max(peak_kb, int(m.group(1)))
    return {"rc": rc, "wall": round(wall, 2), "peakRssMB": round(peak_kb / 1024, 1), "killed": state["killed"]}


# ---------------------------------------------------------------- CP-SAT

def run_cpsat(name: str, path: str, seconds: float, workers: int, seed: int, limit_gb: float,
              refresh: bool, params: str = "", cache_only: bool = False) -> dict | None:
    os.makedirs(CACHE, exist_ok=True)
    key = f"{file_hash(path)}-t{seconds:g}-w{workers}-r{seed}-v{cpsat.MODEL_VERSION}"
    if params:
        key += "-p" + hashlib.sha256(params.encode()).hexdigest()[:8]
    rec_path = os.path.join(CACHE, key + ".json")
    if os.path.exists(rec_path) and not refresh:
        with open(rec_path, encoding="utf-8") as f:
            rec = json.load(f)
        rec["cached"] = True
        return rec
    if cache_only:
        print(f"[cpsat] {name}: no cached run for {seconds:g} s, {workers} workers: skipped", file=sys.stderr)
        return None
    plan_path = os.path.join(CACHE, key + ".plan.json")
    log_path = os.path.join(CACHE, key + ".log.json")
    prog_path = os.path.join(CACHE, key + ".progress.jsonl")
    for p in (plan_path, log_path):
        if os.path.exists(p):
            os.remove(p)
    limit_kb = int(limit_gb * 1048576) if limit_gb else 0
    cmd = [sys.executable, os.path.join(HERE, "cpsat.py"), path, "--seconds", str(seconds),
           "--workers", str(workers), "--seed", str(seed), "-o", plan_path, "--log", log_path,
           "--progress", prog_path] + (["--params", params] if params else [])
    if limit_gb:
        # CP-SAT stops itself a little below the watchdog, so the plan so far is kept.
        cmd += ["--max-memory-mb", str(int(limit_gb * 1024 * 0.85))]
    print(f"[cpsat] {name}: {seconds:g} s, {workers} workers ...", file=sys.stderr, flush=True)
    meas = run_measured(cmd, os.path.join(CACHE, key + ".stdout"), os.path.join(CACHE, key + ".stderr"),
                        limit_kb, timeout=seconds * 3 + 600)
    rec = {"instance": name, "file": path, "seconds": seconds, "workers": workers, "seed": seed, "params": params,
           "modelVersion": cpsat.MODEL_VERSION, "date": dt.date.today().isoformat(), **meas}
    if os.path.exists(log_path):
        with open(log_path, encoding="utf-8") as f:
            log = json.load(f)
        rec.update(status=log["status"], objective=log["objective"], bound=log["bound"],
                   variables=log["variables"], buildSeconds=log["buildSeconds"],
                   improvements=log["improvements"], agrees=log.get("agrees"),
                   hintObjective=log.get("hintObjective"), startHint=log.get("startHint", "greedy plan, x only"))
        rec["plan"] = plan_path if os.path.exists(plan_path) else None
    else:
        # Killed: recover what the progress file had seen.
        events, variables = [], None
        if os.path.exists(prog_path):
            with open(prog_path, encoding="utf-8") as f:
                for line in f:
                    v = json.loads(line)
                    if isinstance(v, list):
                        events.append(v)
                    elif "variables" in v:
                        variables = v["variables"]
        rec.update(status="STOPPED" if meas["killed"] else f"CRASHED rc={meas['rc']}",
                   objective=events[-1][1] if events else None, bound=events[-1][2] if events else None,
                   variables=variables, improvements=events, plan=None, agrees=None)
    with open(rec_path, "w", encoding="utf-8") as f:
        json.dump(rec, f)
    rec["cached"] = False
    return rec


# ---------------------------------------------------------------- junkai

_NUM = r"-?\d+(?:\.\d+)?"


def parse_progress(text: str) -> tuple[list[tuple[float, int]], int]:
    """(time, objective) pairs from junkai's stderr, and how many lines were not understood.

    Understood: JSON objects with a time key (t, time, seconds, elapsed) and an
    objective key (objective, obj, best); `SECONDS OBJECTIVE` lines (an `s` after the
    seconds is allowed); and key=value / key: value lines with the same keys.
    """
    pts, unknown = [], 0
    tkeys, okeys = ("t", "time", "seconds", "elapsed"), ("objective", "obj", "best")
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        t = o = None
        if line.startswith("{"):
            try:
                j = json.loads(line)
                t = next((j[k] for k in tkeys if isinstance(j.get(k), (int, float))), None)
                o = next((j[k] for k in okeys if isinstance(j.get(k), (int, float))), None)
            except json.JSONDecodeError:
                pass
        else:
            m = re.fullmatch(rf"({_NUM})\s*s?\s+({_NUM})", line)
            if m:
                t, o = float(m.group(1)), float(m.group(2))
            else:
                kv = dict(re.findall(rf"([A-Za-z]+)\s*[=:]\s*({_NUM})", line))
                t = next((float(kv[k]) for k in tkeys if k in kv), None)
                o = next((float(kv[k]) for k in okeys if k in kv), None)
        if t is None or o is None:
            unknown += 1
            continue
        pts.append((float(t), int(round(o))))
    return pts, unknown


def time_within(pts: list[tuple[float, int]], final: int | None, pct: float = 1.0) -> float | None:
    if final is None or not pts:
        return None
    limit = final + abs(final) * pct / 100
    for t, o in pts:
        if o <= limit:
            return t
    return None


def score_plan(junkai: str | None, inst_path: str, plan_path: str) -> tuple[dict | None, str]:
    if junkai:
        p = subprocess.run([junkai, "score", inst_path, plan_path, "--json"], capture_output=True, text=True)
        if p.returncode in (0, 1) and p.stdout.strip():
            try:
                return json.loads(p.stdout), "junkai score"
            except json.JSONDecodeError:
                pass
        print(f"[score] junkai score failed (rc {p.returncode}): {p.stderr.strip()[:300]}", file=sys.stderr)
    try:
        return score.score_files(inst_path, plan_path), "score.py"
    except score.Invalid as e:
        print(f"[score] invalid plan {plan_path}: {e}", file=sys.stderr)
        return None, "invalid"


def run_junkai(junkai: str, name: str, path: str, seconds: float, seed: int) -> dict:
    os.makedirs(os.path.join(OUT, "junkai"), exist_ok=True)
    base = os.path.join(OUT, "junkai", f"{name}-t{seconds:g}-k{seed}")
    print(f"[junkai] {name}: {seconds:g} s, seed {seed} ...", file=sys.stderr, flush=True)
    if os.path.exists(base + ".report.json"):
        os.remove(base + ".report.json")
    meas = run_measured([junkai, "solve", path, "--seconds", str(seconds), "--seed", str(seed),
                         "--report", base + ".report.json"],
                        base + ".plan.json", base + ".stderr", timeout=seconds * 3 + 120)
    with open(base + ".stderr", encoding="utf-8", errors="replace") as f:
        pts, unknown = parse_progress(f.read())
    rec = {"seconds": seconds, "seed": seed, **meas, "progress": pts, "unknownLines": unknown,
           "plan": base + ".plan.json"}
    if os.path.exists(base + ".report.json"):
        with open(base + ".report.json", encoding="utf-8") as f:
            rep = json.load(f)
        # The lower bound junkai proved beside the search, and the time it took.
        rec.update(bound=rep.get("bound"), boundGap=rep.get("gap"), boundSeconds=rep.get("boundSeconds"),
                   provenOptimal=rep.get("provenOptimal"), solveSeconds=rep.get("seconds"), rounds=rep.get("rounds"))
    return rec


def default_junkai_seconds(posts: int) -> int:
    return 30 if posts <= 60 else 60 if posts <= 200 else 120


# ---------------------------------------------------------------- report

def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1048576:.0f} GB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem}, Python {platform.python_version()}"


def fmt(v, suffix=""):
    return "—" if v is None else f"{v:,}{suffix}" if isinstance(v, int) else f"{v}{suffix}"


def write_results(rows: list[dict], args, path: str) -> None:
    lines = [
        "# Solver benchmark: junkai solve vs CP-SAT reference",
        "",
        f"Generated by `Benchmarks/solver/run.py` on {dt.datetime.now().astimezone().isoformat(timespec='seconds')}.",
        f"Machine: {machine()}.",
        f"CP-SAT: OR-Tools {cpsat_version()}, {args.cpsat_seconds:g} s per run unless the table says, workers {args.cpsat_workers} "
        f"(best of them); junkai: `junkai solve --seconds N --seed K --report R` (2 threads).",
        ("" if args.junkai_built else "junkai was not built when this ran: CP-SAT only, plans scored with score.py. ")
        + "Objectives are `junkai score --json` of each plan (score.py where noted). "
        "Gap = (junkai − CP-SAT best) / CP-SAT best. Lower is better.",
        "",
        f"junkai runs seeds {args.junkai_seeds}; the table shows the best and the worst of them (every seed: below). "
        "bound = junkai's own lower bound (`--report`, computed beside the search in under 10% of the limit), "
        "gap to bound = (objective − bound) / objective of the best seed; t to 0.1% / 1% = median over seeds of the time "
        "to come within 0.1% / 1% of that run's final objective.",
        "",
        "| instance | posts / staff / weeks | x vars | CP-SAT best (workers) | status | CP-SAT bound | junkai best / worst "
        "| vs CP-SAT % (best / worst) | junkai bound | gap to bound | bound s | t to 0.1% | t to 1% | junkai s "
        "| peak RSS junkai | peak RSS CP-SAT |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    seed_lines = ["", "## Every seed", "", "objective (time to within 0.1% of it / time it was found; rounds of the search when more than one) per seed; * = proven optimal by junkai's bound", "",
                  "| instance | " + " | ".join(f"seed {k}" for k in args.seed_list) + " |",
                  "| --- |" + " ---: |" * len(args.seed_list)]
    for r in rows:
        c = r.get("cpsat_best") or {}
        runs = [j for j in r.get("junkai_runs", []) if j.get("scored") is not None]
        cobj = c.get("scored") if c.get("scored") is not None else c.get("objective")
        bounds = [o["bound"] for o in r.get("cpsat_all", []) if o.get("bound") is not None]
        best_bound = max(bounds) if bounds else None  # every run's bound is valid; the highest is tightest
        cstat = c.get("status", "—")
        if c.get("killed"):
            cstat = f"{cstat} ({c['killed']})"
        if runs:
            best = min(runs, key=lambda j: j["scored"])
            worst = max(runs, key=lambda j: j["scored"])
            jtxt = f"{fmt(best['scored'])} / {fmt(worst['scored'])}"
            if any(j.get("feasible") is False for j in runs):
                jtxt += " INFEASIBLE"
            gaps = "—"
            if cobj:
                gaps = f"{100 * (best['scored'] - cobj) / cobj:.2f} / {100 * (worst['scored'] - cobj) / cobj:.2f}"
            jb = max((j["bound"] for j in runs if j.get("bound") is not None), default=None)
            bgap = f"{100 * (best['scored'] - jb) / best['scored']:.2f}%" if jb is not None and best["scored"] else "—"
            bsec = max((j["boundSeconds"] for j in runs if j.get("boundSeconds") is not None), default=None)
            t01 = median([j.get("t01pct") for j in runs])
            t1 = median([j.get("t1pct") for j in runs])
            peak = max(j.get("peakRssMB") or 0 for j in runs)
            secs = runs[0].get("seconds")
        else:
            jtxt, gaps, jb, bgap, bsec, t01, t1, peak, secs = "not run", "—", None, "—", None, None, None, None, None
        lines.append(
            f"| {r['name']} | {r['posts']} / {r['staff']} / {r['weeks']} | {fmt(c.get('variables'))} "
            f"| {fmt(cobj)} ({c.get('workers', '—')} w, {c.get('seconds', 0):g} s) | {cstat} | {fmt(best_bound)} | {jtxt} | {gaps} "
            f"| {fmt(jb)} | {bgap} | {fmt(bsec, ' s')} | {fmt(t01, ' s')} | {fmt(t1, ' s')} | {fmt(secs)} "
            f"| {fmt(peak, ' MB')} | {fmt(c.get('peakRssMB'), ' MB')} |")
        cells = []
        by_seed = {j["seed"]: j for j in r.get("junkai_runs", [])}
        for k in args.seed_list:
            j = by_seed.get(k)
            if not j or j.get("scored") is None:
                cells.append("—")
            else:
                rounds = f"; {j['rounds']} rounds" if (j.get("rounds") or 1) > 1 else ""
                cells.append(f"{fmt(j['scored'])}{'*' if j.get('provenOptimal') else ''} "
                             f"({fmt(j.get('t01pct'), ' s')} / {fmt(j.get('tFinal'), ' s')}{rounds})")
        seed_lines.append(f"| {r['name']} | " + " | ".join(cells) + " |")
        for other in r.get("cpsat_all", []):
            notes.append(f"- {r['name']}: CP-SAT {other['workers']} workers: {fmt(other.get('objective'))} "
                         f"({other.get('status')}, bound {fmt(other.get('bound'))}, {other.get('peakRssMB')} MB"
                         f"{', cached' if other.get('cached') else ''}{', reference.json' if other.get('fromReference') else ''}"
                         f"{', stopped: ' + other['killed'] if other.get('killed') else ''}"
                         f"{'' if other.get('agrees') in (None, True) else ', SCORE DISAGREES'})")
        for j in r.get("junkai_runs", []):
            if j.get("note"):
                notes.append(f"- {r['name']}: junkai seed {j['seed']}: {j['note']}")
    lines += seed_lines
    lines += ["", "## Runs", ""] + notes + [""]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def median(values: list) -> float | None:
    vs = sorted(v for v in values if v is not None)
    if not vs:
        return None
    m = len(vs) // 2
    return round(vs[m] if len(vs) % 2 else (vs[m - 1] + vs[m]) / 2, 3)


def cpsat_version() -> str:
    try:
        import ortools
        return ortools.__version__
    except ImportError:
        return "not installed"


def update_reference(rows: list[dict]) -> None:
    ref = []
    if os.path.exists(REFERENCE):
        with open(REFERENCE, encoding="utf-8") as f:
            ref = json.load(f)
    for r in rows:
        for c in r.get("cpsat_all", []):
            entry = {
                "instance": r["name"], **r["provenance"],
                "objective": c.get("scored", c.get("objective")), "bound": c.get("bound"),
                "status": c.get("status"), "seconds": c["seconds"], "workers": c["workers"],
                "peakRssMB": c.get("peakRssMB"), "variables": c.get("variables"),
                "stopped": c.get("killed"), "date": c.get("date"),
                "greedyStartObjective": c.get("hintObjective"), "startHint": c.get("startHint"),
                "ortools": cpsat_version(), "modelVersion": c.get("modelVersion"),
            }
            ref = [e for e in ref if not (e["instance"] == entry["instance"] and e["workers"] == entry["workers"]
                                          and e["seconds"] == entry["seconds"]
                                          and e.get("startHint") == entry["startHint"])]
            ref.append(entry)
    ref.sort(key=lambda e: (e["instance"], e["workers"], e["seconds"]))
    with open(REFERENCE, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- main

def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", default="tiny,nara,nara-q1,nara-s1-replan,region150,fy110",
                    help="comma-separated presets, committed names or paths, each optionally NAME@SECONDS "
                         "for its own CP-SAT time (national: add it explicitly, e.g. national@300)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed for presets")
    ap.add_argument("--cpsat-seconds", type=float, default=600)
    ap.add_argument("--cpsat-workers", default="2,8")
    ap.add_argument("--cpsat-seed", type=int, default=0)
    ap.add_argument("--cpsat-params", default="", help="extra CP-SAT parameters (protobuf text)")
    ap.add_argument("--memory-limit-gb", type=float, default=8.0, help="kill CP-SAT above this RSS")
    ap.add_argument("--refresh", action="store_true", help="ignore cached CP-SAT results")
    ap.add_argument("--no-cpsat", action="store_true")
    ap.add_argument("--cache-only", action="store_true", help="use cached CP-SAT runs, never start one")
    ap.add_argument("--junkai", default=os.path.join(HERE, "..", "..", ".build", "release", "junkai"))
    ap.add_argument("--junkai-seconds", type=float, help="default 30/60/120 by size")
    ap.add_argument("--junkai-seeds", default="1,2,3,4,5", help="junkai runs once per seed")
    ap.add_argument("--no-junkai", action="store_true")
    ap.add_argument("--results", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--update-reference", action="store_true", help="write the CP-SAT results to reference.json")
    a = ap.parse_args(argv)
    junkai = os.path.abspath(a.junkai)
    if not os.access(junkai, os.X_OK):
        if not a.no_junkai:
            print(f"[junkai] {junkai} not built: CP-SAT only, plans scored with score.py", file=sys.stderr)
        junkai = None
    a.junkai_built = junkai is not None
    a.seed_list = [int(k) for k in a.junkai_seeds.split(",") if k.strip()]
    workers = [int(w) for w in a.cpsat_workers.split(",") if w.strip()]
    rows = []
    for spec in [s.strip() for s in a.instances.split(",") if s.strip()]:
        spec, _, secs_override = spec.partition("@")
        cp_seconds = float(secs_override) if secs_override else a.cpsat_seconds
        name, path, prov = resolve_instance(spec, a.seed)
        inst = score.load_instance(path)
        row = {"name": name, "provenance": prov, "posts": len(inst.posts), "staff": len(inst.staff),
               "weeks": len(inst.weeks), "cpsat_all": []}
        if not a.no_cpsat:
            for w in workers:
                c = run_cpsat(name, path, cp_seconds, w, a.cpsat_seed, a.memory_limit_gb, a.refresh,
                              a.cpsat_params, a.cache_only)
                if c is None:
                    continue
                if c.get("plan") and os.path.exists(c["plan"]):
                    res, _ = score_plan(junkai, path, c["plan"])
                    if res:
                        c["scored"], c["scoredFeasible"] = res["objective"], res["feasible"]
                        if res["objective"] != c.get("objective") or not res["feasible"]:
                            print(f"[cpsat] {name}: CP-SAT says {c.get('objective')}, scorer says "
                                  f"{res['objective']} feasible={res['feasible']}", file=sys.stderr)
                row["cpsat_all"].append(c)
            found = [c for c in row["cpsat_all"] if c.get("objective") is not None]
            if found:
                row["cpsat_best"] = min(found, key=lambda c: c.get("scored", c["objective"]))
            elif row["cpsat_all"]:
                row["cpsat_best"] = row["cpsat_all"][0]
        elif os.path.exists(REFERENCE):
            # Without CP-SAT runs, its committed reference results stand in (not re-scored).
            with open(REFERENCE, encoding="utf-8") as f:
                ref = [dict(r, fromReference=True) for r in json.load(f) if r.get("instance") == name]
            row["cpsat_all"] = ref
            found = [c for c in ref if c.get("objective") is not None]
            if found:
                row["cpsat_best"] = min(found, key=lambda c: c["objective"])
        if junkai and not a.no_junkai:
            secs = a.junkai_seconds or default_junkai_seconds(len(inst.posts))
            row["junkai_runs"] = []
            for k in a.seed_list:
                j = run_junkai(junkai, name, path, secs, k)
                if j["rc"] == 0:
                    res, by = score_plan(junkai, path, j["plan"])
                    if res:
                        j["scored"], j["feasible"] = res["objective"], res["feasible"]
                        final = res["objective"]
                        j["t1pct"] = time_within(j["progress"], final)
                        j["t01pct"] = time_within(j["progress"], final, 0.1)
                        j["tFinal"] = time_within(j["progress"], final, 0.0)
                        if by != "junkai score":
                            j["note"] = f"scored by {by}"
                    if not j["progress"]:
                        j["note"] = (j.get("note", "") + " no progress lines understood").strip()
                else:
                    j["note"] = f"solve failed rc={j['rc']} {j.get('killed') or ''}".strip()
                row["junkai_runs"].append(j)
        rows.append(row)
        write_results(rows, a, a.results)  # after each instance, so a long run shows progress
    if a.update_reference:
        update_reference(rows)
    print(f"wrote {os.path.relpath(a.results)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
