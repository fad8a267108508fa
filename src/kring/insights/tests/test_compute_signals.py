"""Signals per member on constructed histories: drifting (by pace and by missed sessions),
core-group silence, not yet connected, lurker, rising, and the thresholds per community."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.core.dates import long_date
from kring.insights.compute import compute
from kring.insights.document import render
from kring.insights.models import InsightSettings
from kring.insights.tests.histories import (
    act,
    backdate_everyone,
    days_ago,
    join,
    member_of,
    session,
    signals_of,
    weekly,
)
from kring.knowledge.verbs import KnowledgeVerb

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_community, make_user):
    """A community a year old; `now` is the moment the insights are computed for."""
    now = timezone.now()
    facilitator = make_user(full_name="Fenna Facilitator")
    community = make_community(by=facilitator, name="Zorg thuis")
    backdate_everyone(community, days_ago(365, now))

    def person(name: str, *, joined_days_ago: float = 300, role: str = Role.MEMBER):
        return join(
            community,
            make_user,
            at=days_ago(joined_days_ago, now),
            role=role,
            full_name=name,
            email=f"{name.split()[0].lower()}@example.org",
        )

    class History:
        pass

    h = History()
    h.now, h.community, h.facilitator, h.person = now, community, facilitator, person
    h.document = lambda **kw: render(
        compute(community=community, as_of=now, **kw), community=community
    )
    return h


def _drift(h, user) -> tuple[int, int]:
    """Weekly contributions since joining (300 days ago) up to the 6-week window, then one
    early in the window; returns (baseline, recent): the contributions in the 18 weeks
    before the window, and in it."""
    window_start = days_ago(42, h.now)
    base_start = window_start - timedelta(days=126) + timedelta(hours=1)
    weekly(user, h.community, start=base_start - timedelta(days=126), end=base_start)
    baseline = weekly(user, h.community, start=base_start, end=window_start)
    act(user, h.community, window_start + timedelta(days=2))
    return baseline, 1


def test_member_planted_to_drift_is_found_with_reason_and_rule(history):
    """Weekly contributions, then one in the last six weeks: drifting by the pace rule, with
    the counts and the last active day in the reason."""
    anna = history.person("Anna Drift")
    baseline, recent = _drift(history, anna)
    signals = signals_of(history.document(), anna.email)
    drifting = [s for s in signals if s["kind"] == "drifting"]
    assert len(drifting) == 1
    signal = drifting[0]
    assert signal["rule"] == "pace"
    assert signal["params"]["baseline"] == baseline == 18
    assert signal["params"]["recent"] == recent
    last = timezone.localtime(days_ago(40, history.now)).date().isoformat()
    assert signal["since"] == last
    assert signal["reason"] == (
        "1 activity in the last 6 weeks, against 18 in the 18 weeks before; last active on "
        + long_date(last)
    )


def test_steady_member_has_no_signal(history):
    """A member who contributes every week, before and in the window, gets no signal."""
    bram = history.person("Bram Steady")
    weekly(bram, history.community, start=days_ago(168, history.now), end=history.now)
    assert signals_of(history.document(), bram.email) == []


def test_never_active_member_is_a_lurker_not_drifting(history):
    """Someone who never contributed is a lurker (a category, not a problem), and nothing
    else."""
    lies = history.person("Lies Quiet", joined_days_ago=200)
    kinds = [s["kind"] for s in signals_of(history.document(), lies.email)]
    assert kinds == ["lurker"]
    signal = signals_of(history.document(), lies.email)[0]
    assert "not a problem" in signal["reason"]


def test_reader_who_only_marks_useful_is_still_a_lurker(history):
    """Light acts (finding something useful) are not contributions: still a lurker."""
    lies = history.person("Lies Reader", joined_days_ago=200)
    for day in (150, 100, 50, 10):
        act(lies, history.community, days_ago(day, history.now), KnowledgeVerb.MARKED_USEFUL)
    assert "lurker" in [s["kind"] for s in signals_of(history.document(), lies.email)]


def test_core_group_member_drifting_gives_core_silent(history):
    """The same drift for a core-group member is core_silent, and the reason says so."""
    kees = history.person("Kees Core", role=Role.CORE)
    _drift(history, kees)
    signals = signals_of(history.document(), kees.email)
    assert [s["kind"] for s in signals] == ["core_silent"]
    assert signals[0]["reason"].startswith("Core group: ")


def test_facilitator_drifting_gives_core_silent(history):
    """Facilitators count as core group too."""
    _drift(history, history.facilitator)
    kinds = [s["kind"] for s in signals_of(history.document(), history.facilitator.email)]
    assert kinds == ["core_silent"]


def test_newcomer_of_four_weeks_without_ties_is_unconnected(history):
    """A newcomer of four weeks who interacted with no one is not yet connected."""
    nina = history.person("Nina New", joined_days_ago=28)
    act(nina, history.community, days_ago(20, history.now), ConversationVerb.ASKED)
    signals = signals_of(history.document(), nina.email)
    assert [s["kind"] for s in signals] == ["unconnected"]
    assert signals[0]["reason"] == "Joined 4 weeks ago and has not interacted with anyone yet"
    assert signals[0]["since"] == timezone.localtime(days_ago(28, history.now)).date().isoformat()


def test_newcomer_with_a_reply_is_connected(history):
    """One reply to another member is a tie: not unconnected."""
    anna = history.person("Anna Old")
    omar = history.person("Omar New", joined_days_ago=28)
    act(omar, history.community, days_ago(10, history.now), ConversationVerb.REPLIED, other=anna)
    kinds = [s["kind"] for s in signals_of(history.document(), omar.email)]
    assert "unconnected" not in kinds


def test_newcomer_of_one_week_is_not_judged_yet(history):
    """Before newcomer_days (21) a newcomer gets no unconnected or lurker signal."""
    vera = history.person("Vera Week", joined_days_ago=7)
    assert signals_of(history.document(), vera.email) == []


def test_only_a_shared_session_does_not_connect_a_newcomer(history):
    """Sitting in the same session is a weak tie, not an interaction: still unconnected."""
    anna = history.person("Anna Old")
    nina = history.person("Nina New", joined_days_ago=28)
    session(
        history.community,
        history.facilitator,
        days_ago(14, history.now),
        attended=[anna, nina],
    )
    doc = history.document()
    assert "unconnected" in [s["kind"] for s in signals_of(doc, nina.email)]
    assert member_of(doc, nina.email)["degree"] == 1
    assert member_of(doc, nina.email)["strong_degree"] == 0


def test_rising_member(history):
    """Four in the baseline, six in the window: rising, with the counts in the reason."""
    ruben = history.person("Ruben Rising")
    for day in (160, 130, 100, 60):
        act(ruben, history.community, days_ago(day, history.now), ConversationVerb.ANSWERED)
    for day in (40, 33, 26, 19, 12, 5):
        act(ruben, history.community, days_ago(day, history.now), ConversationVerb.ANSWERED)
    signals = signals_of(history.document(), ruben.email)
    assert [s["kind"] for s in signals] == ["rising"]
    assert signals[0]["reason"] == (
        "6 activities in the last 6 weeks, against 4 in the 18 weeks before"
    )


def test_missed_two_sessions_after_regular_attendance_is_drifting(history):
    """Came to the six sessions before, missed the latest two: drifting by the sessions
    rule, since the first missed session; someone excused for them is not."""
    truus = history.person("Truus Absent", joined_days_ago=340)
    els = history.person("Els Excused", joined_days_ago=340)
    starts = [days_ago(d, history.now) for d in (326, 284, 242, 200, 158, 116, 74, 32)]
    for start in starts[:6]:
        session(history.community, history.facilitator, start, attended=[truus, els])
    for start in starts[6:]:
        session(history.community, history.facilitator, start, excused=[els])
    doc = history.document()
    drifting = [s for s in signals_of(doc, truus.email) if s["kind"] == "drifting"]
    assert len(drifting) == 1
    assert drifting[0]["rule"] == "sessions"
    assert drifting[0]["since"] == timezone.localtime(starts[6]).date().isoformat()
    assert drifting[0]["reason"] == (
        "Missed the last 2 sessions after attending 6 of the 6 before them"
    )
    assert "drifting" not in [s["kind"] for s in signals_of(doc, els.email)]


def test_two_misses_of_someone_who_often_misses_one_are_not_yet_drifting(history):
    """Came to seven of the nine sessions before (missing one now and then), then missed the
    latest two: for someone who comes to three in four, two misses in a row happen (6 %);
    a third would make it 1.6 %, unusual."""
    piet = history.person("Piet Vaak", joined_days_ago=340)
    starts = [days_ago(d, history.now) for d in range(330, 0, -30)]  # 11 sessions
    for k, start in enumerate(starts):
        came = k < 9 and k not in (2, 5)
        session(history.community, history.facilitator, start, attended=[piet] if came else [])
    assert "drifting" not in [s["kind"] for s in signals_of(history.document(), piet.email)]


def test_missing_sessions_while_as_active_as_ever_is_not_drifting(history):
    """Came to six of six sessions and missed the latest two, but takes part online every
    week as before: skipping sessions is not drifting away from the community."""
    ria = history.person("Ria Online", joined_days_ago=340)
    starts = [days_ago(d, history.now) for d in (326, 284, 242, 200, 158, 116, 74, 32)]
    for start in starts[:6]:
        session(history.community, history.facilitator, start, attended=[ria])
    for start in starts[6:]:
        session(history.community, history.facilitator, start)
    weekly(ria, history.community, start=days_ago(330, history.now), end=history.now)
    assert "drifting" not in [s["kind"] for s in signals_of(history.document(), ria.email)]


def test_a_bursty_member_in_an_ordinary_quiet_stretch_is_not_drifting(history):
    """Four busy days every seven weeks all year, and six weeks quiet now: nothing in the pace
    window, but no longer quiet than their earlier stretches, so the pace rule leaves it to
    the rhythm rule, which sees nothing unusual."""
    bo = history.person("Bo Burst", joined_days_ago=340)
    for start in range(43, 330, 49):
        for day in range(start, start + 4):
            act(bo, history.community, days_ago(day + 0.5, history.now))
    doc = history.document()
    assert member_of(doc, bo.email)["recent"] == 0
    assert "drifting" not in [s["kind"] for s in signals_of(doc, bo.email)]


def test_missing_sessions_without_regular_attendance_is_not_drifting(history):
    """Someone who came to one of the earlier sessions did not drift from a habit."""
    piet = history.person("Piet Sometimes")
    starts = [days_ago(d, history.now) for d in (200, 158, 116, 74, 32)]
    session(history.community, history.facilitator, starts[0], attended=[piet])
    for start in starts[1:]:
        session(history.community, history.facilitator, start)
    assert "drifting" not in [s["kind"] for s in signals_of(history.document(), piet.email)]


def test_thresholds_from_insight_settings_are_used(history):
    """With a minimum baseline above what the drifter did, there is no usual pace to drift
    from; a lower drift ratio or a window that includes the baseline also changes the answer.
    Her silence of 40 days after a weekly rhythm still stands out by the rhythm rule, which
    these thresholds do not govern."""
    anna = history.person("Anna Drift")
    _drift(history, anna)

    def drift_rules(doc) -> list[str]:
        return [s["rule"] for s in signals_of(doc, anna.email) if s["kind"] == "drifting"]

    assert drift_rules(history.document()) == ["pace"]

    limits = InsightSettings.objects.create(community=history.community, min_baseline=30)
    doc = history.document()
    assert doc["thresholds"]["min_baseline"] == 30
    assert drift_rules(doc) == ["rhythm"]

    limits.min_baseline = 4
    limits.drift_ratio = 0.05
    limits.save()
    assert drift_rules(history.document()) == ["rhythm"]


def test_newcomer_days_setting_is_used(history):
    """newcomer_days=35 leaves a four-week newcomer alone."""
    nina = history.person("Nina New", joined_days_ago=28)
    InsightSettings.objects.create(community=history.community, newcomer_days=35)
    assert signals_of(history.document(), nina.email) == []


def test_as_of_in_the_past_sees_the_member_as_they_were(history):
    """Computed as of a day in the past, a later drift is not there yet, and people who joined
    later are not listed."""
    anna = history.person("Anna Drift")
    _drift(history, anna)
    later = history.person("Lotte Later", joined_days_ago=10)
    past = compute(community=history.community, as_of=days_ago(60, history.now))
    emails = [m["email"] for m in past["members"]]
    assert later.email not in emails
    assert "drifting" not in [s["kind"] for s in signals_of(past, anna.email)]
