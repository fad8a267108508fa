"""Background work: keep the stage every page shows, and the development path's summary the
network insights read, in step with the community's data."""

from django_tasks import task

from kring.communities.models import Community
from kring.growth import services


@task()
def stages_refresh() -> int:
    """Periodic (settings.KRING_PERIODIC_TASKS): derive every community's stage anew, and
    its development path's summary (what network insights read from the cache); returns how
    many stages changed."""
    changed = 0
    for community in Community.objects.order_by("pk").iterator():
        changed += services.community_stage_refresh(community=community)
        services.community_development_refresh(community=community)
    return changed
