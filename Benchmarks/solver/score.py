#!/usr/bin/env python3
"""Independent scorer of rotation-model.md (junkai.instance/1 + junkai.plan/1).

Written from the document alone, not from the Swift sources, so that the two
implementations can be cross-checked against each other (crosscheck.py).

    score.py INSTANCE.json PLAN.json [--json]

Exit 0 when the plan is feasible, 1 when it breaks a hard rule, 2 when either
file is invalid -- the same contract as `junkai score`.

Agreed interpretations where the document leaves room:
- every plan entry counts (a duplicate counts twice);
- weeks are ISO weeks (Monday..Sunday);
- unmetDemand sums over the ISO weeks that overlap the period;
- H5, H6 and overTarget count every assignment dated in the ISO week, even one
  dated outside the period (such an entry also breaks H4);
- continuity counts distinct staff per post over assignments dated in the period.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
HOLIDAY_CSV = os.path.join(HERE, "..", "..", "Sources", "JunkaiCore", "Resources", "syukujitsu.csv")
# The Cabinet Office list is the truth for every year it covers in full.
LAST_PUBLISHED_YEAR = 2027

TERMS = [
    "unmetDemand", "missedRequiredRequest", "missedPreferredRequest", "continuity",
    "undesiredDate", "overTarget", "nonPreferredWeekday", "disruption", "travelPerKm",
]
DEFAULT_WEIGHTS = {
    "unmetDemand": 1000, "missedRequiredRequest": 500, "missedPreferredRequest": 50,
    "continuity": 100, "undesiredDate": 30, "overTarget": 15, "nonPreferredWeekday": 10,
    "disruption": 20, "travelPerKm": 1,
}
RULES = ["H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8"]


class Invalid(Exception):
    """Bad input: the message names the field (exit 2)."""


# ---------------------------------------------------------------- holidays

def _load_published(path: str = HOLIDAY_CSV) -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    with open(path, encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows, None)
        for row in rows:
            if len(row) < 2:
                continue
            y, m, d = (int(x) for x in row[0].split("/"))
            out[dt.date(y, m, d)] = row[1].strip()
    return out


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # days to the first Monday
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _equinox_day(year: int, base: float) -> int:
    # The standard approximation, valid 1980-2099 (国立天文台 暦要項 practice).
    return int(base + 0.242194 * (year - 1980) - int((year - 1980) / 4))


def law_holidays(year: int) -> dict[dt.date, str]:
    """The holidays of one year under 国民の祝日に関する法律 as amended in 2018 (post-2020 form)."""
    fixed = {
        dt.date(year, 1, 1): "元日",
        _nth_monday(year, 1, 2): "成人の日",
        dt.date(year, 2, 11): "建国記念の日",
        dt.date(year, 2, 23): "天皇誕生日",
        dt.date(year, 3, _equinox_day(year, 20.8431)): "春分の日",
        dt.date(year, 4, 29): "昭和の日",
        dt.date(year, 5, 3): "憲法記念日",
        dt.date(year, 5, 4): "みどりの日",
        dt.date(year, 5, 5): "こどもの日",
        _nth_monday(year, 7, 3): "海の日",
        dt.date(year, 8, 11): "山の日",
        _nth_monday(year, 9, 3): "敬老の日",
        dt.date(year, 9, _equinox_day(year, 23.2488)): "秋分の日",
        _nth_monday(year, 10, 2): "スポーツの日",
        dt.date(year, 11, 3): "文化の日",
        dt.date(year, 11, 23): "勤労感謝の日",
    }
    out = dict(fixed)
    # 振替休日: a 祝日 on Sunday moves to the nearest following day that is not a 祝日.
    for day in sorted(fixed):
        if day.weekday() == 6:
            sub = day + dt.timedelta(days=1)
            while sub in fixed:
                sub += dt.timedelta(days=1)
            out[sub] = "休日"
    # 国民の休日: a day that is not a 祝日 but lies between two 祝日.
    for day in sorted(fixed):
        nxt = day + dt.timedelta(days=2)
        mid = day + dt.timedelta(days=1)
        if nxt in fixed and mid not in fixed and mid.weekday() != 6 and mid not in out:
            out[mid] = "休日"
    return out


class Holidays:
    def __init__(self, csv_path: str = HOLIDAY_CSV):
        self.published = _load_published(csv_path)
        self._law: dict[int, dict[dt.date, str]] = {}

    def name(self, d: dt.date) -> str | None:
        if d.year <= LAST_PUBLISHED_YEAR:
            return self.published.get(d)
        if d.year not in self._law:
            self._law[d.year] = law_holidays(d.year)
        return self._law[d.year].get(d)


_HOLIDAYS: Holidays | None = None


def holidays() -> Holidays:
    global _HOLIDAYS
    if _HOLIDAYS is None:
        _HOLIDAYS = Holidays()
    return _HOLIDAYS


# ---------------------------------------------------------------- geometry

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.pi / 180.0
    phi1, phi2 = lat1 * rad, lat2 * rad
    dphi = (lat2 - lat1) * rad
    dlam = (lon2 - lon1) * rad
    s1, s2 = math.sin(dphi / 2), math.sin(dlam / 2)
    h = s1 * s1 + math.cos(phi1) * math.cos(phi2) * s2 * s2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def round_half_away(x: float) -> int:
    t = math.trunc(x)
    frac = x - t  # exact for doubles
    if frac >= 0.5:
        return int(t) + 1
    if frac <= -0.5:
        return int(t) - 1
    return int(t)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    return round_half_away(haversine_km(lat1, lon1, lat2, lon2))


def check_digit(first_five: str) -> int:
    s = sum(int(c) * w for c, w in zip(first_five, [6, 5, 4, 3, 2]))
    return (11 - s % 11) % 10


# ---------------------------------------------------------------- parsing

def parse_date(value, field: str) -> dt.date:
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise Invalid(f"{field}: not a date YYYY-MM-DD: {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{field}: not a date YYYY-MM-DD: {value!r}") from None


def _int(value, field: str, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise Invalid(f"{field}: must be an integer, got {value!r}")
    if lo is not None and value < lo or hi is not None and value > hi:
        raise Invalid(f"{field}: must be in {lo}..{hi}, got {value}")
    return value


def _num(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"{field}: must be a number, got {value!r}")
    return float(value)


def _str(value, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise Invalid(f"{field}: must be a non-empty string, got {value!r}")
    return value


def _list(obj: dict, key: str, field: str, default=None) -> list:
    if key not in obj or obj[key] is None:
        return [] if default is None else list(default)
    v = obj[key]
    if not isinstance(v, list):
        raise Invalid(f"{field}/{key}: must be a list")
    return v


def _weekdays(obj: dict, key: str, field: str, default) -> frozenset[int]:
    return frozenset(_int(w, f"{field}/{key}/{i}", 1, 7)
                     for i, w in enumerate(_list(obj, key, field, default)))


class Instance:
    """A validated junkai.instance/1 with everything precomputed that scoring needs."""

    def __init__(self, raw: dict):
        if not isinstance(raw, dict):
            raise Invalid("/: instance must be a JSON object")
        if raw.get("format") != "junkai.instance/1":
            raise Invalid(f"/format: must be \"junkai.instance/1\", got {raw.get('format')!r}")
        self.raw = raw
        self.name = raw.get("name", "")
        period = raw.get("period")
        if not isinstance(period, dict):
            raise Invalid("/period: missing")
        self.start = parse_date(period.get("start"), "/period/start")
        self.end = parse_date(period.get("end"), "/period/end")
        if self.end < self.start:
            raise Invalid("/period/end: before /period/start")
        self.closed = {parse_date(v, f"/closedDates/{i}") for i, v in enumerate(_list(raw, "closedDates", ""))}

        weights = raw.get("weights") or {}
        if not isinstance(weights, dict):
            raise Invalid("/weights: must be an object")
        self.weights = dict(DEFAULT_WEIGHTS)
        for k, v in weights.items():
            if k not in DEFAULT_WEIGHTS:
                raise Invalid(f"/weights/{k}: unknown term")
            self.weights[k] = _int(v, f"/weights/{k}")

        self.skill_ids: set[str] = set()
        for i, s in enumerate(_list(raw, "skills", "")):
            sid = _str(s.get("id") if isinstance(s, dict) else None, f"/skills/{i}/id")
            if sid in self.skill_ids:
                raise Invalid(f"/skills/{i}/id: repeated id {sid!r}")
            self.skill_ids.add(sid)

        self.munis: dict[str, tuple[float, float]] = {}
        for i, m in enumerate(_list(raw, "municipalities", "")):
            f = f"/municipalities/{i}"
            if not isinstance(m, dict):
                raise Invalid(f"{f}: must be an object")
            code = _str(m.get("code"), f"{f}/code")
            if len(code) != 6 or not code.isascii() or not code.isdigit():
                raise Invalid(f"{f}/code: must be 6 digits, got {code!r}")
            if int(code[5]) != check_digit(code[:5]):
                raise Invalid(f"{f}/code: check digit does not match (expected {check_digit(code[:5])})")
            if code in self.munis:
                raise Invalid(f"{f}/code: repeated code {code}")
            self.munis[code] = (_num(m.get("lat"), f"{f}/lat"), _num(m.get("lon"), f"{f}/lon"))

        self.posts: dict[str, dict] = {}
        self.post_order: list[str] = []
        for i, p in enumerate(_list(raw, "posts", "")):
            f = f"/posts/{i}"
            if not isinstance(p, dict):
                raise Invalid(f"{f}: must be an object")
            pid = _str(p.get("id"), f"{f}/id")
            if pid in self.posts:
                raise Invalid(f"{f}/id: repeated id {pid!r}")
            muni = p.get("municipality")
            if muni not in self.munis:
                raise Invalid(f"{f}/municipality: unknown municipality {muni!r}")
            req = p.get("requirements") or {}
            if not isinstance(req, dict):
                raise Invalid(f"{f}/requirements: must be an object")
            for k, v in req.items():
                if k not in self.skill_ids:
                    raise Invalid(f"{f}/requirements/{k}: unknown skill")
                _int(v, f"{f}/requirements/{k}", 1, 5)
            allowed = _weekdays(p, "allowedWeekdays", f, [1, 2, 3, 4, 5])
            self.posts[pid] = {
                "muni": muni, "req": {k: int(v) for k, v in req.items()},
                "dpw": _int(p.get("daysPerWeek"), f"{f}/daysPerWeek", 1, 5),
                "allowed": allowed,
                "preferred": _weekdays(p, "preferredWeekdays", f, []),
            }
            self.post_order.append(pid)

        self.staff: dict[str, dict] = {}
        self.staff_order: list[str] = []
        for i, s in enumerate(_list(raw, "staff", "")):
            f = f"/staff/{i}"
            if not isinstance(s, dict):
                raise Invalid(f"{f}: must be an object")
            sid = _str(s.get("id"), f"{f}/id")
            if sid in self.staff:
                raise Invalid(f"{f}/id: repeated id {sid!r}")
            home = s.get("home")
            if not isinstance(home, dict):
                raise Invalid(f"{f}/home: missing")
            skills = s.get("skills") or {}
            if not isinstance(skills, dict):
                raise Invalid(f"{f}/skills: must be an object")
            for k, v in skills.items():
                if k not in self.skill_ids:
                    raise Invalid(f"{f}/skills/{k}: unknown skill")
                _int(v, f"{f}/skills/{k}", 1, 5)
            mx = _int(s.get("maxDaysPerWeek"), f"{f}/maxDaysPerWeek", 0, 7)
            tg = s.get("targetDaysPerWeek")
            tg = mx if tg is None else _int(tg, f"{f}/targetDaysPerWeek", 0, 7)
            mt = s.get("maxTravelKm")
            self.staff[sid] = {
                "home": (_num(home.get("lat"), f"{f}/home/lat"), _num(home.get("lon"), f"{f}/home/lon")),
                "skills": {k: int(v) for k, v in skills.items()},
                "max": mx, "target": tg,
                "available": _weekdays(s, "availableWeekdays", f, [1, 2, 3, 4, 5]),
                "maxTravel": None if mt is None else _num(mt, f"{f}/maxTravelKm"),
                "unavailable": {parse_date(v, f"{f}/unavailableDates/{j}")
                                for j, v in enumerate(_list(s, "unavailableDates", f))},
                "undesired": {parse_date(v, f"{f}/undesiredDates/{j}")
                              for j, v in enumerate(_list(s, "undesiredDates", f))},
            }
            self.staff_order.append(sid)

        self.requests: list[tuple[str, dt.date, str]] = []
        for i, r in enumerate(_list(raw, "requests", "")):
            f = f"/requests/{i}"
            if not isinstance(r, dict):
                raise Invalid(f"{f}: must be an object")
            if r.get("post") not in self.posts:
                raise Invalid(f"{f}/post: unknown post {r.get('post')!r}")
            d = parse_date(r.get("date"), f"{f}/date")
            if not self.start <= d <= self.end:
                raise Invalid(f"{f}/date: {d} outside the period")
            if r.get("kind") not in ("required", "preferred"):
                raise Invalid(f"{f}/kind: must be required or preferred, got {r.get('kind')!r}")
            self.requests.append((r["post"], d, r["kind"]))

        self.baseline = self._assignments(_list(raw, "baseline", ""), "/baseline")
        self.pinned = self._assignments(_list(raw, "pinned", ""), "/pinned")
        for i, (_, _, d) in enumerate(self.pinned):
            if not self.start <= d <= self.end:
                raise Invalid(f"/pinned/{i}/date: {d} outside the period")

        self._build_calendar()
        self._km: dict[tuple[str, str], int] = {}

        # Pins must be a feasible partial plan on their own.
        pin_viol = [v for v in violations(self, self.pinned) if v["rule"] != "H8"]
        if pin_viol:
            v = pin_viol[0]
            idx = next((i for i, a in enumerate(self.pinned)
                        if a[0] == v.get("staff", a[0]) and a[1] == v.get("post", a[1])), 0)
            raise Invalid(f"/pinned/{idx}: breaks {v['rule']} ({v['staff']}, {v['post']}, {v['date']})")

    def _assignments(self, items: list, field: str) -> list[tuple[str, str, dt.date]]:
        out = []
        for i, a in enumerate(items):
            f = f"{field}/{i}"
            if not isinstance(a, dict):
                raise Invalid(f"{f}: must be an object")
            if a.get("staff") not in self.staff:
                raise Invalid(f"{f}/staff: unknown staff {a.get('staff')!r}")
            if a.get("post") not in self.posts:
                raise Invalid(f"{f}/post: unknown post {a.get('post')!r}")
            out.append((a["staff"], a["post"], parse_date(a.get("date"), f"{f}/date")))
        return out

    def _build_calendar(self) -> None:
        hol = holidays()
        self.working: set[dt.date] = set()
        d = self.start
        one = dt.timedelta(days=1)
        while d <= self.end:
            if (d.isoweekday() <= 5 and hol.name(d) is None
                    and not (d.month == 12 and d.day >= 29) and not (d.month == 1 and d.day <= 3)
                    and d not in self.closed):
                self.working.add(d)
            d += one
        # ISO weeks overlapping the period, keyed by their Monday.
        first = self.start - dt.timedelta(days=self.start.weekday())
        self.weeks: list[dt.date] = []
        w = first
        while w <= self.end:
            self.weeks.append(w)
            w += dt.timedelta(days=7)
        self.week_working: dict[dt.date, list[dt.date]] = {
            w: [w + dt.timedelta(days=i) for i in range(7) if w + dt.timedelta(days=i) in self.working]
            for w in self.weeks
        }

    def is_working(self, d: dt.date) -> bool:
        return d in self.working

    def demand(self, pid: str, week: dt.date) -> int:
        p = self.posts[pid]
        days = self.week_working.get(week, [])
        return min(p["dpw"], sum(1 for d in days if d.isoweekday() in p["allowed"]))

    def km(self, sid: str, pid: str) -> int:
        key = (sid, pid)
        v = self._km.get(key)
        if v is None:
            h = self.staff[sid]["home"]
            m = self.munis[self.posts[pid]["muni"]]
            v = km(h[0], h[1], m[0], m[1])
            self._km[key] = v
        return v

    def meets(self, sid: str, pid: str) -> bool:
        sk = self.staff[sid]["skills"]
        return all(sk.get(k, 0) >= lvl for k, lvl in self.posts[pid]["req"].items())

    def in_range(self, sid: str, pid: str) -> bool:
        mt = self.staff[sid]["maxTravel"]
        return mt is None or self.km(sid, pid) <= mt

    def calendar_ok(self, sid: str, pid: str, d: dt.date) -> bool:
        s, p = self.staff[sid], self.posts[pid]
        wd = d.isoweekday()
        return (d in self.working and wd in s["available"] and wd in p["allowed"]
                and d not in s["unavailable"])


def monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


# ---------------------------------------------------------------- scoring

def violations(inst: Instance, plan: list[tuple[str, str, dt.date]]) -> list[dict]:
    out: list[dict] = []

    def v(rule, staff, post, date):
        out.append({"rule": rule, "staff": staff, "post": post, "date": date.isoformat()})

    for sid, pid, d in plan:
        if not inst.meets(sid, pid):
            v("H1", sid, pid, d)
    for (sid, d), n in sorted(Counter((a[0], a[2]) for a in plan).items()):
        if n > 1:
            v("H2", sid, "", d)
    for (pid, d), n in sorted(Counter((a[1], a[2]) for a in plan).items()):
        if n > 1:
            v("H3", "", pid, d)
    for sid, pid, d in plan:
        if not inst.calendar_ok(sid, pid, d):
            v("H4", sid, pid, d)
    for (sid, w), n in sorted(Counter((a[0], monday(a[2])) for a in plan).items()):
        if n > inst.staff[sid]["max"]:
            v("H5", sid, "", w)
    for (pid, w), n in sorted(Counter((a[1], monday(a[2])) for a in plan).items()):
        if n > inst.demand(pid, w):
            v("H6", "", pid, w)
    for sid, pid, d in plan:
        if not inst.in_range(sid, pid):
            v("H7", sid, pid, d)
    present = set(plan)
    for sid, pid, d in inst.pinned:
        if (sid, pid, d) not in present:
            v("H8", sid, pid, d)
    return out


def term_counts(inst: Instance, plan: list[tuple[str, str, dt.date]]) -> dict[str, int]:
    c = dict.fromkeys(TERMS, 0)
    per_post_week = Counter((a[1], monday(a[2])) for a in plan)
    for pid in inst.post_order:
        for w in inst.weeks:
            c["unmetDemand"] += max(0, inst.demand(pid, w) - per_post_week[(pid, w)])
    at = {(a[1], a[2]) for a in plan}
    for pid, d, kind in inst.requests:
        if (pid, d) not in at:
            c["missedRequiredRequest" if kind == "required" else "missedPreferredRequest"] += 1
    distinct: dict[str, set[str]] = defaultdict(set)
    for sid, pid, d in plan:
        if inst.start <= d <= inst.end:
            distinct[pid].add(sid)
    c["continuity"] = sum(len(v) - 1 for v in distinct.values() if v)
    for sid, pid, d in plan:
        if d in inst.staff[sid]["undesired"]:
            c["undesiredDate"] += 1
        pref = inst.posts[pid]["preferred"]
        if pref and d.isoweekday() not in pref:
            c["nonPreferredWeekday"] += 1
        c["travelPerKm"] += inst.km(sid, pid)
    for (sid, w), n in Counter((a[0], monday(a[2])) for a in plan).items():
        c["overTarget"] += max(0, n - inst.staff[sid]["target"])
    present = set(plan)
    for sid, pid, d in inst.baseline:
        if inst.start <= d <= inst.end and (sid, pid, d) not in present:
            c["disruption"] += 1
    return c


def parse_plan(inst: Instance, raw) -> list[tuple[str, str, dt.date]]:
    if not isinstance(raw, dict):
        raise Invalid("plan /: must be a JSON object")
    if raw.get("format", "junkai.plan/1") != "junkai.plan/1":
        raise Invalid(f"plan /format: must be \"junkai.plan/1\", got {raw.get('format')!r}")
    items = raw.get("assignments")
    if not isinstance(items, list):
        raise Invalid("plan /assignments: must be a list")
    out = []
    for i, a in enumerate(items):
        f = f"plan /assignments/{i}"
        if not isinstance(a, dict):
            raise Invalid(f"{f}: must be an object")
        if a.get("staff") not in inst.staff:
            raise Invalid(f"{f}/staff: unknown staff {a.get('staff')!r}")
        if a.get("post") not in inst.posts:
            raise Invalid(f"{f}/post: unknown post {a.get('post')!r}")
        out.append((a["staff"], a["post"], parse_date(a.get("date"), f"{f}/date")))
    return out


def score(inst: Instance, plan: list[tuple[str, str, dt.date]]) -> dict:
    counts = term_counts(inst, plan)
    terms = {t: {"count": counts[t], "value": counts[t] * inst.weights[t]} for t in TERMS}
    viol = violations(inst, plan)
    return {
        "objective": sum(t["value"] for t in terms.values()),
        "feasible": not viol,
        "terms": terms,
        "violations": viol,
    }


def load_json(path: str, what: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise Invalid(f"{what}: cannot read {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise Invalid(f"{what}: not JSON ({e})") from None


def load_instance(path: str) -> Instance:
    return Instance(load_json(path, "instance"))


def score_files(instance_path: str, plan_path: str) -> dict:
    inst = load_instance(instance_path)
    return score(inst, parse_plan(inst, load_json(plan_path, "plan")))


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    as_json = "--json" in argv
    if len(args) != 2:
        print("usage: score.py INSTANCE.json PLAN.json [--json]", file=sys.stderr)
        return 2
    try:
        result = score_files(args[0], args[1])
    except Invalid as e:
        print(f"invalid: {e}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for t in TERMS:
            tv = result["terms"][t]
            print(f"{t:24s} {tv['count']:8d} {tv['value']:10d}")
        print(f"{'objective':24s} {'':8s} {result['objective']:10d}")
        print("feasible" if result["feasible"] else f"INFEASIBLE: {len(result['violations'])} violation(s)")
        for v in result["violations"][:50]:
            print(f"  {v['rule']} staff={v['staff']} post={v['post']} date={v['date']}")
    return 0 if result["feasible"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
