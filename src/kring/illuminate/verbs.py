"""What the illuminate app records in the activity ledger: value stories.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class IlluminateVerb(models.TextChoices):
    STORY_TOLD = "story_told", _("told a value story")
    STORY_FEATURED = "story_featured", _("featured a value story")
