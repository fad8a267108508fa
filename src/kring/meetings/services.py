"""Writes for sessions: planning a single session, changing one session, cancelling (one or the
following ones), materials, and registering who attended. Also the core that planning and
changing share with a series (`services_series`: a rhythm in one go, this and following).

What a session's fields may hold is in `details`; RSVPs and the waiting list are in
`services_rsvp`, the learning cycle in `services_learning`, the calendar feed in
`services_calendar`."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.communities.selectors import non_members
from kring.core import daterange, notices
from kring.core.models import ActivityEvent, Verb
from kring.core.services import activity_record
from kring.knowledge.models import KnowledgeItem
from kring.meetings import permissions, recurrence
from kring.meetings.details import DETAIL_FIELDS, check_where, clean_details, clean_duration
from kring.meetings.models import (
    DEFAULT_TIMEZONE,
    Attendance,
    AttendanceStatus,
    Rsvp,
    RsvpResponse,
    Session,
    SessionStatus,
)
from kring.meetings.services_rsvp import waiting_list_promote

CANCEL_STARTED = gettext_lazy(
    "This session has already started or taken place, so it can't be cancelled. "
    "You can record who attended instead."
)
# A change or a cancellation applies to this session, or to it and the following ones.
SCOPES = ("this", "following")


def scope_check(scope: str) -> None:
    """A change or a cancellation for "this" session or "following" (it and the later ones)."""
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Choose this session, or this and the following ones.")})


def _facilitators(community: Community, people: Iterable[User] | None, by: User) -> list[User]:
    people = list(dict.fromkeys(people or [])) or [by]
    outsiders = [p.full_name for p in non_members(community=community, people=people)]
    if outsiders:
        raise ValidationError(
            {
                "facilitators": _("Facilitators must be members of this community: %(names)s")
                % {"names": ", ".join(outsiders)}
            }
        )
    return people


def _plan_check(*, community: Community, by: User, details: dict[str, Any]) -> dict[str, Any]:
    """What planning a series and planning one session check first: who may, and the fields."""
    permissions.check_plan(by, community)
    clean = clean_details(details)
    check_where(clean)
    return clean


# --- Planning -------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    community: Community,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    tz: str = DEFAULT_TIMEZONE,
    facilitators: Iterable[User] | None = None,
    at: datetime | None = None,
    **details: Any,
) -> Session:
    """Plan one session outside any series."""
    clean = _plan_check(community=community, by=by, details=details)
    recurrence.zone(tz)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError({"starts_at": _("Give the start with its time zone.")})
    daterange.check(starts_at, "starts_at")
    daterange.check(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    clean_duration((ends_at - starts_at).total_seconds() // 60)
    people = _facilitators(community, facilitators, by)
    at = at or timezone.now()
    session = Session.objects.create(
        community=community,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=tz,
        created_by=by,
        created_at=at,
        **clean,
    )
    session.facilitators.set(people)
    event = activity_record(
        actor=by, verb=Verb.SESSION_PLANNED, community=community, target=session, at=at
    )
    _planned(community=community, by=by, sessions=[session], event=event, at=at)
    return session


def _planned(
    *,
    community: Community,
    by: User,
    sessions: list[Session],
    event: ActivityEvent,
    at: datetime,
) -> None:
    """What follows planning: the planner is coming to every occurrence still ahead (a "yes"
    they can change), and the community hears about it once (one notice for a series, not
    one per occurrence). History written after the fact (an import of past attendance, the
    demo's earlier sessions) is no news: nothing ahead, no RSVP and no notice."""
    now = timezone.now()
    ahead = [s for s in sessions if s.starts_at > now]
    if not ahead:
        return
    if Membership.objects.filter(community=community, user=by).exists():
        # Fresh sessions have no answers yet, so the planner never lands on a waiting list.
        Rsvp.objects.bulk_create(
            [Rsvp(session=s, user=by, response=RsvpResponse.YES, responded_at=at) for s in ahead]
        )
    notices.announce(event=event)


# --- Changing this session, or it and the following ones ------------------------------------


@dataclass(frozen=True)
class _Change:
    """A checked change: the clean fields given, the new times and (if given) facilitators."""

    clean: dict[str, Any]
    start: datetime
    end: datetime
    duration: int
    people: list[User] | None
    moved: bool


def _new_times(
    session: Session, starts_at: datetime | None, ends_at: datetime | None
) -> tuple[datetime, datetime]:
    """The new start and end; a new start alone keeps the session's length."""
    start = starts_at or session.starts_at
    daterange.check(start, "starts_at")
    daterange.check(ends_at, "ends_at")
    end = ends_at or (start + (session.ends_at - session.starts_at))
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"starts_at": _("Give the start with its time zone.")})
    daterange.check(end, "ends_at")
    if end <= start:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    return start, end


