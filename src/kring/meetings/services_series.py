"""Writes for a series of sessions: planning a rhythm in one go, and changing a session
together with the following ones of its series (a move splits the series in two).

One session on its own is planned and changed in `services`; both check and record a change
with the same core there."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.core import daterange
from kring.core.models import Verb
from kring.core.services import activity_record
from kring.meetings import recurrence
from kring.meetings.details import DETAIL_FIELDS, clean_duration
from kring.meetings.models import DEFAULT_TIMEZONE, Series, Session
from kring.meetings.services import (
    _Change,
    _change_check,
    _change_done,
    _facilitators,
    _following,
    _plan_check,
    _planned,
    session_update,
)


@transaction.atomic
def series_create(
    *,
    community: Community,
    by: User,
    first_start: datetime,
    rule: str | None = None,
    duration_minutes: int = 120,
    tz: str = DEFAULT_TIMEZONE,
    facilitators: Iterable[User] | None = None,
    at: datetime | None = None,
    **details: Any,
) -> Series:
    """Plan a rhythm of sessions in one go. Without a rule: every six weeks for eighteen months."""
    clean = _plan_check(community=community, by=by, details=details)
    duration = clean_duration(duration_minutes)
    if timezone.is_naive(first_start):
        raise ValidationError({"first_start": _("Give the start with its time zone.")})
    daterange.check(first_start, "first_start")
    rule = rule or recurrence.default_rule(first_start, tz)
    starts = recurrence.occurrences(rule, first_start, tz)
    daterange.check(starts[-1], "rrule")
    people = _facilitators(community, facilitators, by)
    at = at or timezone.now()
    series = Series.objects.create(
        community=community,
        title=clean["title"],
        rrule=rule,
        first_start=starts[0],
        duration_minutes=duration,
        timezone=tz,
        created_by=by,
        created_at=at,
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                community=community,
                series=series,
                original_start=start,
                starts_at=start,
                ends_at=start + timedelta(minutes=duration),
                timezone=tz,
                created_by=by,
                created_at=at,
                **clean,
            )
            for start in starts
        ]
    )
    through = Session.facilitators.through
    through.objects.bulk_create(
        [through(session_id=s.pk, user_id=p.pk) for s in sessions for p in people]
    )
    event = activity_record(
        actor=by,
        verb=Verb.SESSION_PLANNED,
        community=community,
        target=series,
        at=at,
        data={"sessions": len(sessions), "first": starts[0].isoformat()},
    )
    _planned(community=community, by=by, sessions=sessions, event=event, at=at)
    return series


@transaction.atomic
def session_update_following(
    *,
    session: Session,
    by: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    facilitators: Iterable[User] | None = None,
    at: datetime | None = None,
    **details: Any,
) -> Session:
    """Change a session and the following ones of its series (one outside a series: just it).

    Moving them splits the series: the old rhythm ends before this session and a new series
    continues from it, carrying the same sessions (and their RSVPs) along."""
    if session.series_id is None:
        return session_update(
            session=session,
            by=by,
            starts_at=starts_at,
            ends_at=ends_at,
            facilitators=facilitators,
            at=at,
            **details,
        )
    change = _change_check(
        session=session,
        by=by,
        starts_at=starts_at,
        ends_at=ends_at,
        facilitators=facilitators,
        details=details,
    )
    at = at or timezone.now()
    targets = list(_following(session))
    tz = session.timezone
    local = recurrence.zone(tz)
    delta = change.start.astimezone(local).replace(tzinfo=None) - session.starts_at.astimezone(
        local
    ).replace(tzinfo=None)
    series = session.series
    assert series is not None  # checked above
    moved_to = None
    if change.moved:
        moved_to = _series_split(series, session=session, change=change, delta=delta, by=by, at=at)
    elif "title" in change.clean and session.original_start == series.first_start:
        series.title = change.clean["title"]
        series.save(update_fields=["title", "updated_at"])
    for target in targets:
        _follow(target, change, delta=delta, tz=tz, series=moved_to)
    _following_save(targets, people=change.people)
    return _change_done(
        session=session, by=by, change=change, targets=targets, scope="following", at=at
    )


def _shift_local(moment: datetime, delta: timedelta, tz: str) -> datetime:
    """Move by a wall-clock delta in local time, so 19:30 -> 20:00 holds across DST."""
    tzinfo = recurrence.zone(tz)
    local = moment.astimezone(tzinfo).replace(tzinfo=None) + delta
    return recurrence._aware(local, tzinfo)


def _series_split(
    series: Series,
    *,
    session: Session,
    change: _Change,
    delta: timedelta,
    by: User,
    at: datetime,
) -> Series:
    """Split for a move: the old rhythm stops before this session, a new one carries on from
    it. Moving from the first session moves the whole series instead. Returns the series the
    moved sessions belong to."""
    tz = session.timezone
    original_start = session.original_start
    assert original_start is not None  # every session of a series has its place in the rule
    old_rule = series.rrule
    if original_start == series.first_start:
        moved_to = series
    else:
        series.rrule = recurrence.rule_until_before(old_rule, original_start, tz)
        series.save(update_fields=["rrule", "updated_at"])
        moved_to = Series.objects.create(
            community=series.community,
            title=change.clean.get("title", series.title),
            rrule=old_rule,
            first_start=original_start,
            duration_minutes=series.duration_minutes,
            timezone=tz,
            created_by=by,
            continues=series,
            created_at=at,
        )
    moved_to.first_start = _shift_local(moved_to.first_start, delta, tz)
    moved_to.duration_minutes = change.duration
    if "title" in change.clean:
        moved_to.title = change.clean["title"]
    moved_to.save()
    _rule_fix_count(moved_to, old_series=series, session=session)
    return moved_to


def _rule_fix_count(new_series: Series, *, old_series: Series, session: Session) -> None:
    """A COUNT rule split in two: the new part keeps only the occurrences that remain."""
    if "COUNT=" not in new_series.rrule:
        return
    remaining = (
        Session.objects.filter(
            series=old_series, original_start__gte=session.original_start
        ).count()
        or Session.objects.filter(series=new_series).count()
    )
    parts = [p for p in new_series.rrule.split(";") if not p.startswith("COUNT=")]
    new_series.rrule = ";".join([*parts, f"COUNT={max(remaining, 1)}"])
    new_series.save(update_fields=["rrule"])


def _follow(
    target: Session, change: _Change, *, delta: timedelta, tz: str, series: Series | None
) -> None:
    """One of the following sessions takes the change (not saved yet); when they move
    (`series` is where they move to), it shifts by the same wall-clock time."""
    for name, value in change.clean.items():
        setattr(target, name, value)
    if series is not None:
        assert target.original_start is not None  # a session of a series
        target.original_start = _shift_local(target.original_start, delta, tz)
        target.starts_at = _shift_local(target.starts_at, delta, tz)
        target.ends_at = target.starts_at + timedelta(minutes=change.duration)
        target.series = series
        target.reminder_sent_at = None
        # A later session moved along must stay in range too (the split rolls back).
        daterange.check(target.ends_at, "starts_at")
    target.sequence += 1


def _following_save(targets: list[Session], *, people: list[User] | None) -> None:
    # Two passes keep the (series, original_start) constraint satisfied while shifting:
    # detach, then write the new places.
    Session.objects.filter(pk__in=[t.pk for t in targets]).update(series=None)
    Session.objects.bulk_update(
        targets,
        [
            *DETAIL_FIELDS,
            "original_start",
            "starts_at",
            "ends_at",
            "series",
            "sequence",
            "reminder_sent_at",
        ],
    )
    if people is not None:
        through = Session.facilitators.through
        through.objects.filter(session__in=targets).delete()
        through.objects.bulk_create(
            [through(session_id=t.pk, user_id=p.pk) for t in targets for p in people]
        )
