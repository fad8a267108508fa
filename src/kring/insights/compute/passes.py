"""The computation's reads: the members, and the aggregated passes over the activity events
and the attendance table. Everything is counted in the database (GROUP BY); Python sees counts
per member, per pair or per month, never one row per event."""

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, connections
from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.communities.selectors import members_of
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent
from kring.insights.compute.base import ACTIVE_DAYS, Thresholds
from kring.knowledge.verbs import KnowledgeVerb
from kring.meetings.models import Attendance, AttendanceStatus, Session, SessionStatus
from kring.meetings.verbs import MeetingVerb

# Adding something to the community: these make a member a contributor.
CONTRIBUTION_VERBS = (
    ConversationVerb.ASKED,
    ConversationVerb.DISCUSSION_STARTED,
    ConversationVerb.ANSWERED,
    ConversationVerb.REPLIED,
    KnowledgeVerb.ITEM_CREATED,
    KnowledgeVerb.COMMENTED,
    MeetingVerb.REFLECTED,
)
# Taking part at all: contributions plus lighter acts. A member's pace counts these.
ACTIVE_VERBS = (
    *CONTRIBUTION_VERBS,
    ConversationVerb.REACTED,
    KnowledgeVerb.MARKED_USEFUL,
    ConversationVerb.ANSWER_ACCEPTED,
    ConversationVerb.MENTIONED,
    MeetingVerb.RSVPED,
    MeetingVerb.ACTION_POINT_CREATED,
    MeetingVerb.ACTION_POINT_DONE,
)
# Acts between two people: the ties of the network ("who responds to whom").
TIE_VERBS = (
    ConversationVerb.ANSWERED,
    ConversationVerb.REPLIED,
    ConversationVerb.ANSWER_ACCEPTED,
    ConversationVerb.MENTIONED,
    ConversationVerb.REACTED,
    KnowledgeVerb.MARKED_USEFUL,
    KnowledgeVerb.COMMENTED,
)


def members_at(community: Community, as_of: datetime) -> list[dict]:
    """The members at `as_of`, in joining order, with their perspectives."""
    rows = list(
        Membership.objects.filter(community=community, joined_at__lt=as_of)
        .order_by("joined_at", "user_id")
        .values("user_id", "user__email", "user__full_name", "role", "joined_at")
    )
    perspectives: dict[int, list[str]] = defaultdict(list)
    through = User.perspectives.through
    for user_id, key in (
        through.objects.filter(user__in=members_of(community=community, active_only=False))
        .order_by("perspective__key")
        .values_list("user_id", "perspective__key")
    ):
        perspectives[user_id].append(key)
    return [
        {
            "id": r["user_id"],
            "email": r["user__email"],
            "name": r["user__full_name"],
            "role": r["role"],
            "joined": r["joined_at"],
            "perspectives": perspectives.get(r["user_id"], []),
        }
        for r in rows
    ]


def side_by_side(**jobs: Callable[[], Any]) -> Callable[[], dict[str, Any]]:
    """Start the jobs (database passes) and return a function that waits for their results.
    Each job runs in a thread of its own with its own connection (sqlite3 and psycopg let go
    of the GIL while a query runs), closed when the job ends. Inside a transaction other
    connections would not see its uncommitted rows (tests run inside one): then the jobs run
    here, one after the other."""
    if connection.in_atomic_block:
        results = {name: job() for name, job in jobs.items()}
        return lambda: results

    def own_connection(job: Callable[[], Any]) -> Any:
        try:
            return job()
        finally:
            connections.close_all()

    pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="insights")
    futures = {name: pool.submit(own_connection, job) for name, job in jobs.items()}
    pool.shutdown(wait=False)
    return lambda: {name: future.result() for name, future in futures.items()}


