"""Reads for the homes. Every selector takes the viewer: the member's week only ever looks
inside the viewer's own communities; the platform overview is for platform admins.

Each read is a fixed number of queries, whatever the number of communities, sessions or
posts: the page shows a few of each and links to the full lists."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import User
from kring.communities import selectors as community_selectors
from kring.communities.models import Community, Membership, Role, Stage
from kring.conversations import selectors as conversation_selectors
from kring.conversations.models import Message, Reply, Thread
from kring.core.models import ActivityEvent
from kring.home import permissions
from kring.knowledge.models import IMPLICIT_KINDS, ItemAuthor, KnowledgeItem
from kring.meetings import selectors as meeting_selectors
from kring.meetings.models import Rsvp, RsvpResponse, Session

SESSIONS_SHOWN = 3
QUESTIONS_SHOWN = 4
STORIES_SHOWN = 4
STORY_DAYS = 28
POINTS_SHOWN = 5
LATEST_SHOWN = 3
# Enough to match on; a profile with more help tags is matched on its first ones.
HELP_TAGS_USED = 12
ACTIVITY_WEEKS = 12
ACTIVE_DAYS = 30
COMMUNITIES_PAGE_SIZE = 25


def _my_community_ids(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user=user).values("community_id")


# --- The member's week ------------------------------------------------------------------


def week_sessions(
    *, user: User, limit: int = SESSIONS_SHOWN, pk: int | None = None
) -> list[Session]:
    """The next scheduled sessions of the viewer's communities, soonest first, each with
    `going_count` and the viewer's own answer (`my_response`, `my_waitlisted`, `my_note`;
    None when they have not answered). With `pk`, only that session (or none)."""
    if not user.is_authenticated:
        return []
    mine = Rsvp.objects.filter(session=OuterRef("pk"), user=user)
    going = (
        Rsvp.objects.filter(session=OuterRef("pk"), response=RsvpResponse.YES, waitlisted=False)
        .order_by()
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        Session.objects.scheduled()
        .filter(community__in=_my_community_ids(user), ends_at__gte=timezone.now())
        .select_related("community")
        .annotate(
            going_count=Coalesce(Subquery(going, output_field=IntegerField()), 0),
            my_response=Subquery(mine.values("response")[:1]),
            my_waitlisted=Subquery(mine.values("waitlisted")[:1]),
            my_note=Subquery(mine.values("note")[:1]),
        )
        .order_by("starts_at", "id")
    )
    if pk is not None:
        qs = qs.filter(pk=pk)
    sessions = list(qs[:limit])
    for session in sessions:
        session.is_full = session.capacity is not None and session.going_count >= session.capacity
    return sessions


def week_session_get(*, user: User, pk: int) -> Session:
    """One upcoming session of the viewer's communities, as on their week; 404 otherwise."""
    sessions = week_sessions(user=user, limit=1, pk=pk)
    if not sessions:
        raise Http404
    return sessions[0]


@dataclass
class WaitingQuestion:
    thread: Thread
    # The help tags of the viewer's profile this question is about; empty when it is shown
    # only because it has waited longest.
    matches: list[str] = field(default_factory=list)
    waiting_days: int = 0


def help_tags_of(*, user: User) -> list:
    return list(user.help_tags.order_by("name")[:HELP_TAGS_USED])


def waiting_questions(*, user: User, help_tags: list, limit: int = QUESTIONS_SHOWN) -> list:
    """Questions in the viewer's communities that nobody has answered yet, not their own:
    first those about what the viewer can help with (a help tag on the question, or in its
    title), then the ones that have waited longest."""
    if not user.is_authenticated:
        return []
    waiting = (
        Thread.objects.waiting()
        .filter(community__in=_my_community_ids(user), locked=False)
        .exclude(author=user)
    )
    about = Q(tags__in=[tag.pk for tag in help_tags])
    for tag in help_tags:
        about |= Q(title__icontains=tag.name)
    if help_tags:
        matching = waiting.filter(about).values("pk")
        rank: Case | Value = Case(When(pk__in=matching, then=Value(1)), default=Value(0))
    else:
        rank = Value(0)
    threads = list(
        waiting.annotate(is_match=rank)
        .select_related("community", "author")
        .prefetch_related("tags")
        .order_by("-is_match", "created_at", "id")[:limit]
    )
    today = timezone.localdate()
    shown = []
    for thread in threads:
        matches = []
        if thread.is_match:
            ids = {tag.pk for tag in help_tags}
            title = thread.title.casefold()
            names = [tag.name for tag in thread.tags.all() if tag.pk in ids]
            names += [tag.name for tag in help_tags if tag.name.casefold() in title]
            matches = list(dict.fromkeys(names))
        days = (today - timezone.localtime(thread.created_at).date()).days
        shown.append(WaitingQuestion(thread=thread, matches=matches, waiting_days=days))
    return shown


