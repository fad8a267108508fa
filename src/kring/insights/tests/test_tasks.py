"""Snapshots in the background: snapshot_refresh, which communities are due, the periodic
task and its place in the worker's schedule, and the demo's first snapshots."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent
from kring.insights import tasks
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
