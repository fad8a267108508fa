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


class Team(models.Model):
    """A small group inside a community that carries part of it (the inner circle): a
    communication team, a support team, community builders, or a name of its own."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    purpose = models.TextField(_("purpose"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """One person in a team; one of them may lead it. The lead is a flag on the member, so a
    lead is always a member and leaving the team ends the lead too."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(_("lead"), default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teammember_unique"),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(is_lead=True), name="teammember_one_lead"
            ),
        ]
        indexes = [models.Index(fields=["user", "team"], name="teammember_user_team")]

    def __str__(self) -> str:
        return f"{self.user_id} in team {self.team_id}"


class TeamTask(models.Model):
    """The team's own short list of what to do: what, who, before when, done."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tasks")
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    due_date = models.DateField(_("before"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_date", "created_at", "id"]
        indexes = [models.Index(fields=["team", "done_at"], name="teamtask_team_done")]

    def __str__(self) -> str:
        return self.what


class TeamPost(models.Model):
    """A message in the team's own discussion: read by the team and the facilitators only."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"], name="teampost_team_created")]

    def __str__(self) -> str:
        return f"post {self.pk} in team {self.team_id}"