def new_stories(*, user: User, limit: int = STORIES_SHOWN, days: int = STORY_DAYS) -> list:
    """Practice stories and lessons learned shared in the viewer's communities lately."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - timedelta(days=days)
    return list(
        KnowledgeItem.objects.filter(
            community__in=_my_community_ids(user), kind__in=IMPLICIT_KINDS, created_at__gte=since
        )
        .select_related("community", "created_by")
        .prefetch_related(
            Prefetch(
                "item_authors",
                queryset=ItemAuthor.objects.select_related("user").order_by("position"),
            )
        )
        .order_by("-created_at", "-id")[:limit]
    )


def open_action_points(*, user: User, limit: int = POINTS_SHOWN) -> dict:
    """The viewer's own open action points (earliest date first), how many there are and
    how many are past their date."""
    today = timezone.localdate()
    qs = meeting_selectors.action_points_for_user(user=user, state="open")
    counts = qs.order_by().aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
    points = list(qs[:limit])
    for point in points:
        # Only the viewer's own points in their own communities: they may tick each one.
        # Attributes for the template only (not model fields): the stubs do not know them.
        point.can_update = True  # type: ignore[attr-defined]
        point.is_overdue = point.due_date is not None and point.due_date < today  # type: ignore[attr-defined]
    return {"points": points, "total": counts["total"], "overdue": counts["overdue"]}


def inbox(*, user: User, limit: int = LATEST_SHOWN) -> dict:
    """Unread messages and notifications: how many, and the latest few of each (who sent a
    message and when, never what it says)."""
    messages = list(
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("sender")
        .order_by("-created_at", "-id")[:limit]
    )
    notifications_unread, messages_unread = conversation_selectors.unread_counts(user=user)
    return {
        "messages_unread": messages_unread,
        "messages": messages,
        "notifications_unread": notifications_unread,
        # Community notices (a session planned) are described in one batch, not one query each.
        "notifications": conversation_selectors.notices_attach(
            conversation_selectors.notifications_for(user=user, unread_only=True)[:limit]
        ),
    }


def has_posted(*, user: User) -> bool:
    """Whether the viewer has started a conversation or replied in one of their communities."""
    mine = _my_community_ids(user)
    row = (
        User.objects.filter(pk=user.id)
        .annotate(
            has_thread=Exists(Thread.objects.filter(author=OuterRef("pk"), community__in=mine)),
            has_reply=Exists(
                Reply.objects.filter(author=OuterRef("pk"), thread__community__in=mine)
            ),
        )
        .values_list("has_thread", "has_reply")
        .first()
    )
    return bool(row and any(row))


@dataclass
class FirstStep:
    key: str
    done: bool
    url: str = ""


def my_week(*, user: User) -> dict:
    """Everything on the member's home, read for the viewer only."""
    memberships = list(community_selectors.memberships_of_user(user=user))
    sessions = week_sessions(user=user)
    help_tags = help_tags_of(user=user)
    return {
        "memberships": memberships,
        "sessions": sessions,
        "help_tags": help_tags,
        "questions": waiting_questions(user=user, help_tags=help_tags),
        "stories": new_stories(user=user),
        "action_points": open_action_points(user=user),
        "inbox": inbox(user=user),
        "has_posted": has_posted(user=user),
    }


# --- The platform overview --------------------------------------------------------------


@dataclass
class Week:
    start: date
    events: int = 0
    people: int = 0


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def activity_by_week(*, weeks: int = ACTIVITY_WEEKS, today: date | None = None) -> list[Week]:
    """Actions (activity events) and distinct active people per week, Monday to Sunday, for
    the last `weeks` weeks including this one; weeks without activity count zero."""
    today = today or timezone.localdate()
    first = _week_start(today) - timedelta(weeks=weeks - 1)
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(first, time.min), zone)
    rows = (
        ActivityEvent.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at", tzinfo=zone))
        .order_by()
        .values("week")
        .annotate(events=Count("id"), people=Count("actor", distinct=True))
    )
    found = {}
    for row in rows:
        found[timezone.localtime(row["week"], zone).date()] = row
    result = []
    for n in range(weeks):
        start = first + timedelta(weeks=n)
        row = found.get(start, {})
        result.append(Week(start=start, events=row.get("events", 0), people=row.get("people", 0)))
    return result


def platform_overview(*, viewer: User | AnonymousUser, page: str | None = None) -> dict:
    """Communities (by stage, each with members and last activity), people and activity
    across the whole platform."""
    permissions.check_view_platform_overview(viewer)
    now = timezone.now()
    members = (
        Membership.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(n=Count("id"))
        .values("n")
    )
    last = ActivityEvent.objects.filter(community=OuterRef("pk")).order_by("-created_at")
    communities = Community.objects.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        last_activity=Subquery(last.values("created_at")[:1]),
    ).order_by("name", "id")
    stage_counts = dict(
        Community.objects.order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    by_stage = [
        {"stage": stage, "label": label, "count": stage_counts.get(stage, 0)}
        for stage, label in Stage.choices
    ]
    people = User.objects.filter(is_active=True).aggregate(
        total=Count("id"),
        new=Count("id", filter=Q(date_joined__gte=now - timedelta(days=ACTIVE_DAYS))),
    )
    active = (
        ActivityEvent.objects.filter(created_at__gte=now - timedelta(days=ACTIVE_DAYS))
        .order_by()
        .values("actor")
        .distinct()
        .count()
    )
    facilitators = (
        Membership.objects.filter(role=Role.FACILITATOR).order_by().values("user").distinct()
    ).count()
    return {
        "community_page": Paginator(communities, COMMUNITIES_PAGE_SIZE).get_page(page),
        "community_total": sum(stage_counts.values()),
        "by_stage": by_stage,
        "people_total": people["total"],
        "people_new": people["new"],
        "people_active": active,
        "facilitator_total": facilitators,
        "weeks": activity_by_week(),
        "active_days": ACTIVE_DAYS,
    }
