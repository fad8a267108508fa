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

        from kring.core import grants
        from kring.networks.selectors_sharing import item_granted, thread_granted

        # What a community shared with a network opens to the network's members.
        grants.register("knowledge.item", item_granted)
        grants.register("conversations.thread", thread_granted)
