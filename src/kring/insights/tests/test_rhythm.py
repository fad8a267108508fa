"""Silence against a member's own rhythm and the community's tide (compute.rhythm), on
constructed histories: a daily contributor, a weekly one, a session-only member, a monthly
poster, a bursty member; a summer lull for everyone; a member quiet while everyone is busy.
Then the same through compute() on a real community, with the reason in Dutch and English."""

import random
from datetime import timedelta

import pytest
from django.utils import translation

from kring.insights import document
from kring.insights.compute import compute, rhythm
from kring.insights.compute.base import iso_day
from kring.insights.tests.histories import act, backdate_everyone, days_ago, join, session

YEAR = rhythm.RHYTHM_DAYS


def _every(step: int, *, start: int, until: int = YEAR - 1) -> list[int]:
    """Active every `step` days from day `start` (counted back from now) to `until`."""
    return list(range(start, until + 1, step))


def _crowd(rng: random.Random, *, quiet: range | None = None, busy: range | None = None) -> dict:
    """Forty members each active on about half the days; within `quiet` on a tenth as many,
    within `busy` on nearly all."""
    crowd = {}
    for uid in range(1000, 1040):
        days = []
        for d in range(YEAR):
            p = 0.5
            if quiet is not None and d in quiet:
                p = 0.05
            if busy is not None and d in busy:
                p = 0.95
            if rng.random() < p:
                days.append(d)
        crowd[uid] = days
    return crowd


def _clock(member_days: list[int], crowd: dict) -> rhythm.Clock:
    everyone = {**crowd, 1: member_days}
    return rhythm.clock(everyone, [YEAR + 30] * len(everyone))


@pytest.fixture
def rng():
    return random.Random(17)


def test_daily_contributor_quiet_for_ten_days_is_noticed(rng):
    """Active on most days all year, then nothing for ten days: far longer than any earlier
    gap, and the reason says so."""
    days = [d for d in range(10, YEAR) if rng.random() < 0.8]
    found = rhythm.silence(days, YEAR - 1, _clock(days, _crowd(rng)))
    assert found is not None
    assert found["silent_days"] == days[0] == 10
    assert found["usual_days"] == 1
    assert found["longest_days"] < 10
    assert found["certainty"] == "high"
    assert found["chance"] <= rhythm.RHYTHM_ALPHA_STRONG


def test_daily_contributor_away_for_a_long_weekend_is_not(rng):
    """Four quiet days is an ordinary weekend away, whatever the rhythm."""
    days = [4, *[d for d in range(5, YEAR) if rng.random() < 0.8]]
    assert rhythm.silence(days, YEAR - 1, _clock(days, _crowd(rng))) is None


def test_session_only_member_skipping_two_sessions_is_noticed_one_is_not(rng):
    """Someone who only comes to the sessions (every three weeks): one missed session is
    ordinary, two in a row is not."""
    crowd = _crowd(rng)
    one_missed = _every(21, start=30)
    assert rhythm.silence(one_missed, YEAR - 1, _clock(one_missed, crowd)) is None
    two_missed = _every(21, start=51)
    found = rhythm.silence(two_missed, YEAR - 1, _clock(two_missed, crowd))
    assert found is not None
    assert (found["usual_days"], found["longest_days"], found["silent_days"]) == (21, 21, 51)


def test_monthly_poster_is_not_noticed_for_an_ordinary_month(rng):
    """Once a month, all year: six weeks without a post is within what such a rhythm does."""
    days = _every(30, start=45)
    assert rhythm.silence(days, YEAR - 1, _clock(days, _crowd(rng))) is None


def test_bursty_member_with_long_quiet_stretches_is_not_noticed_within_them(rng):
    """Bursts of activity with quiet stretches of up to six weeks: a month of quiet now is
    one of those."""
    days, d = [], 30
    while d < YEAR:
        days.extend(range(d, min(YEAR, d + 5)))
        d += 5 + rng.choice([14, 21, 28, 35, 42])
    assert rhythm.silence(days, YEAR - 1, _clock(days, _crowd(rng))) is None


def test_weekly_member_silence_counts_only_since_joining(rng):
    """Weekly for a year, then three weeks quiet: unusual. The same days for someone who
    joined eight weeks ago (the earlier days are not theirs to count): only five gaps to go
    by, and three weeks is not yet unusual for so short a history."""
    days = _every(7, start=21)
    the_clock = _clock(days, _crowd(rng))
    assert rhythm.silence(days, YEAR - 1, the_clock) is not None
    assert rhythm.silence(days, 56, the_clock) is None


def test_a_quiet_summer_for_everyone_lowers_the_expectation(rng):
    """The whole community is at a tenth of its pace for the last six weeks: a weekly member
    quiet for four of those weeks is not singled out. The same silence while the community is
    as busy as ever is."""
    days = _every(7, start=28)
    lull = _clock(days, _crowd(rng, quiet=range(0, 42)))
    assert rhythm.silence(days, YEAR - 1, lull) is None
    assert lull.recent() < 0.5
    usual = _clock(days, _crowd(random.Random(17)))
    found = rhythm.silence(days, YEAR - 1, usual)
    assert found is not None
    assert 0.8 <= found["tide"] <= 1.25


