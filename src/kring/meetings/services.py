"""Writes for sessions and the learning cycle: series, single sessions, edits of one or the
following occurrences, cancellation, RSVPs with a waiting list, attendance, reflections, action
points and the personal calendar feed."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.communities.selectors import non_members
from kring.core import daterange, notices
from kring.core.services import activity_record
from kring.meetings import permissions, recurrence
from kring.meetings.models import (
    DEFAULT_TIMEZONE,
    LEARNING_LEVELS,
    ActionPoint,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Mode,
    Reflection,
    Rsvp,
    RsvpResponse,
    Series,
    Session,
    SessionStatus,
)
from kring.meetings.verbs import MeetingVerb

MAX_TITLE = 200
MAX_AGENDA = 20000
MAX_DURATION_MINUTES = 24 * 60
CANCEL_STARTED = gettext_lazy(
    "This session has already started or taken place, so it can't be cancelled. "
    "You can record who attended instead."
)
# Fields a facilitator may change on one session or on a session and the following ones.
DETAIL_FIELDS = ("title", "agenda", "mode", "location", "video_url", "capacity", "is_reflection")


def _clean_details(values: dict, *, partial: bool = False) -> dict:
    """Validate the descriptive fields of a session; raises one ValidationError with all errors."""
    errors: dict[str, str] = {}
    clean: dict = {}
    if "title" in values or not partial:
        title = " ".join((values.get("title") or "").split())
        if not title:
            errors["title"] = _("Give the session a title.")
        elif len(title) > MAX_TITLE:
            errors["title"] = _("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}
        clean["title"] = title
    if "agenda" in values or not partial:
        agenda = (values.get("agenda") or "").strip()
        if len(agenda) > MAX_AGENDA:
            errors["agenda"] = _("The agenda is too long (at most %(max)s characters).") % {
                "max": MAX_AGENDA
            }
        clean["agenda"] = agenda
    if "mode" in values or not partial:
        mode = values.get("mode") or Mode.OFFLINE
        if mode not in Mode.values:
            errors["mode"] = _("Choose in person, online or hybrid.")
        clean["mode"] = mode
    for name in ("location", "video_url"):
        if name in values or not partial:
            clean[name] = (values.get(name) or "").strip()
    if clean.get("video_url"):
        try:
            URLValidator(schemes=["https", "http"])(clean["video_url"])
        except ValidationError:
            errors["video_url"] = _("Enter a web address starting with https://.")
        if len(clean["video_url"]) > 500:
            errors["video_url"] = _("The web address is too long.")
    if len(clean.get("location", "")) > 300:
        errors["location"] = _("Keep the address to 300 characters.")
    if "capacity" in values or not partial:
        capacity = values.get("capacity")
        if capacity in ("", None):
            capacity = None
        else:
            try:
                capacity = int(capacity)
            except (TypeError, ValueError):
                capacity = -1
            if not 1 <= capacity <= 10000:
                errors["capacity"] = _("Give a number of places from 1, or leave it empty.")
        clean["capacity"] = capacity
    if "is_reflection" in values or not partial:
        clean["is_reflection"] = bool(values.get("is_reflection"))
    if errors:
        raise ValidationError(errors)
    return clean


def _check_where(session_like: dict) -> None:
    mode = session_like.get("mode")
    if mode in (Mode.ONLINE, Mode.HYBRID) and not session_like.get("video_url"):
        raise ValidationError({"video_url": _("An online or hybrid session needs a video link.")})
    if mode in (Mode.OFFLINE, Mode.HYBRID) and not session_like.get("location"):
        raise ValidationError({"location": _("A session in person needs an address.")})


def _clean_duration(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(
            {"duration_minutes": _("A session lasts between 1 minute and a day.")}
        )
    return minutes


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
    **details,
) -> Series:
    """Plan a rhythm of sessions in one go. Without a rule: every six weeks for eighteen months."""
    permissions.check_plan(by, community)
    clean = _clean_details(details)
    _check_where(clean)
    duration = _clean_duration(duration_minutes)
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
        verb=MeetingVerb.SESSION_PLANNED,
        community=community,
        target=series,
        at=at,
        data={"sessions": len(sessions), "first": starts[0].isoformat()},
    )
    _planned(community=community, by=by, sessions=sessions, event=event, at=at)
    return series


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
    **details,
) -> Session:
    """Plan one session outside any series."""
    permissions.check_plan(by, community)
    clean = _clean_details(details)
    _check_where(clean)
    recurrence.zone(tz)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError({"starts_at": _("Give the start with its time zone.")})
    daterange.check(starts_at, "starts_at")
    daterange.check(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    _clean_duration((ends_at - starts_at).total_seconds() // 60)
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
        actor=by, verb=MeetingVerb.SESSION_PLANNED, community=community, target=session, at=at
    )
    _planned(community=community, by=by, sessions=[session], event=event, at=at)
    return session


def _planned(*, community: Community, by: User, sessions: list[Session], event, at) -> None:
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


def _following(session: Session):
    """This session and the later occurrences of its series (by their place in the rule)."""
    return Session.objects.filter(
        series=session.series, original_start__gte=session.original_start
    ).order_by("original_start")


def _shift_local(moment: datetime, delta: timedelta, tz: str) -> datetime:
    """Move by a wall-clock delta in local time, so 19:30 -> 20:00 holds across DST."""
    tzinfo = recurrence.zone(tz)
    local = moment.astimezone(tzinfo).replace(tzinfo=None) + delta
    return recurrence._aware(local, tzinfo)


@transaction.atomic
def session_update(
    *,
    session: Session,
    by: User,
    scope: str = "this",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    facilitators: Iterable[User] | None = None,
    at: datetime | None = None,
    **details,
) -> Session:
    """Change one session ("this") or it and the following ones of its series ("following").

    Moving keeps the session's identity (its RSVPs, and its place in the rule as the iCalendar
    RECURRENCE-ID). Moving "this and following" splits the series: the old rhythm ends before
    this session and a new series continues from it, carrying the same sessions along."""
    permissions.check_plan(by, session.community)
    if scope not in ("this", "following"):
        raise ValidationError({"scope": _("Choose this session, or this and the following ones.")})
    if scope == "following" and session.series_id is None:
        scope = "this"
    clean = _clean_details(details, partial=True)
    merged = {name: getattr(session, name) for name in DETAIL_FIELDS} | clean
    _check_where(merged)
    new_start = starts_at or session.starts_at
    daterange.check(new_start, "starts_at")
    daterange.check(ends_at, "ends_at")
    new_end = ends_at or (new_start + (session.ends_at - session.starts_at))
    if timezone.is_naive(new_start) or timezone.is_naive(new_end):
        raise ValidationError({"starts_at": _("Give the start with its time zone.")})
    daterange.check(new_end, "ends_at")
    if new_end <= new_start:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    duration = _clean_duration((new_end - new_start).total_seconds() // 60)
    people = (
        _facilitators(session.community, facilitators, by) if facilitators is not None else None
    )
    at = at or timezone.now()
    moved = new_start != session.starts_at or new_end != session.ends_at

    if scope == "this":
        targets = [session]
        for name, value in clean.items():
            setattr(session, name, value)
        session.starts_at, session.ends_at = new_start, new_end
        if moved:
            # A new time deserves its own reminder.
            session.reminder_sent_at = None
        session.sequence += 1
        session.save()
        if people is not None:
            session.facilitators.set(people)
    else:
        targets = list(_following(session))
        tz = session.timezone
        local = recurrence.zone(tz)
        delta = new_start.astimezone(local).replace(tzinfo=None) - session.starts_at.astimezone(
            local
        ).replace(tzinfo=None)
        series = session.series
        if moved:
            # Split: the old rhythm stops before this session, a new one carries on from it.
            old_rule = series.rrule
            if session.original_start == series.first_start:
                new_series = series
            else:
                series.rrule = recurrence.rule_until_before(old_rule, session.original_start, tz)
                series.save(update_fields=["rrule", "updated_at"])
                new_series = Series.objects.create(
                    community=series.community,
                    title=clean.get("title", series.title),
                    rrule=old_rule,
                    first_start=session.original_start,
                    duration_minutes=series.duration_minutes,
                    timezone=tz,
                    created_by=by,
                    continues=series,
                    created_at=at,
                )
            new_series.first_start = _shift_local(new_series.first_start, delta, tz)
            new_series.duration_minutes = duration
            if "title" in clean:
                new_series.title = clean["title"]
            new_series.save()
            _rule_fix_count(new_series, old_series=series, session=session)
        elif "title" in clean and session.original_start == series.first_start:
            series.title = clean["title"]
            series.save(update_fields=["title", "updated_at"])
        for target in targets:
            for name, value in clean.items():
                setattr(target, name, value)
            if moved:
                target.original_start = _shift_local(target.original_start, delta, tz)
                target.starts_at = _shift_local(target.starts_at, delta, tz)
                target.ends_at = target.starts_at + timedelta(minutes=duration)
                target.series = new_series
                target.reminder_sent_at = None
                # A later session moved along must stay in range too (the split rolls back).
                daterange.check(target.ends_at, "starts_at")
            target.sequence += 1
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
    if "capacity" in clean:
        # More places (or no limit) take people from the waiting list, first come first served.
        for target in targets:
            _promote_waiting(target)
    activity_record(
        actor=by,
        verb=MeetingVerb.SESSION_UPDATED,
        community=session.community,
        target=session,
        at=at,
        data={"scope": scope, "sessions": len(targets), "moved": moved},
    )
    session.refresh_from_db()
    return session


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
            verb=MeetingVerb.SESSION_CANCELLED,
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
def session_materials_set(*, session: Session, by: User, items: Iterable) -> Session:
    """Link library items of the same community as the session's materials."""
    permissions.check_plan(by, session.community)
    items = list(items)
    if any(item.community_id != session.community_id for item in items):
        raise ValidationError(
            {"materials": _("Materials must come from this community's library.")}
        )
    session.materials.set(items)
    return session


