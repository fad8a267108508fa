"""Reads shared by every feature."""

from datetime import datetime

from django.db.models import Model, QuerySet

from kring.core.models import ActivityEvent


def activity_for_community(
    *, community: Model, since: datetime, until: datetime
) -> QuerySet[ActivityEvent]:
    """Events in one community in [since, until); served by the community/time index."""
    # Core knows no Community class; the stubs type the key by the concrete model.
    return ActivityEvent.objects.filter(
        community_id=community.pk, created_at__gte=since, created_at__lt=until
    ).select_related("actor", "other")


def activity_for_actor(
    *, actor: Model, since: datetime, until: datetime
) -> QuerySet[ActivityEvent]:
    """Events by one person in [since, until); served by the actor/time index."""
    # Core knows no User class; the stubs type the key by the concrete model.
    return ActivityEvent.objects.filter(
        actor_id=actor.pk, created_at__gte=since, created_at__lt=until
    ).select_related("community", "other")
