"""Reads for insights. The dashboard reads the latest snapshot (never computes in a request)
and fetches the people it links to in one query."""

from django.db.models import QuerySet
from django.http import Http404

from kring.accounts.models import Perspective, User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community
from kring.insights import permissions
from kring.insights.models import InsightSettings, Snapshot, Suggestion, SuggestionStatus

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


def suggestion_ids_open(*, community: Community, keys) -> dict[str, int]:
    """key -> id of the open suggestions among `keys` (the buttons post the id)."""
    return dict(
        Suggestion.objects.filter(
            community=community, key__in=list(keys), status=SuggestionStatus.OPEN
        ).values_list("key", "id")
    )


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