# RSVP and attendance -----------------------------------------------------------------------


def _going_count(session: Session) -> int:
    return Rsvp.objects.filter(session=session, response=RsvpResponse.YES, waitlisted=False).count()


def _promote_waiting(session: Session) -> list[Rsvp]:
    """Fill free places from the waiting list, first come first served."""
    if session.capacity is None:
        waiting = list(Rsvp.objects.filter(session=session, waitlisted=True))
    else:
        free = session.capacity - _going_count(session)
        if free <= 0:
            return []
        waiting = list(
            Rsvp.objects.filter(session=session, waitlisted=True).order_by("responded_at", "id")[
                :free
            ]
        )
    for rsvp in waiting:
        rsvp.waitlisted = False
    Rsvp.objects.bulk_update(waiting, ["waitlisted"])
    if waiting:
        from kring.meetings import notices

        transaction.on_commit(lambda: notices.waitlist_promoted(rsvp_ids=[r.pk for r in waiting]))
    return waiting


@transaction.atomic
def rsvp_set(
    *, session: Session, user: User, response: str, note: str = "", at: datetime | None = None
) -> Rsvp:
    """Answer for one session. A "yes" when it is full goes on the waiting list; a place that
    frees up goes to the first person waiting."""
    if response not in RsvpResponse.values:
        raise ValidationError({"response": _("Choose coming, maybe or not coming.")})
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note to 300 characters.")})
    # Lock the session row so two last-place answers can't both get it.
    session = Session.objects.select_for_update().get(pk=session.pk)
    permissions.check_rsvp(user, session)
    at = at or timezone.now()
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    was_going = rsvp is not None and rsvp.response == RsvpResponse.YES and not rsvp.waitlisted
    if rsvp is None:
        rsvp = Rsvp(session=session, user=user)
    changed = rsvp.response != response
    rsvp.response, rsvp.note = response, note
    if response == RsvpResponse.YES:
        if not was_going:
            full = session.capacity is not None and _going_count(session) >= session.capacity
            rsvp.waitlisted = full
            if changed:
                rsvp.responded_at = at
    else:
        rsvp.waitlisted = False
        if changed:
            rsvp.responded_at = at
    rsvp.save()
    if was_going and response != RsvpResponse.YES:
        _promote_waiting(session)
    if changed:
        activity_record(
            actor=user,
            verb=MeetingVerb.RSVPED,
            community=session.community,
            target=session,
            at=at,
            data={"response": response, "waitlisted": rsvp.waitlisted},
        )
    return rsvp


