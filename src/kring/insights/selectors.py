"""Reads for insights. The dashboard reads the latest snapshot (never computes in a request)
and fetches the people it links to in one query."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import Perspective, User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community
from kring.insights import permissions
from kring.insights.models import (
    PULSE_MIN_ANSWERS,
    InsightSettings,
    Pulse,
    PulseResponse,
    Snapshot,
    Suggestion,
    SuggestionStatus,
)
from kring.insights.pulse import safety_score
from kring.meetings.models import RsvpResponse, Session

SUGGESTION_LOG_SIZE = 10


def community_for_facilitator(*, user, slug: str) -> Community:
    """The community whose insights the user may read: 404 for people outside it (so its
    existence does not leak), 403 for members who do not facilitate."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not community_permissions.can_view_inside(user, community):
        raise Http404
    permissions.check_facilitate(user, community)
    return community


def snapshot_latest(*, community: Community) -> Snapshot | None:
    return Snapshot.objects.filter(community=community).order_by("-computed_at", "-id").first()


def snapshot_latest_dashboard(*, community: Community) -> Snapshot | None:
    """The latest snapshot without its full document (`data`: megabytes at 10,000 members);
    the dashboard reads its `dashboard` part."""
    return (
        Snapshot.objects.filter(community=community)
        .defer("data")
        .order_by("-computed_at", "-id")
        .first()
    )


def snapshot_data(*, snapshot: Snapshot) -> dict:
    """The full document of a snapshot read without it (an older snapshot with no dashboard
    part)."""
    return Snapshot.objects.filter(pk=snapshot.pk).values_list("data", flat=True).first() or {}


def settings_for(*, community: Community) -> InsightSettings:
    """The stored thresholds, or unsaved defaults (the row is made on the first save)."""
    return InsightSettings.objects.filter(community=community).first() or InsightSettings(
        community=community
    )


def people_by_id(*, community: Community, ids) -> dict[int, User]:
    """The members among `ids`, in one query; people who left since the snapshot are not
    shown any more."""
    return {
        user.pk: user
        for user in User.objects.filter(pk__in=list(ids), memberships__community=community).only(
            "id", "full_name", "email", "photo"
        )
    }


def perspectives_by_key() -> dict[str, Perspective]:
    """Every perspective (their colours and names for the network), in one query."""
    return {p.key: p for p in Perspective.objects.all()}


def suggestion_states_open(*, community: Community, keys) -> dict[str, tuple[int, object]]:
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


# The health strip ----------------------------------------------------------------------------

HEALTH_COMPARE_DAYS = 7
# How far back the health strip looks for an earlier pulse with enough answers to compare with.
PULSES_LOOKED_AT = 12


def snapshot_earlier_gaps(*, snapshot: Snapshot) -> tuple[object, list] | None:
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
