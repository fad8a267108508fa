"""The facilitator's feelers: settings per community, precomputed snapshots, suggestions with
their decisions, and anonymous climate pulses."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InsightSettings(models.Model):
    """Thresholds for the signals of one community (docs/insights.md explains each)."""

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="insight_settings",
    )
    window_days = models.PositiveIntegerField(
        _("recent window (days)"),
        default=42,
        help_text=_("The recent period a member is judged on."),
    )
    baseline_days = models.PositiveIntegerField(
        _("baseline (days)"),
        default=126,
        help_text=_("The period before the window that gives a member's own usual pace."),
    )
    drift_ratio = models.FloatField(
        _("drifting below"),
        default=0.4,
        help_text=_("Drifting when the recent pace falls below this share of the usual pace."),
    )
    rising_ratio = models.FloatField(
        _("rising above"),
        default=2.0,
        help_text=_("Rising when the recent pace is at least this many times the usual pace."),
    )
    min_baseline = models.PositiveIntegerField(
        _("minimum contributions in the baseline"),
        default=4,
        help_text=_("Fewer than this and there is no usual pace to drift from."),
    )
    missed_sessions = models.PositiveIntegerField(_("sessions missed in a row"), default=2)
    newcomer_days = models.PositiveIntegerField(
        _("weeks before a newcomer should be connected (days)"), default=21
    )
    period_days = models.PositiveIntegerField(_("network period (days)"), default=90)

    class Meta:
        verbose_name = _("insight settings")
        verbose_name_plural = _("insight settings")

    def __str__(self) -> str:
        return f"insight settings of {self.community_id}"


class Snapshot(models.Model):
    """The insights document for a community at one moment (see docs/insights.md)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="insight_snapshots"
    )
    as_of = models.DateTimeField()
    period_days = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    # Format 2 (snapshot_split): the summary of the document; each member's part is a
    # SnapshotMember row. Format 1 (made before the split): the whole document.
    data = models.JSONField(default=dict)
    format = models.PositiveSmallIntegerField(default=1)
    # What the dashboard shows (people with signals, the drawn network, ...), cut from the
    # document when the snapshot is made (dashboard_doc).
    dashboard = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-computed_at"], name="snapshot_latest"),
        ]

    def __str__(self) -> str:
        return f"insights of {self.community_id} at {self.as_of:%Y-%m-%d}"


class SnapshotMember(models.Model):
    """One member's part of a snapshot (snapshot_split): their facts, signals, place in the
    network, ties and the suggestions that name them. "What Kring sees about me" reads one
    row; the API pages through them."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="member_parts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The member's place in the document (joining order).
    position = models.PositiveIntegerField()
    # As the snapshot recorded them (also in `data`): the other ends of someone's ties are
    # named from these columns, without decoding their parts.
    email = models.EmailField()
    name = models.CharField(max_length=200)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "user"], name="snapshot_member_unique"),
            models.UniqueConstraint(
                fields=["snapshot", "position"], name="snapshot_member_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in snapshot {self.snapshot_id}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DISMISSED = "dismissed", _("Dismissed")


class Suggestion(models.Model):
    """A concrete next step for the facilitators, with its reason. `key` identifies the same
    suggestion across snapshots, so a decision sticks."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="suggestions"
    )
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # The facts behind the reason; the sentence is made in the reader's language.
    params = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # "Later": still open, but out of sight until then (a week after the facilitator said so).
    later_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="suggestion_key_unique")
        ]
        indexes = [models.Index(fields=["community", "status"], name="suggestion_status")]

    def __str__(self) -> str:
        return self.key


# The climate pulse: Edmondson's seven items on psychological safety (1, 3 and 5 are worded
# negatively and scored in reverse) and two of Kring's own. Answers on a 7-point scale.
PULSE_ITEMS = (
    ("ps1", True, _("If you make a mistake in this community, it is often held against you.")),
    ("ps2", False, _("Members of this community are able to bring up problems and tough issues.")),
    ("ps3", True, _("People in this community sometimes reject others for being different.")),
    ("ps4", False, _("It is safe to take a risk in this community.")),
    ("ps5", True, _("It is difficult to ask other members of this community for help.")),
    (
        "ps6",
        False,
        _("No one in this community would deliberately act in a way that undermines my efforts."),
    ),
    (
        "ps7",
        False,
        _(
            "Working with members of this community, my unique skills and talents are valued "
            "and utilised."
        ),
    ),
    ("learn", False, _("I learn here.")),
    ("trust", False, _("I trust the others here.")),
)
PULSE_SAFETY_ITEMS = tuple(key for key, _reverse, _text in PULSE_ITEMS if key.startswith("ps"))
# Results are shown only from this many answers: fewer could point at a person.
PULSE_MIN_ANSWERS = 5


class Pulse(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="pulses"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"pulse {self.pk} in {self.community_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at


class PulseParticipation(models.Model):
    """That someone answered (so nobody answers twice). Deliberately unlinked from the answers:
    no answer id, and no time."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "user"], name="pulse_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.pulse_id}"


class PulseResponse(models.Model):
    """One anonymous set of answers: a random id, no person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"an answer to {self.pulse_id}"
