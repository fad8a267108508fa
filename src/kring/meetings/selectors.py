"""Reads for sessions and the learning cycle; every selector takes the viewer and checks access
(guessed ids give Http404)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role
from kring.communities.selectors import community_get_inside, members_of
from kring.knowledge.models import KnowledgeItem
from kring.meetings import permissions
from kring.meetings.models import (
    ActionPoint,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Reflection,
    Rsvp,
    RsvpResponse,
    Session,
    SessionStatus,
)
from kring.meetings.permissions import Viewer

# How many of the community's latest library items a session's materials picker lists (the
# whole list without JavaScript); any other item is found by title (material_lookup).
MATERIAL_CHOICES = 20
MATERIAL_LOOKUP_LIMIT = 20
# How many people an action point's owner picker lists before anyone searches by name.
OWNER_CHOICES = 60


def sessions_for_community(
    *, community: Community, user: Viewer, when: str = "upcoming"
) -> QuerySet:
    """Upcoming (soonest first), past (latest first) or all sessions, with going counts."""
    if not permissions.can_view(user, community):
        return Session.objects.none()
    now = timezone.now()
    qs = Session.objects.filter(community=community).select_related("series")
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("starts_at", "id")
    return qs.annotate(
        # distinct: the two joins (RSVPs and attendance) would otherwise multiply each other.
        going_count=Count(
            "rsvps",
            filter=Q(rsvps__response=RsvpResponse.YES, rsvps__waitlisted=False),
            distinct=True,
        ),
        attended_count=Count(
            "attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED), distinct=True
        ),
    )


def upcoming_for_user(
    *, user: Viewer, limit: int = 10, until: datetime | None = None
) -> list[Session]:
    """The next sessions of all of someone's communities (scheduled ones)."""
    if not user.is_authenticated:
        return []
    qs = (
        Session.objects.scheduled()
        .filter(
            community__in=Membership.objects.filter(user=user).values("community_id"),
            ends_at__gte=timezone.now(),
        )
        .select_related("community")
        .order_by("starts_at", "id")
    )
    if until is not None:
        qs = qs.filter(starts_at__lte=until)
    return list(qs[:limit])


def session_get(*, user: Viewer, community: Community, pk: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("community", "series"), community=community, pk=pk
    )
    if not permissions.can_view(user, community):
        raise Http404
    return session


def session_get_inside(*, slug: str, pk: int, user: Viewer) -> Session:
    """A session, opened through its community's address: 404 for anyone outside the
    community (a public one too), and for the id of a session of another community."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    return session_get(user=user, community=community, pk=pk)


def session_rsvps(*, session: Session) -> dict[str, list[Rsvp]]:
    """Who answered what: going, waiting (in order), maybe, not coming; people with photos and
    perspectives, in a fixed number of queries."""
    rsvps = (
        Rsvp.objects.filter(session=session)
        .select_related("user")
        .prefetch_related("user__perspectives")
    )
    groups: dict[str, list[Rsvp]] = {"going": [], "waiting": [], "maybe": [], "no": []}
    for rsvp in rsvps.order_by("responded_at", "id"):
        if rsvp.response == RsvpResponse.YES:
            groups["waiting" if rsvp.waitlisted else "going"].append(rsvp)
        elif rsvp.response == RsvpResponse.MAYBE:
            groups["maybe"].append(rsvp)
        else:
            groups["no"].append(rsvp)
    return groups


def session_attendees(*, session: Session) -> list[User]:
    """Who attended (as the facilitator recorded it), by name, with their perspectives; two
    queries whatever the number."""
    return list(
        User.objects.filter(
            attendances__session=session, attendances__status=AttendanceStatus.ATTENDED
        )
        .prefetch_related("perspectives")
        .order_by("full_name", "pk")
    )


def rsvp_of(*, session: Session, user: Viewer) -> Rsvp | None:
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(session=session, user=user).first()


def rsvps_of_user(*, user: Viewer, sessions: Iterable[Session]) -> dict[int, Rsvp]:
    """Someone's own answers for a page of sessions, by session id, in one query."""
    session_ids = [s.pk for s in sessions]
    if not user.is_authenticated or not session_ids:
        return {}
    return {r.session_id: r for r in Rsvp.objects.filter(user=user, session__in=session_ids)}


def waiting_count(*, session: Session) -> int:
    """How many people are on the session's waiting list."""
    return Rsvp.objects.filter(session=session, response=RsvpResponse.YES, waitlisted=True).count()


