"""The sessions' part of the digest e-mail: the sessions newly planned in the reader's
communities since the last digest, and what is coming up."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.core.digest import DigestEntry
from kring.meetings import ical
from kring.meetings.models import Rsvp, RsvpResponse, Session, SessionStatus

AHEAD = timedelta(days=14)
# A session shows up in about two digests before it happens (and when it is newly planned),
# not in every daily digest for two weeks.
DIGESTS_AHEAD = 2
LIMIT = 50


def _when(session: Session) -> str:
    """In the session's own time zone and the reader's language (the digest runs in it)."""
    local = session.starts_at.astimezone(ical.zone_of(session))
    return date_format(local, "l j F, H:i")


def upcoming_sessions(*, user, community_ids, since, until) -> list[DigestEntry]:
    """Digest section: scheduled sessions of the next two weeks, soonest first, with how many
    are coming and the reader's own answer. A daily digest lists those of the next two days,
    a weekly digest all of the next two weeks (less the ones newly planned by others, which
    have their own section)."""
    period = until - since
    soon = until + min(AHEAD, DIGESTS_AHEAD * period)
    sessions = list(
        Session.objects.filter(
            community_id__in=community_ids,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=until,
            starts_at__lt=until + AHEAD,
        )
        .filter(starts_at__lt=soon)
        # Planned by someone else in this period: those are under "New sessions planned".
        .exclude(Q(created_at__gte=since, created_at__lt=until) & ~Q(created_by=user))
        .select_related("community")
        .annotate(
            going=Count(
                "rsvps", filter=Q(rsvps__response=RsvpResponse.YES, rsvps__waitlisted=False)
            )
        )
        .order_by("starts_at", "id")[:LIMIT]
    )
    answers = {
        session_id: "waiting" if waitlisted else response
        for session_id, response, waitlisted in Rsvp.objects.filter(
            user=user, session__in=sessions
        ).values_list("session_id", "response", "waitlisted")
    }
    mine = {
        "waiting": _("you are on the waiting list"),
        RsvpResponse.YES: _("you are coming"),
        RsvpResponse.MAYBE: _("you might come"),
        RsvpResponse.NO: _("you are not coming"),
    }
    entries = []
    for session in sessions:
        parts = [_when(session)]
        place = session.video_url if session.mode == "online" else session.location
        if place:
            parts.append(place)
        parts.append(
            ngettext("%(count)s coming", "%(count)s coming", session.going)
            % {"count": session.going}
        )
        if session.pk in answers:
            parts.append(str(mine[answers[session.pk]]))
        entries.append(
            DigestEntry(
                title=session.title,
                url=session.get_absolute_url(),
                meta=" · ".join(parts),
                community=session.community.name,
            )
        )
    return entries


def new_sessions(*, user, community_ids, since, until) -> list[DigestEntry]:
    """Digest section: sessions planned in the period by someone else, still to come. A
    series is one entry (with how many sessions and the first one), not one per occurrence."""
    sessions = list(
        Session.objects.filter(
            community_id__in=community_ids,
            status=SessionStatus.SCHEDULED,
            created_at__gte=since,
            created_at__lt=until,
            starts_at__gte=until,
        )
        .exclude(created_by=user)
        .select_related("community", "series", "created_by")
        .order_by("starts_at", "id")[: LIMIT * 20]
    )
    groups: dict[tuple, list[Session]] = {}
    for session in sessions:
        key = ("series", session.series_id) if session.series_id else ("session", session.pk)
        groups.setdefault(key, []).append(session)
    entries = []
    for group in list(groups.values())[:LIMIT]:
        first = group[0]
        parts = []
        if first.series_id and len(group) > 1:
            parts.append(
                ngettext(
                    "%(count)s session, the first on %(when)s",
                    "%(count)s sessions, the first on %(when)s",
                    len(group),
                )
                % {"count": len(group), "when": _when(first)}
            )
        else:
            parts.append(_when(first))
            place = first.video_url if first.mode == "online" else first.location
            if place:
                parts.append(place)
        if first.created_by is not None:
            parts.append(_("planned by %(name)s") % {"name": first.created_by.display_name})
        entries.append(
            DigestEntry(
                title=first.series.title if first.series_id and len(group) > 1 else first.title,
                url=first.get_absolute_url(),
                meta=" · ".join(parts),
                community=first.community.name,
            )
        )
    return entries
