"""What the feature apps' management commands share about communities.

The command line is the operator's: they hold the whole database, so there is no viewer and
no access check here. Views, API endpoints and selectors open a community only through
`selectors.community_get_inside`.
"""

from django.core.management.base import CommandError

from kring.communities.models import Community


def community_from_argument(slug: str) -> Community:
    """The community a command names by its short name, or a readable CommandError."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise CommandError(f"No community with short name {slug!r}.")
    return community