def members_by_ids(*, community: Community, ids: Iterable[int], field: str) -> list[User]:
    """The members with these ids, in the order given (also those who can no longer sign in),
    for input that names people; anyone else is a ValidationError on `field`, with no hint
    whether such a person exists."""
    wanted = list(dict.fromkeys(ids))
    found = {
        u.pk: u for u in members_of(community=community, active_only=False).filter(pk__in=wanted)
    }
    if len(found) != len(wanted):
        raise ValidationError({field: _("Choose members of this community.")})
    return [found[pk] for pk in wanted]


def attendance_sheet(*, session: Session, user: Viewer) -> list[dict[str, Any]]:
    """Every member with their RSVP and registered attendance, for the facilitator's checklist."""
    permissions.check_record_attendance(user, session)
    # Everyone who is a member, also someone who can no longer sign in: they may have come.
    members = list(
        members_of(community=session.community, active_only=False)
        .order_by("full_name")
        .only("pk", "full_name", "organisation", "photo")
    )
    attendance = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    rsvp = dict(Rsvp.objects.filter(session=session).values_list("user_id", "response"))
    return [{"user": m, "status": attendance.get(m.pk), "rsvp": rsvp.get(m.pk)} for m in members]


def attendance_by_session(*, community: Community, user: Viewer, limit: int = 24) -> list[Session]:
    """The latest past sessions, oldest first, with attended/absent/excused counts (chart)."""
    if not permissions.can_view(user, community):
        return []
    qs = (
        Session.objects.filter(
            community=community, status=SessionStatus.SCHEDULED, starts_at__lt=timezone.now()
        )
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)),
            absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
            excused=Count("attendances", filter=Q(attendances__status=AttendanceStatus.EXCUSED)),
        )
        .order_by("-starts_at")[:limit]
    )
    return list(reversed(list(qs)))


def reflections_for(*, session: Session, user: Viewer) -> list[Reflection]:
    if not permissions.can_view(user, session.community):
        return []
    return list(
        Reflection.objects.filter(session=session).select_related("author").order_by("created_at")
    )


def reflection_of(*, session: Session, user: Viewer) -> Reflection | None:
    """Someone's own reflection on a session, if written."""
    if not user.is_authenticated:
        return None
    return Reflection.objects.filter(session=session, author=user).first()


def reflection_get(*, user: Viewer, session: Session, pk: int) -> Reflection:
    if not permissions.can_view(user, session.community):
        raise Http404
    return get_object_or_404(
        Reflection.objects.select_related("author", "session__community"), session=session, pk=pk
    )


def action_points_for_session(*, session: Session, user: Viewer) -> dict[str, list[ActionPoint]]:
    """On a session's page: the open action points made before it (they stay on every next
    agenda until done), and those made at this session."""
    if not permissions.can_view(user, session.community):
        return {"carried": [], "made_here": []}
    base = ActionPoint.objects.filter(community=session.community).select_related(
        "owner", "session", "created_by"
    )
    carried = base.filter(done_at__isnull=True).filter(
        Q(session__starts_at__lt=session.starts_at)
        | Q(session__isnull=True, created_at__lt=session.starts_at)
    )
    made_here = base.filter(session=session)
    return {"carried": list(carried.exclude(session=session)), "made_here": list(made_here)}


def action_point_owner_choices(
    *, community: Community, session: Session | None = None, include: Iterable[int] = ()
) -> list[User]:
    """Whom an action point's owner picker lists: the people named in `include` (you, the
    current owner), those at the session (attended, or said yes or maybe), its facilitators
    and the community's facilitators; active members only, by name, at most OWNER_CHOICES,
    in one query however large the community. Anyone else is found by name."""
    include = [pk for pk in include if pk]
    # One UNION of the small sets, not an OR of IN-subqueries: PostgreSQL turns that OR into
    # a scan of every membership of the community (5-9 ms at 10,000 members).
    around = (
        Membership.objects.filter(community=community, role=Role.FACILITATOR)
        .order_by()
        .values("user_id")
    )
    if session is not None:
        around = around.union(
            Attendance.objects.filter(session=session, status=AttendanceStatus.ATTENDED)
            .order_by()
            .values("user_id"),
            Rsvp.objects.filter(
                session=session, response__in=[RsvpResponse.YES, RsvpResponse.MAYBE]
            )
            .order_by()
            .values("user_id"),
            Session.facilitators.through.objects.filter(session=session)
            .order_by()
            .values("user_id"),
        )
    if include:
        around = around.union(
            Membership.objects.filter(user_id__in=include).order_by().values("user_id")
        )
    near = Q(pk__in=around)
    # The people named come first, so a long list of attendees never pushes them out.
    people = list(
        members_of(community=community)
        .filter(near)
        .annotate(named=Case(When(pk__in=include, then=Value(0)), default=Value(1)))
        .order_by("named", "full_name", "pk")
        .only("pk", "full_name", "organisation")[:OWNER_CHOICES]
    )
    return sorted(people, key=lambda person: (person.full_name.casefold(), person.pk))


