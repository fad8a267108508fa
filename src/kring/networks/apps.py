from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    """Networks of communities (local, regional, national, thematic): the meshwork."""

    name = "kring.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from kring.core import feed
        from kring.networks.panels import networks_panel

        feed.register_panel(networks_panel)
