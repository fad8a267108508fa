from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "kring.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge library")

    def ready(self) -> None:
        from kring.core.search import registry
        from kring.knowledge.search import ItemSearchProvider

        registry.register(ItemSearchProvider())

        from kring.core import digest
        from kring.knowledge.digest import new_items

        digest.register("library", _("New in the library"), new_items, position=20)

        from kring.core import feed
        from kring.knowledge import feed as knowledge_feed

        feed.register_describer(knowledge_feed.VERBS, knowledge_feed.describe)
