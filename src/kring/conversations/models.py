"""Conversations: questions and discussions with replies, direct messages between two people,
notifications, and the moderation that keeps talk within the community's ground rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core import notices
from kring.core.attachments import AttachmentBase
from kring.core.diff import Row
from kring.core.models import Tag, TimeStampedModel
from kring.core.notices import Notice
from kring.core.reverse import reverse


class ThreadKind(models.TextChoices):
    QUESTION = "question", _("Question")
    DISCUSSION = "discussion", _("Discussion")


class ThreadQuerySet(models.QuerySet):
    def visible(self) -> "ThreadQuerySet":
        return self.filter(hidden=False)

    def waiting(self) -> "ThreadQuerySet":
        """Questions nobody but the asker has responded to yet, oldest first."""
        return self.filter(
            kind=ThreadKind.QUESTION, hidden=False, first_response_at__isnull=True
        ).order_by("created_at", "id")


class Thread(TimeStampedModel):
    """A question or a discussion in one community."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="threads"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ThreadKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads", verbose_name=_("themes"))
    accepted_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The first reply by someone other than the author: time to first response is
    # first_response_at - created_at.
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    useful_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden by a facilitator"), default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["community", "-last_activity_at"], name="thread_community_recent"),
            models.Index(fields=["community", "kind", "created_at"], name="thread_community_kind"),
            models.Index(
                fields=["community", "created_at"],
                condition=Q(kind="question", first_response_at__isnull=True),
                name="thread_waiting",
            ),
            models.Index(fields=["author", "created_at"], name="thread_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thread-detail", kwargs={"slug": self.community.slug, "pk": self.pk})

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.accepted_reply_id is not None

    @property
    def time_to_first_response(self):
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.created_at


class Reply(TimeStampedModel):
    """An answer or reaction in a thread; a reply to a reply is the one level of nesting."""

    # Set for a thread's page by selectors.thread_replies (not stored): whether the viewer
    # marked it useful, and the replies to it that the viewer may see.
    marked_useful: bool
    child_list: list["Reply"]

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("text"), max_length=20000)
    useful_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(_("hidden by a facilitator"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [
            models.Index(fields=["thread", "created_at"], name="reply_thread_time"),
            models.Index(fields=["author", "created_at"], name="reply_author_time"),
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reply_url(self.thread, self.pk)


def reply_url(thread: Thread, reply_pk: int) -> str:
    """A link to one reply. ``show`` makes the thread page render it even when it is among
    the earlier replies of a long thread, which the page otherwise folds away."""
    return f"{thread.get_absolute_url()}?show={reply_pk}#reply-{reply_pk}"


class PostRevision(models.Model):
    """The text of a thread or reply after each change: the edit history."""

    # Set for the history page by selectors.thread_history (not stored): what changed from
    # the version before, as (label, diff rows) pairs.
    changes: list[tuple[str, list[Row]]]

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["thread", "reply", "number"], name="postrevision_post")]

    def __str__(self) -> str:
        return f"{self.thread_id}/{self.reply_id} v{self.number}"


class Reaction(models.Model):
    """ "Useful": one per person per post (a thread's opening post, or a reply)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reactions")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(reply__isnull=True), name="reaction_thread"
            ),
            models.UniqueConstraint(
                fields=["user", "reply"], condition=Q(reply__isnull=False), name="reaction_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} useful {self.thread_id}/{self.reply_id}"


class PostAttachment(AttachmentBase):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="posts/%Y/%m/")

    max_per_owner = 10
    too_many_message = _("A post can have at most %(max)s attachments.")


# Direct messages ---------------------------------------------------------------------------


class Conversation(models.Model):
    """A 1:1 conversation. The pair is stored lowest id first, so there is one per pair."""

    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="conversation_pair"),
            models.CheckConstraint(
                condition=Q(user_low__lt=models.F("user_high")), name="conversation_order"
            ),
        ]
        indexes = [
            models.Index(fields=["user_low", "-last_message_at"], name="conversation_low"),
            models.Index(fields=["user_high", "-last_message_at"], name="conversation_high"),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id}↔{self.user_high_id}"

    def get_absolute_url(self) -> str:
        return reverse("conversation-detail", kwargs={"pk": self.pk})

    def other(self, user):
        return self.user_high if user.pk == self.user_low_id else self.user_low

    def has(self, user) -> bool:
        return user.pk in (self.user_low_id, self.user_high_id)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_messages"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="message_unread"
            ),
            models.Index(fields=["sender", "created_at"], name="message_sender_time"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Block(models.Model):
    """`blocker` no longer receives direct messages (or notifications) from `blocked`."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_pair")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