def test_quiet_while_the_community_is_busy_stands_out_more(rng):
    """Every eight days or so (gaps of 6–10 days), then 10 days quiet: ordinary on a usual
    clock, unusual while everyone else is far busier than usual."""
    days, d = [], 10
    while d < YEAR:
        days.append(d)
        d += rng.choice([6, 7, 8, 9, 10])
    ordinary = _clock(days, _crowd(random.Random(3)))
    assert rhythm.silence(days, YEAR - 1, ordinary) is None
    busy = _clock(days, _crowd(random.Random(3), busy=range(0, 14)))
    found = rhythm.silence(days, YEAR - 1, busy)
    assert found is not None
    assert found["tide"] > 1.25


def test_a_growing_community_does_not_speed_up_its_clock():
    """Twice as many members in the second half of the year, each as active as the first:
    the clock runs at the usual pace."""
    crowd = {uid: list(range(0, YEAR, 2)) for uid in range(20)}
    crowd.update({uid: list(range(0, YEAR // 2, 2)) for uid in range(20, 40)})
    joined = [YEAR + 10] * 20 + [YEAR // 2] * 20
    the_clock = rhythm.clock(crowd, joined)
    assert 0.8 <= the_clock.recent() <= 1.25
    assert 0.8 <= the_clock.at[YEAR] / YEAR <= 1.25


def test_tail_chance_is_the_exponential_bound():
    """n gaps and the current one r times the longest: Γ(n+1)Γ(r+1)/Γ(n+r+1); r = 1 is
    1 / (n + 1), the chance that the latest of n + 1 equal gaps is the longest."""
    assert rhythm.tail_chance(9, 1) == pytest.approx(0.1)
    assert rhythm.tail_chance(17, 2) == pytest.approx(2 / (18 * 19))


@pytest.fixture
def regulars(db, make_community, make_user):
    """A community with eight members active every third day for a year, and its
    facilitator. "Now" is yesterday at noon (UTC): the signals' "since" is a local date, and
    between 22:00 and midnight UTC a day 47 days back, across the change from summer time,
    falls on another local date than the same clock time today (a failure seen at 22:17 UTC)."""
    now = days_ago(1).replace(hour=12, minute=0, second=0, microsecond=0)
    facilitator = make_user(full_name="Fenna Facilitator")
    community = make_community(by=facilitator, name="Ritme")
    backdate_everyone(community, days_ago(400, now))
    people = [
        join(community, make_user, at=days_ago(400, now), full_name=f"Lid {i}") for i in range(8)
    ]
    for person in people:
        for d in range(1, YEAR, 3):
            act(person, community, days_ago(d + 0.5, now))
    return now, community, facilitator, people


def test_compute_names_a_daily_member_gone_quiet_with_the_reason(make_user, regulars):
    """Through compute(): a member active nearly every day, silent for 12 days, is drifting
    by the rhythm rule before the pace rule sees anything, with a reason in plain words."""
    now, community, _facilitator, _people = regulars
    daan = join(community, make_user, at=days_ago(400, now), full_name="Daan Dagelijks")
    for d in range(12, YEAR):
        if d % 5:
            act(daan, community, days_ago(d + 0.5, now))
    raw = compute(community=community, as_of=now)
    (row,) = [m for m in raw["members"] if m["email"] == daan.email]
    (signal,) = [s for s in row["signals"] if s["kind"] == "drifting"]
    assert signal["rule"] == "rhythm"
    assert signal["params"]["silent_days"] == 12
    assert signal["since"] == iso_day(now - timedelta(days=12))
    with translation.override("en"):
        reason = document.signal_reason(signal)
    assert reason.startswith("Usually active every day; nothing for 12 days, longer than any")
    assert "Very unusual for this rhythm." in reason
    with translation.override("nl"):
        dutch = document.signal_reason(signal)
    assert "12 dagen" in dutch
    others = [m for m in raw["members"] if m["email"] != daan.email]
    assert not [s for m in others for s in m["signals"] if s["kind"] == "drifting"]


def test_compute_session_only_member_after_two_missed_sessions(make_user, regulars):
    """Someone who only ever comes to the sessions (every three weeks, attendance registered),
    and missed the latest two: noticed by their own rhythm."""
    now, community, facilitator, people = regulars
    sanne = join(community, make_user, at=days_ago(400, now), full_name="Sanne Sessie")
    for k, d in enumerate(range(5, YEAR, 21)):
        attended = people[:3] if k < 2 else [*people[:3], sanne]
        session(community, facilitator, days_ago(d, now), attended=attended)
    raw = compute(community=community, as_of=now)
    (row,) = [m for m in raw["members"] if m["email"] == sanne.email]
    drifting = [s for s in row["signals"] if s["kind"] == "drifting"]
    assert [s["rule"] for s in drifting] == ["rhythm"]
    assert drifting[0]["params"]["usual_days"] == 21
    assert drifting[0]["since"] == iso_day(days_ago(47, now))


def test_a_daily_member_fading_to_a_trickle_is_noticed(rng):
    """Active on most days, then in the last three weeks on only two days (the latest two
    days ago, so there is no long silence): a fade."""
    days = [2, 9, *[d for d in range(21, YEAR) if rng.random() < 0.8]]
    the_clock = _clock(days, _crowd(rng))
    assert rhythm.silence(days, YEAR - 1, the_clock) is None
    found = rhythm.fade(days, YEAR - 1, the_clock)
    assert found is not None
    assert found["window_days"] in rhythm.FADE_WINDOWS
    assert found["active_days"] <= rhythm.FADE_SHARE * found["expected_days"]
    assert found["chance"] <= rhythm.FADE_ALPHA
    assert found["last_day"] == 2


def test_a_bursty_member_between_bursts_is_not_fading(rng):
    """Bursts of several days with quiet weeks between: two active days in the last month is
    within what they do."""
    days, d = [], 0
    while d < YEAR:
        days.extend(range(d, min(YEAR, d + rng.choice([2, 6]))))
        d += rng.choice([10, 20, 30, 40])
    assert rhythm.fade(days, YEAR - 1, _clock(days, _crowd(rng))) is None


def test_pace_drop_of_a_monthly_poster_is_a_chance_dip(rng):
    """Once a month: nothing in the last six weeks happens often; a weekly habit with nothing
    in six weeks does not."""
    crowd = _crowd(rng)
    monthly = _every(30, start=44)
    assert rhythm.drop_chance(monthly, 42, 126, _clock(monthly, crowd), YEAR - 1) > 0.1
    weekly = _every(7, start=43)
    assert rhythm.drop_chance(weekly, 42, 126, _clock(weekly, crowd), YEAR - 1) < 0.01


def test_a_tiny_community_keeps_calendar_time():
    """Two people active on a usual day: too few for a tide, the clock is the calendar."""
    crowd = {1: list(range(0, YEAR, 2)), 2: list(range(1, YEAR, 2)), 3: list(range(50, 90))}
    the_clock = rhythm.clock(crowd, [YEAR + 10] * 3)
    assert the_clock.at[YEAR] == YEAR and the_clock.recent() == 1.0


def test_the_reason_does_not_contradict_itself_when_the_longest_gap_was_in_a_quiet_time():
    """On the community's clock the silence is the longest; in calendar days an earlier gap in
    the summer was longer. The sentence says so instead of "longer than the longest"."""
    signal = {
        "kind": "drifting",
        "rule": "rhythm",
        "params": {
            "usual_days": 4,
            "silent_days": 14,
            "longest_days": 21,
            "gaps": 60,
            "history_days": 365,
            "chance": 0.004,
            "certainty": "medium",
            "tide": 1.0,
        },
    }
    with translation.override("en"):
        reason = document.signal_reason(signal)
    assert "nothing for 14 days, longer than any earlier gap once the community's quiet" in reason
    assert "the longest, 21 days, fell in a quieter time" in reason


def test_active_days_are_counted_back_from_as_of_on_this_database(regulars, make_community):
    """passes.active_days on the database the tests run on (SQLite, and PostgreSQL in CI):
    a second before `as_of` is day 0, a day and a second before is day 1, an attended session
    ten and a half days before is day 10, 364.5 days is day 364; a year and a day is out, and
    so is an act in another community."""
    from kring.communities.models import Membership
    from kring.insights.compute import passes

    now, community, facilitator, people = regulars
    anna = people[0]
    as_of = now + timedelta(days=1000)  # past everything the fixture made
    for ago in (timedelta(seconds=1), timedelta(days=1, seconds=1), timedelta(days=364.5)):
        act(anna, community, as_of - ago)
    act(anna, community, as_of - timedelta(days=366))
    other = make_community(by=facilitator, name="Elders")
    act(facilitator, other, as_of - timedelta(days=2))
    session(community, facilitator, as_of - timedelta(days=10.5), attended=[anna])
    members = Membership.objects.filter(community=community).values("user_id")
    days = passes.active_days(community, members, as_of, YEAR)
    assert days[anna.pk] == [0, 1, 10, 364]
    assert facilitator.pk not in days


def test_the_document_and_the_dashboard_tell_the_tide(regulars):
    """The raw document carries the tide of the last four weeks; the dashboard says in words
    when the community is clearly quieter or busier than usual, and nothing otherwise."""
    from kring.insights.selectors_dashboard import _tide_note

    now, community, _facilitator, _people = regulars
    raw = compute(community=community, as_of=now)
    assert raw["tide"]["days"] == rhythm.TIDE_RECENT_DAYS
    assert 0.8 <= raw["tide"]["level"] <= 1.25
    with translation.override("en"):
        assert _tide_note(raw["tide"]) == ""
        quiet = _tide_note({"days": 28, "level": 0.42})
        busy = _tide_note({"days": 28, "level": 1.6})
    assert quiet.startswith("The community is quieter than usual: about 42% of its usual")
    assert busy.startswith("The community is busier than usual: about 160% of its usual")
