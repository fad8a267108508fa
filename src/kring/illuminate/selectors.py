"""Reads of value stories. Every selector takes the viewer: a community's members (and
platform admins) read all its stories, whatever their consent; anyone else reads none.

The consent levels matter outside the community (the report, the spotlight): those parts
select with `stories_with_consent`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Greatest, Least
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Perspective, User
from kring.communities.models import Community
from kring.communities.selectors import community_get_inside, members_of
from kring.conversations.models import Thread
from kring.conversations.verbs import ConversationVerb
from kring.core.daterange import in_range
from kring.core.daterange import message as daterange_message
from kring.core.models import ActivityEvent
from kring.illuminate import permissions
from kring.illuminate.models import CYCLES, Consent, Cycle, ValueStory
from kring.insights.compute.passes import TIE_VERBS
from kring.knowledge.models import KnowledgeItem, Useful
from kring.meetings.models import Attendance, AttendanceStatus, Session

Viewer = User | AnonymousUser | None

# The longest period the value overview covers at once (the report keeps to the same).
PERIOD_MAX_DAYS = 5 * 366


def community_for_stories(*, slug: str, user: User | AnonymousUser) -> Community:
    """The community whose stories the user may read: 404 for anyone else, also for a public
    community (its stories are for its members)."""
    return community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)


def _ordered(stories: QuerySet) -> QuerySet:
    """Featured first (the latest featured on top), then the newest."""
    return stories.order_by(F("featured_at").desc(nulls_last=True), "-created_at", "-id")


def stories_for_community(
    *, community: Community, viewer: Viewer, cycle: str = "", perspective: str = ""
) -> QuerySet[ValueStory]:
    """The stories a viewer may read, featured first; `cycle` keeps those that tell that
    cycle, `perspective` (a key) those told from it. Nothing for non-members."""
    if not permissions.can_read_stories(viewer, community):
        return ValueStory.objects.none()
    stories = ValueStory.objects.filter(community=community)
    if cycle in CYCLES:
        stories = stories.exclude(**{cycle: ""})
    if perspective:
        stories = stories.filter(perspective__key=perspective)
    return _ordered(stories.select_related("author", "perspective", "community"))


def stories_with_consent(
    *,
    community: Community,
    consents: tuple[str, ...],
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[ValueStory]:
    """The stories whose tellers allow them beyond the community (`Consent.REPORT` and
    `Consent.PUBLIC` for a report, `Consent.PUBLIC` for the spotlight), told in [start, end),
    featured first. For the parts that decide themselves who reads them."""
    unknown = set(consents) - set(Consent.values)
    assert not unknown, f"unknown consent {unknown}"
    stories = ValueStory.objects.filter(community=community, consent__in=consents)
    if start is not None:
        stories = stories.filter(created_at__gte=start)
    if end is not None:
        stories = stories.filter(created_at__lt=end)
    return _ordered(stories.select_related("author", "perspective"))


def story_get(*, community: Community, pk: int, viewer: Viewer) -> ValueStory:
    """One story of the community; 404 for a non-member or a story of another community."""
    if not permissions.can_read_stories(viewer, community):
        raise Http404
    story = (
        ValueStory.objects.filter(community=community, pk=pk)
        .select_related("author", "perspective", "community", "featured_by", "practice_item")
        .first()
    )
    if story is None:
        raise Http404
    return story


@dataclass(frozen=True)
class Evidence:
    sessions: list[Session]
    items: list[KnowledgeItem]
    threads: list[Thread]
    people: list[User]

    def __bool__(self) -> bool:
        return bool(self.sessions or self.items or self.threads or self.people)


def story_evidence(*, story: ValueStory, viewer: Viewer) -> Evidence:
    """What the story points at, as far as the viewer may see it (a hidden thread only for
    those who may see it anyway is left out)."""
    if not permissions.can_read_stories(viewer, story.community):
        return Evidence([], [], [], [])
    return Evidence(
        sessions=list(story.sessions.select_related("community").order_by("starts_at")),
        items=list(story.items.select_related("community").order_by("title")),
        threads=list(
            story.threads.filter(hidden=False).select_related("community").order_by("created_at")
        ),
        people=list(story.people.filter(is_active=True).order_by("full_name")),
    )


def evidence_choices(
    *,
    community: Community,
    viewer: Viewer,
    session_ids: Iterable[str] = (),
    item_ids: Iterable[str] = (),
    thread_ids: Iterable[str] = (),
) -> dict[str, list]:
    """The sessions, items and visible threads of the community among the ids given (the ones
    a form or API call names): anything else, or anything for a non-member, is left out."""
    if not permissions.can_read_stories(viewer, community):
        return {"sessions": [], "items": [], "threads": []}

    return {
        "sessions": list(Session.objects.filter(community=community, pk__in=_ids(session_ids))),
        "items": list(KnowledgeItem.objects.filter(community=community, pk__in=_ids(item_ids))),
        "threads": list(
            Thread.objects.filter(community=community, pk__in=_ids(thread_ids), hidden=False)
        ),
    }


def evidence_from_ids(*, community: Community, viewer: Viewer, **ids: list[int]) -> dict[str, list]:
    """The sessions, items, threads and people (members) of the community that the ids name,
    for the API: an id that names nothing there is refused with the field's name."""
    models = {
        "sessions": (Session.objects.filter(community=community), _("No session %(ids)s here.")),
        "items": (
            KnowledgeItem.objects.filter(community=community),
            _("No library item %(ids)s here."),
        ),
        "threads": (
            Thread.objects.filter(community=community, hidden=False),
            _("No question or discussion %(ids)s here."),
        ),
        "people": (
            members_of(community=community),
            _("Person %(ids)s is not a member of this community."),
        ),
    }
    if not permissions.can_read_stories(viewer, community):
        raise Http404
    found: dict[str, list] = {}
    errors: dict[str, list[str]] = {}
    for name, wanted in ids.items():
        queryset, message = models[name]
        wanted = list(dict.fromkeys(wanted))
        objects = {obj.pk: obj for obj in queryset.filter(pk__in=wanted)}
        missing = [pk for pk in wanted if pk not in objects]
        if missing:
            errors[name] = [message % {"ids": ", ".join(str(pk) for pk in missing)}]
        found[name] = [objects[pk] for pk in wanted if pk in objects]
    if errors:
        raise ValidationError(errors)
    return found


