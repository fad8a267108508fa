"""E-mails about sessions: a place from the waiting list, reminders before a session, and
reminders for action points that are due. And what the community notice about a planned
session or series says (core.notices; conversations delivers it to the members).

Each is written in the recipient's language and the session's time zone, and leaves through
EMAIL_BACKEND (the queued backend, so `kring worker` delivers it). Reminders follow RSVPs:
only people who answered "coming" (with a place) or "maybe" get one. Every reminder is
claimed first with a compare-and-set on `reminder_sent_at`, so two workers (or a second run)
never send it twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.communities.models import Membership
from kring.core.notices import Notice
from kring.meetings import charts, ical
from kring.meetings.models import (
    DEFAULT_TIMEZONE,
    ActionPoint,
    Rsvp,
    RsvpResponse,
    Series,
    Session,
    SessionStatus,
)

# A session starting within this window gets its reminder on the worker's next run.
REMINDER_AHEAD = timedelta(hours=24)


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(
    *,
    recipient,
    template: str,
    context: dict,
    tz: str = DEFAULT_TIMEZONE,
    attach_session: Session | None = None,
) -> None:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` in the recipient's
    language and the given time zone, and send them (with the session's .ics if given)."""
    language = _language(recipient)
    with translation.override(language), timezone.override(tz):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
        ics = ical.session_calendar(attach_session) if attach_session is not None else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    if ics is not None:
        name = slugify(attach_session.title) or "session"
        message.attach(f"{name}.ics", ics, "text/calendar")
    message.send()


def _is_member(user_id: int, community_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, community_id=community_id).exists()


def _session_context(session: Session) -> dict:
    return {
        "session": session,
        "community": session.community,
        "url": _absolute(session.get_absolute_url()),
        "place": session.video_url if session.mode == "online" else session.location,
    }


def waitlist_promoted(*, rsvp_ids: list[int]) -> int:
    """Tell people who moved from the waiting list that they have a place. Returns how many."""
    rsvps = Rsvp.objects.filter(
        pk__in=rsvp_ids,
        response=RsvpResponse.YES,
        waitlisted=False,
        user__is_active=True,
        session__status=SessionStatus.SCHEDULED,
        session__ends_at__gt=timezone.now(),
    ).select_related("user", "session__community")
    sent = 0
    for rsvp in rsvps:
        session = rsvp.session
        if not rsvp.user.email or not _is_member(rsvp.user_id, session.community_id):
            continue
        _send(
            recipient=rsvp.user,
            template="meetings/email/waitlist_promoted",
            context=_session_context(session),
            tz=session.timezone,
            attach_session=session,
        )
        sent += 1
    return sent


