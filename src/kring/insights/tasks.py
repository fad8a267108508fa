"""Background work for insights: computing snapshots. Tasks take ids and only call services."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from kring.communities.models import Community
from kring.core.models import ActivityEvent
from kring.insights import services
from kring.insights.models import Snapshot

# A snapshot is refreshed when it is this old, whatever happened ...
STALE_AFTER = timedelta(hours=6)
# ... or sooner when there was activity since, but not more often than this.
BUSY_AFTER = timedelta(minutes=30)


@task()
def snapshot_refresh(community_id: int) -> int | None:
    """Compute and store the insights of one community now; returns the snapshot's id."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    return services.snapshot_create(community=community).pk


def communities_due(now=None) -> list[int]:
    """Communities whose latest snapshot is older than STALE_AFTER (or missing), or older than
    BUSY_AFTER with activity events after it."""
    now = now or timezone.now()
    latest = Subquery(
        Snapshot.objects.filter(community=OuterRef("pk"))
        .order_by("-computed_at", "-id")
        .values("computed_at")[:1]
    )
    busy = Exists(
        ActivityEvent.objects.filter(community=OuterRef("pk"), created_at__gt=OuterRef("latest"))
    )
    return list(
        Community.objects.annotate(latest=latest)
        .annotate(busy=busy)
        .filter(
            Q(latest__isnull=True)
            | Q(latest__lt=now - STALE_AFTER)
            | Q(latest__lt=now - BUSY_AFTER, busy=True)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@task()
def snapshots_refresh_due() -> int:
    """Periodic (settings.KRING_PERIODIC_TASKS): one snapshot_refresh per community that is
    due; returns how many were enqueued."""
    due = communities_due()
    for community_id in due:
        snapshot_refresh.enqueue(community_id=community_id)
    return len(due)