def action_points_for_community(
    *, community: Community, user: Viewer, state: str = "open", owner: User | None = None
) -> QuerySet[ActionPoint]:
    if not permissions.can_view(user, community):
        return ActionPoint.objects.none()
    qs = ActionPoint.objects.filter(community=community).select_related(
        "owner", "session", "created_by"
    )
    if state == "open":
        qs = qs.filter(done_at__isnull=True).order_by("due_date", "created_at", "id")
    elif state == "done":
        qs = qs.filter(done_at__isnull=False).order_by("-done_at", "-id")
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs


def action_point_owners(*, community: Community, user: Viewer) -> list[User]:
    """The people holding an action point in this community, by name, for the list's
    filter: not every member, most of whom hold none."""
    if not permissions.can_view(user, community):
        return []
    return list(
        User.objects.filter(
            pk__in=ActionPoint.objects.filter(community=community).values("owner_id")
        ).order_by("full_name", "pk")
    )


def action_points_for_user(*, user: User, state: str = "open") -> QuerySet[ActionPoint]:
    """Someone's own action points across their communities."""
    qs = ActionPoint.objects.filter(
        owner=user, community__in=Membership.objects.filter(user=user).values("community_id")
    ).select_related("community", "session")
    if state == "open":
        return qs.filter(done_at__isnull=True).order_by("due_date", "created_at", "id")
    return qs.filter(done_at__isnull=False).order_by("-done_at", "-id")


def action_point_get(*, user: Viewer, community: Community, pk: int) -> ActionPoint:
    point = get_object_or_404(
        ActionPoint.objects.select_related("community", "owner", "session"),
        community=community,
        pk=pk,
    )
    if not permissions.can_view(user, community):
        raise Http404
    return point


def material_choices(*, session: Session) -> QuerySet[KnowledgeItem]:
    """What a facilitator may link as the session's materials: the community's latest library
    items, and whatever is linked already."""
    items = KnowledgeItem.objects.filter(community=session.community)
    recent = list(items.order_by("-created_at").values_list("pk", flat=True)[:MATERIAL_CHOICES])
    # The linked ids as a list too: "IN (ids) OR IN (subquery)" makes PostgreSQL scan the
    # whole library (18 ms at 20,000 items); "IN (ids)" reads a handful of rows by key.
    linked = list(session.materials.values_list("pk", flat=True))
    return items.filter(pk__in=[*recent, *linked]).order_by("title")


def material_options(*, session: Session) -> QuerySet[KnowledgeItem]:
    """What a facilitator may link as the session's materials: any item of the community's
    library (checked when the form is sent; never listed whole)."""
    return KnowledgeItem.objects.filter(community=session.community)


def material_lookup(*, session: Session, q: str) -> list[KnowledgeItem]:
    """Library items of the session's community whose title holds `q` (two characters or
    more), by title, at most MATERIAL_LOOKUP_LIMIT: the materials picker's search."""
    q = " ".join(q.split())[:100]
    if len(q) < 2:
        return []
    return list(
        material_options(session=session)
        .filter(title__icontains=q)
        .only("id", "title", "kind")
        .order_by("title", "pk")[:MATERIAL_LOOKUP_LIMIT]
    )


def action_point_get_inside(*, slug: str, pk: int, user: Viewer) -> ActionPoint:
    """An action point, opened through its community's address (as `session_get_inside`)."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    return action_point_get(user=user, community=community, pk=pk)


def series_sessions(*, session: Session) -> QuerySet[Session]:
    return Session.objects.filter(series=session.series).order_by("starts_at")


def calendar_feed_of(*, user: Viewer) -> CalendarFeed | None:
    """Someone's own calendar feed (the secret itself is never stored), or None."""
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user).first()
