"""Series generation and edits: the method's six-weekly rhythm, DST, this vs following."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kring.meetings import recurrence, services, services_rsvp, services_series
from kring.meetings.models import Rsvp, Series, Session, SessionStatus
from kring.meetings.tests.conftest import AMSTERDAM, local

pytestmark = pytest.mark.django_db


def test_default_series_is_six_weekly_for_eighteen_months(make_series):
    """Without a rule: occurrences exactly six weeks apart, up to and including the end date,
    all at 19:30 Amsterdam time across daylight-saving changes."""
    series = make_series(first_start=local(2027, 1, 12, 19, 30))
    starts = list(Session.objects.filter(series=series).values_list("starts_at", flat=True))
    locals_ = [s.astimezone(AMSTERDAM) for s in starts]
    assert locals_[0].date() == date(2027, 1, 12)
    for a, b in zip(locals_, locals_[1:], strict=False):
        assert b.date() - a.date() == timedelta(weeks=6)
    assert all((d.hour, d.minute) == (19, 30) for d in locals_)
    # 18 months after 12 Jan 2027 is 12 Jul 2028; the last occurrence is on or before it.
    assert locals_[-1].date() <= date(2028, 7, 12) < locals_[-1].date() + timedelta(weeks=6)
    assert len(locals_) == 14
    # UTC offsets differ between winter and summer: the local time is what stays.
    assert {d.utcoffset() for d in locals_} == {timedelta(hours=1), timedelta(hours=2)}


def test_series_until_date_is_inclusive(make_series):
    """A series ending on the date of an occurrence includes that occurrence."""
    rule = recurrence.rule_every_weeks(6, until=date(2027, 4, 6))
    series = make_series(first_start=local(2027, 1, 12, 19, 30), rule=rule)
    assert Session.objects.filter(series=series).count() == 3


def test_monthly_nth_weekday_with_count(make_series):
    """The second Tuesday of the month, five times."""
    rule = recurrence.rule_monthly_nth_weekday(2, "TU", count=5)
    series = make_series(first_start=local(2027, 1, 12, 10, 0), rule=rule)
    days = [
        s.astimezone(AMSTERDAM).date() for s in series.sessions.values_list("starts_at", flat=True)
    ]
    assert days == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
    ]


def test_move_one_keeps_rsvps_and_identity(kring, make_series):
    """Moving one occurrence keeps its RSVPs and its place in the rule."""
    series = make_series(first_start=local(2030, 1, 8, 19, 30))
    second = series.sessions.order_by("starts_at")[1]
    services_rsvp.rsvp_set(session=second, user=kring.anna, response="yes")
    moved = services.session_update(
        session=second, by=kring.facilitator, starts_at=second.starts_at + timedelta(days=1)
    )
    assert moved.is_moved
    assert Rsvp.objects.filter(session=moved, user=kring.anna).exists()
    assert series.sessions.count() == Session.objects.filter(series=series).count()


def test_edit_following_splits_the_series(kring, make_series):
    """Moving "this and following" an hour later splits the rhythm and keeps earlier ones."""
    series = make_series(first_start=local(2030, 1, 8, 19, 30))
    sessions = list(series.sessions.order_by("starts_at"))
    third = sessions[2]
    services_rsvp.rsvp_set(session=sessions[4], user=kring.bram, response="yes")
    services_series.session_update_following(
        session=third,
        by=kring.facilitator,
        starts_at=third.starts_at + timedelta(hours=1),
    )
    times = [
        s.starts_at.astimezone(AMSTERDAM)
        for s in Session.objects.filter(community=kring.community).order_by("starts_at")
    ]
    assert [(t.hour, t.minute) for t in times[:2]] == [(19, 30), (19, 30)]
    assert all((t.hour, t.minute) == (20, 30) for t in times[2:])
    assert Series.objects.filter(community=kring.community).count() == 2
    assert Rsvp.objects.filter(user=kring.bram, session=sessions[4]).exists()
    assert (
        len(
            recurrence.occurrences(
                series.__class__.objects.get(pk=series.pk).rrule,
                series.first_start,
                series.timezone,
            )
        )
        == 2
    )


def test_cancel_following(kring, make_series):
    """Cancelling "this and following" cancels the rest of the series, not the earlier ones."""
    series = make_series(first_start=local(2030, 1, 8, 19, 30))
    sessions = list(series.sessions.order_by("starts_at"))
    services.session_cancel(
        session=sessions[3], by=kring.facilitator, scope="following", reason="Subsidie stopt"
    )
    statuses = list(series.sessions.order_by("starts_at").values_list("status", flat=True))
    assert statuses[:3] == [SessionStatus.SCHEDULED] * 3
    assert set(statuses[3:]) == {SessionStatus.CANCELLED}


def test_only_facilitators_plan(kring, make_series):
    """A member can't plan a series; nothing is saved."""
    with pytest.raises(PermissionDenied):
        make_series(by=kring.anna)
    assert not Session.objects.exists()


def test_bad_rule_saves_nothing(make_series):
    """A malformed or endless rule gets a clear error and creates no sessions."""
    for rule in ("FREQ=WEEKLY", "NONSENSE", "FREQ=DAILY;COUNT=500"):
        with pytest.raises(ValidationError):
            make_series(rule=rule)
    assert not Session.objects.exists()


def test_waiting_list(kring, make_session):
    """With two places (one the planner's), the second yes waits; when the first says no,
    the second gets the place."""
    session = make_session(capacity=2)
    first = services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    second = services_rsvp.rsvp_set(session=session, user=kring.bram, response="yes")
    assert not first.waitlisted and second.waitlisted
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="no")
    second.refresh_from_db()
    assert not second.waitlisted


def test_outsider_cannot_rsvp(kring, make_session):
    """Someone outside the community can't answer."""
    session = make_session()
    with pytest.raises(PermissionDenied):
        services_rsvp.rsvp_set(session=session, user=kring.outsider, response="yes")
