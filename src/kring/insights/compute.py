"""The insights computation: signals per member, the relations network, perspective coverage,
trends and suggestions for one community at one moment.

Everything is aggregated in the database (GROUP BY queries over the activity events and the
attendance table); Python sees counts per member or per pair, never one row per event.
The result is a plain dict (the "raw" document): facts and parameters, no sentences. The
sentences (reasons) are made when the document is shown or exported, in the reader's language
(kring.insights.document). Formulas: docs/insights.md.
"""

import random
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

import igraph
from django.db import connection, connections
from django.db.models import Case, Count, F, Max, Min, Q, Value, When
from django.db.models.functions import Greatest, Least, TruncMonth
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kring.accounts.models import Perspective, User
from kring.communities.models import Community, FormerMembership, Membership, Role
from kring.conversations.verbs import ConversationVerb
from kring.core import daterange
from kring.core.models import ActivityEvent
from kring.insights.models import InsightSettings, Suggestion, SuggestionStatus
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
# A shared session is a weaker tie than a reply; sessions bigger than this make no ties.
SESSION_TIE_WEIGHT = 0.25
SESSION_TIE_MAX_ATTENDEES = 40
# Exact betweenness costs O(V·E): one shortest-path pass from every person (≈ 1 s at 2,000
# people, 30 s at 10,000 with 100,000 ties). Above this many people it is estimated from
# BETWEENNESS_PIVOTS sources drawn with a fixed seed, scaled by n / pivots (Brandes & Pich
# 2007): at 10,000 people and 128 pivots, 97 % of the top 5 % (the brokers) are the exact
# ones, in 0.4 s. (A path-length cutoff does not help: heavy ties are very short distances.)
BETWEENNESS_EXACT_UP_TO = 2000
BETWEENNESS_PIVOTS = 128
# Louvain (community_multilevel) visits the vertices in a random order drawn from igraph's
# generator, by default Python's global `random`: a seeded generator of its own, set under a
# lock and put back afterwards, gives the same groups for the same data every time.
GROUPS_SEED = 20240601
IGRAPH_RANDOM_LOCK = threading.Lock()
TREND_MONTHS = 12
ACTIVE_DAYS = 90
NEWCOMER_MAX_DAYS = 120
MAX_SUGGESTIONS = 25
# The rank of a suggestion (docs/insights.md, "Ranking"): its kind first, then how long the
# situation has been going on, one point a week up to PRIORITY_MAX_WEEKS. The steps between
# kinds are smaller than the cap on purpose: a drift of eleven weeks comes before a core-group
# silence that began this week.
PRIORITY_BASE = {
    "core_silent": 40,
    "drifting": 30,
    "welcome": 20,
    "introduce": 10,
    "pair_perspectives": 0,
}
PRIORITY_MAX_WEEKS = 12


@dataclass
class Thresholds:
    window_days: int = 42
    baseline_days: int = 126
    drift_ratio: float = 0.4
    rising_ratio: float = 2.0
    min_baseline: int = 4
    missed_sessions: int = 2
    newcomer_days: int = 21
    period_days: int = 90

    @classmethod
    def for_community(cls, community: Community) -> "Thresholds":
        stored = InsightSettings.objects.filter(community=community).first()
        if stored is None:
            return cls()
        return cls(**{name: getattr(stored, name) for name in cls.__dataclass_fields__})


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


