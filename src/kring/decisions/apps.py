from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """Shared decisions: polls, date polls that plan the next session, and ground rules the
    group agrees together."""

    name = "kring.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from kring.core import notices
        from kring.decisions.notices import describe_proposed
        from kring.decisions.verbs import DecisionVerb

        notices.register_describer([DecisionVerb.RULES_PROPOSED], describe_proposed)

        from kring.core import feed
        from kring.decisions.panels import open_decisions_panel

        feed.register_panel(open_decisions_panel)
