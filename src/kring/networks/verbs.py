"""What the networks app records in the activity ledger (kring.core.verbs). Never change a
stored value."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class NetworkVerb(models.TextChoices):
    NETWORK_CREATED = "network_created", _("started a network")
    NETWORK_LINK_REQUESTED = "network_link_requested", _("asked to link a community and a network")
    NETWORK_LINKED = "network_linked", _("linked a community to a network")
    NETWORK_UNLINKED = "network_unlinked", _("unlinked a community from a network")
    SHARED_WITH_NETWORK = "shared_with_network", _("shared something with a network")
