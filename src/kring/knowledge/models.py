"""The community's memory: explicit knowledge (toolkits, plans, webinars, ...) and
implicit knowledge (practice stories, lessons learned), with revisions and attachments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.attachments import AttachmentBase
from kring.core.models import Tag, TimeStampedModel
from kring.core.reverse import reverse


class Kind(models.TextChoices):
    TOOLKIT = "toolkit", _("Toolkit")
    STEP_PLAN = "step_plan", _("Step-by-step plan")
    WEBINAR = "webinar", _("Webinar")
    HANDOUT = "handout", _("Hand-out")
    COURSE = "course", _("Course")
    PRACTICE_EXAMPLE = "practice_example", _("Practice example")
    LINK = "link", pgettext_lazy("library item kind", "Link")
    PRACTICE_STORY = "practice_story", _("Practice story")
    LESSON_LEARNED = "lesson_learned", _("Lesson learned")


EXPLICIT_KINDS = (
    Kind.TOOLKIT,
    Kind.STEP_PLAN,
    Kind.WEBINAR,
    Kind.HANDOUT,
    Kind.COURSE,
    Kind.PRACTICE_EXAMPLE,
    Kind.LINK,
)
IMPLICIT_KINDS = (Kind.PRACTICE_STORY, Kind.LESSON_LEARNED)
KINDS_WITH_URL = (Kind.WEBINAR, Kind.LINK, Kind.COURSE)
# Named authors of one item; the services and the API's address lookup both hold to it.
MAX_AUTHORS = 10

# The parts of a lesson learned, in order: the form asks for each one.
LESSON_SECTIONS = (
    ("tried", _("What we tried")),
    ("went_wrong", _("What went wrong")),
    ("learned", _("What we learned")),
    ("differently", _("What we would do differently")),
)


class Featured(models.TextChoices):
    NONE = "", _("Not featured")
    GOOD_EXAMPLE = "good_example", _("Good example")
    TOOLBOX = "toolbox", _("Toolbox")


class KnowledgeItemQuerySet(models.QuerySet):
    def with_people(self) -> "KnowledgeItemQuerySet":
        """Authors, tags and the sharer along. Not the community: start from
        `community.knowledge_items`, which hands each item its community without a join (a
        join to the community kept SQLite from reading the items in index order)."""
        return self.select_related("created_by").prefetch_related(
            models.Prefetch(
                "item_authors",
                queryset=ItemAuthor.objects.select_related("user").order_by("position"),
            ),
            "tags",
        )


class KnowledgeItem(TimeStampedModel):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="knowledge_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50000, blank=True)
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ItemAuthor", related_name="knowledge_items"
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="knowledge_items", verbose_name=_("themes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    featured = models.CharField(
        _("featured"), max_length=20, choices=Featured.choices, default="", blank=True
    )
    featured_at = models.DateTimeField(null=True, blank=True)
    useful_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    objects = KnowledgeItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        # One index per sort of the library (selectors.SORTS), ending in the same tie-breaker,
        # so a page is read in index order instead of sorting every item of the community.
        indexes = [
            models.Index(fields=["community", "-created_at", "-id"], name="item_community_new"),
            models.Index(fields=["community", "-updated_at", "-id"], name="item_community_updated"),
            models.Index(fields=["community", "kind", "-created_at"], name="item_community_kind"),
            models.Index(
                fields=["community", "-useful_count", "-created_at", "-id"],
                name="item_community_useful",
            ),
            models.Index(fields=["community", "featured"], name="item_community_featured"),
            models.Index(fields=["community", "title", "id"], name="item_community_title"),
            # The library's "featured" strip: only featured items are in it, newest first.
            models.Index(
                fields=["community", "-featured_at"],
                name="item_community_featured_at",
                condition=~models.Q(featured=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("item-detail", kwargs={"slug": self.community.slug, "pk": self.pk})

    @property
    def is_implicit(self) -> bool:
        return self.kind in IMPLICIT_KINDS

    @property
    def author_list(self) -> list:
        return [link.user for link in self.item_authors.all()]

    @property
    def author_key(self) -> str:
        """Who the authors are, as ids: part of a kept library card's key, so that a card
        changes in every web process at once when an author is erased (their links move to
        the former member) or the authors change, not only in the process that did it."""
        return "-".join(str(link.user_id) for link in self.item_authors.all())


class ItemAuthor(models.Model):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="item_authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authored_items"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="itemauthor_unique")]
        indexes = [models.Index(fields=["user", "item"], name="itemauthor_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.item_id}"


class Revision(models.Model):
    """A snapshot of an item after each change, so any version can be compared or restored."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    sections = models.JSONField(default=dict, blank=True)
    url = models.URLField(max_length=500, blank=True)
    tags = models.JSONField(default=list, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="revision_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class Useful(models.Model):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="useful_marks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="useful_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.item_id} useful"


class Comment(TimeStampedModel):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_comments"
    )
    body = models.TextField(_("comment"), max_length=5000)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "created_at"], name="comment_item_time")]


class Attachment(AttachmentBase):
    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")

    max_per_owner = 20
    too_many_message = _("An item can have at most %(max)s attachments.")


class ImportedDocument(models.Model):
    """A document `kring import-knowledge` brought into a community, by a key from its
    content, so that running the import again (or after it was stopped) adds nothing twice.

    Kept when the item is deleted: a deleted import does not come back on the next run."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80)
    item = models.ForeignKey(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="importeddocument_unique")
        ]

    def __str__(self) -> str:
        return self.key