def session_reminder_send(*, session_id: int, now: datetime | None = None) -> int:
    """Claim one session's reminder, then e-mail everyone coming or maybe; returns how many."""
    now = now or timezone.now()
    claimed = Session.objects.filter(
        pk=session_id, reminder_sent_at__isnull=True, status=SessionStatus.SCHEDULED
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    session = Session.objects.select_related("community").get(pk=session_id)
    rsvps = (
        Rsvp.objects.filter(session=session, user__is_active=True)
        .filter(Q(response=RsvpResponse.YES, waitlisted=False) | Q(response=RsvpResponse.MAYBE))
        .filter(user__in=Membership.objects.filter(community=session.community).values("user_id"))
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for rsvp in rsvps:
        _send(
            recipient=rsvp.user,
            template="meetings/email/reminder",
            context={
                **_session_context(session),
                "rsvp": rsvp,
                "is_maybe": rsvp.response == "maybe",
            },
            tz=session.timezone,
            attach_session=session,
        )
        sent += 1
    return sent


def action_point_reminder_send(*, point_id: int, now: datetime | None = None) -> int:
    """Claim one action point's reminder, then e-mail its owner; returns 1 if sent."""
    now = now or timezone.now()
    claimed = ActionPoint.objects.filter(
        pk=point_id, reminder_sent_at__isnull=True, done_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    point = ActionPoint.objects.select_related("owner", "community", "session").get(pk=point_id)
    owner = point.owner
    if (
        owner is None
        or not owner.is_active
        or not owner.email
        or not _is_member(owner.pk, point.community_id)
    ):
        return 0
    today = now.astimezone(timezone.get_default_timezone()).date()
    _send(
        recipient=owner,
        template="meetings/email/action_point_due",
        context={
            "point": point,
            "community": point.community,
            "overdue": point.due_date < today,
            "due_today": point.due_date == today,
            "url": _absolute(reverse("my-action-points")),
        },
    )
    return 1


def reminders_send(*, now: datetime | None = None) -> int:
    """Reminders before sessions starting within a day, and for open action points due
    tomorrow or overdue. Returns how many e-mails went out."""
    now = now or timezone.now()
    sent = 0
    sessions = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    for session_id in list(sessions):
        sent += session_reminder_send(session_id=session_id, now=now)
    tomorrow = now.astimezone(timezone.get_default_timezone()).date() + timedelta(days=1)
    points = ActionPoint.objects.filter(
        done_at__isnull=True,
        reminder_sent_at__isnull=True,
        owner__isnull=False,
        due_date__lte=tomorrow,
    ).values_list("pk", flat=True)
    for point_id in list(points):
        sent += action_point_reminder_send(point_id=point_id, now=now)
    return sent


# The community notice about a planned session or series ----------------------------------


def describe_planned(events) -> dict:
    """{event id: Notice} for "session planned" events: one for a single session, one for a
    whole series (never one per occurrence). Two queries at most. A notice whose sessions
    are all cancelled or over is no longer active (no e-mail goes out for it any more)."""
    series_type = ContentType.objects.get_for_model(Series)
    series_ids = {e.target_id for e in events if e.target_type_id == series_type.pk}
    session_ids = {e.target_id for e in events if e.target_type_id != series_type.pk}
    now = timezone.now()
    series = {}
    if series_ids:
        # The next occurrence still to come is where the notice leads (and what it names).
        upcoming = Session.objects.filter(
            series=OuterRef("pk"), status=SessionStatus.SCHEDULED, ends_at__gte=now
        ).order_by("starts_at", "id")
        series = {
            s.pk: s
            for s in Series.objects.filter(pk__in=series_ids)
            .select_related("community")
            .annotate(
                next_id=Subquery(upcoming.values("pk")[:1]),
                next_start=Subquery(upcoming.values("starts_at")[:1]),
            )
        }
    sessions = {}
    if session_ids:
        sessions = {
            s.pk: s for s in Session.objects.filter(pk__in=session_ids).select_related("community")
        }
    notices = {}
    for event in events:
        if event.target_type_id == series_type.pk:
            notice = _series_notice(event, series.get(event.target_id))
        else:
            notice = _session_notice(event, sessions.get(event.target_id), now)
        if notice is not None:
            notices[event.pk] = notice
    return notices


def _series_notice(event, series: Series | None) -> Notice | None:
    if series is None or series.community_id != event.community_id:
        return None
    count = event.data.get("sessions") or 0
    if series.next_id:
        url = reverse(
            "session-detail", kwargs={"slug": series.community.slug, "pk": series.next_id}
        )
        local = series.next_start.astimezone(ical.zone_of(series))
    else:
        url = reverse("session-list", kwargs={"slug": series.community.slug})
        local = series.first_start.astimezone(ical.zone_of(series))
    return Notice(
        pattern=ngettext(
            "%(name)s planned %(count)s session: “%(title)s” on %(when)s",
            "%(name)s planned a series of %(count)s sessions: “%(title)s”, the next on %(when)s",
            count,
        ),
        title=series.title,
        url=url,
        parts={"count": str(count), "when": formats.date_format(local, "l j F Y")},
        active=series.next_id is not None,
    )


def _session_notice(event, session: Session | None, now: datetime) -> Notice | None:
    if session is None or session.community_id != event.community_id:
        return None
    return Notice(
        pattern=_("%(name)s planned a new session: “%(title)s” on %(when)s"),
        title=session.title,
        url=session.get_absolute_url(),
        parts={"when": charts.session_when(session)},
        active=session.status == SessionStatus.SCHEDULED and session.ends_at >= now,
    )