def _rfc3339(moment: datetime) -> str:
    """RFC 3339 offsets are whole minutes: a moment whose local offset has seconds
    (Amsterdam before 1937) is written in UTC, the same moment."""
    if moment.utcoffset() % timedelta(minutes=1):
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def compute(
    *, community: Community, as_of: datetime | None = None, period_days: int | None = None
) -> dict:
    """The raw insights document (see docs/insights.md)."""
    daterange.check(as_of, "as_of")
    # Local time: months (trends) and "since" dates are the community's calendar.
    as_of = timezone.localtime(as_of or timezone.now())
    limits = Thresholds.for_community(community)
    period_days = period_days or limits.period_days
    months = _month_keys(as_of)
    # Local month boundaries: bucket k is [bounds[k], bounds[k + 1]).
    bounds = [datetime.fromisoformat(m + "-01").replace(tzinfo=as_of.tzinfo) for m in months]
    # History: only the people who were members at that moment.
    member_ids = Membership.objects.filter(community=community, joined_at__lt=as_of).values(
        "user_id"
    )
    # Whose events count: the members, and the "former members" that stand in for people who
    # erased their account while a member (kring.privacy.erasure), so the trends of the past
    # stay as they were. Only the trends see the former members; signals and the network are
    # about the members of now.
    former_ids = FormerMembership.objects.filter(community=community, joined_at__lt=as_of).values(
        "user_id"
    )
    counted = [member_ids, former_ids] if former_ids.exists() else [member_ids]
    # The two passes over the events (nearly all of the time) run side by side, each in a
    # thread with a database connection of its own, while this thread reads the rest.
    passes = _side_by_side(
        activity=partial(_activity, community, counted, member_ids, as_of, limits, months, bounds),
        ties=partial(
            _tie_pairs, counted, community, as_of, as_of - timedelta(days=period_days), bounds
        ),
    )
    members = _members(community, as_of)
    index = {m["id"]: i for i, m in enumerate(members)}
    attendance = _attendance_runs(community, as_of, limits)
    done = passes()
    pace, contributions, activity_trend = done["activity"]
    pair_counts, first_ties = done["ties"]
    if len(counted) > 1:
        pace = {uid: p for uid, p in pace.items() if uid in index}
        contributions = {uid: n for uid, n in contributions.items() if uid in index}
        pair_counts = {p: n for p, n in pair_counts.items() if p[0] in index and p[1] in index}
    graph_data = _network(community, members, index, pair_counts, as_of, period_days)

    signals = _signals(members, pace, contributions, attendance, graph_data, as_of, limits)
    coverage = _coverage(community, members, pace, attendance, as_of)
    trends = _trends(community, as_of, months, bounds, activity_trend, first_ties)
    suggestions = _suggestions(members, member_ids, signals, graph_data, coverage, as_of)

    out_members = []
    for i, m in enumerate(members):
        out_members.append(
            {
                "id": m["id"],
                "email": m["email"],
                "name": m["name"],
                "role": m["role"],
                "perspectives": m["perspectives"],
                "joined": _iso(m["joined"]),
                "signals": signals.get(m["id"], []),
                "degree": graph_data["degree"][i],
                "strong_degree": graph_data["strong_degree"][i],
                "betweenness": round(graph_data["betweenness"][i], 6),
                "group": graph_data["group"][i],
                "recent": pace.get(m["id"], {}).get("recent", 0),
                "baseline": pace.get(m["id"], {}).get("baseline", 0),
                "last_active": _iso(pace.get(m["id"], {}).get("last")),
            }
        )
    return {
        "community": community.slug,
        "as_of": _rfc3339(as_of),
        "period_days": period_days,
        "thresholds": limits.__dict__,
        "members": out_members,
        "groups": graph_data["groups"],
        "modularity": graph_data["modularity"],
        "network": {
            "edges": graph_data["edges"],
            "density": graph_data["density"],
            "isolates": graph_data["isolates"],
            "brokers": graph_data["brokers"],
            "perspective_ties": graph_data["perspective_ties"],
        },
        "coverage": coverage,
        "suggestions": suggestions,
        "trends": trends,
    }


# Data ---------------------------------------------------------------------------------------


