from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IlluminateConfig(AppConfig):
    """Illuminate a community: value-creation stories, the public spotlight, the report."""

    name = "kring.illuminate"
    label = "illuminate"
    verbose_name = _("Stories and results")

    def ready(self) -> None:
        # The verbs are registered at start-up, whether or not a story was told yet.
        from kring.illuminate import verbs  # noqa: F401