@transaction.atomic
def session_capacity_set(*, session: Session, by: User, capacity: int | None) -> Session:
    """Change the number of places; more places take people from the waiting list."""
    session_update(session=session, by=by, capacity=capacity)
    session.refresh_from_db()
    _promote_waiting(session)
    return session


def _ensure_member(community: Community, user: User, by: User, at: datetime) -> bool:
    """Add `user` to the community if not in it yet (attendance imports); True if added."""
    if Membership.objects.filter(community=community, user=user).exists():
        return False
    from kring.communities.services import membership_add

    membership_add(community=community, user=user, by=by, at=at)
    return True


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
        verb=MeetingVerb.ATTENDED,
        community=session.community,
        target=session,
        other=by if by.pk != user.pk else None,
        at=min(at, session.ends_at) if status == AttendanceStatus.ATTENDED else at,
        data={"status": status, "recorded_by": by.pk},
    )
    return attendance


# Reflections and action points -------------------------------------------------------------

REFLECTION_FIELDS = ("did", "noticed", "learned", *(key for key, _label in LEARNING_LEVELS))


@transaction.atomic
def reflection_save(
    *, session: Session, by: User, at: datetime | None = None, **texts
) -> Reflection:
    """Write (or rewrite) your reflection on a session. At least one part, none required."""
    permissions.check_reflect(by, session)
    unknown = set(texts) - set(REFLECTION_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown part: %(name)s") % {"name": ", ".join(sorted(unknown))}}
        )
    clean = {name: (texts.get(name) or "").strip() for name in REFLECTION_FIELDS}
    errors = {
        name: _("Keep each part to 5000 characters.")
        for name, value in clean.items()
        if len(value) > 5000
    }
    if errors:
        raise ValidationError(errors)
    if not any(clean.values()):
        raise ValidationError({"__all__": _("Write at least one part of your reflection.")})
    at = at or timezone.now()
    reflection = Reflection.objects.filter(session=session, author=by).first()
    created = reflection is None
    if created:
        reflection = Reflection(session=session, author=by, created_at=at)
    for name, value in clean.items():
        setattr(reflection, name, value)
    reflection.save()
    if created:
        activity_record(
            actor=by, verb=MeetingVerb.REFLECTED, community=session.community, target=session, at=at
        )
    return reflection