# Notifications -----------------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("You were mentioned")
    REPLY = "reply", _("A reply to your post")
    ANSWER_ACCEPTED = "answer_accepted", _("Your answer was accepted")
    MESSAGE = "message", _("A direct message")
    MODERATION = "moderation", pgettext_lazy("notification kind", "Moderation")
    # Community notices (core.notices): news another app announces to every member.
    SESSION_PLANNED = "session_planned", _("A session was planned")
    RULES_PROPOSED = "rules_proposed", _("Ground rules were proposed")
    # kring.networks: a request to link a community and a network, for the side that answers.
    NETWORK = "network", _("A request from a network")
    # Apps above conversations ask something of one person (kring.illuminate: tell what taking
    # part gave you); the notification carries its own link and subject.
    STORY_PROMPT = "story_prompt", _("An invitation to tell your story")


# Which preference switches e-mail for which kind; moderation always reaches the author.
EMAIL_PREFERENCE: dict[str, str | None] = {
    NotificationKind.MENTION: "email_mentions",
    NotificationKind.REPLY: "email_replies",
    NotificationKind.ANSWER_ACCEPTED: "email_accepted",
    NotificationKind.MESSAGE: "email_messages",
    NotificationKind.MODERATION: None,
    NotificationKind.SESSION_PLANNED: "email_sessions",
}
# Kinds that only appear in Kring, never by e-mail.
IN_APP_ONLY = frozenset(
    {NotificationKind.STORY_PROMPT, NotificationKind.RULES_PROPOSED, NotificationKind.NETWORK}
)


class Notification(models.Model):
    """Something for one person to look at. Says what happened and where, never the content
    of a direct message."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A community notice: the activity event it tells about (core.notices describes it).
    event = models.ForeignKey(
        "core.ActivityEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Where a notification of an app above conversations points (a path on this site), and
    # what it is about (a title): conversations cannot look those up itself.
    link = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once, by the task that sends the e-mail: a second run finds it set and sends nothing.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    def get_absolute_url(self) -> str:
        if self.link:
            return self.link
        if self.conversation_id:
            return reverse("conversation-detail", kwargs={"pk": self.conversation_id})
        if self.reply_id:
            return self.reply.get_absolute_url()
        if self.thread_id:
            return self.thread.get_absolute_url()
        if self.notice is not None:
            return self.notice.url
        return reverse("notification-list")

    @property
    def notice(self) -> Notice | None:
        """What a community notice says (in the active language), or None when this is no
        notice or its subject is gone. Described once per object; a list describes its
        notifications in one batch with selectors.notices_attach."""
        if not self.event_id:
            return None
        if not hasattr(self, "_notice"):
            self._notice = notices.describe([self.event]).get(self.event_id)
        return self._notice


class DigestFrequency(models.TextChoices):
    OFF = "off", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class NotificationPreference(models.Model):
    """How someone wants to hear about things. No row means the defaults: e-mail at once for
    what concerns you, no digest (a digest is always opt-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_mentions = models.BooleanField(_("when someone mentions me"), default=True)
    email_replies = models.BooleanField(_("when someone replies to my post"), default=True)
    email_accepted = models.BooleanField(_("when my answer is accepted"), default=True)
    email_messages = models.BooleanField(_("when someone sends me a message"), default=True)
    email_sessions = models.BooleanField(
        _("when a session is planned in one of my communities"), default=True
    )
    # Not an e-mail: whether Kring now and then asks (in Kring) what taking part gave you.
    story_prompts = models.BooleanField(
        _("now and then, ask me what taking part gave me"), default=True
    )
    digest = models.CharField(
        _("digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.OFF
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


# Moderation --------------------------------------------------------------------------------


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")


class Flag(models.Model):
    """A member's report that a post goes against the ground rules (or is otherwise wrong)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="flags"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="flags")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made"
    )
    ground_rule = models.ForeignKey(
        "communities.GroundRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ground rule"),
    )
    # The rule's words as they were when flagged: rules can be rewritten later.
    ground_rule_text = models.CharField(max_length=300, blank=True)
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["community", "status", "created_at"], name="flag_queue")]

    def __str__(self) -> str:
        return f"flag {self.pk} on {self.thread_id}/{self.reply_id}"


class ModerationActionKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    LOCK = "lock", _("Locked")
    UNLOCK = "unlock", _("Unlocked")
    DISMISS = "dismiss", _("Flag dismissed")


class ModerationAction(models.Model):
    """The log: every moderation step, with its reason, shown to the post's author."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation_actions")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_actions"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderation_actions_received",
        help_text="The author of the post the action was about.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_actions_taken"
    )
    action = models.CharField(max_length=10, choices=ModerationActionKind.choices)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    ground_rule = models.ForeignKey(
        "communities.GroundRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ground_rule_text = models.CharField(max_length=300, blank=True)
    flag = models.ForeignKey(
        Flag, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="modaction_community"),
            models.Index(fields=["subject", "-created_at"], name="modaction_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.thread_id}/{self.reply_id}"


class ModerationMessage(models.Model):
    """A private exchange about one post between the community's facilitators and its author."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="moderation_messages"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation_messages")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_messages"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "reply", "created_at"], name="modmessage_post")]

    def __str__(self) -> str:
        return f"moderation message {self.pk}"
