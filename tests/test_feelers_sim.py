"""The feelers simulation's generator (benchmarks/feelers_sim.py) makes the truths it claims:
the figures of bench_feelers.py are only as good as these."""

import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import feelers_sim as sim  # noqa: E402


@pytest.fixture(scope="module")
def spec() -> dict:
    return sim.plan(17, 300)


def test_the_same_seed_gives_the_same_rows(spec):
    assert sim.plan(17, 300)["mark"] == spec["mark"]
    assert sim.plan(18, 300)["mark"] != spec["mark"]


def test_drifters_drop_on_evaluation_days_outside_the_lull(spec):
    people = spec["communities"]["rhythm"]["people"]
    drifters = [p for p in people if p["truth"]["drifter"]]
    moments = set(sim.rhythm_eval_days())
    assert 0.10 <= len(drifters) / len(people) <= 0.12
    assert Counter(p["truth"]["kind"] for p in drifters)["stop"] in (16, 17)
    for p in drifters:
        drop = p["truth"]["drop"]
        assert drop in moments
        assert drop + timedelta(days=28) in moments
        assert not sim.LULL[0] <= drop < sim.LULL[1]
        assert p["truth"]["rhythm"] != "monthly"
        assert p["role"] == "member"


def test_stopped_drifters_do_nothing_after_their_drop_and_faded_ones_little(spec):
    c = spec["communities"]["rhythm"]
    people = c["people"]
    for i, p in enumerate(people):
        t = p["truth"]
        if not t["drifter"] or t["rhythm"] == "session_only":
            continue
        drop = sim.moment(t["drop"])
        year_before = drop - timedelta(days=126)
        before = sum(1 for a, _v, _o, w, _c in c["events"] if a == i and year_before <= w < drop)
        after = sum(
            1
            for a, _v, _o, w, _c in c["events"]
            if a == i and drop <= w < drop + timedelta(days=126)
        )
        if t["kind"] == "stop":
            assert after == 0
        else:
            assert after < 0.5 * before


def test_the_lull_quietens_everyone_and_holds_no_sessions(spec):
    c = spec["communities"]["rhythm"]
    start, end = sim.moment(sim.LULL[0]), sim.moment(sim.LULL[1])
    assert not any(start <= s < end for s in c["sessions"])
    steady = {i for i, p in enumerate(c["people"]) if not p["truth"]["drifter"]}
    in_lull = sum(1 for a, _v, _o, w, _c in c["events"] if a in steady and start <= w < end)
    six_weeks_before = sum(
        1 for a, _v, _o, w, _c in c["events"] if a in steady and start - (end - start) <= w < start
    )
    assert 0.15 < in_lull / six_weeks_before < 0.35


def test_the_split_stops_crossing_and_its_twin_does_not(spec):
    made = sim.realised(spec)
    assert 0.25 <= made["split"]["cross_share_90d_before"] <= 0.30
    assert made["split"]["cross_share_after"] <= 0.04
    assert made["steady"]["cross_share_after"] >= 0.25
    split, twin = spec["communities"]["split"], spec["communities"]["steady"]
    shift = sim.moment(sim.SHIFT)
    assert [e for e in split["events"] if e[3] < shift] == [
        e for e in twin["events"] if e[3] < shift
    ]


def test_one_voice_dominates_and_one_perspective_goes_unheard(spec):
    made = sim.realised(spec)["dominant"]
    assert 0.38 <= made["dominant_share_after"] <= 0.42
    assert made["dominant_share_8w_before"] < 0.1
    assert made["unheard_members"] >= 8
    assert made["acts_to_unheard"] == 0
    assert made["unheard_acts_to_someone"] < 0.15 * made["unheard_acts"]
