"""Polls and date polls, and ground rules the group agrees together.

One vote per person is a database rule (PollParticipation). An open poll keeps who chose
what (PollVote). An anonymous poll keeps, apart from each other, *that* someone voted
(PollParticipation: no time, no link) and the choices (AnonymousChoice: a random id, no person,
no time), as the climate pulse does; the choices are rewritten in a shuffled order on every
vote, so neither their ids nor their order in the table tell who came when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.meetings.models import DEFAULT_TIMEZONE


class PollKind(models.TextChoices):
    SIMPLE = "simple", _("Poll")
    DATE = "date", _("Date poll")


class ShowResults(models.TextChoices):
    AFTER_VOTE = "after_vote", _("After you vote")
    AFTER_CLOSE = "after_close", _("After the poll closes")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Poll(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="polls"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=PollKind.choices, default=PollKind.SIMPLE)
    question = models.CharField(max_length=200)
    multiple = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    show_results = models.CharField(
        max_length=12, choices=ShowResults.choices, default=ShowResults.AFTER_VOTE
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the poll is about, when it belongs somewhere.
    session = models.ForeignKey(
        "meetings.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        "conversations.Thread", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A date poll: what the planned session is called and where it is, and the session it made.
    session_title = models.CharField(max_length=200, blank=True)
    session_location = models.CharField(max_length=300, blank=True)
    session_minutes = models.PositiveIntegerField(default=120)
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)
    planned_session = models.ForeignKey(
        "meetings.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at

    @property
    def is_date(self) -> bool:
        return self.kind == PollKind.DATE


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position")
        ]

    def __str__(self) -> str:
        return self.label or str(self.starts_at)


class PollParticipation(models.Model):
    """That someone voted (so nobody votes twice). For an anonymous poll, deliberately
    unlinked from the choices: no choice, and no time."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="poll_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} voted in {self.poll_id}"


class PollVote(models.Model):
    """One choice in an open poll: who, which option, and (date polls) yes, maybe or no."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.YES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "user"], name="poll_vote_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.answer} on {self.option_id}"


class AnonymousChoice(models.Model):
    """One choice in an anonymous poll: a random id, no person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="anonymous_choices")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.YES)

    def __str__(self) -> str:
        return f"an answer in {self.poll_id}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("proposal", "Open")
    ADOPTED = "adopted", _("Agreed and in effect")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RulesProposal(models.Model):
    """Ground rules as the facilitators propose them, for the members to comment on and agree
    with. Once adopted they become the community's next version of its ground rules
    (communities.GroundRulesVersion); at most one proposal is open at a time."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="rules_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rules = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.ForeignKey(
        "communities.GroundRulesVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(status="open"),
                name="rules_proposal_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"ground rules proposed in {self.community_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN


class RulesComment(models.Model):
    """A member's comment on a proposal: a question, a doubt, a better wording."""

    proposal = models.ForeignKey(RulesProposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.proposal_id}"


class RulesAgreement(models.Model):
    """That a member agrees with a proposal (taken back by deleting the row)."""

    proposal = models.ForeignKey(RulesProposal, on_delete=models.CASCADE, related_name="agreements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="rules_agreement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} agrees with {self.proposal_id}"
