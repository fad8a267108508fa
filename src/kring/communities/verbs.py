"""What the communities app records in the activity ledger: membership, roles,
invitations and the community itself.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class CommunityVerb(models.TextChoices):
    JOINED = "joined", _("joined")
    LEFT = "left", _("left")
    REMOVED = "removed", _("removed")
    ROLE_CHANGED = "role_changed", _("role changed")
    INVITED = "invited", _("invited")
    INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")
    COMMUNITY_CREATED = "community_created", _("created the community")
    COMMUNITY_UPDATED = "community_updated", _("updated the community")
