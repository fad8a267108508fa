"""Background work for insights: computing snapshots. Tasks take ids and only call services."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import TaskContext, task

from kring.communities.models import Community
from kring.core.models import ActivityEvent
from kring.insights import services
from kring.insights.models import Snapshot

# A snapshot is refreshed when it is this old, whatever happened ...
STALE_AFTER = timedelta(hours=6)
# ... or sooner when there was activity since, but not more often than this.
BUSY_AFTER = timedelta(minutes=30)


# How long a refresh waits when another process is busy with an older one of the community.
BUSY_RETRY = timedelta(minutes=1)


@task(takes_context=True)
def snapshot_refresh(context: TaskContext, community_id: int) -> int | None:
    """Compute and store the insights of one community, unless a snapshot begun after this
    task was enqueued exists or is being computed (services.snapshot_refresh); returns the
    snapshot's id, or None when there is nothing to do (yet)."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    requested_at = context.task_result.enqueued_at or timezone.now()
    try:
        snapshot = services.snapshot_refresh(community=community, requested_at=requested_at)
    except services.SnapshotBusy:
        # Another worker began before this request: ask again once it is likely done.
        if snapshot_refresh.get_backend().supports_defer:
            snapshot_refresh.using(run_after=timezone.now() + BUSY_RETRY).enqueue(
                community_id=community_id
            )
        return None
    return snapshot.pk if snapshot is not None else None


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
    # With several workers each one runs this periodically: a community whose insights are
    # being computed right now gets no second request.
    due = [pk for pk in communities_due() if not services.snapshot_refresh_running(community_id=pk)]
    for community_id in due:
        snapshot_refresh.enqueue(community_id=community_id)
    return len(due)
