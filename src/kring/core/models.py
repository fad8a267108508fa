"""Shared models: tags and the activity event, the backbone every feature writes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kring.core.verbs import VERB_MAX_LENGTH


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Tag(models.Model):
    """A free-form topic word, shared by profiles ("I can help with") and later by content."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def slug_for(name: str) -> str:
        return slugify(name.strip(), allow_unicode=True)[:80]


class ActivityEvent(models.Model):
    """One row per meaningful action: who did what to what, where, when, and with whom.

    Insights, feeds and digests read only this table, so features never need to
    import each other to learn what happened.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_events",
        verbose_name=_("actor"),
    )
    # What happened: a value some app registered in kring.core.verbs (no `choices` here, so a
    # new verb needs no migration; activity_record refuses an unregistered one).
    verb = models.CharField(_("verb"), max_length=VERB_MAX_LENGTH)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_events_involving",
        verbose_name=_("other person involved"),
    )
    community = models.ForeignKey(
        settings.KRING_COMMUNITY_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_events",
        verbose_name=_("community"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=False)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        indexes = [
            models.Index(fields=["community", "created_at"], name="event_community_time"),
            # Covering for the insights' per-member passes (index-only scans on SQLite);
            # it leads with (actor, created_at), so it also serves a person's own history.
            models.Index(
                fields=["actor", "created_at", "community", "verb", "other"],
                name="event_actor_covering",
            ),
            models.Index(fields=["other", "created_at"], name="event_other_time"),
            models.Index(fields=["target_type", "target_id"], name="event_target"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} @ {self.created_at:%Y-%m-%d %H:%M}"


class SearchDocument(models.Model):
    """One searchable thing (a library item, a person in a community, later a discussion).

    The text index itself is backend-specific and lives beside this table: an FTS5 table
    on SQLite, a weighted tsvector column with a GIN index on PostgreSQL (see
    kring.core.search). Features register providers; they never write here directly.
    """

    doc_type = models.CharField(max_length=20)
    doc_id = models.PositiveBigIntegerField()
    community = models.ForeignKey(
        settings.KRING_COMMUNITY_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    themes = models.TextField(blank=True, help_text="space-separated tag slugs, padded")
    url = models.CharField(max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "doc_id", "community"], name="searchdoc_unique"
            )
        ]
        indexes = [models.Index(fields=["community", "doc_type"], name="searchdoc_scope")]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.doc_id} {self.title}"
