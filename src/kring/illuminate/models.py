"""Illuminating a community: value-creation stories (Wenger, Trayner & de Laat, 2011),
the prompts that ask for them, and what facilitators write for a report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core.models import TimeStampedModel


class Cycle(models.TextChoices):
    """The five cycles of value creation, in the order a story tells them."""

    IMMEDIATE = "immediate", _("What happened")
    POTENTIAL = "potential", _("What it gave me")
    APPLIED = "applied", _("What I did differently")
    REALISED = "realised", _("What difference it made")
    REFRAMING = "reframing", _("What changed in how we see success")


CYCLES: tuple[str, ...] = tuple(Cycle.values)
CYCLE_MAX_LENGTH = 2000


class Consent(models.TextChoices):
    """Who may read a story, chosen by its teller per story; each level includes the one before."""

    COMMUNITY = "community", _("Only the members of this community")
    REPORT = "report", _("Members, and the community's reports")
    PUBLIC = "public", _("Also public, on the community's spotlight")


class ValueStory(TimeStampedModel):
    """How taking part created value for someone, told along the cycles (any of them)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="value_stories"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_stories"
    )
    title = models.CharField(_("title"), max_length=160)
    immediate = models.TextField(Cycle.IMMEDIATE.label, max_length=CYCLE_MAX_LENGTH, blank=True)
    potential = models.TextField(Cycle.POTENTIAL.label, max_length=CYCLE_MAX_LENGTH, blank=True)
    applied = models.TextField(Cycle.APPLIED.label, max_length=CYCLE_MAX_LENGTH, blank=True)
    realised = models.TextField(Cycle.REALISED.label, max_length=CYCLE_MAX_LENGTH, blank=True)
    reframing = models.TextField(Cycle.REFRAMING.label, max_length=CYCLE_MAX_LENGTH, blank=True)
    # The teller's perspective when telling (people change perspective; the story keeps it).
    perspective = models.ForeignKey(
        "accounts.Perspective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perspective"),
    )
    consent = models.CharField(
        _("who may read it"), max_length=12, choices=Consent.choices, default=Consent.COMMUNITY
    )
    # The evidence: what the story is about.
    sessions = models.ManyToManyField(
        "meetings.Session", blank=True, related_name="value_stories", verbose_name=_("sessions")
    )
    items = models.ManyToManyField(
        "knowledge.KnowledgeItem",
        blank=True,
        related_name="value_stories",
        verbose_name=_("library items"),
    )
    threads = models.ManyToManyField(
        "conversations.Thread",
        blank=True,
        related_name="value_stories",
        verbose_name=_("questions and discussions"),
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="value_stories_involved",
        verbose_name=_("people involved"),
    )
    # Facilitators feature a story, and choose the line a report quotes.
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quote = models.CharField(_("quote for reports"), max_length=600, blank=True)
    # The practice story a facilitator made of it in the library.
    practice_item = models.ForeignKey(
        "knowledge.KnowledgeItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("value story")
        verbose_name_plural = _("value stories")
        indexes = [
            models.Index(fields=["community", "created_at"], name="valuestory_community_time"),
            models.Index(fields=["community", "consent"], name="valuestory_community_consent"),
            models.Index(fields=["author", "created_at"], name="valuestory_author_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="valuestory_consent_known"
            ),
            models.CheckConstraint(
                condition=~Q(immediate="", potential="", applied="", realised="", reframing=""),
                name="valuestory_tells_something",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("value-story-detail", kwargs={"slug": self.community.slug, "pk": self.pk})

    @property
    def cycles(self) -> dict[str, str]:
        """Every cycle's text, keyed as the API names them ("" where the story is silent)."""
        return {cycle: getattr(self, cycle) for cycle in CYCLES}

    def tells(self, text: str) -> bool:
        """Whether `text` is the teller's own words: a passage of the title or a cycle (spaces
        and line breaks aside)."""
        words = " ".join(text.split())
        told = " ".join(" ".join([self.title, *self.cycles.values()]).split())
        return bool(words) and words in told

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None


class PromptKind(models.TextChoices):
    """The moments Kring asks for a story."""

    SESSION = "session", _("a few weeks after a session")
    USEFUL = "useful", _("after marking a library item useful")
    ANSWER = "answer", _("after an accepted answer")


class StoryPrompt(models.Model):
    """One request to tell a story: sent once per occasion, at most one a month per person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=PromptKind.choices)
    # The session, library item or thread the prompt is about.
    target_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    story = models.ForeignKey(
        ValueStory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "target_id"], name="storyprompt_once_per_occasion"
            ),
        ]
        indexes = [models.Index(fields=["user", "sent_at"], name="storyprompt_user_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} → {self.user_id}"


class ReportText(TimeStampedModel):
    """What the facilitators write for the report over one period."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    foreword = models.TextField(_("foreword"), max_length=5000, blank=True)
    next_steps = models.TextField(_("what's next"), max_length=5000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period_from", "period_to"], name="reporttext_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.period_from} – {self.period_to}"