@transaction.atomic
def reflection_highlight(
    *, reflection: Reflection, by: User, highlighted: bool = True
) -> Reflection:
    permissions.check_highlight(by, reflection)
    reflection.highlighted = highlighted
    reflection.highlighted_by = by if highlighted else None
    reflection.save(update_fields=["highlighted", "highlighted_by", "updated_at"])
    return reflection


def _clean_action(community: Community, what: str, owner: User | None, due_date) -> dict:
    errors = {}
    what = " ".join((what or "").split())
    if not what:
        errors["what"] = _("Say what will be done.")
    elif len(what) > 300:
        errors["what"] = _("Keep it to 300 characters.")
    if (
        owner is not None
        and not Membership.objects.filter(community=community, user=owner).exists()
    ):
        errors["owner"] = _("Choose a member of this community.")
    if due_date is not None and not isinstance(due_date, date):
        errors["due_date"] = _("Enter a date.")
    elif not daterange.in_range(due_date):
        errors["due_date"] = daterange.message()
    if errors:
        raise ValidationError(errors)
    return {"what": what, "owner": owner, "due_date": due_date}


@transaction.atomic
def action_point_create(
    *,
    community: Community,
    by: User,
    what: str,
    owner: User | None = None,
    due_date: date | None = None,
    session: Session | None = None,
    at: datetime | None = None,
) -> ActionPoint:
    """Who does what before when. It shows on the next sessions' agenda until it is done."""
    permissions.check_create_action_point(by, community)
    if session is not None and session.community_id != community.pk:
        raise ValidationError({"session": _("That session belongs to another community.")})
    clean = _clean_action(community, what, owner, due_date)
    at = at or timezone.now()
    point = ActionPoint.objects.create(
        community=community, session=session, created_by=by, created_at=at, **clean
    )
    activity_record(
        actor=by,
        verb=MeetingVerb.ACTION_POINT_CREATED,
        community=community,
        target=point,
        other=owner if owner is not None and owner.pk != by.pk else None,
        at=at,
        data={"session": session.pk if session else None},
    )
    return point


@transaction.atomic
def action_point_update(
    *, point: ActionPoint, by: User, what: str, owner: User | None, due_date: date | None
) -> ActionPoint:
    permissions.check_update_action_point(by, point)
    clean = _clean_action(point.community, what, owner, due_date)
    for name, value in clean.items():
        setattr(point, name, value)
    point.reminder_sent_at = None
    point.save()
    return point


@transaction.atomic
def action_point_complete(
    *, point: ActionPoint, by: User, done: bool = True, at: datetime | None = None
) -> ActionPoint:
    permissions.check_update_action_point(by, point)
    if done == point.is_done:
        return point
    at = at or timezone.now()
    point.done_at, point.done_by = (at, by) if done else (None, None)
    point.save(update_fields=["done_at", "done_by", "updated_at"])
    if done:
        activity_record(
            actor=by,
            verb=MeetingVerb.ACTION_POINT_DONE,
            community=point.community,
            target=point,
            other=point.owner if point.owner_id and point.owner_id != by.pk else None,
            at=at,
        )
    return point


@transaction.atomic
def action_point_delete(*, point: ActionPoint, by: User) -> None:
    permissions.check_update_action_point(by, point)
    point.delete()


# The personal calendar feed -----------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> str:
    """Make (or replace) the secret of someone's calendar feed; the old URL stops working."""
    secret = "cal_" + secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(secret), "created_at": timezone.now()}
    )
    return secret


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_lookup(*, secret: str) -> User | None:
    """The active person a feed secret belongs to. The hash is looked up, not compared by hand:
    an index lookup on a SHA-256 leaks nothing useful about the secret."""
    if not secret or not secret.startswith("cal_") or len(secret) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(secret)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
