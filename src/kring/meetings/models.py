"""Sessions (bijeenkomsten) and the learning cycle: series with a recurrence rule, RSVPs with a
waiting list, attendance, reflections at three levels, and action points."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core import daterange
from kring.core.models import TimeStampedModel
from kring.core.reverse import reverse

DEFAULT_TIMEZONE = "Europe/Amsterdam"


class Mode(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Series(TimeStampedModel):
    """A rhythm of sessions: an RFC 5545 recurrence rule from a first start, in local time.

    Occurrences are stored as Session rows (each editable on its own); `original_start` on a
    session is its place in the rule (the iCalendar RECURRENCE-ID), so a moved or edited
    occurrence keeps its identity and its RSVPs."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="series"
    )
    title = models.CharField(_("title"), max_length=200)
    # The rule without DTSTART, e.g. "FREQ=WEEKLY;INTERVAL=6;UNTIL=20280522T215959Z".
    rrule = models.CharField(_("recurrence rule"), max_length=300)
    first_start = models.DateTimeField(_("first session starts"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"), default=120)
    timezone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIMEZONE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Set when "this and following" split the rhythm: the series it continues.
    continues = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continued_by"
    )

    class Meta:
        ordering = ["first_start", "id"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")


class SessionQuerySet(models.QuerySet):
    def scheduled(self) -> "SessionQuerySet":
        """Scheduled sessions; a row with an impossible date (stored before dates were
        checked) is left out, so it can't break a list."""
        return self.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gte=daterange.SHOWN_FROM,
            ends_at__lt=daterange.SHOWN_UNTIL,
        )

    def upcoming(self, now=None) -> "SessionQuerySet":
        return self.scheduled().filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None) -> "SessionQuerySet":
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")


class Session(TimeStampedModel):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="sessions"
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    original_start = models.DateTimeField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=20000, blank=True)
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    location = models.CharField(_("address"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIMEZONE)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_reflection = models.BooleanField(_("reflection session"), default=False)
    is_open = models.BooleanField(
        _("open to guests"),
        default=False,
        help_text=_(
            "Shown on the community's public spotlight, where anyone interested may ask to come."
        ),
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_facilitated"
    )
    materials = models.ManyToManyField(
        "knowledge.KnowledgeItem", blank=True, related_name="sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Bumped on every change, for the iCalendar SEQUENCE (calendar apps update on a higher one).
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"],
                condition=Q(series__isnull=False),
                name="session_occurrence_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="session_community_time"),
            models.Index(fields=["status", "starts_at"], name="session_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("session-detail", kwargs={"slug": self.community.slug, "pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.original_start is not None and self.original_start != self.starts_at


class RsvpResponse(models.TextChoices):
    YES = "yes", _("Coming")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Not coming")


class Rsvp(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    response = models.CharField(max_length=5, choices=RsvpResponse.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A "yes" when the session is full waits here; the earliest is promoted when a place frees up.
    waitlisted = models.BooleanField(default=False)
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["responded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="rsvp_unique")]
        indexes = [models.Index(fields=["user", "session"], name="rsvp_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.response} {self.session_id}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["user", "session"], name="attendance_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.session_id}"


# The prompts for three levels of learning; they invite, none is required.
LEARNING_LEVELS = (
    ("single_loop", _("Are we doing things right?")),
    ("double_loop", _("Are we doing the right things?")),
    ("triple_loop", _("Who are we, what do we want, and how do we decide what is right?")),
)


class Reflection(TimeStampedModel):
    """One person's look back at a session: what we did, noticed and learned."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    did = models.TextField(_("what we did"), max_length=5000, blank=True)
    noticed = models.TextField(_("what we noticed"), max_length=5000, blank=True)
    learned = models.TextField(_("what we learned"), max_length=5000, blank=True)
    single_loop = models.TextField(_("doing things right"), max_length=5000, blank=True)
    double_loop = models.TextField(_("doing the right things"), max_length=5000, blank=True)
    triple_loop = models.TextField(_("who we are and how we decide"), max_length=5000, blank=True)
    # A facilitator marks an insight worth carrying to the library.
    highlighted = models.BooleanField(_("worth carrying to the library"), default=False)
    highlighted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    library_item = models.ForeignKey(
        "knowledge.KnowledgeItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="reflection_unique")
        ]

    def __str__(self) -> str:
        return f"reflection {self.pk} on {self.session_id}"


class ActionPoint(TimeStampedModel):
    """Who does what before when: learning turned into action, carried to the next session."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="action_points"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_points"
    )
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("who"),
    )
    due_date = models.DateField(_("before"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_date", "created_at", "id"]
        indexes = [
            models.Index(fields=["community", "done_at", "due_date"], name="action_community_open"),
            models.Index(fields=["owner", "done_at"], name="action_owner_open"),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: the secret is in the URL, only its hash is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
