"""Snapshots in the background: snapshot_refresh, which communities are due, the periodic
task and its place in the worker's schedule, and the demo's first snapshots."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.conversations.verbs import ConversationVerb
from kring.core import locks
from kring.core.models import ActivityEvent
from kring.insights import services, tasks
from kring.insights.models import Snapshot
from kring.insights.services import snapshot_create
from kring.insights.tests.histories import act

pytestmark = pytest.mark.django_db


def age(snapshot, **delta) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(**delta))


def test_snapshot_refresh_stores_a_snapshot(make_community):
    """The task computes and stores the community's insights."""
    community = make_community()
    result = tasks.snapshot_refresh.enqueue(community_id=community.pk)
    snapshot = Snapshot.objects.get(community=community)
    assert result.return_value == snapshot.pk
    assert snapshot.data["community"] == community.slug


def test_snapshot_refresh_of_a_deleted_community_does_nothing(make_community):
    """A community deleted before the task ran: no error, no snapshot."""
    community = make_community()
    pk = community.pk
    community.delete()
    assert tasks.snapshot_refresh.enqueue(community_id=pk).return_value is None
    assert not Snapshot.objects.exists()


def test_communities_due(make_community):
    """Due: no snapshot yet, or one older than 6 hours, or older than 30 minutes with activity
    after it. Not due: a fresh one, or a quiet one of an hour."""
    never, old, busy, fresh, quiet, too_soon = (make_community() for _ in range(6))
    age(snapshot_create(community=old), hours=7)
    busy_snapshot = snapshot_create(community=busy)
    age(busy_snapshot, minutes=45)
    act(busy.created_by, busy, timezone.now() - timedelta(minutes=5), ConversationVerb.ASKED)
    snapshot_create(community=fresh)
    # Its founding (events written at setup) was before the snapshot.
    ActivityEvent.objects.filter(community=quiet).update(
        created_at=timezone.now() - timedelta(hours=3)
    )
    age(snapshot_create(community=quiet), hours=1)
    age(snapshot_create(community=too_soon), minutes=10)
    act(
        too_soon.created_by, too_soon, timezone.now() - timedelta(minutes=5), ConversationVerb.ASKED
    )
    assert tasks.communities_due() == sorted([never.pk, old.pk, busy.pk])


def test_periodic_task_refreshes_the_due_ones(make_community):
    """snapshots_refresh_due enqueues a refresh per due community (run at once in tests)."""
    due, fresh = make_community(), make_community()
    kept = snapshot_create(community=fresh)
    result = tasks.snapshots_refresh_due.enqueue()
    assert result.return_value == 1
    assert Snapshot.objects.filter(community=due).count() == 1
    assert list(Snapshot.objects.filter(community=fresh)) == [kept]


def test_periodic_task_is_scheduled_every_15_minutes():
    """The worker enqueues it every quarter of an hour."""
    assert ("kring.insights.tasks.snapshots_refresh_due", 15 * 60) in settings.KRING_PERIODIC_TASKS


def _hold_refresh_lock(community) -> str:
    """Another process (another worker) is computing the community's insights."""
    return locks.acquire(f"insights-refresh:{community.pk}", timeout=60)


def test_refresh_while_another_began_later_is_left_to_it(make_community):
    """Another worker began computing after this refresh was asked for: its snapshot covers the
    request, so this one computes nothing."""
    community = make_community()
    _hold_refresh_lock(community)
    asked = timezone.now() - timedelta(seconds=5)
    assert services.snapshot_refresh(community=community, requested_at=asked) is None
    assert not Snapshot.objects.filter(community=community).exists()


def test_refresh_while_another_began_earlier_is_busy(make_community):
    """Another worker began before this refresh was asked for: not computed at the same time,
    but reported busy so the task asks again later."""
    community = make_community()
    _hold_refresh_lock(community)
    asked = timezone.now() + timedelta(seconds=5)
    with pytest.raises(services.SnapshotBusy):
        services.snapshot_refresh(community=community, requested_at=asked)
    assert not Snapshot.objects.filter(community=community).exists()


def test_refresh_covered_by_a_snapshot_begun_after_the_request(make_community):
    """A snapshot begun after the request is returned; none is computed a second time."""
    community = make_community()
    asked = timezone.now()
    kept = snapshot_create(community=community)
    assert services.snapshot_refresh(community=community, requested_at=asked) == kept
    assert Snapshot.objects.filter(community=community).count() == 1
    # Asked after that snapshot began: a new one, and the lock is given back.
    fresh = services.snapshot_refresh(community=community, requested_at=timezone.now())
    assert fresh != kept
    assert not services.snapshot_refresh_running(community_id=community.pk)


@pytest.mark.django_db(transaction=True)
def test_busy_refresh_is_tried_again_later(settings, make_community):
    """On the worker's queue a refresh that finds an older computation running is enqueued
    again a minute later, and computes nothing now."""
    community = make_community()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _hold_refresh_lock(community)
    tasks.snapshot_refresh.enqueue(community_id=community.pk)
    # The lock was taken before the task was enqueued; the worker runs it.
    call_command("worker", batch=True, verbosity=0)
    refreshes = DBTaskResult.objects.filter(task_path__endswith="snapshot_refresh")
    assert refreshes.filter(status="SUCCESSFUL").count() == 1
    [retry] = refreshes.filter(status="READY")
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
    assert not Snapshot.objects.filter(community=community).exists()


def test_periodic_task_skips_a_community_being_computed(make_community):
    """A community whose insights another worker is computing gets no second request."""
    busy, idle = make_community(), make_community()
    _hold_refresh_lock(busy)
    assert tasks.snapshots_refresh_due.enqueue().return_value == 1
    assert not Snapshot.objects.filter(community=busy).exists()
    assert Snapshot.objects.filter(community=idle).count() == 1