def _change_check(
    *,
    session: Session,
    by: User,
    starts_at: datetime | None,
    ends_at: datetime | None,
    facilitators: Iterable[User] | None,
    details: dict[str, Any],
) -> _Change:
    """The shared start of both kinds of change: who may, and whether the new values hold."""
    permissions.check_plan(by, session.community)
    clean = clean_details(details, partial=True)
    check_where({name: getattr(session, name) for name in DETAIL_FIELDS} | clean)
    start, end = _new_times(session, starts_at, ends_at)
    duration = clean_duration((end - start).total_seconds() // 60)
    people = (
        _facilitators(session.community, facilitators, by) if facilitators is not None else None
    )
    moved = start != session.starts_at or end != session.ends_at
    return _Change(clean, start, end, duration, people, moved)


def _change_done(
    *,
    session: Session,
    by: User,
    change: _Change,
    targets: list[Session],
    scope: str,
    at: datetime,
) -> Session:
    """The shared end: more places (or no limit) take people from the waiting lists, first
    come first served; one event for the whole change."""
    if "capacity" in change.clean:
        for target in targets:
            waiting_list_promote(target)
    activity_record(
        actor=by,
        verb=Verb.SESSION_UPDATED,
        community=session.community,
        target=session,
        at=at,
        data={"scope": scope, "sessions": len(targets), "moved": change.moved},
    )
    session.refresh_from_db()
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    by: User,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    facilitators: Iterable[User] | None = None,
    at: datetime | None = None,
    **details: Any,
) -> Session:
    """Change this one session. Moving keeps its identity: its RSVPs, and its place in the
    rule of its series as the iCalendar RECURRENCE-ID."""
    change = _change_check(
        session=session,
        by=by,
        starts_at=starts_at,
        ends_at=ends_at,
        facilitators=facilitators,
        details=details,
    )
    at = at or timezone.now()
    for name, value in change.clean.items():
        setattr(session, name, value)
    session.starts_at, session.ends_at = change.start, change.end
    if change.moved:
        # A new time deserves its own reminder.
        session.reminder_sent_at = None
    session.sequence += 1
    session.save()
    if change.people is not None:
        session.facilitators.set(change.people)
    return _change_done(
        session=session, by=by, change=change, targets=[session], scope="this", at=at
    )


def _following(session: Session) -> QuerySet[Session]:
    """This session and the later occurrences of its series (by their place in the rule)."""
    return Session.objects.filter(
        series=session.series, original_start__gte=session.original_start
    ).order_by("original_start")


# --- Cancelling, materials ------------------------------------------------------------------


@transaction.atomic
def session_cancel(
    *, session: Session, by: User, reason: str = "", scope: str = "this", at: datetime | None = None
) -> list[Session]:
    """Cancel one session, or it and the following ones. RSVPs stay, for the record."""
    permissions.check_plan(by, session.community)
    at = at or timezone.now()
    if permissions.has_started(session, at):
        raise ValidationError({"__all__": str(CANCEL_STARTED)})
    reason = " ".join((reason or "").split())
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason to 300 characters.")})
    if scope == "following" and session.series_id:
        targets = list(_following(session).filter(status=SessionStatus.SCHEDULED))
    else:
        targets = [session]
    for target in targets:
        target.status = SessionStatus.CANCELLED
        target.cancel_reason = reason
        target.sequence += 1
    Session.objects.bulk_update(targets, ["status", "cancel_reason", "sequence"])
    for target in targets:
        activity_record(
            actor=by,
            verb=Verb.SESSION_CANCELLED,
            community=session.community,
            target=target,
            at=at,
        )
    session.refresh_from_db()
    return targets


@transaction.atomic
def session_restore(*, session: Session, by: User) -> Session:
    permissions.check_plan(by, session.community)
    session.status = SessionStatus.SCHEDULED
    session.cancel_reason = ""
    session.sequence += 1
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    return session


@transaction.atomic
def session_materials_set(*, session: Session, by: User, items: Iterable[KnowledgeItem]) -> Session:
    """Link library items of the same community as the session's materials."""
    permissions.check_plan(by, session.community)
    items = list(items)
    if any(item.community_id != session.community_id for item in items):
        raise ValidationError(
            {"materials": _("Materials must come from this community's library.")}
        )
    session.materials.set(items)
    return session


# --- Attendance -----------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *,
    session: Session,
    by: User,
    user: User,
    status: str | None,
    at: datetime | None = None,
) -> Attendance | None:
    """Register whether someone attended (status None removes the registration)."""
    permissions.check_record_attendance(by, session)
    if status is not None and status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose attended, absent or excused.")})
    if not Membership.objects.filter(community=session.community, user=user).exists():
        raise ValidationError({"user": _("%(name)s is not a member.") % {"name": user.full_name}})
    at = at or timezone.now()
    existing = Attendance.objects.filter(session=session, user=user).first()
    if status is None:
        if existing:
            existing.delete()
        return None
    if existing and existing.status == status:
        return existing
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        user=user,
        defaults={"status": status, "recorded_by": by, "recorded_at": at},
    )
    activity_record(
        actor=user,
        verb=Verb.ATTENDED,
        community=session.community,
        target=session,
        other=by if by.pk != user.pk else None,
        at=min(at, session.ends_at) if status == AttendanceStatus.ATTENDED else at,
        data={"status": status, "recorded_by": by.pk},
    )
    return attendance


@transaction.atomic
def attendance_set_many(
    *,
    session: Session,
    by: User,
    statuses: Iterable[tuple[User, str | None]],
    at: datetime | None = None,
) -> None:
    """Register several people at once (the checklist, the API): all or nothing."""
    permissions.check_record_attendance(by, session)
    for user, status in statuses:
        attendance_set(session=session, by=by, user=user, status=status, at=at)
