"""What the accounts app records in the activity ledger.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class AccountVerb(models.TextChoices):
    PROFILE_UPDATED = "profile_updated", _("updated their profile")
