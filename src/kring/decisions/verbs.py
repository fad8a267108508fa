"""What the decisions app records in the activity ledger. Votes are never recorded: an event
with a time next to an anonymous vote could point at the person.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class DecisionVerb(models.TextChoices):
    POLL_CREATED = "poll_created", _("started a poll")
    POLL_CLOSED = "poll_closed", _("closed a poll")
    RULES_PROPOSED = "rules_proposed", _("proposed ground rules")
    RULES_ADOPTED = "rules_adopted", _("put agreed ground rules into effect")
    RULES_WITHDRAWN = "rules_withdrawn", _("withdrew proposed ground rules")
