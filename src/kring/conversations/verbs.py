"""What the conversations app records in the activity ledger: questions, discussions,
replies, reactions, mentions, direct messages and moderation.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class ConversationVerb(models.TextChoices):
    ASKED = "asked", _("asked a question")
    DISCUSSION_STARTED = "discussion_started", _("started a discussion")
    ANSWERED = "answered", _("answered a question")
    REPLIED = "replied", _("replied")
    ANSWER_ACCEPTED = "answer_accepted", _("accepted an answer")
    REACTED = "reacted", _("found a post useful")
    MENTIONED = "mentioned", _("mentioned someone")
    POST_EDITED = "post_edited", _("edited a post")
    MESSAGED = "messaged", _("sent a direct message")
    FLAGGED = "flagged", _("flagged a post")
    POST_HIDDEN = "post_hidden", _("hid a post")
    POST_RESTORED = "post_restored", _("restored a post")
    THREAD_LOCKED = "thread_locked", _("locked a thread")
    THREAD_UNLOCKED = "thread_unlocked", _("unlocked a thread")
    FLAG_DISMISSED = "flag_dismissed", _("dismissed a flag")
