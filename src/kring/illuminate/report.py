"""The report for funders and back-end organisations: a community's figures over a period
[from, to] (whole days, Europe/Amsterdam), as one plain dict that the page, the PDF, the CSV,
the CLI (`kring report`) and the API (GET /communities/{slug}/report) all show.

The network's figures (ties, new ties, ties across perspectives) and the members by
perspective are read from the insights document computed for the same period (as of the end
of `to`, over its days), so they are the insights' own figures. Names: only facilitators who
are a public face of Kring; no member is named. Value stories: only those whose tellers
consented to reports (consent `report` or `public`). Formulas: docs/report.md.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Perspective, User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Role
from kring.communities.selectors import community_get_inside, members_of
from kring.conversations.models import Thread, ThreadKind
from kring.core import daterange
from kring.core.models import ActivityEvent
from kring.illuminate import permissions
from kring.illuminate.models import CYCLES, Consent, ReportText, ValueStory
from kring.insights.compute import compute
from kring.insights.compute.passes import ACTIVE_VERBS, members_at
from kring.insights.document import day_end
from kring.insights.selectors import pulse_trend, pulses_for
from kring.knowledge.models import KnowledgeItem
from kring.meetings.models import (
    ActionPoint,
    Attendance,
    AttendanceStatus,
    Session,
    SessionStatus,
)

# The longest period a report covers.
MAX_YEARS = 5
# The default period: the last twelve months.
DEFAULT_MONTHS = 12
# Featured stories quoted in one report: the most recently featured first.
MAX_QUOTES = 12
REPORTED = (Consent.REPORT, Consent.PUBLIC)


@dataclass(frozen=True)
class Period:
    """Whole days from `first` to `last`, both included. `start` and `end` are the moments
    the insights computation uses for the same period (end of `last`, minus its days)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def end(self) -> datetime:
        return day_end(self.last)

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _parse(value: str | date | None, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                {field: _("Write the date as YYYY-MM-DD, for example 2026-01-31.")}
            ) from None
    daterange.check(day, field)
    return day


def last_twelve_months(today: date | None = None) -> Period:
    """The twelve months up to and including today."""
    today = today or timezone.localdate()
    return Period(first=_years_back(today, 1) + timedelta(days=1), last=today)


def default_period(community: Community, today: date | None = None) -> Period:
    """The last twelve months up to today, or since the community started when it is
    younger."""
    months = last_twelve_months(today)
    started = timezone.localtime(community.created_at).date()
    return Period(first=max(months.first, min(started, months.last)), last=months.last)


def period_parse(
    *,
    community: Community | None = None,
    period_from: str | date | None,
    period_to: str | date | None,
    default: Period | None = None,
) -> Period:
    """The period asked for, checked: dates as YYYY-MM-DD, `to` not before `from`, not after
    today, at most MAX_YEARS years. A missing date takes its default: `default` when given
    (a network's report), else the community's default_period."""
    first = _parse(period_from, "from")
    last = _parse(period_to, "to")
    if default is None:
        if community is None:
            raise TypeError("period_parse needs a community or a default period")
        default = default_period(community)
    last = last or default.last
    if first is None:
        first = min(default.first, last)
    if last < first:
        raise ValidationError({"to": _("The end of the period comes before its start.")})
    if last > timezone.localdate():
        raise ValidationError({"to": _("The period cannot end after today.")})
    if first <= _years_back(last, MAX_YEARS):
        raise ValidationError(
            {"from": _("A report covers at most %(years)s years.") % {"years": MAX_YEARS}}
        )
    return Period(first=first, last=last)


# Who may read it ------------------------------------------------------------------------------


