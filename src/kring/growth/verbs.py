"""What the growth app records in the activity ledger: the facilitators' word on the
development path.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class GrowthVerb(models.TextChoices):
    STEP_JUDGED = "development_step_judged", _("judged a step of the development path")
    MANDATE_RECORDED = "mandate_recorded", _("recorded the room to experiment")
    STAGE_CORRECTED = "stage_corrected", _("corrected the life stage")
    TEAM_CREATED = "team_created", _("started a team")
    TEAM_JOINED = "team_joined", _("joined a team")
    TEAM_DELETED = "team_deleted", _("deleted a team")
