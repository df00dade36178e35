#!/usr/bin/env python3
"""Hand-computed checks of score.py and generate.py (python3 test_score.py, or pytest)."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import score  # noqa: E402


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_law_matches_cabinet_office_2022_to_2027():
    h = score.Holidays()
    for y in range(2022, 2028):
        assert set(score.law_holidays(y)) == {x for x in h.published if x.year == y}, y


def test_law_substitute_and_citizens_holidays():
    h = score.Holidays()
    assert h.name(d("2029-04-30")) == "休日"      # 昭和の日 on Sunday
    assert h.name(d("2030-08-12")) == "休日"      # 山の日 on Sunday
    assert h.name(d("2032-09-21")) == "休日"      # between 敬老の日 and 秋分の日
    assert h.name(d("2028-03-20")) == "春分の日"
    assert h.name(d("2028-01-10")) == "成人の日"
    assert h.name(d("2028-01-11")) is None


def test_rounding_half_away_from_zero():
    assert score.round_half_away(2.5) == 3
    assert score.round_half_away(-2.5) == -3
    assert score.round_half_away(2.4999999999) == 2
    assert score.round_half_away(0.0) == 0


def fixture_two_staff_one_post() -> dict:
    # Week of 2027-05-03: Mon-Wed are holidays, so the post's demand is min(2, 2) = 2.
    return {
        "format": "junkai.instance/1", "name": "hand",
        "period": {"start": "2027-05-03", "end": "2027-05-16"},
        "skills": [{"id": "pm", "name": "PM"}],
        "municipalities": [{"code": "292010", "name": "奈良市", "lat": 34.685, "lon": 135.805}],
        "posts": [{"id": "p", "municipality": "292010", "title": "t", "requirements": {"pm": 2},
                   "daysPerWeek": 2, "preferredWeekdays": [4]}],
        "staff": [
            {"id": "a", "name": "A", "home": {"lat": 34.685, "lon": 135.805}, "skills": {"pm": 3},
             "maxDaysPerWeek": 2, "targetDaysPerWeek": 1, "undesiredDates": ["2027-05-07"]},
            {"id": "b", "name": "B", "home": {"lat": 34.685, "lon": 135.905}, "skills": {"pm": 1},
             "maxDaysPerWeek": 3, "maxTravelKm": 5},
        ],
        "requests": [{"post": "p", "date": "2027-05-06", "kind": "required"},
                     {"post": "p", "date": "2027-05-10", "kind": "preferred"}],
        "baseline": [{"staff": "a", "post": "p", "date": "2027-05-13"}],
    }


def plan(*entries) -> dict:
    return {"format": "junkai.plan/1", "instance": "hand",
            "assignments": [{"staff": s, "post": "p", "date": x} for s, x in entries]}


def test_feasible_plan_terms_by_hand():
    inst = score.Instance(fixture_two_staff_one_post())
    assert inst.demand("p", d("2027-05-03")) == 2
    r = score.score(inst, score.parse_plan(inst, plan(("a", "2027-05-06"), ("a", "2027-05-07"))))
    assert r["feasible"], r["violations"]
    t = {k: v["count"] for k, v in r["terms"].items()}
    # week 1 fully met, week 2 (demand 2) empty; preferred request of 05-10 missed
    assert t == {"unmetDemand": 2, "missedRequiredRequest": 0, "missedPreferredRequest": 1,
                 "continuity": 0, "undesiredDate": 1, "overTarget": 1, "nonPreferredWeekday": 1,
                 "disruption": 1, "travelPerKm": 0}
    assert r["objective"] == 2000 + 50 + 30 + 15 + 10 + 20


def test_duplicate_and_rule_breaks():
    inst = score.Instance(fixture_two_staff_one_post())
    r = score.score(inst, score.parse_plan(inst, plan(
        ("a", "2027-05-06"), ("a", "2027-05-06"), ("b", "2027-05-07"), ("a", "2027-05-08"))))
    rules = sorted({v["rule"] for v in r["violations"]})
    # duplicate: H2+H3; b lacks pm 2 (H1) and lives 9 km away with a 5 km limit (H7);
    # Saturday (H4); 4 entries in a week whose demand is 2 (H6); a has 3 > max 2 (H5)
    assert rules == ["H1", "H2", "H3", "H4", "H5", "H6", "H7"]
    assert not r["feasible"]
    t = {k: v["count"] for k, v in r["terms"].items()}
    assert t["continuity"] == 1 and t["travelPerKm"] == 9
    assert t["overTarget"] == 2  # a: 3 entries, target 1
    assert t["unmetDemand"] == 2  # week 1 over-served counts 0, week 2 unmet 2


def test_invalid_inputs_name_the_field():
    raw = fixture_two_staff_one_post()
    raw["municipalities"][0]["code"] = "292011"
    try:
        score.Instance(raw)
        raise AssertionError("bad check digit accepted")
    except score.Invalid as e:
        assert "/municipalities/0/code" in str(e)
    raw = fixture_two_staff_one_post()
    raw["pinned"] = [{"staff": "a", "post": "p", "date": "2027-05-03"}]  # a holiday: breaks H4
    try:
        score.Instance(raw)
        raise AssertionError("pin on a holiday accepted")
    except score.Invalid as e:
        assert "/pinned/0" in str(e) and "H4" in str(e)


def test_generator_is_deterministic_and_valid():
    a = json.dumps(generate.generate("nara", 3), ensure_ascii=False)
    b = json.dumps(generate.generate("nara", 3), ensure_ascii=False)
    assert a == b
    inst = score.Instance(json.loads(a))
    assert len(inst.posts) == 50 and len(inst.staff) == 22
    assert a != json.dumps(generate.generate("nara", 4), ensure_ascii=False)


if __name__ == "__main__":
    tests = [v for k, v in sorted(globals().items()) if k.startswith("test_")]
    for t in tests:
        t()
        print("ok", t.__name__)