def community_for_report(*, user: User | AnonymousUser, slug: str) -> Community:
    """The community whose report the user may read: 404 for people outside it, 403 for
    members who do not facilitate."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    permissions.check_view_report(user, community)
    return community


# The figures ---------------------------------------------------------------------------------


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def network_figures(insights: dict) -> dict:
    """The network's growth as the insights document has it: strong ties in the period, the
    pairs that met for the first time in it, and the ties between two people who share no
    perspective (both having one)."""
    perspectives = {m["email"]: set(m["perspectives"]) for m in insights["members"]}
    strong = [e for e in insights["network"]["edges"] if e["strong"]]
    across = 0
    for edge in strong:
        a, b = perspectives.get(edge["a"], set()), perspectives.get(edge["b"], set())
        if a and b and not a & b:
            across += 1
    return {
        "ties": len(strong),
        "new_ties": insights["network"]["new_ties"],
        "ties_across_perspectives": across,
    }


def _people(members: list[dict], took_part: set[int]) -> dict:
    """The people behind the members' figures, as sets of user ids: the members (rows of the
    insights document's `members`), those without a perspective, those who took part, and
    both per perspective (someone with two perspectives is in both)."""
    by_perspective: dict[str, set[int]] = {}
    took_part_by: dict[str, set[int]] = {}
    without: set[int] = set()
    for m in members:
        if not m["perspectives"]:
            without.add(m["id"])
        for key in m["perspectives"]:
            by_perspective.setdefault(key, set()).add(m["id"])
            if m["id"] in took_part:
                took_part_by.setdefault(key, set()).add(m["id"])
    ids = {m["id"] for m in members}
    return {
        "members": ids,
        "members_by_perspective": dict(sorted(by_perspective.items())),
        "members_without_perspective": without,
        "took_part": took_part & ids,
        "took_part_by_perspective": dict(sorted(took_part_by.items())),
    }


def _members(insights: dict, took_part: set[int]) -> dict:
    people = _people(insights["members"], took_part)
    return {
        key: {part: len(ids) for part, ids in value.items()}
        if isinstance(value, dict)
        else len(value)
        for key, value in people.items()
    }


def _took_part(community: Community, period: Period) -> set[int]:
    """Everyone who did something in the period or attended one of its sessions."""
    acted = ActivityEvent.objects.filter(
        _in(period, "created_at"), community=community, verb__in=ACTIVE_VERBS
    ).values_list("actor_id", flat=True)
    attended = Attendance.objects.filter(
        _in(period, "session__starts_at"),
        session__community=community,
        status=AttendanceStatus.ATTENDED,
    ).values_list("user_id", flat=True)
    return set(acted.distinct()) | set(attended.distinct())


def _organisation_names(community: Community, period: Period) -> set[str]:
    """The organisations the members at the end of the period name (without case or outer
    spaces)."""
    names = (
        User.objects.filter(memberships__community=community, memberships__joined_at__lt=period.end)
        .exclude(organisation="")
        .values_list("organisation", flat=True)
        .distinct()
    )
    return {name.strip().casefold() for name in names if name.strip()}


def _attended(community: Community, period: Period) -> QuerySet[Attendance]:
    """Attendance registered as attended at the sessions held in the period (not
    cancelled)."""
    sessions = (
        Session.objects.filter(community=community).scheduled().filter(_in(period, "starts_at"))
    )
    return Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.ATTENDED)


def _sessions(community: Community, period: Period) -> dict:
    sessions = (
        Session.objects.filter(community=community).scheduled().filter(_in(period, "starts_at"))
    )
    attended = _attended(community, period)
    return {
        "sessions_held": sessions.count(),
        "attendances": attended.count(),
        "attendees": attended.values("user_id").distinct().count(),
    }


def _questions(community: Community, period: Period) -> dict:
    asked = Thread.objects.filter(
        _in(period, "created_at"), community=community, kind=ThreadKind.QUESTION, hidden=False
    )
    counts = asked.aggregate(
        asked=Count("id"),
        responded=Count("id", filter=Q(first_response_at__isnull=False)),
        answered=Count("id", filter=Q(accepted_reply__isnull=False)),
    )
    waits = [
        (responded - created).total_seconds() / 3600
        for created, responded in asked.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
    ]
    return {
        "questions_asked": counts["asked"],
        "questions_responded": counts["responded"],
        "questions_answered": counts["answered"],
        "median_hours_to_first_response": round(statistics.median(waits), 1) if waits else None,
    }


def _items(community: Community, period: Period) -> dict:
    by_kind = dict(
        KnowledgeItem.objects.filter(_in(period, "created_at"), community=community)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {"items_shared": sum(by_kind.values()), "items_by_kind": dict(sorted(by_kind.items()))}


def reported_stories(community: Community, period: Period):
    """The value stories told in the period whose tellers consented to reports."""
    return ValueStory.objects.filter(
        _in(period, "created_at"), community=community, consent__in=REPORTED
    )


def story_quote(story: ValueStory) -> str:
    """The line a report quotes: the facilitators' chosen quote, else what the story says
    was realised, else what was applied."""
    return story.quote or story.realised or story.applied


def stories_by_cycle(stories) -> dict[str, int]:
    """How many of the stories tell each cycle (one query)."""
    counts = stories.aggregate(**{cycle: Count("id", filter=~Q(**{cycle: ""})) for cycle in CYCLES})
    return {cycle: counts[cycle] for cycle in CYCLES}


def quotes_of(stories, limit: int = MAX_QUOTES) -> list[dict]:
    """The featured stories' quotes, the most recently featured first; no teller's name."""
    featured = (
        stories.filter(featured_at__isnull=False)
        .select_related("perspective")
        .order_by("-featured_at", "-id")[:limit]
    )
    return [
        {
            "title": story.title,
            "quote": story_quote(story),
            "perspective": story.perspective.key if story.perspective else None,
        }
        for story in featured
        if story_quote(story)
    ]


def _stories(community: Community, period: Period) -> dict:
    stories = reported_stories(community, period)
    return {
        "value_stories": stories.count(),
        "value_stories_by_cycle": stories_by_cycle(stories),
        "quotes": quotes_of(stories),
    }


def _pulse(community: Community, period: Period) -> list[dict]:
    """The pulses opened in the period whose results may be shown (closed, at least
    PULSE_MIN_ANSWERS answers): the insights' own rule."""
    pulses = [
        p for p in pulses_for(community=community) if period.start <= p.opened_at < period.end
    ]
    return [
        {
            "opened": timezone.localtime(point["pulse"].opened_at).date().isoformat(),
            "answers": point["answers"],
            "safety": point["safety"],
            "learn": point["learn"],
            "trust": point["trust"],
        }
        for point in pulse_trend(community=community, all_pulses=pulses)
    ]


