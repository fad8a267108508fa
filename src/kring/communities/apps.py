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
