"""iCalendar (RFC 5545) for sessions: a `.ics` download per session and a person's feed.

In the feed a series is one recurring event: a master VEVENT with the rule (RRULE), the
cancelled occurrences left out (EXDATE), and an override VEVENT for every remaining occurrence
(same UID, RECURRENCE-ID = its place in the rule). Overriding every occurrence, not only the
changed ones, is valid and robust: whatever was moved or edited, the calendar app shows each
occurrence as Kring has it. Times carry the session's TZID with a VTIMEZONE, so a session at
19:30 stays at 19:30 across daylight-saving changes in every app.

A session whose place is not in its series' rule any more (or a series whose rule can't be
read) is exported as a standalone event, so nothing is ever lost from the calendar.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from kring.communities.models import Membership
from kring.core import daterange
from kring.meetings import recurrence
from kring.meetings.models import Mode, Series, Session

PRODID = "-//Kring//Kring sessions//EN"
# How often a subscribed calendar app should fetch the feed again (RFC 7986 and Outlook's).
REFRESH = timedelta(hours=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "kring"


def session_uid(session: Session) -> str:
    return f"kring-session-{session.pk}@{_host()}"


def series_uid(series: Series) -> str:
    return f"kring-series-{series.pk}@{_host()}"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)


def zone_of(session: Session) -> ZoneInfo:
    """The session's own time zone (the site's if it was stored wrongly)."""
    return _zone(session.timezone)


def _local(moment: datetime, tz: str) -> datetime:
    """The moment in the session's own zone, so it is written with that TZID."""
    return moment.astimezone(_zone(tz))


def _location(session: Session) -> str:
    if session.mode == Mode.ONLINE:
        return session.video_url
    return session.location


def _description(session: Session, url: str) -> str:
    """The agenda as text (Markdown reads fine as it is), the video link, and the page."""
    parts = []
    if session.is_cancelled:
        parts.append(_("Cancelled"))
        if session.cancel_reason:
            parts[-1] += ": " + session.cancel_reason
    if session.agenda:
        parts.append(session.agenda)
    if session.mode == Mode.HYBRID and session.video_url:
        parts.append(_("Join online: %(url)s") % {"url": session.video_url})
    parts.append(_("In Kring: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def _fill(event: Event, session: Session, *, stamp: datetime) -> None:
    """The properties every exported occurrence has, master or override or standalone."""
    url = _absolute(session.get_absolute_url())
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(session.starts_at, session.timezone))
    event.add("dtend", _local(session.ends_at, session.timezone))
    event.add("summary", session.title)
    event.add("description", _description(session, url))
    location = _location(session)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    if session.updated_at:
        event.add("last-modified", session.updated_at)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    return cal


def _finish(cal: Calendar, moments: Iterable[datetime]) -> bytes:
    """Add the VTIMEZONEs the events refer to, covering the period they span."""
    days = [m.date() for m in moments]
    if days:
        cal.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return cal.to_ical()


def session_calendar(session: Session) -> bytes:
    """One session as a standalone event, for a single download (METHOD:PUBLISH)."""
    cal = _calendar(session.title)
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", session_uid(session))
    _fill(event, session, stamp=timezone.now())
    cal.add_component(event)
    return _finish(cal, [session.starts_at, session.ends_at])


def _series_events(
    series: Series, sessions: list[Session], *, stamp: datetime
) -> tuple[list[Event], list[Session]]:
    """The master and overrides of one series, and the sessions that must stand alone."""
    tz = series.timezone
    try:
        rule_starts = set(recurrence.occurrences(series.rrule, series.first_start, tz))
        rrule = vRecur.from_ical(recurrence.rule_until_utc(series.rrule, tz))
    except (ValidationError, ValueError):
        return [], sessions
    in_rule = [s for s in sessions if s.original_start in rule_starts]
    alone = [s for s in sessions if s.original_start not in rule_starts]
    scheduled = [s for s in in_rule if not s.is_cancelled]
    if not scheduled:
        # Nothing left of the rhythm: cancelled occurrences still show, as cancelled events.
        return [], sessions
    uid = series_uid(series)
    first = min(in_rule, key=lambda s: s.original_start)
    master = Event()
    master.add("uid", uid)
    _fill(master, first, stamp=stamp)
    # The master is the rule itself: its start is the rule's first start, not a moved first
    # occurrence (that one gets its own override below).
    master.pop("dtstart")
    master.pop("dtend")
    master.pop("status")
    master.pop("sequence")
    master.add("dtstart", _local(series.first_start, tz))
    master.add("dtend", _local(series.first_start, tz) + timedelta(minutes=series.duration_minutes))
    master.add("status", "CONFIRMED")
    master.add("sequence", max(s.sequence for s in sessions))
    master.add("rrule", rrule)
    # Occurrences of the rule that are cancelled, or that have no session (any more).
    have = {s.original_start for s in scheduled}
    excluded = sorted(start for start in rule_starts if start not in have)
    if excluded:
        master.add("exdate", [_local(start, tz) for start in excluded])
    events = [master]
    for session in scheduled:
        override = Event()
        override.add("uid", uid)
        override.add("recurrence-id", _local(session.original_start, tz))
        _fill(override, session, stamp=stamp)
        events.append(override)
    return events, alone


def showable(session: Session) -> bool:
    """Whether the session's times can be written in a calendar: a row with an impossible date
    (stored before the range was checked) is left out rather than breaking the whole feed."""
    moments = [session.starts_at, session.ends_at, session.original_start]
    if session.series_id is not None:
        moments.append(session.series.first_start)
    return all(daterange.showable(m) for m in moments)


def feed_sessions(user) -> list[Session]:
    """Every session of the communities someone is a member of now."""
    sessions = (
        Session.objects.filter(
            community__in=Membership.objects.filter(user=user).values("community_id")
        )
        .select_related("community", "series")
        .order_by("starts_at", "id")
    )
    return [s for s in sessions if showable(s)]


def feed_calendar(user) -> bytes:
    """Someone's personal feed: all sessions of all their communities."""
    stamp = timezone.now()
    cal = _calendar(_("Kring sessions"))
    sessions = feed_sessions(user)
    by_series: dict[int, list[Session]] = defaultdict(list)
    standalone: list[Session] = []
    for session in sessions:
        if session.series_id is not None and session.original_start is not None:
            by_series[session.series_id].append(session)
        else:
            standalone.append(session)
    for series_sessions in by_series.values():
        events, alone = _series_events(series_sessions[0].series, series_sessions, stamp=stamp)
        for event in events:
            cal.add_component(event)
        standalone.extend(alone)
    for session in sorted(standalone, key=lambda s: (s.starts_at, s.pk)):
        event = Event()
        event.add("uid", session_uid(session))
        _fill(event, session, stamp=stamp)
        cal.add_component(event)
    moments = [s.starts_at for s in sessions] + [s.series.first_start for s in sessions if s.series]
    return _finish(cal, moments)
