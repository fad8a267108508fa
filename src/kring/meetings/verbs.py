"""What the meetings app records in the activity ledger: sessions, RSVPs, attendance,
reflections and action points.

Registered with kring.core.verbs. The values are stored in ActivityEvent.verb: never change
one once events carry it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import register_verbs


@register_verbs
class MeetingVerb(models.TextChoices):
    SESSION_PLANNED = "session_planned", _("planned a session")
    SESSION_UPDATED = "session_updated", _("changed a session")
    SESSION_CANCELLED = "session_cancelled", _("cancelled a session")
    RSVPED = "rsvped", _("answered an invitation to a session")
    ATTENDED = "attended", _("attended a session")
    REFLECTED = "reflected", _("reflected on a session")
    ACTION_POINT_CREATED = "action_point_created", _("made an action point")
    ACTION_POINT_DONE = "action_point_done", _("completed an action point")
