"""What sessions put on the community home: sessions planned and cancelled, reflections and
action points in the feed, and the next session beside it."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.core.feed import FeedEntry, link, person_link, sentence
from kring.core.reverse import reverse
from kring.meetings import ical, permissions, selectors
from kring.meetings.models import ActionPoint, Series, Session, SessionStatus
from kring.meetings.verbs import MeetingVerb

VERBS = [
    MeetingVerb.SESSION_PLANNED,
    MeetingVerb.SESSION_CANCELLED,
    MeetingVerb.REFLECTED,
    MeetingVerb.ACTION_POINT_CREATED,
]


def _when(session: Session) -> str:
    return date_format(session.starts_at.astimezone(ical.zone_of(session)), "j F Y")


def _session_url(slug: str, pk: int) -> str:
    return reverse("session-detail", kwargs={"slug": slug, "pk": pk})


def describe(events, viewer) -> dict[int, FeedEntry]:
    """Three queries at most: the series (with their first session), the sessions and the
    action points. Whatever is gone, or moved to another community, gets no entry."""
    series_type = ContentType.objects.get_for_model(Series)
    point_type = ContentType.objects.get_for_model(ActionPoint)
    series_ids, session_ids, point_ids = set(), set(), set()
    for event in events:
        if event.target_type_id == series_type.pk:
            series_ids.add(event.target_id)
        elif event.target_type_id == point_type.pk:
            point_ids.add(event.target_id)
        else:
            session_ids.add(event.target_id)
    series = {}
    if series_ids:
        first = Session.objects.filter(series=OuterRef("pk")).order_by("starts_at", "id")
        series = {
            s.pk: s
            for s in Series.objects.filter(pk__in=series_ids)
            .select_related("community")
            .annotate(first_session=Subquery(first.values("pk")[:1]))
        }
    sessions = {}
    if session_ids:
        sessions = {
            s.pk: s for s in Session.objects.filter(pk__in=session_ids).select_related("community")
        }
    points = {}
    if point_ids:
        points = {
            p.pk: p
            for p in ActionPoint.objects.filter(pk__in=point_ids).select_related(
                "community", "owner", "session__community"
            )
        }
    entries = {}
    for event in events:
        entry = None
        if event.target_type_id == series_type.pk:
            entry = _describe_series(event, series.get(event.target_id))
        elif event.target_type_id == point_type.pk:
            entry = _describe_point(event, points.get(event.target_id))
        else:
            entry = _describe_session(event, sessions.get(event.target_id))
        if entry is not None:
            entries[event.pk] = entry
    return entries


def _describe_series(event, series: Series | None) -> FeedEntry | None:
    if series is None or series.community_id != event.community_id or not series.first_session:
        return None
    url = _session_url(series.community.slug, series.first_session)
    count = event.data.get("sessions") or 0
    text = sentence(
        ngettext(
            "%(name)s planned %(count)s session: %(title)s",
            "%(name)s planned a series of %(count)s sessions: %(title)s",
            count,
        ),
        name=person_link(event.actor),
        count=count,
        title=link(url, series.title),
    )
    return FeedEntry(
        actor=event.actor, sentence=text, url=url, time=event.created_at, extra={"kind": "session"}
    )


def _describe_session(event, session: Session | None) -> FeedEntry | None:
    if session is None or session.community_id != event.community_id:
        return None
    url = session.get_absolute_url()
    if event.verb == MeetingVerb.SESSION_PLANNED:
        template = _("%(name)s planned a session on %(when)s: %(title)s")
        kind = "session"
    elif event.verb == MeetingVerb.SESSION_CANCELLED:
        # Restored since: the cancellation no longer holds.
        if not session.is_cancelled:
            return None
        template = _("%(name)s cancelled the session of %(when)s: %(title)s")
        kind = "session-cancelled"
    else:
        url += "#reflections"
        template = _("%(name)s reflected on the session of %(when)s: %(title)s")
        kind = "reflection"
    text = sentence(
        template,
        name=person_link(event.actor),
        when=_when(session),
        title=link(url, session.title),
    )
    return FeedEntry(
        actor=event.actor, sentence=text, url=url, time=event.created_at, extra={"kind": kind}
    )


def _describe_point(event, point: ActionPoint | None) -> FeedEntry | None:
    if point is None or point.community_id != event.community_id:
        return None
    if point.session_id:
        url = point.session.get_absolute_url() + "#action-points"
    else:
        url = reverse("action-point-list", kwargs={"slug": point.community.slug})
    if point.owner_id and point.owner_id != event.actor.pk:
        text = sentence(
            _("%(name)s made an action point for %(owner)s: %(what)s"),
            name=person_link(event.actor),
            owner=person_link(point.owner),
            what=link(url, point.what),
        )
    else:
        text = sentence(
            _("%(name)s made an action point: %(what)s"),
            name=person_link(event.actor),
            what=link(url, point.what),
        )
    return FeedEntry(
        actor=event.actor,
        sentence=text,
        url=url,
        time=event.created_at,
        extra={"kind": "action-point"},
    )


def next_session_panel(community, viewer):
    """The next session: when, where, how many are coming and the viewer's own answer."""
    sessions = list(
        selectors.sessions_for_community(community=community, user=viewer, when="upcoming")
        .filter(status=SessionStatus.SCHEDULED)
        .select_related("community")[:1]
    )
    session = sessions[0] if sessions else None
    rsvp = selectors.rsvp_of(session=session, user=viewer) if session else None
    return "meetings/_home_next_session.html", {
        "session": session,
        "can_plan": permissions.can_plan(viewer, community),
        "rsvp": rsvp,
        "community": community,
        "place": (session.video_url if session.mode == "online" else session.location)
        if session
        else "",
    }
