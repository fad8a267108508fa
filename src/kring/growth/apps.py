from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    """Grow the community: the nine-step development path and the life stage."""

    name = "kring.growth"
    label = "growth"
    verbose_name = _("Development")

    def ready(self) -> None:
        from kring.communities.directory_filters import register_directory_filter
        from kring.growth.selectors_teams import team_member_ids

        # The member directory's "Team" filter (communities cannot import growth).
        register_directory_filter("team", team_member_ids)
