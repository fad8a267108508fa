from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IlluminateConfig(AppConfig):
    """Illuminate a community: value-creation stories, the public spotlight, the report."""

    name = "kring.illuminate"
    label = "illuminate"
    verbose_name = _("Stories and results")

    def ready(self) -> None:
        from kring.communities import landing
        from kring.illuminate import verbs  # noqa: F401  (registered whether or not used yet)
        from kring.illuminate.views_spotlight import spotlight_render

        landing.register_outsider_page(spotlight_render)
