#!/usr/bin/env python3
"""Seeded generator of realistic junkai.instance/1 instances.

    generate.py --preset nara --seed 1 [-o FILE]
    generate.py --preset nara --seed 1 --replan-from PLAN.json [-o FILE]
    generate.py --base INSTANCE.json --replan-from PLAN.json --seed 1 [-o FILE]

Municipalities come from the built-in register (Sources/JunkaiCore/Resources/
lg_register.csv); the skill catalogue, post titles, staff names and the mix of
requirement levels, days per week, weekdays, dates and requests mimic
/work/shared/examples/nara-q1.instance.json. The same preset and seed always
give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTER = os.path.join(HERE, "..", "..", "Sources", "JunkaiCore", "Resources", "lg_register.csv")
sys.path.insert(0, HERE)
import score  # noqa: E402  (calendar, distance and validation shared with the scorer)

SKILLS = [
    ("producer", "プロデューサー（CIO補佐官等）"),
    ("pm", "プロジェクトマネジメント"),
    ("service-design", "サービスデザイン・業務改革"),
    ("engineer", "エンジニア（RPA・ローコード）"),
    ("security", "情報セキュリティ"),
    ("data", "データ利活用・EBPM"),
    ("standardization", "基幹業務システム標準化・ガバメントクラウド"),
    ("online", "行政手続オンライン化・マイナポータル"),
]

# title, weight (how often the example has it), primary skill, secondary skill or None
POST_KINDS = [
    ("標準化・ガバクラ移行PM", 11, "standardization", "pm"),
    ("RPA・ローコード開発支援", 8, "engineer", None),
    ("データ利活用・EBPM支援", 7, "data", None),
    ("DX推進アドバイザー", 6, "service-design", "pm"),
    ("CIO補佐官", 5, "producer", None),
    ("オンライン申請推進", 5, "online", "engineer"),
    ("業務改革（BPR）支援", 4, "service-design", None),
    ("情報セキュリティアドバイザー", 4, "security", None),
]

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
            "山崎", "森", "池田", "橋本", "阿部", "石川", "前田", "藤田", "小川", "岡田"]
GIVEN = ["拓也", "彩", "美咲", "陽子", "直樹", "誠", "大輔", "亮", "健一", "翔", "真由美",
         "恵", "裕子", "健太", "由美", "隆", "修", "愛", "結衣", "浩", "奈々", "剛", "智子", "悠斗"]

REGIONS = [
    ["京都府", "滋賀県", "奈良県", "三重県"],
    ["宮城県", "山形県", "福島県"],
    ["岡山県", "広島県", "鳥取県", "島根県"],
    ["長野県", "山梨県", "静岡県"],
    ["福岡県", "佐賀県", "熊本県", "大分県"],
]

PRESETS = {
    # posts, staff, period, area, travel-limit share, weights, closed dates
    "tiny": dict(posts=5, staff=3, start="2027-04-05", end="2027-05-02", area="one", prefecture="奈良県"),
    "nara": dict(posts=50, staff=22, start="2027-04-01", end="2027-06-30", area="one", prefecture="奈良県"),
    "region150": dict(posts=160, staff=80, start="2027-07-01", end="2027-09-30", area="region",
                      weights={"travelPerKm": 2, "overTarget": 20}),
    "fy110": dict(posts=110, staff=55, start="2027-04-01", end="2028-03-31", area="one",
                  prefecture="長野県", closed=["2027-08-13", "2027-12-28"]),
    # A quarter of a rural prefecture with 40-60 posts (posts, staff and prefecture drawn from the seed):
    # small enough for CP-SAT to prove the optimum in minutes, hard enough that a search can stop short.
    "mid": dict(posts_range=(40, 60), staff_ratio=0.48, start="2027-07-01", end="2027-09-30", area="one",
                prefecture_choices=["島根県", "鳥取県", "高知県", "秋田県", "岩手県", "徳島県", "山形県", "宮崎県"]),
    "national": dict(posts=2400, staff=1100, start="2027-11-15", end="2028-02-13", area="national",
                     no_limit_share=0.0),
}


def load_register() -> list[dict]:
    with open(REGISTER, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if r["kind"] in ("city", "town", "village", "special-ward")]


def choose_weighted(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights=weights, k=1)[0]


def weekdays_subset(rng: random.Random, n: int, pool=(1, 2, 3, 4, 5)) -> list[int]:
    return sorted(rng.sample(list(pool), n))


def period_weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], start
    while d <= end:
        if d.isoweekday() <= 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def offset_point(rng: random.Random, lat: float, lon: float, sigma_km: float) -> tuple[float, float]:
    dy = rng.gauss(0, sigma_km)
    dx = rng.gauss(0, sigma_km)
    lat2 = lat + dy / 111.0
    lon2 = lon + dx / (111.0 * math.cos(math.radians(lat)))
    return round(lat2, 5), round(lon2, 5)


def pick_area(rng: random.Random, cfg: dict, register: list[dict]) -> list[dict]:
    if cfg["area"] == "national":
        return register
    if cfg["area"] == "region":
        prefs = set(cfg.get("prefectures") or rng.choice(REGIONS))
    else:
        prefs = {cfg["prefecture"]}
    return [r for r in register if r["prefecture"] in prefs]


def make_posts(rng: random.Random, n: int, munis: list[dict], national: bool) -> list[dict]:
    # Every municipality of a national instance has at least one post; the rest go
    # preferably to cities, which run more DX projects at once.
    kind_w = {"city": 3.0, "special-ward": 3.0, "town": 1.2, "village": 0.8}
    chosen: list[dict] = []
    if national or n >= len(munis):
        chosen = list(munis)
        rng.shuffle(chosen)
    while len(chosen) < n:
        chosen.append(choose_weighted(rng, munis, [kind_w[m["kind"]] for m in munis]))
    chosen = chosen[:n]
    posts = []
    width = max(4, len(str(n)))
    for i, m in enumerate(chosen, 1):
        title, _, primary, secondary = choose_weighted(rng, POST_KINDS, [k[1] for k in POST_KINDS])
        req = {primary: choose_weighted(rng, [2, 3, 4], [3, 4, 3])}
        if secondary:
            req[secondary] = choose_weighted(rng, [1, 2, 3, 4], [2, 3, 4, 1])
        if title == "DX推進アドバイザー":  # the example lists pm first for this title
            req = {"pm": req["pm"], "service-design": req["service-design"]}
        p = {
            "id": f"p{i:0{width}d}",
            "municipality": m["code"],
            "title": f"{m['prefecture']}{m['name'].replace(' ', '')} {title}",
            "requirements": req,
            "daysPerWeek": choose_weighted(rng, [1, 2, 3], [56, 40, 4]),
        }
        allowed = [1, 2, 3, 4, 5]
        if rng.random() < 0.26:
            allowed = weekdays_subset(rng, 3)
            p["allowedWeekdays"] = allowed
        npref = choose_weighted(rng, [0, 1, 2], [48, 32, 20])
        if npref:
            p["preferredWeekdays"] = sorted(rng.sample(allowed, npref))
        posts.append(p)
    return posts


def make_staff(rng: random.Random, n: int, posts: list[dict], muni_pos: dict, cfg: dict,
               start: dt.date, end: dt.date) -> list[dict]:
    weekdays = period_weekdays(start, end)
    weeks = max(1.0, len(weekdays) / 5)
    scale = weeks / 13  # the example's date counts are for a quarter
    demand = sum(p["daysPerWeek"] for p in posts)
    # Anchor each staff member on a post so that homes sit near the posts they can serve.
    anchors = rng.sample(posts, n) if n <= len(posts) else [rng.choice(posts) for _ in range(n)]
    no_limit_share = cfg.get("no_limit_share", 0.22)
    width = max(3, len(str(n)))
    staff = []
    for i, anchor in enumerate(anchors, 1):
        lat, lon = muni_pos[anchor["municipality"]]
        home = offset_point(rng, lat, lon, 8.0)
        skills = {}
        for k, lvl in anchor["requirements"].items():
            skills[k] = min(5, lvl + choose_weighted(rng, [0, 1, 2], [4, 4, 2]))
        for k, _ in rng.sample(SKILLS, choose_weighted(rng, [0, 1, 2, 3], [2, 4, 3, 1])):
            if k not in skills:
                skills[k] = choose_weighted(rng, [1, 2, 3, 4, 5], [2, 3, 3, 2, 1])
        mx = choose_weighted(rng, [2, 3, 4, 5], [10, 50, 27, 13])
        s = {
            "id": f"s{i:0{width}d}",
            "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            "home": {"lat": home[0], "lon": home[1]},
            "skills": skills,
            "maxDaysPerWeek": mx,
            "targetDaysPerWeek": mx,
        }
        r = rng.random()
        if r < 0.30:
            s["availableWeekdays"] = weekdays_subset(rng, 3)
        elif r < 0.45:
            s["availableWeekdays"] = weekdays_subset(rng, 4)
        if rng.random() >= no_limit_share:
            to_anchor = score.km(home[0], home[1], lat, lon)
            s["maxTravelKm"] = max(to_anchor + 5, rng.randint(30, 80))
        s["unavailableDates"] = sorted(d.isoformat() for d in rng.sample(
            weekdays, min(len(weekdays), round(rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 7]) * scale))))
        s["undesiredDates"] = sorted(d.isoformat() for d in rng.sample(
            weekdays, min(len(weekdays), round(rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 7]) * scale))))
        if cfg["area"] != "national" and weeks > 40 and rng.random() < 0.5:
            # A long instance has summer leave: a block of consecutive unavailable days.
            first = rng.choice([d for d in weekdays if d.month == 8] or weekdays)
            block = {(first + dt.timedelta(days=k)).isoformat() for k in range(rng.randint(3, 7))}
            s["unavailableDates"] = sorted(set(s["unavailableDates"]) | block)
        staff.append(s)
    # Capacity a little above demand in total; skills, weekdays and distance then make it
    # fall short in places, so unmetDemand stays a live term.
    target_cap = round(demand * 1.04)
    cap = sum(s["maxDaysPerWeek"] for s in staff)
    guard = 0
    while cap != target_cap and guard < 100000:
        guard += 1
        s = rng.choice(staff)
        if cap < target_cap and s["maxDaysPerWeek"] < 5:
            s["maxDaysPerWeek"] += 1
            cap += 1
        elif cap > target_cap and s["maxDaysPerWeek"] > 1:
            s["maxDaysPerWeek"] -= 1
            cap -= 1
    for s in staff:
        mx = s["maxDaysPerWeek"]
        s["targetDaysPerWeek"] = mx if rng.random() < 0.45 or mx == 1 else mx - 1
    # Keep the example's key order.
    order = ["id", "name", "home", "skills", "maxDaysPerWeek", "targetDaysPerWeek",
             "availableWeekdays", "maxTravelKm", "unavailableDates", "undesiredDates"]
    return [{k: s[k] for k in order if k in s} for s in staff]


def make_requests(rng: random.Random, posts: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    weekdays = period_weekdays(start, end)
    scale = max(1.0, len(weekdays) / 5) / 13
    out = []
    for p in posts:
        # Poisson with the example's rate (71 requests for 50 posts in a quarter).
        n, limit, prod = 0, math.exp(-1.42 * scale), rng.random()
        while prod > limit:
            n += 1
            prod *= rng.random()
        for _ in range(n):
            out.append({"post": p["id"], "date": rng.choice(weekdays).isoformat(),
                        "kind": "required" if rng.random() < 0.5 else "preferred"})
    return out


def generate(preset: str, seed: int, name: str | None = None, overrides: dict | None = None) -> dict:
    """The instance of a preset and seed; `overrides` replaces preset settings (crosscheck.py varies them)."""
    if preset not in PRESETS:
        raise ValueError(f"--preset: unknown preset {preset!r} (one of {', '.join(PRESETS)})")
    cfg = dict(PRESETS[preset], **(overrides or {}))
    rng = random.Random(f"junkai-bench:{preset}:{seed}")
    if "posts_range" in cfg:
        cfg["posts"] = rng.randint(*cfg["posts_range"])
        cfg["staff"] = round(cfg["posts"] * cfg["staff_ratio"])
    if "prefecture_choices" in cfg:
        cfg["prefecture"] = rng.choice(cfg["prefecture_choices"])
    start, end = dt.date.fromisoformat(cfg["start"]), dt.date.fromisoformat(cfg["end"])
    area = pick_area(rng, cfg, load_register())
    posts = make_posts(rng, cfg["posts"], area, cfg["area"] == "national")
    used = {p["municipality"] for p in posts}
    munis = [{"code": r["code"], "name": f"{r['prefecture']}{r['name'].replace(' ', '')}",
              "lat": float(r["lat"]), "lon": float(r["lon"])} for r in area if r["code"] in used]
    munis.sort(key=lambda m: m["code"])
    muni_pos = {m["code"]: (m["lat"], m["lon"]) for m in munis}
    staff = make_staff(rng, cfg["staff"], posts, muni_pos, cfg, start, end)
    inst = {
        "format": "junkai.instance/1",
        "name": name or f"{preset}-s{seed}",
        "period": {"start": cfg["start"], "end": cfg["end"]},
        "closedDates": list(cfg.get("closed", [])),
    }
    if cfg.get("weights"):
        inst["weights"] = dict(cfg["weights"])
    inst["skills"] = [{"id": k, "name": v} for k, v in SKILLS]
    inst["municipalities"] = munis
    inst["posts"] = posts
    inst["staff"] = staff
    inst["requests"] = make_requests(rng, posts, start, end)
    return inst


def replan(base: dict, plan: dict, seed: int) -> dict:
    """A replanning variant: the plan becomes the baseline, a few staff lose days, a few days are pinned."""
    rng = random.Random(f"junkai-bench:replan:{base.get('name')}:{seed}")
    inst = json.loads(json.dumps(base))
    base_inst = score.Instance(base)
    assignments = score.parse_plan(base_inst, plan)
    inst["name"] = f"{base.get('name', 'instance')}-replan"
    inst["baseline"] = [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in assignments]
    by_staff: dict[str, list] = {}
    for a in assignments:
        by_staff.setdefault(a[0], []).append(a)
    staff_ids = sorted(by_staff)
    hit = rng.sample(staff_ids, min(len(staff_ids), max(1, len(base_inst.staff) // 10)))
    lost: set[tuple[str, dt.date]] = set()
    staff_json = {s["id"]: s for s in inst["staff"]}
    for sid in hit:
        days = sorted({a[2] for a in by_staff[sid]})
        # Illness or a training course: a run of consecutive assigned days.
        k = min(len(days), rng.randint(1, 5))
        first = rng.randrange(0, len(days) - k + 1)
        new = days[first:first + k]
        lost.update((sid, d) for d in new)
        s = staff_json[sid]
        s["unavailableDates"] = sorted(set(s.get("unavailableDates", [])) | {d.isoformat() for d in new})
    candidates = [a for a in assignments if (a[0], a[2]) not in lost]
    want = max(1, len(base_inst.posts) // 10)
    pins: list[tuple[str, str, dt.date]] = []
    for a in rng.sample(candidates, len(candidates)):
        if len(pins) >= want:
            break
        trial = pins + [a]
        inst["pinned"] = [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in trial]
        try:
            score.Instance(inst)
        except score.Invalid:
            continue
        pins = trial
    inst["pinned"] = [{"staff": s, "post": p, "date": d.isoformat()} for s, p, d in pins]
    return inst


def dump(inst: dict, path: str | None) -> None:
    compact = len(inst["posts"]) > 500
    text = json.dumps(inst, ensure_ascii=False, indent=None if compact else 1,
                      separators=(",", ":") if compact else None)
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--base", help="replan this instance file instead of a generated preset")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--name")
    ap.add_argument("--replan-from", metavar="PLAN.json")
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    if bool(a.preset) == bool(a.base):
        ap.error("give exactly one of --preset and --base")
    try:
        if a.base:
            base = score.load_json(a.base, "--base")
        else:
            base = generate(a.preset, a.seed, a.name)
        if a.replan_from:
            inst = replan(base, score.load_json(a.replan_from, "--replan-from"), a.seed)
        elif a.base:
            ap.error("--base needs --replan-from")
        else:
            inst = base
        score.Instance(inst)  # never write an instance the tools would reject
    except score.Invalid as e:
        print(f"invalid: {e}", file=sys.stderr)
        return 2
    dump(inst, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
