from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "kring.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from kring.communities.search import PersonSearchProvider
        from kring.core.search import registry

        registry.register(PersonSearchProvider())

        from kring.communities import feed as community_feed
        from kring.core import feed

        feed.register_describer(community_feed.VERBS, community_feed.describe_joined)

        from kring.accounts.two_factor import requirement_register
        from kring.communities.selectors import is_facilitator_anywhere

        requirement_register(is_facilitator_anywhere)
