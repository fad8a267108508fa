"""What the knowledge library records in the activity ledger.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class KnowledgeVerb(models.TextChoices):
    ITEM_CREATED = "item_created", _("shared a library item")
    ITEM_UPDATED = "item_updated", _("edited a library item")
    ITEM_DELETED = "item_deleted", _("deleted a library item")
    ITEM_FEATURED = "item_featured", _("featured a library item")
    MARKED_USEFUL = "marked_useful", _("marked as useful")
    COMMENTED = "commented", _("commented")