def perspective_from_key(*, key: str | None) -> Perspective | None:
    """The perspective with this key; None for none ("" or null); refused when unknown."""
    if not key:
        return None
    perspective = Perspective.objects.filter(key=key).first()
    if perspective is None:
        raise ValidationError(
            {"perspective": [_("No perspective with the key %(key)s.") % {"key": key}]}
        )
    return perspective


def _ids(values: Iterable[str]) -> list[int]:
    """The ids among what a form or link sent (anything else left out), at most a few."""
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19][:50]


def members_chosen(*, community: Community, ids: Iterable[str]) -> QuerySet[User]:
    """The members among the ids a form sent back (a picker's choices), at most a few."""
    pks = _ids(ids)
    return members_of(community=community).filter(pk__in=pks).order_by("full_name")


def teller_perspective(*, user: Viewer) -> Perspective | None:
    """The perspective a new story starts with: the teller's first one."""
    if user is None or not user.is_authenticated:
        return None
    return user.perspectives.order_by("position", "key").first()


# --- The value overview ---------------------------------------------------------------------


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start of `start`, start of the day after `end`) in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def period_problem(start: date, end: date) -> str:
    """What is wrong with a period, in a sentence; "" when it can be used."""
    if not (in_range(start) and in_range(end)):
        return daterange_message()
    if end < start:
        return _("The end of the period comes before its start. Swap the dates.")
    if (end - start).days > PERIOD_MAX_DAYS:
        return _("Choose a period of at most five years.")
    return ""


def new_ties_count(*, community: Community, start: datetime, end: datetime) -> int:
    """Pairs of people whose first act towards each other in the community (the acts the
    insights count as ties: replies, answers, mentions, useful marks, comments) fell in
    [start, end). One GROUP BY in the database. Unlike the insights' trend it leaves direct
    messages out: they belong to two people, not to a community."""
    pairs = (
        ActivityEvent.objects.filter(
            community=community, verb__in=TIE_VERBS, other__isnull=False, created_at__lt=end
        )
        .exclude(actor=F("other"))
        .order_by()
        .annotate(low=Least("actor_id", "other_id"), high=Greatest("actor_id", "other_id"))
        .values("low", "high")
        .annotate(first_at=Min("created_at"))
        .filter(first_at__gte=start)
    )
    return pairs.count()


def _story_counts(stories: QuerySet) -> dict[str, int]:
    return stories.aggregate(
        total=Count("id"), **{c: Count("id", filter=~Q(**{c: ""})) for c in CYCLES}
    )


def value_overview(*, community: Community, viewer: Viewer, start: date, end: date) -> dict:
    """The community's value over a period (dates, both included): its stories by cycle and by
    perspective, and per cycle what Kring counts itself. A fixed number of queries."""
    permissions.check_read_stories(viewer, community)
    since, until = period_bounds(start, end)
    stories = ValueStory.objects.filter(
        community=community, created_at__gte=since, created_at__lt=until
    )
    counts = _story_counts(stories)
    perspectives = (
        stories.order_by()
        .values("perspective__key", "perspective__name_nl", "perspective__name_en")
        .annotate(n=Count("id"))
    )
    by_perspective = sorted(
        (
            {
                "key": row["perspective__key"] or "",
                "name": Perspective(
                    name_nl=row["perspective__name_nl"] or "",
                    name_en=row["perspective__name_en"] or "",
                ).name,
                "stories": row["n"],
            }
            for row in perspectives
        ),
        key=lambda row: (-row["stories"], row["name"]),
    )
    attendances = Attendance.objects.filter(
        session__community=community,
        status=AttendanceStatus.ATTENDED,
        session__starts_at__gte=since,
        session__starts_at__lt=until,
    ).count()
    replies = ActivityEvent.objects.filter(
        community=community,
        verb__in=(ConversationVerb.REPLIED, ConversationVerb.ANSWERED),
        created_at__gte=since,
        created_at__lt=until,
    ).count()
    useful = Useful.objects.filter(
        item__community=community, created_at__gte=since, created_at__lt=until
    ).count()
    ties = new_ties_count(community=community, start=since, end=until)
    indicators = {
        Cycle.IMMEDIATE: {"attendances": attendances, "replies": replies},
        Cycle.POTENTIAL: {"useful_marks": useful, "new_ties": ties},
        Cycle.APPLIED: {"stories": counts[Cycle.APPLIED]},
        Cycle.REALISED: {"stories": counts[Cycle.REALISED]},
        Cycle.REFRAMING: {"stories": counts[Cycle.REFRAMING]},
    }
    return {
        "from": start,
        "to": end,
        "stories": counts["total"],
        "by_cycle": [
            {"cycle": c.value, "label": str(c.label), "stories": counts[c.value]} for c in Cycle
        ],
        "by_perspective": by_perspective,
        "indicators": {str(k): v for k, v in indicators.items()},
    }