def public_faces(community: Community) -> list[str]:
    """The names of the facilitators who are a public face of Kring (their photo is public
    already); every other person stays unnamed."""
    facilitators = members_of(community=community, role=Role.FACILITATOR).order_by("full_name")
    return [
        person.full_name for person in facilitators if community_permissions.is_public_face(person)
    ]


def report_text_for(community: Community, period: Period) -> ReportText | None:
    """What the facilitators wrote for exactly this period, if anything."""
    return ReportText.objects.filter(
        community=community, period_from=period.first, period_to=period.last
    ).first()


# A report reads the whole period's activity and runs the insights computation over it: seconds
# in a large community. Pages and the API keep the figures this long; the CLI computes afresh.
REPORT_CACHE_SECONDS = 10 * 60


def _figures_key(community: Community, period: Period) -> str:
    """The period, and the state of the stories a report may show: a story deleted, made
    community-only or changed (its quote too) makes a new key at once, in every process."""
    stories = ValueStory.objects.filter(community=community, consent__in=REPORTED).aggregate(
        n=Count("id"), ids=Sum("id"), changed=Max("updated_at")
    )
    changed = stories["changed"].timestamp() if stories["changed"] else 0
    return (
        f"kring:report:{community.pk}:{period.first.isoformat()}:{period.last.isoformat()}:"
        f"{stories['n']}:{stories['ids'] or 0}:{changed}"
    )


def _figures(community: Community, period: Period) -> tuple[dict, list[str]]:
    """The report's figures (everything but the facilitators' texts and the perspectives'
    names, which follow the reader's language), and the perspective keys it names."""
    insights = compute(community=community, as_of=period.end, period_days=period.days)
    figures = {
        "community": community.slug,
        "community_name": community.name,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "days": period.days,
        "facilitators": public_faces(community),
        **_members(insights, _took_part(community, period)),
        "organisations": len(_organisation_names(community, period)),
        **_sessions(community, period),
        **_items(community, period),
        **_questions(community, period),
        **network_figures(insights),
        "action_points_done": ActionPoint.objects.filter(
            _in(period, "done_at"), community=community
        ).count(),
        **_stories(community, period),
        "pulse": _pulse(community, period),
    }
    return figures, list(insights["coverage"]["names"])


def report_figures(
    *, community: Community, period: Period, fresh: bool = False
) -> tuple[dict, list[str]]:
    """The report's figures and the perspective keys it names (no texts, no names of
    perspectives): from the cache when they were computed less than REPORT_CACHE_SECONDS ago,
    unless `fresh`. One query and a cache read when cached."""
    key = _figures_key(community, period)
    cached = None if fresh else cache.get(key)
    if cached is None:
        cached = _figures(community, period)
        cache.set(key, cached, REPORT_CACHE_SECONDS)
    return cached