def _as_datetime(value: str | datetime | None) -> datetime | None:
    """A timestamp from a raw cursor: SQLite gives text (UTC), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _among(field: str, counted: list[QuerySet]) -> Q:
    """`field` is one of the people in `counted` (subqueries of user ids)."""
    q = Q()
    for ids in counted:
        q |= Q(**{f"{field}__in": ids})
    return q


def activity(
    community: Community,
    counted: list[QuerySet],
    member_ids: QuerySet,
    as_of: datetime,
    limits: Thresholds,
    months: list[str],
    bounds: list[datetime],
) -> tuple[dict[int, dict], dict[int, int], dict[str, dict[str, int]]]:
    """One pass over the members' active events. Per member: active events in the recent
    window and in the baseline before it, the last active moment, and (second dict) the
    number of contributions ever; per month of the trends: how many members were active
    and how many contributions they made. The database counts per (member, month) with
    conditional counts, then sums that small table both ways in the same statement."""
    window_start = as_of - timedelta(days=limits.window_days)
    base_start = window_start - timedelta(days=limits.baseline_days)
    # Month bucket k is [bounds[k], bounds[k + 1]); -1 is everything before the trends.
    month_of = Case(
        When(created_at__lt=bounds[0], then=Value(-1)),
        *[When(created_at__lt=hi, then=Value(k)) for k, hi in enumerate(bounds[1:])],
        default=Value(len(months) - 1),
    )
    # The pass covers the trend months and the baseline, not all history: what it needs from
    # before (the last activity of someone inactive since, and whether someone ever
    # contributed) is looked up afterwards for just those people, through the index.
    span_start = min(bounds[0], base_start)
    per_month = (
        ActivityEvent.objects.filter(
            _among("actor", counted),
            community=community,
            verb__in=ACTIVE_VERBS,
            created_at__gte=span_start,
            created_at__lt=as_of,
        )
        .order_by()
        .annotate(month=month_of)
        .values("actor_id", "month")
        .annotate(
            recent=Count("id", filter=Q(created_at__gte=window_start)),
            baseline=Count("id", filter=Q(created_at__gte=base_start, created_at__lt=window_start)),
            contributions=Count("id", filter=Q(verb__in=CONTRIBUTION_VERBS)),
            last=Max("created_at"),
        )
        .values_list("actor_id", "month", "recent", "baseline", "contributions", "last")
    )
    inner, params = per_month.query.sql_with_params()
    actor, month, recent, baseline, contributed, last = (
        connection.ops.quote_name(name)
        for name in ("actor_id", "month", "recent", "baseline", "contributions", "last")
    )
    # Rows of kind 0: one per member; kind 1: one per month of the trends.
    sql = (
        f"WITH per_month AS ({inner}) "  # noqa: S608 (Django's compiled SQL and quoted names)
        f"SELECT 0, {actor}, SUM({recent}), SUM({baseline}), SUM({contributed}), MAX({last}) "
        f"FROM per_month GROUP BY {actor} "
        f"UNION ALL SELECT 1, {month}, COUNT(*), 0, SUM({contributed}), NULL "
        f"FROM per_month WHERE {month} >= 0 GROUP BY {month}"
    )
    pace: dict[int, dict] = {}
    contributions: dict[int, int] = {}
    trend: dict[str, dict[str, int]] = {"active": {}, "contributions": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, key, n_recent, n_baseline, n_contributed, moment in rows:
        # PostgreSQL sums counts as numeric (Decimal).
        n_recent, n_baseline, n_contributed = int(n_recent), int(n_baseline), int(n_contributed)
        if kind == 0:
            pace[key] = {"recent": n_recent, "baseline": n_baseline, "last": _as_datetime(moment)}
            if n_contributed:
                contributions[key] = n_contributed
        else:
            trend["active"][months[key]] = n_recent
            if n_contributed:
                trend["contributions"][months[key]] = n_contributed
    _activity_before(community, member_ids, span_start, pace, contributions)
    return pace, contributions, trend


def _activity_before(
    community: Community,
    member_ids: QuerySet,
    span_start: datetime,
    pace: dict[int, dict],
    contributions: dict[int, int],
) -> None:
    """Complete the pass with history before `span_start`: the last active moment of members
    with no activity since, and contributions of members with none since (for 'lurker')."""
    everyone = [row["user_id"] for row in member_ids]
    older = ActivityEvent.objects.filter(community=community, created_at__lt=span_start).order_by()
    quiet = [uid for uid in everyone if uid not in pace]
    for chunk in _chunks(quiet):
        for uid, last in (
            older.filter(actor__in=chunk, verb__in=ACTIVE_VERBS)
            .values("actor_id")
            .annotate(last=Max("created_at"))
            .values_list("actor_id", "last")
        ):
            pace[uid] = {"recent": 0, "baseline": 0, "last": last}
    silent = [uid for uid in everyone if uid not in contributions]
    for chunk in _chunks(silent):
        for uid, n in (
            older.filter(actor__in=chunk, verb__in=CONTRIBUTION_VERBS)
            .values("actor_id")
            .annotate(n=Count("id"))
            .values_list("actor_id", "n")
        ):
            contributions[uid] = contributions.get(uid, 0) + n


def _chunks(ids: list[int], size: int = 5000) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def tie_pairs(
    counted: list[QuerySet],
    community: Community,
    as_of: datetime,
    start: datetime,
    bounds: list[datetime],
) -> tuple[dict[tuple[int, int], int], dict[int, int], int]:
    """One pass over the acts between two members (tie acts in the community, and direct
    messages: they belong to two people, not to a community; counted when both are members).
    Per pair (lowest id first): the acts in the period; per month of the trends (k is
    bounds[k]'s month): the pairs whose first interaction ever fell in it; and the pairs
    whose first interaction ever fell in the period (its new ties). The database
    finds each pair's first moment and its count in the period in one GROUP BY, then counts
    the first moments per month in the same statement; only the pairs with acts in the
    period and twelve numbers come back."""
    pairs = (
        ActivityEvent.objects.filter(
            Q(community=community, verb__in=TIE_VERBS) | Q(verb=ConversationVerb.MESSAGED),
            _among("actor", counted),
            _among("other", counted),
            created_at__lt=as_of,
        )
        .exclude(actor=F("other"))
        .order_by()
        .annotate(low=Least("actor_id", "other_id"), high=Greatest("actor_id", "other_id"))
        .values("low", "high")
        .annotate(first_at=Min("created_at"), n=Count("id", filter=Q(created_at__gte=start)))
        .values_list("low", "high", "first_at", "n")
    )
    inner, params = pairs.query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    low, high, first_at, n = (
        connection.ops.quote_name(name) for name in ("low", "high", "first_at", "n")
    )
    whens = " ".join(f"WHEN {first_at} < %s THEN {k}" for k in range(len(bounds) - 1))
    # Only placeholders, quoted names and Django's own compiled SQL go into the text.
    sql = (
        f"WITH pairs AS ({inner}) "  # noqa: S608
        f"SELECT 0, {low}, {high}, {n} FROM pairs WHERE {n} > 0 "
        f"UNION ALL SELECT 1, month, COUNT(*), 0 FROM ("
        f"SELECT CASE {whens} ELSE {len(bounds) - 1} END AS month FROM pairs "
        f"WHERE {first_at} >= %s) firsts GROUP BY month "
        f"UNION ALL SELECT 2, COUNT(*), 0, 0 FROM pairs WHERE {first_at} >= %s"
    )
    counts: dict[tuple[int, int], int] = {}
    first_per_month: dict[int, int] = {}
    new_in_period = 0
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [*params, *(adapt(b) for b in bounds[1:]), adapt(bounds[0]), adapt(start)],
        )
        for kind, a, b, count in cursor.fetchall():
            if kind == 0:
                counts[(a, b)] = count
            elif kind == 1:
                first_per_month[a] = b
            else:
                new_in_period = a
    return counts, first_per_month, new_in_period


# Sessions before the latest missed ones that show how often a member comes.
SESSIONS_LOOK_BACK = 18


def attendance_runs(community: Community, as_of: datetime, limits: Thresholds) -> dict:
    """The community's latest past sessions and who attended each, for the 'missed in a row'
    rule and for active members."""
    look_back = limits.missed_sessions + SESSIONS_LOOK_BACK
    sessions = list(
        Session.objects.filter(
            community=community, status=SessionStatus.SCHEDULED, starts_at__lt=as_of
        )
        .order_by("-starts_at")
        .values_list("id", "starts_at")[:look_back]
    )
    session_ids = [pk for pk, _start in sessions]
    attended: dict[int, set[int]] = defaultdict(set)
    excused: dict[int, set[int]] = defaultdict(set)
    for session_id, user_id, status in Attendance.objects.filter(
        session_id__in=session_ids
    ).values_list("session_id", "user_id", "status"):
        if status == AttendanceStatus.ATTENDED:
            attended[user_id].add(session_id)
        elif status == AttendanceStatus.EXCUSED:
            excused[user_id].add(session_id)
    recent_attenders = set(
        Attendance.objects.filter(
            session__community=community,
            status=AttendanceStatus.ATTENDED,
            session__starts_at__gte=as_of - timedelta(days=ACTIVE_DAYS),
            session__starts_at__lt=as_of,
        ).values_list("user_id", flat=True)
    )
    return {
        "sessions": sessions,
        "attended": attended,
        "excused": excused,
        "recent_attenders": recent_attenders,
    }


def active_days(
    community: Community, member_ids: QuerySet, as_of: datetime, horizon: int
) -> dict[int, list[int]]:
    """Per member, the days on which they were active or attended a session in the last
    `horizon` days, counted back from `as_of` (0: the last 24 hours). The database finds each
    member's distinct days and returns one row per member with their days as text."""
    start = as_of - timedelta(days=horizon)
    events = (
        ActivityEvent.objects.filter(
            actor__in=member_ids,
            community=community,
            verb__in=ACTIVE_VERBS,
            created_at__gte=start,
            created_at__lt=as_of,
        )
        .order_by()
        .values_list("actor_id", "created_at")
    )
    inner, params = events.query.sql_with_params()
    actor, created = (connection.ops.quote_name(n) for n in ("actor_id", "created_at"))
    seconds = as_of.timestamp()
    if connection.vendor == "postgresql":
        day = f"FLOOR((%s - EXTRACT(EPOCH FROM {created})) / 86400)::integer"
        joined = "STRING_AGG(day::text, ',')"
    else:
        # julianday() of the moment, given as a number: computed once, not per row.
        day = f"CAST(%s - julianday({created}) AS INTEGER)"
        seconds = seconds / 86400 + 2440587.5
        joined = "GROUP_CONCAT(day)"
    # Only placeholders, quoted names and Django's own compiled SQL go into the text.
    sql = (
        f"SELECT {actor}, {joined} FROM (SELECT DISTINCT {actor}, {day} AS day "  # noqa: S608
        f"FROM ({inner}) events) days GROUP BY {actor}"
    )
    days: dict[int, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, [seconds, *params])
        for uid, text in cursor.fetchall():
            days[uid].update(int(d) for d in text.split(","))
    for uid, starts_at in Attendance.objects.filter(
        session__community=community,
        status=AttendanceStatus.ATTENDED,
        session__starts_at__gte=start,
        session__starts_at__lt=as_of,
        user__in=member_ids,
    ).values_list("user_id", "session__starts_at"):
        days[uid].add(int((as_of - starts_at).total_seconds() // 86400))
    return {uid: sorted(found) for uid, found in days.items()}