def _members(community: Community, as_of: datetime) -> list[dict]:
    rows = list(
        Membership.objects.filter(community=community, joined_at__lt=as_of)
        .order_by("joined_at", "user_id")
        .values("user_id", "user__email", "user__full_name", "role", "joined_at")
    )
    perspectives: dict[int, list[str]] = defaultdict(list)
    through = User.perspectives.through
    for user_id, key in (
        through.objects.filter(user__memberships__community=community)
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


def _side_by_side(**jobs: Callable) -> Callable[[], dict]:
    """Start the jobs (database passes) and return a function that waits for their results.
    Each job runs in a thread of its own with its own connection (sqlite3 and psycopg let go
    of the GIL while a query runs), closed when the job ends. Inside a transaction other
    connections would not see its uncommitted rows (tests run inside one): then the jobs run
    here, one after the other."""
    if connection.in_atomic_block:
        results = {name: job() for name, job in jobs.items()}
        return lambda: results

    def own_connection(job: Callable):
        try:
            return job()
        finally:
            connections.close_all()

    pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="insights")
    futures = {name: pool.submit(own_connection, job) for name, job in jobs.items()}
    pool.shutdown(wait=False)
    return lambda: {name: future.result() for name, future in futures.items()}


def _as_datetime(value) -> datetime | None:
    """A timestamp from a raw cursor: SQLite gives text (UTC), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _among(field: str, counted: list) -> Q:
    """`field` is one of the people in `counted` (subqueries of user ids)."""
    q = Q()
    for ids in counted:
        q |= Q(**{f"{field}__in": ids})
    return q


def _activity(
    community, counted, member_ids, as_of: datetime, limits: Thresholds, months, bounds
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


def _activity_before(community, member_ids, span_start, pace, contributions) -> None:
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


def _chunks(ids: list[int], size: int = 5000):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _tie_pairs(
    counted, community, as_of: datetime, start: datetime, bounds
) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """One pass over the acts between two members (tie acts in the community, and direct
    messages: they belong to two people, not to a community; counted when both are members).
    Per pair (lowest id first): the acts in the period; and per month of the trends (k is
    bounds[k]'s month): the pairs whose first interaction ever fell in it. The database
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
        f"WHERE {first_at} >= %s) firsts GROUP BY month"
    )
    counts: dict[tuple[int, int], int] = {}
    first_per_month: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(adapt(b) for b in bounds[1:]), adapt(bounds[0])])
        for kind, a, b, count in cursor.fetchall():
            if kind == 0:
                counts[(a, b)] = count
            else:
                first_per_month[a] = b
    return counts, first_per_month


def _attendance_runs(community, as_of: datetime, limits: Thresholds) -> dict:
    """The community's latest past sessions and who attended each, for the 'missed in a row'
    rule and for active members."""
    look_back = limits.missed_sessions + 3
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