def report_people(*, community: Community, period: Period) -> dict:
    """The people and organisations behind the report's people-based figures, as sets (user
    ids; organisation names without case or outer spaces), by the same definitions:
    `members`, `members_without_perspective`, `took_part`, `members_by_perspective`,
    `took_part_by_perspective`, `attendees` and `organisations`. For counting each person once
    over several communities (kring.networks.report); never shown. Six queries, not cached."""
    people = _people(members_at(community, period.end), _took_part(community, period))
    attendees = set(_attended(community, period).values_list("user_id", flat=True).distinct())
    return {
        **people,
        "attendees": attendees,
        "organisations": _organisation_names(community, period),
    }


def report_build(*, community: Community, period: Period, fresh: bool = False) -> dict:
    """The whole report (docs/report.md). Its figures come from the cache when they were
    computed less than REPORT_CACHE_SECONDS ago, unless `fresh`."""
    figures, perspective_keys = report_figures(community=community, period=period, fresh=fresh)
    text = report_text_for(community, period)
    names = {p.key: str(p.name) for p in Perspective.objects.filter(key__in=perspective_keys)}
    return {
        **figures,
        "perspectives": names,
        "foreword": text.foreword if text else "",
        "next_steps": text.next_steps if text else "",
    }


# The back-home version per organisation -------------------------------------------------------

# Rows of each list on the back-home version: a page shows what fits, with the totals.
ORGANISATION_ROWS = 10


def organisations_of(community: Community) -> list[str]:
    """The organisations the community's members name (once each, as first written)."""
    seen: dict[str, str] = {}
    for name in (
        members_of(community=community, active_only=False)
        .exclude(organisation="")
        .order_by("organisation")
        .values_list("organisation", flat=True)
        .distinct()
    ):
        seen.setdefault(name.strip().casefold(), name.strip())
    return sorted(seen.values(), key=str.casefold)


def organisation_people(community: Community, organisation: str):
    """The members whose profile names this organisation (without case or outer spaces)."""
    return (
        members_of(community=community, active_only=False)
        .annotate(org=Lower(Trim("organisation")))
        .filter(org=organisation.strip().casefold())
    )


def organisation_report_build(*, community: Community, period: Period, organisation: str) -> dict:
    """What the organisation's people took part in over the period: sessions, what they
    shared and asked, the action points they own, and the stories they told for reports.
    Lists are capped at ORGANISATION_ROWS with their totals beside them; no one is named."""
    people = organisation_people(community, organisation)
    attended = Attendance.objects.filter(
        _in(period, "session__starts_at"),
        session__community=community,
        session__status=SessionStatus.SCHEDULED,
        status=AttendanceStatus.ATTENDED,
        user__in=people,
    )
    sessions = list(
        attended.order_by()
        .values("session_id", "session__title", "session__starts_at")
        .annotate(n=Count("id"))
        .order_by("-session__starts_at")[:ORGANISATION_ROWS]
    )
    points = ActionPoint.objects.filter(community=community, owner__in=people).filter(
        Q(done_at__isnull=True) | _in(period, "done_at")
    )
    stories = reported_stories(community, period).filter(author__in=people)
    return {
        "organisation": organisation.strip(),
        "people": people.count(),
        "attendances": attended.count(),
        "sessions_attended": attended.values("session_id").distinct().count(),
        "sessions": [
            {
                "title": s["session__title"],
                "date": timezone.localtime(s["session__starts_at"]).date().isoformat(),
                "people": s["n"],
            }
            for s in sessions
        ],
        "questions_asked": Thread.objects.filter(
            _in(period, "created_at"),
            community=community,
            kind=ThreadKind.QUESTION,
            hidden=False,
            author__in=people,
        ).count(),
        "items_shared": KnowledgeItem.objects.filter(
            _in(period, "created_at"), community=community, created_by__in=people
        ).count(),
        "action_points_done": points.filter(done_at__isnull=False).count(),
        "action_points_open": points.filter(done_at__isnull=True).count(),
        "action_points": [
            {
                "what": p.what,
                "due": p.due_date.isoformat() if p.due_date else None,
                "done": timezone.localtime(p.done_at).date().isoformat() if p.done_at else None,
            }
            for p in points.order_by("done_at", "due_date", "id")[:ORGANISATION_ROWS]
        ],
        "value_stories": stories.count(),
        "value_stories_by_cycle": stories_by_cycle(stories),
        "stories": [
            {"title": s.title, "quote": story_quote(s) or s.immediate or s.potential}
            for s in stories.order_by("-created_at", "-id")[:ORGANISATION_ROWS]
        ],
    }
