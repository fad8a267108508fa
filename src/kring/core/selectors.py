"""Reads shared by every feature."""

from datetime import datetime

from django.db.models import QuerySet

from kring.core.models import ActivityEvent


def activity_for_community(*, community, since: datetime, until: datetime) -> QuerySet:
    """Events in one community in [since, until); served by the community/time index."""
    return ActivityEvent.objects.filter(
        community=community, created_at__gte=since, created_at__lt=until
    ).select_related("actor", "other")


def activity_for_actor(*, actor, since: datetime, until: datetime) -> QuerySet:
    """Events by one person in [since, until); served by the actor/time index."""
    return ActivityEvent.objects.filter(
        actor=actor, created_at__gte=since, created_at__lt=until
    ).select_related("community", "other")
