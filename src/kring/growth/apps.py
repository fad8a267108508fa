from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    """Grow the community: the nine-step development path and the life stage."""

    name = "kring.growth"
    label = "growth"
    verbose_name = _("Development")
