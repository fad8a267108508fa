"""Reads for insights: opening a community (always through communities.selectors.
community_get_inside, then the insights check), snapshots, suggestions, the climate pulse and
the health strip. The dashboard reads the latest snapshot (never computes in a request) and
fetches the people it links to in one query (selectors_dashboard); what a member sees about
themselves is selectors_people."""

import hashlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import Perspective, User
from kring.accounts.selectors import profiles_version
from kring.communities.models import Community
from kring.communities.selectors import community_get_inside, members_of, members_version
from kring.insights import permissions, snapshot_split
from kring.insights.compute import compute
from kring.insights.models import (
    PULSE_ITEMS,
    PULSE_MIN_ANSWERS,
    PULSE_SAFETY_ITEMS,
    InsightSettings,
    Pulse,
    PulseParticipation,
    PulseResponse,
    Snapshot,
    SnapshotMember,
    Suggestion,
    SuggestionStatus,
)
from kring.meetings.models import RsvpResponse, Session

SUGGESTION_LOG_SIZE = 10


# Opening a community -----------------------------------------------------------------------


def community_for_facilitator(*, user: User | AnonymousUser, slug: str) -> Community:
    """The community whose insights the user may read: 404 for people outside it (so its
    existence does not leak), 403 for members who do not facilitate."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    permissions.check_facilitate(user, community)
    return community


def community_for_pulses(*, user: User | AnonymousUser, slug: str) -> Community:
    """The community whose climate pulses the user may see (members and facilitators);
    404 for everyone else."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    if not permissions.can_view_pulses(user, community):
        raise Http404
    return community