def _network(community, members, index, pair_counts, as_of: datetime, period_days: int) -> dict:
    """The ties in the period (`pair_counts`: acts per pair of user ids, from _tie_pairs, plus
    shared sessions) and the igraph metrics."""
    start = as_of - timedelta(days=period_days)
    strong: dict[tuple[int, int], float] = {}
    for (low, high), n in pair_counts.items():
        a, b = index[low], index[high]
        strong[(min(a, b), max(a, b))] = float(n)
    weak: dict[tuple[int, int], float] = defaultdict(float)
    by_session: dict[int, list[int]] = defaultdict(list)
    for session_id, user_id in Attendance.objects.filter(
        session__community=community,
        status=AttendanceStatus.ATTENDED,
        session__starts_at__gte=start,
        session__starts_at__lt=as_of,
    ).values_list("session_id", "user_id"):
        if user_id in index:
            by_session[session_id].append(index[user_id])
    for people in by_session.values():
        if len(people) > SESSION_TIE_MAX_ATTENDEES:
            continue
        people.sort()
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                weak[(a, b)] += SESSION_TIE_WEIGHT

    n = len(members)
    weights = dict(weak)
    for pair, w in strong.items():
        weights[pair] = weights.get(pair, 0.0) + w
    # Sorted: the vertex and edge order is part of what Louvain sees.
    edges = sorted(weights)
    graph = igraph.Graph(n=n, edges=edges, directed=False)
    graph.es["weight"] = [weights[e] for e in edges]
    degree = graph.degree() if n else []
    strong_degree = [0] * n
    for a, b in strong:
        strong_degree[a] += 1
        strong_degree[b] += 1
    if n > 2 and edges:
        # Distances: a heavier tie is a shorter path.
        distances = [1.0 / w for w in graph.es["weight"]]
        if n <= BETWEENNESS_EXACT_UP_TO:
            raw = graph.betweenness(weights=distances)
        else:
            pivots = sorted(random.Random(0).sample(range(n), BETWEENNESS_PIVOTS))
            sampled = graph.betweenness(weights=distances, sources=pivots)
            raw = [b * n / BETWEENNESS_PIVOTS for b in sampled]
        scale = (n - 1) * (n - 2) / 2
        betweenness = [b / scale for b in raw]
        with IGRAPH_RANDOM_LOCK:
            igraph.set_random_number_generator(random.Random(GROUPS_SEED))
            try:
                membership = graph.community_multilevel(weights="weight").membership
            finally:
                igraph.set_random_number_generator(random)
        modularity = round(graph.modularity(membership, weights="weight"), 4)
    else:
        betweenness = [0.0] * n
        membership = list(range(n))
        modularity = 0.0
    # One definition of "not connected" for the network, the groups and the signals: no
    # direct interaction in the period (shared sessions alone do not count). The not
    # connected are the isolates; they belong to no group and are never brokers, even when
    # shared sessions place them in a Louvain community or on a shortest path.
    connected = [strong_degree[i] > 0 for i in range(n)]
    # Groups: communities of two or more connected people.
    sizes: dict[int, int] = defaultdict(int)
    for i, g in enumerate(membership):
        if connected[i]:
            sizes[g] += 1
    ordered = sorted((g for g in sizes if sizes[g] >= 2), key=lambda g: -sizes[g])
    renumber = {g: i + 1 for i, g in enumerate(ordered)}
    group = [renumber.get(membership[i]) if connected[i] else None for i in range(n)]
    groups = [
        [members[i]["email"] for i in range(n) if group[i] == g] for g in range(1, len(ordered) + 1)
    ]
    isolates = [members[i]["email"] for i in range(n) if not connected[i]]
    ranked = sorted((i for i in range(n) if connected[i]), key=lambda i: -betweenness[i])
    # The top 5% (at least one), and everyone as high as the last of them: of two people who
    # bridge the same gap, neither is more of a broker than the other.
    top = ranked[: max(1, n // 20)]
    floor = betweenness[top[-1]] - 1e-9 if top else 0.0
    brokers = [
        members[i]["email"] for i in ranked if betweenness[i] > 0 and betweenness[i] >= floor
    ]
    perspective_ties: dict[str, int] = defaultdict(int)
    for a, b in strong:
        for pa in members[a]["perspectives"]:
            for pb in members[b]["perspectives"]:
                key = "|".join(sorted((pa, pb)))
                perspective_ties[key] += 1
    possible = n * (n - 1) / 2
    return {
        "degree": degree,
        "strong_degree": strong_degree,
        "betweenness": betweenness,
        "group": group,
        "groups": groups,
        "modularity": modularity,
        "isolates": isolates,
        "brokers": brokers,
        "density": round(len(strong) / possible, 6) if possible else 0.0,
        "edges": [
            {
                "a": members[a]["email"],
                "b": members[b]["email"],
                "weight": round(w, 2),
                "strong": (a, b) in strong,
            }
            for (a, b), w in sorted(weights.items())
        ],
        "perspective_ties": dict(sorted(perspective_ties.items())),
        "strong_pairs": set(strong),
    }


# Signals ------------------------------------------------------------------------------------


def _signals(members, pace, contributions, attendance, graph_data, as_of, limits) -> dict:
    window_weeks = limits.window_days / 7
    base_weeks = limits.baseline_days / 7
    sessions = attendance["sessions"]
    signals: dict[int, list[dict]] = defaultdict(list)
    for i, m in enumerate(members):
        uid = m["id"]
        p = pace.get(uid, {"recent": 0, "baseline": 0, "last": None})
        member_days = (as_of - m["joined"]).days
        core = m["role"] in (Role.FACILITATOR, Role.CORE)
        recent_rate = p["recent"] / window_weeks
        base_rate = p["baseline"] / base_weeks
        drift_kind = "core_silent" if core else "drifting"
        drifted = False
        if p["baseline"] >= limits.min_baseline and recent_rate < limits.drift_ratio * base_rate:
            signals[uid].append(
                {
                    "kind": drift_kind,
                    "rule": "pace",
                    "since": _iso(p["last"]),
                    "params": {
                        "recent": p["recent"],
                        "baseline": p["baseline"],
                        "window_weeks": round(window_weeks),
                        "baseline_weeks": round(base_weeks),
                        "last_active": _iso(p["last"]),
                    },
                }
            )
            drifted = True
        # Sessions: missed the latest N in a row after coming to most of the ones before.
        k = limits.missed_sessions
        if not drifted and len(sessions) >= k + 2:
            latest = [pk for pk, _start in sessions[:k]]
            before = [pk for pk, _start in sessions[k:]]
            went = attendance["attended"].get(uid, set())
            joined_before = all(start >= m["joined"] for _pk, start in sessions[k:])
            regular = sum(pk in went for pk in before) >= max(2, (len(before) * 2 + 2) // 3)
            missed = not any(
                pk in went or pk in attendance["excused"].get(uid, set()) for pk in latest
            )
            if joined_before and regular and missed:
                signals[uid].append(
                    {
                        "kind": drift_kind,
                        "rule": "sessions",
                        "since": _iso(sessions[k - 1][1]),
                        "params": {
                            "missed": k,
                            "attended_before": sum(pk in went for pk in before),
                            "before": len(before),
                        },
                    }
                )
                drifted = True
        if (
            not drifted
            and p["recent"] >= 3
            and (
                (
                    p["baseline"] >= limits.min_baseline
                    and recent_rate >= limits.rising_ratio * base_rate
                )
                or (p["baseline"] == 0 and member_days > limits.window_days)
            )
        ):
            signals[uid].append(
                {
                    "kind": "rising",
                    "rule": "pace",
                    "since": None,
                    "params": {
                        "recent": p["recent"],
                        "baseline": p["baseline"],
                        "window_weeks": round(window_weeks),
                        "baseline_weeks": round(base_weeks),
                    },
                }
            )
        # The newcomers among the network's not connected (no direct tie in the period).
        if (
            limits.newcomer_days <= member_days <= NEWCOMER_MAX_DAYS
            and graph_data["strong_degree"][i] == 0
        ):
            signals[uid].append(
                {
                    "kind": "unconnected",
                    "rule": "ties",
                    "since": _iso(m["joined"]),
                    "params": {"weeks": member_days // 7},
                }
            )
        if contributions.get(uid, 0) == 0 and member_days >= limits.newcomer_days:
            signals[uid].append(
                {
                    "kind": "lurker",
                    "rule": "contributions",
                    "since": _iso(m["joined"]),
                    "params": {"weeks": member_days // 7},
                }
            )
    return dict(signals)


# Coverage and trends ------------------------------------------------------------------------


def _coverage(community, members, pace, attendance, as_of) -> dict:
    names = {p.key: p for p in Perspective.objects.all()}
    active_since = as_of - timedelta(days=ACTIVE_DAYS)
    total = len(members)
    active_ids = {
        m["id"]
        for m in members
        if (pace.get(m["id"], {}).get("last") or datetime.min.replace(tzinfo=as_of.tzinfo))
        >= active_since
        or m["id"] in attendance["recent_attenders"]
    }
    all_counts: dict[str, int] = defaultdict(int)
    active_counts: dict[str, int] = defaultdict(int)
    for m in members:
        for key in m["perspectives"]:
            all_counts[key] += 1
            if m["id"] in active_ids:
                active_counts[key] += 1
    target = {k: v for k, v in (community.target_mix or {}).items() if v}
    keys = sorted(set(all_counts) | set(target), key=lambda k: (-target.get(k, 0), k))
    rows = []
    gaps = []
    for key in keys:
        share = round(100 * all_counts[key] / total) if total else 0
        active_share = round(100 * active_counts[key] / len(active_ids)) if active_ids else 0
        rows.append(
            {
                "perspective": key,
                "members": all_counts[key],
                "active": active_counts[key],
                "share": share,
                "active_share": active_share,
                "target": target.get(key),
            }
        )
        if target.get(key):
            if active_counts[key] == 0:
                gaps.append({"perspective": key, "kind": "none_active", "days": ACTIVE_DAYS})
            elif active_share < target[key] / 2:
                gaps.append(
                    {
                        "perspective": key,
                        "kind": "below_target",
                        "active_share": active_share,
                        "target": target[key],
                    }
                )
    return {
        "members": total,
        "active_members": len(active_ids),
        "active_days": ACTIVE_DAYS,
        "rows": rows,
        "gaps": gaps,
        "names": {k: str(names[k].name) if k in names else k for k in keys},
    }


def _month_keys(as_of: datetime) -> list[str]:
    first = as_of.replace(day=1)
    keys = []
    year, month = first.year, first.month
    for _ in range(TREND_MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))


def _trends(community, as_of: datetime, months, bounds, activity, first_ties) -> dict:
    """Per month: active members and contributions (from _activity), attendance, and new ties
    (pairs whose first interaction fell in it, from _tie_pairs)."""
    attendance = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in Attendance.objects.filter(
            session__community=community,
            status=AttendanceStatus.ATTENDED,
            session__starts_at__gte=bounds[0],
            session__starts_at__lt=as_of,
        )
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(n=Count("id"))
    }
    # The facilitators' follow-ups feed back into the trend: suggestions marked done.
    follow_ups = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in Suggestion.objects.filter(
            community=community,
            status=SuggestionStatus.DONE,
            decided_at__gte=bounds[0],
            decided_at__lt=as_of,
        )
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(n=Count("id"))
    }
    return {
        "months": months,
        "active_members": [activity["active"].get(m, 0) for m in months],
        "contributions": [activity["contributions"].get(m, 0) for m in months],
        "attendance": [attendance.get(m, 0) for m in months],
        "new_ties": [first_ties.get(k, 0) for k in range(len(months))],
        "follow_ups": [follow_ups.get(m, 0) for m in months],
    }


# Suggestions --------------------------------------------------------------------------------


def suggestion_priority(kind: str, params: dict) -> int:
    """The rank of a suggestion: higher comes first (PRIORITY_BASE, PRIORITY_MAX_WEEKS)."""
    base = PRIORITY_BASE.get(params.get("signal", "") if kind == "call" else kind, 0)
    weeks = params.get("weeks") or 0
    return base + min(max(int(weeks), 0), PRIORITY_MAX_WEEKS)


def _weeks_since(day: str | None, as_of: datetime) -> int:
    if not day:
        return 0
    return max(0, (as_of.date() - date.fromisoformat(day)).days // 7)


def _suggestions(members, member_ids, signals, graph_data, coverage, as_of) -> list[dict]:
    by_id = {m["id"]: m for m in members}
    index = {m["id"]: i for i, m in enumerate(members)}
    strong = graph_data["strong_pairs"]
    out: list[dict] = []
    for uid, items in signals.items():
        for signal in items:
            if signal["kind"] in ("drifting", "core_silent"):
                out.append(
                    {
                        "kind": "call",
                        "key": f"call:{by_id[uid]['email']}:{signal['since']}",
                        "members": [by_id[uid]["email"]],
                        "params": {
                            "signal": signal["kind"],
                            "rule": signal["rule"],
                            **signal["params"],
                            "weeks": _weeks_since(signal["since"], as_of),
                        },
                    }
                )
    # Introductions: someone looking for a topic and someone who helps with it, not yet tied.
    seeking, helping = _tags(member_ids)
    helpers_by_tag: dict[str, list[int]] = defaultdict(list)
    for uid, tags in helping.items():
        for tag in tags:
            helpers_by_tag[tag].append(uid)
    for uid, tags in sorted(seeking.items()):
        for tag in sorted(tags):
            candidates = [
                h
                for h in helpers_by_tag.get(tag, [])
                if h != uid and (min(index[uid], index[h]), max(index[uid], index[h])) not in strong
            ]
            if candidates:
                helper = max(candidates, key=lambda h: graph_data["degree"][index[h]])
                out.append(
                    {
                        "kind": "introduce",
                        "key": f"introduce:{by_id[uid]['email']}:{by_id[helper]['email']}",
                        "members": [by_id[uid]["email"], by_id[helper]["email"]],
                        "params": {"topic": tag},
                    }
                )
                break
    # Newcomers without ties: introduce them to a well-connected member who shares a perspective.
    # The best candidate (highest degree, the earliest member on a tie) overall and per
    # perspective, found once: a newcomer's buddy is the best of their perspectives' bests.
    degree = graph_data["degree"]
    best_overall: int | None = None
    best_by_perspective: dict[str, int] = {}
    for i, m in enumerate(members):
        if graph_data["strong_degree"][i] == 0:
            continue
        if best_overall is None or degree[i] > degree[best_overall]:
            best_overall = i
        for key in m["perspectives"]:
            if key not in best_by_perspective or degree[i] > degree[best_by_perspective[key]]:
                best_by_perspective[key] = i
    for uid, items in signals.items():
        if not any(s["kind"] == "unconnected" for s in items):
            continue
        mine = set(by_id[uid]["perspectives"])
        if best_overall is None:
            continue
        # An unconnected member has no strong ties, so is never their own candidate.
        sharing = [best_by_perspective[key] for key in mine if key in best_by_perspective]
        best = min(sharing, key=lambda i: (-degree[i], i)) if sharing else best_overall
        buddy = members[best]["id"]
        shared = sorted(mine & set(by_id[buddy]["perspectives"]))
        out.append(
            {
                "kind": "welcome",
                "key": f"welcome:{by_id[uid]['email']}",
                "members": [by_id[uid]["email"], by_id[buddy]["email"]],
                "params": {
                    "weeks": items[0]["params"].get("weeks"),
                    "perspective": shared[0] if shared else "",
                },
            }
        )
    # Perspectives that are present but never talk to each other.
    present = [row["perspective"] for row in coverage["rows"] if row["active"] > 0]
    ties = graph_data["perspective_ties"]
    pairs = []
    for i, a in enumerate(present):
        for b in present[i + 1 :]:
            if ties.get("|".join(sorted((a, b))), 0) == 0:
                pairs.append((a, b))
    for a, b in pairs[:3]:
        out.append(
            {
                "kind": "pair_perspectives",
                "key": f"pair:{a}:{b}",
                "members": [],
                "params": {"a": a, "b": b},
            }
        )
    for suggestion in out:
        suggestion["priority"] = suggestion_priority(suggestion["kind"], suggestion["params"])
    # Stable: equal ranks keep the order they were found in (members in joining order).
    out.sort(key=lambda s: -s["priority"])
    return out[:MAX_SUGGESTIONS]


def _tags(user_ids) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """What the members look for and help with; `user_ids` is a subquery (a list of 10,000
    ids would be 10,000 query parameters)."""
    seeking: dict[int, set[str]] = defaultdict(set)
    helping: dict[int, set[str]] = defaultdict(set)
    for uid, name in User.seeking_tags.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "tag__name"
    ):
        seeking[uid].add(name)
    for uid, name in User.help_tags.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "tag__name"
    ):
        helping[uid].add(name)
    return seeking, helping
