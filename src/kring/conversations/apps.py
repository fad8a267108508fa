from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "kring.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from kring.conversations.search import ThreadSearchProvider
        from kring.core.search import registry

        registry.register(ThreadSearchProvider())

        from kring.conversations import feed as conversations_feed
        from kring.core import feed

        feed.register_describer(conversations_feed.VERBS, conversations_feed.describe)
        feed.register_panel(conversations_feed.waiting_panel)

        from kring.conversations.emails import waiting_questions
        from kring.core import digest

        digest.register(
            "waiting", _("Questions still waiting for an answer"), waiting_questions, position=10
        )

        from kring.conversations.services.notifications import notice_deliver
        from kring.core import notices

        notices.register_deliverer(notice_deliver)