def community_for_own_insights(*, user: User | AnonymousUser, slug: str) -> Community:
    """The community in which the user may see what Kring sees about them (members only);
    404 for everyone else, platform admins included."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    if not permissions.can_see_own(user, community):
        raise Http404
    return community


def snapshot_latest(*, community: Community) -> Snapshot | None:
    """The latest snapshot without its documents (`data`, `dashboard`): read the part you
    show with snapshot_member, snapshot_data or the dashboard selectors."""
    return (
        Snapshot.objects.filter(community=community)
        .defer("data", "dashboard")
        .order_by("-computed_at", "-id")
        .first()
    )


# How long a snapshot's dashboard part is kept decoded in the cache (it never changes; a
# newer snapshot has a key of its own).
DASHBOARD_PART_SECONDS = 3600


def dashboard_part_key(snapshot_pk: int) -> str:
    """Where a snapshot's dashboard part is kept. Snapshot ids are never used again (SQLite
    AUTOINCREMENT, PostgreSQL sequences); erasure deletes the keys of what it deletes."""
    return f"insights:dashboard-part:{snapshot_pk}"


def snapshot_latest_dashboard(*, community: Community) -> Snapshot | None:
    """The latest snapshot without its document (`data`); the dashboard reads its
    `dashboard` part.

    A snapshot's dashboard part is written once and never changed, so it is kept in the
    cache by snapshot: at 10,000 members it is ~190 KB of JSON that took ~2 ms (SQLite) to
    ~4 ms (PostgreSQL) to read and decode on every dashboard request, against ~0.7 ms to
    unpickle. The cache hands out a copy each time (it stores a pickle), so callers may
    change what they get."""
    snapshot = snapshot_latest(community=community)
    if snapshot is None:
        return None
    key = dashboard_part_key(snapshot.pk)
    part = cache.get(key)
    if part is None:
        part = Snapshot.objects.filter(pk=snapshot.pk).values_list("dashboard", flat=True).first()
        if part is None:  # deleted meanwhile by a newer snapshot: that one, then
            return snapshot_latest_dashboard(community=community)
        cache.set(key, part, DASHBOARD_PART_SECONDS)
    snapshot.dashboard = part
    return snapshot


def snapshot_data(*, snapshot: Snapshot) -> dict:
    """The document of a snapshot read without it: the summary (format 2), or the whole
    document of a snapshot made before the split (format 1)."""
    return Snapshot.objects.filter(pk=snapshot.pk).values_list("data", flat=True).first() or {}


def snapshot_member(*, snapshot: Snapshot, user_id: int) -> dict | None:
    """One member's part of a snapshot (snapshot_split), or None when they are not in it.
    One small read for a split snapshot; a snapshot made before the split is read whole."""
    if snapshot.format < snapshot_split.FORMAT:
        _summary, parts = snapshot_split.split(snapshot_data(snapshot=snapshot))
        return next((p for p in parts if p["id"] == user_id), None)
    return (
        SnapshotMember.objects.filter(snapshot=snapshot, user_id=user_id)
        .values_list("data", flat=True)
        .first()
    )


def snapshot_facts(*, snapshot: Snapshot) -> dict:
    """The few summary facts a member's page needs (thresholds, perspective names, number of
    groups), read without the rest of the document."""
    if snapshot.format < snapshot_split.FORMAT:
        summary, _parts = snapshot_split.split(snapshot_data(snapshot=snapshot))
        return {
            "thresholds": summary.get("thresholds") or {},
            "names": summary.get("coverage", {}).get("names") or {},
            "group_count": summary.get("group_count") or 0,
        }
    row = (
        Snapshot.objects.filter(pk=snapshot.pk)
        .values_list("data__thresholds", "data__coverage__names", "data__group_count")
        .first()
    )
    thresholds, names, group_count = row or (None, None, None)
    return {"thresholds": thresholds or {}, "names": names or {}, "group_count": group_count or 0}


def member_names(*, snapshot: Snapshot, user_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """id -> (e-mail, name) as the snapshot recorded them, for the members among `user_ids`
    (the other ends of someone's ties). One query."""
    if snapshot.format < snapshot_split.FORMAT:
        _summary, parts = snapshot_split.split(snapshot_data(snapshot=snapshot))
        wanted = set(user_ids)
        return {p["id"]: (p["email"], p["name"]) for p in parts if p["id"] in wanted}
    return {
        user_id: (email, name)
        for user_id, email, name in SnapshotMember.objects.filter(
            snapshot=snapshot, user_id__in=list(user_ids)
        ).values_list("user_id", "email", "name")
    }


# Without as_of, a snapshot younger than this is served instead of computing anew.
SNAPSHOT_FRESH = timedelta(hours=1)


@dataclass
class InsightsSource:
    """Where an API answer comes from: a fresh snapshot ("snapshot"), or a document computed
    for the request ("computed", in `raw`)."""

    source: str
    community: Community
    snapshot: Snapshot | None = None
    raw: dict | None = None

    def _split(self) -> tuple[dict, list[dict]]:
        if self.raw is not None:
            return snapshot_split.split(self.raw)
        assert self.snapshot is not None
        return snapshot_split.split(snapshot_data(snapshot=self.snapshot))

    def _is_split(self) -> bool:
        return self.snapshot is not None and self.snapshot.format >= snapshot_split.FORMAT

    def summary(self) -> dict:
        """The summary of the document (snapshot_split)."""
        if self._is_split():
            assert self.snapshot is not None
            return snapshot_data(snapshot=self.snapshot)
        return self._split()[0]

    def parts(self) -> QuerySet | list[dict]:
        """The members' parts in the document's order: rows to page through (each the part
        as a dict), or a list when the document is computed or made before the split."""
        if self._is_split():
            return (
                SnapshotMember.objects.filter(snapshot=self.snapshot)
                .order_by("position")
                .values_list("data", flat=True)
            )
        return self._split()[1]


def insights_source(
    *, community: Community, as_of: datetime | None = None, period_days: int | None = None
) -> InsightsSource:
    """Where the insights document comes from: without `as_of`, the latest snapshot when it is
    less than SNAPSHOT_FRESH old and made for the same period ("snapshot", read in parts);
    otherwise computed now ("computed")."""
    if as_of is None:
        snapshot = (
            Snapshot.objects.filter(
                community=community,
                computed_at__gte=timezone.now() - SNAPSHOT_FRESH,
                as_of__gte=timezone.now() - SNAPSHOT_FRESH,
            )
            .defer("data", "dashboard")
            .order_by("-computed_at", "-id")
            .first()
        )
        if snapshot is not None and period_days in (None, snapshot.period_days):
            return InsightsSource("snapshot", community, snapshot=snapshot)
    raw = compute(community=community, as_of=as_of, period_days=period_days)
    return InsightsSource("computed", community, raw=raw)


def settings_for(*, community: Community) -> InsightSettings:
    """The stored thresholds, or unsaved defaults (the row is made on the first save)."""
    return InsightSettings.objects.filter(community=community).first() or InsightSettings(
        community=community
    )


def people_by_id(*, community: Community, ids: Iterable[int]) -> dict[int, User]:
    """The members among `ids`, in one query; people who left since the snapshot are not
    shown any more."""
    return {
        user.pk: user
        for user in members_of(community=community, active_only=False)
        .filter(pk__in_ids=ids)
        .only("id", "full_name", "email", "photo")
    }


# How long names_now's answer is kept at most: joining, leaving (members_version) and
# profile changes (profiles_version) make it stale at once where the cache is shared
# (Redis); without Redis each process keeps its own copy and only the process that made
# the change sees it at once. This bounds the rest (other processes, the admin).
NAMES_NOW_SECONDS = 300


def names_now(*, community: Community, ids: Iterable[int]) -> dict[int, str]:
    """The names of the members among `ids` (people who left since the snapshot are left
    out), without reading whole rows: the dashboard checks and draws hundreds of people but
    shows a face for only a few.

    The dashboard asks this for the same few hundred people on every request (2 ms on
    SQLite, 5 on PostgreSQL at 10,000 members), so the answer is kept until someone joins
    or leaves, a profile changes, or NAMES_NOW_SECONDS pass."""
    ids = sorted(set(ids))
    key = (
        f"insights:names-now:{community.pk}:{members_version(community=community)}:"
        f"{profiles_version()}:{hashlib.blake2b(array('q', ids).tobytes()).hexdigest()}"
    )
    names = cache.get(key)
    if names is None:
        names = dict(
            members_of(community=community, active_only=False)
            .filter(pk__in_ids=ids)
            .order_by()
            .values_list("id", "full_name")
        )
        cache.set(key, names, NAMES_NOW_SECONDS)
    return names


def perspectives_by_key() -> dict[str, Perspective]:
    """Every perspective (their colours and names for the network), in one query."""
    return {p.key: p for p in Perspective.objects.all()}


def suggestion_states_open(
    *, community: Community, keys: Iterable[str]
) -> dict[str, tuple[int, datetime | None]]:
    """key -> (id, later_until) of the open suggestions among `keys`, in one query: the buttons
    post the id; a `later_until` still ahead means the facilitator put it off."""
    return {
        key: (pk, later)
        for key, pk, later in Suggestion.objects.filter(
            community=community, key__in=list(keys), status=SuggestionStatus.OPEN
        ).values_list("key", "id", "later_until")
    }


def suggestions_decided(*, community: Community, limit: int = SUGGESTION_LOG_SIZE) -> QuerySet:
    """The latest decisions, newest first, with who decided and the people concerned."""
    return (
        Suggestion.objects.filter(community=community)
        .exclude(status=SuggestionStatus.OPEN)
        .select_related("decided_by")
        .prefetch_related("members")
        .order_by("-decided_at", "-id")[:limit]
    )


def suggestion_get(*, community: Community, pk: int) -> Suggestion:
    suggestion = Suggestion.objects.filter(community=community, pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


# The climate pulse ------------------------------------------------------------------------------

SCALE = range(1, 8)
REVERSED = frozenset(key for key, reverse, _text in PULSE_ITEMS if reverse)
ITEM_KEYS = tuple(key for key, _reverse, _text in PULSE_ITEMS)


def pulse_open(*, community: Community) -> Pulse | None:
    """The pulse members can answer now, if any (one at a time)."""
    return (
        Pulse.objects.filter(
            community=community, closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .order_by("-opened_at", "-id")
        .first()
    )


def pulses_exist(*, community: Community) -> bool:
    """Whether the community ever had a pulse."""
    return Pulse.objects.filter(community=community).exists()


def pulses_for(*, community: Community) -> list[Pulse]:
    """All pulses of a community, newest first, each with its number of answers."""
    return list(
        Pulse.objects.filter(community=community)
        .annotate(answer_count=Count("participations"))
        .order_by("-opened_at", "-id")
    )


def pulse_get(*, user: User | AnonymousUser, community: Community, pk: int) -> Pulse:
    """A pulse of this community for someone who may see pulses; 404 otherwise."""
    if not permissions.can_view_pulses(user, community):
        raise Http404
    pulse = Pulse.objects.filter(community=community, pk=pk).first()
    if pulse is None:
        raise Http404
    return pulse


def pulse_has_answered(*, pulse: Pulse, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return PulseParticipation.objects.filter(pulse=pulse, user=user).exists()


def safety_score(answers: dict) -> float:
    """Edmondson's psychological safety for one set of answers: the mean of the seven items on
    1..7, with the negatively worded items (1, 3 and 5) scored as 8 - x."""
    scored = [8 - answers[k] if k in REVERSED else answers[k] for k in PULSE_SAFETY_ITEMS]
    return sum(scored) / len(scored)


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


def _aggregate(answers: list[dict]) -> dict:
    items = []
    for key, reverse, text in PULSE_ITEMS:
        values = [a[key] for a in answers]
        counts = [sum(1 for v in values if v == point) for point in SCALE]
        items.append(
            {
                "key": key,
                "text": str(text),
                "reverse": reverse,
                "mean": _mean(values),
                "counts": counts,
            }
        )
    return {
        "safety": _mean([safety_score(a) for a in answers]),
        "learn": _mean([a["learn"] for a in answers]),
        "trust": _mean([a["trust"] for a in answers]),
        "items": items,
    }


def _shows(pulse: Pulse, count: int) -> bool:
    return not pulse.is_open and count >= PULSE_MIN_ANSWERS


def pulse_results(*, pulse: Pulse) -> dict:
    """The aggregates of a pulse. `visible` is False (and no number but the count is present)
    while the pulse is open or when fewer than PULSE_MIN_ANSWERS answered."""
    answers = list(PulseResponse.objects.filter(pulse=pulse).values_list("answers", flat=True))
    result = {
        "pulse": pulse,
        "answers": len(answers),
        "min_answers": PULSE_MIN_ANSWERS,
        "is_open": pulse.is_open,
        "visible": _shows(pulse, len(answers)),
    }
    if result["visible"]:
        result.update(_aggregate(answers))
    return result


def pulse_trend(*, community: Community, all_pulses: list[Pulse] | None = None) -> list[dict]:
    """The visible results of every pulse, oldest first: the trend across pulses. Two queries
    however many pulses there are (one when `all_pulses` from pulses_for is given)."""
    if all_pulses is None:
        all_pulses = pulses_for(community=community)
    # answer_count: annotated by pulses_for (the stubs do not know it).
    shown = [p for p in reversed(all_pulses) if _shows(p, p.answer_count)]  # type: ignore[attr-defined]
    answers: dict[int, list[dict]] = {p.pk: [] for p in shown}
    for pulse_id, given in PulseResponse.objects.filter(pulse__in=shown).values_list(
        "pulse_id", "answers"
    ):
        answers[pulse_id].append(given)
    points = []
    for pulse in shown:
        if len(answers[pulse.pk]) < PULSE_MIN_ANSWERS:
            continue
        result = _aggregate(answers[pulse.pk])
        points.append(
            {
                "pulse": pulse,
                "answers": len(answers[pulse.pk]),
                "safety": result["safety"],
                "learn": result["learn"],
                "trust": result["trust"],
            }
        )
    return points


def pulse_summary(community: Community) -> dict | None:
    """The latest pulse in a few numbers for the dashboard, or None when there never was one.
    `safety`, `learn` and `trust` are None unless the results are visible."""
    pulse = Pulse.objects.filter(community=community).order_by("-opened_at", "-id").first()
    if pulse is None:
        return None
    result = pulse_results(pulse=pulse)
    return {
        "pulse_id": pulse.pk,
        "opened_at": pulse.opened_at,
        "closes_at": pulse.closes_at,
        "closed_at": pulse.closed_at,
        "is_open": result["is_open"],
        "answers": result["answers"],
        "min_answers": PULSE_MIN_ANSWERS,
        "visible": result["visible"],
        "safety": result.get("safety"),
        "learn": result.get("learn"),
        "trust": result.get("trust"),
    }


# The health strip ----------------------------------------------------------------------------

HEALTH_COMPARE_DAYS = 7
# How far back the health strip looks for an earlier pulse with enough answers to compare with.
PULSES_LOOKED_AT = 12


def snapshot_earlier_gaps(*, snapshot: Snapshot) -> tuple[datetime, list] | None:
    """When and which perspective gaps an earlier snapshot found, to compare with: the latest
    one at least a week older, else the oldest kept. Reads only that part of the document."""
    earlier = Snapshot.objects.filter(
        community_id=snapshot.community_id, computed_at__lt=snapshot.computed_at
    )
    cutoff = snapshot.computed_at - timedelta(days=HEALTH_COMPARE_DAYS)
    row = (
        earlier.filter(computed_at__lte=cutoff)
        .order_by("-computed_at", "-id")
        .values_list("computed_at", "dashboard__coverage__gaps")
        .first()
    ) or (
        earlier.order_by("computed_at", "id")
        .values_list("computed_at", "dashboard__coverage__gaps")
        .first()
    )
    if row is None or row[1] is None:
        return None
    return row[0], row[1]


def sessions_next_and_last(*, community: Community) -> tuple[Session | None, Session | None]:
    """The next session and the latest one before it, each with `coming`: the yes answers
    (not waiting for a place). Two queries."""
    coming = Count("rsvps", filter=Q(rsvps__response=RsvpResponse.YES, rsvps__waitlisted=False))
    now = timezone.now()
    upcoming = Session.objects.filter(community=community).upcoming(now)
    past = Session.objects.filter(community=community).scheduled().past(now)
    return (
        upcoming.annotate(coming=coming).first(),
        past.annotate(coming=coming).first(),
    )


def pulses_latest_scores(*, community: Community) -> list[dict]:
    """The latest closed pulse and the closed one with enough answers before it, newest
    first, each with its number of answers and, from PULSE_MIN_ANSWERS answers (fewer could
    point at a person), its mean safety score (else None). Two queries."""
    now = timezone.now()
    closed = list(
        Pulse.objects.filter(community=community)
        .filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .annotate(answer_count=Count("responses"))
        .order_by("-opened_at", "-id")[:PULSES_LOOKED_AT]
    )
    if not closed:
        return []
    earlier = next((p for p in closed[1:] if p.answer_count >= PULSE_MIN_ANSWERS), None)
    chosen = [p for p in (closed[0], earlier) if p is not None]
    shown = [p for p in chosen if p.answer_count >= PULSE_MIN_ANSWERS]
    scores: dict[int, list[float]] = {p.pk: [] for p in shown}
    for pulse_id, answers in PulseResponse.objects.filter(pulse__in=shown).values_list(
        "pulse_id", "answers"
    ):
        scores[pulse_id].append(safety_score(answers))
    return [
        {
            "pulse": p,
            "answers": p.answer_count,
            "safety": round(sum(scores[p.pk]) / len(scores[p.pk]), 1) if scores.get(p.pk) else None,
        }
        for p in chosen
    ]
