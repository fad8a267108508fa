"""The facilitators' own word on the development path: a step confirmed or overridden, the
mandate to experiment, a correction of the life stage. Every row is kept (the history); the
latest one per step (or per community) counts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.communities.models import Stage


class StepKey(models.TextChoices):
    """The nine steps of building a community of practice, in their order."""

    THEME = "theme", _("Frame the theme")
    URGENCY = "urgency", _("Connect to the urgency")
    PERSPECTIVES = "perspectives", _("Bring perspectives together")
    MANDATE = "mandate", _("Room to experiment")
    FACILITATORS = "facilitators", _("Two facilitators")
    OWNERSHIP = "ownership", _("The group owns it")
    ACT_REFLECT = "act_reflect", _("Act and reflect")
    RHYTHM = "rhythm", _("Keep the rhythm")
    RESULTS = "results", _("Name and share results")


class StepStatus(models.TextChoices):
    DONE = "done", pgettext_lazy("development step", "Done")
    PARTIAL = "partial", pgettext_lazy("development step", "Partly")
    OPEN = "open", pgettext_lazy("development step", "Open")


class Decision(models.Model):
    """A facilitator's word with a note and the day it holds from; kept as history."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("note"), max_length=1000)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-on", "-created_at", "-id"]


class StepOverride(Decision):
    """A facilitator confirms or overrides what Kring reads for one step. An empty status
    hands the step back to the data."""

    step = models.CharField(_("step"), max_length=20, choices=StepKey.choices)
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, blank=True)

    class Meta(Decision.Meta):
        indexes = [models.Index(fields=["community", "on"], name="stepoverride_community_on")]

    def __str__(self) -> str:
        return f"{self.step} of {self.community_id}: {self.status or 'data'}"


class Mandate(models.Model):
    """Who gave the participants room to experiment in their own practice, and for what."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    given_by = models.CharField(
        _("given by"),
        max_length=200,
        help_text=_("An organisation or a role, for example: the municipal board."),
    )
    scope = models.TextField(_("room to do what"), max_length=1000)
    on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-created_at", "-id"]
        indexes = [models.Index(fields=["community", "on"], name="mandate_community_on")]

    def __str__(self) -> str:
        return f"mandate of {self.community_id} from {self.given_by}"


class StageCorrection(Decision):
    """A facilitator's correction of the life stage Kring derives. An empty stage hands the
    stage back to the data."""

    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)

    class Meta(Decision.Meta):
        indexes = [models.Index(fields=["community", "on"], name="stagecorrection_community_on")]

    def __str__(self) -> str:
        return f"stage of {self.community_id}: {self.stage or 'data'}"
