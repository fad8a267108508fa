from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """Shared decisions: polls, and date polls that plan the next session."""

    name = "kring.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
