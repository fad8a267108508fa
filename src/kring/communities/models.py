"""Communities of practice: identity and framing, membership and roles, invitations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import TimeStampedModel
from kring.core.reverse import reverse


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: only members see anything")
    # The published spotlight: what the community shows the world (kring.illuminate).
    PUBLIC = (
        "public",
        _("Spotlight published: anyone sees the public page, only members see inside"),
    )


class Stage(models.TextChoices):
    """The life stages of a community of practice (Wenger, McDermott & Snyder). Kring derives
    the stage from the community's data; facilitators may correct it (kring.growth)."""

    POTENTIAL = "potential", pgettext_lazy("community stage", "Potential")
    COALESCING = "coalescing", pgettext_lazy("community stage", "Coalescing")
    MATURING = "maturing", pgettext_lazy("community stage", "Maturing")
    STEWARDSHIP = "stewardship", pgettext_lazy("community stage", "Stewardship")
    TRANSFORMATION = "transformation", pgettext_lazy("community stage", "Transformation")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    CORE = "core", _("Core group")
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")


ROLE_ORDER = {Role.FACILITATOR: 0, Role.CORE: 1, Role.MEMBER: 2, Role.GUEST: 3}


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommunityQuerySet":
        """Communities whose landing page the user may open."""
        if user is not None and user.is_authenticated:
            if user.is_superuser:
                return self
            # A subquery rather than a join, so later annotations (member counts) see
            # every membership, not only the viewer's own.
            mine = Membership.objects.filter(user=user).values("community_id")
            return self.filter(Q(visibility=Visibility.PUBLIC) | Q(pk__in=mine))
        return self.filter(visibility=Visibility.PUBLIC)

    def of_member(self, user) -> "CommunityQuerySet":
        return self.filter(memberships__user=user)


class Community(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in the web address"), max_length=60, unique=True)
    theme = models.TextField(
        _("theme"), max_length=2000, blank=True, help_text=_("What this community is about.")
    )
    urgency = models.TextField(
        _("urgency"),
        max_length=2000,
        blank=True,
        help_text=_("Why this matters to the participants now."),
    )
    shared_goal = models.TextField(
        _("shared goal"),
        max_length=2000,
        blank=True,
        help_text=_("What we want to achieve together."),
    )
    signature = models.TextField(
        _("signature"),
        max_length=2000,
        blank=True,
        help_text=_("What happens here, who comes and why."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # The stage the community shows: derived from its data, or the facilitators' correction.
    # Only kring.growth writes it (growth.services); lists read it without computing.
    stage = models.CharField(
        _("life stage"), max_length=16, choices=Stage.choices, default=Stage.POTENTIAL
    )
    target_mix = models.JSONField(
        _("target mix of perspectives"),
        default=dict,
        blank=True,
        help_text=_('Share in percent per perspective key, e.g. {"citizen": 20}.'),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community-detail", kwargs={"slug": self.slug})

    @property
    def spotlight_published(self) -> bool:
        """Outsiders see the community's spotlight at its own address (a public community)."""
        return self.visibility == Visibility.PUBLIC


class GroundRule(models.Model):
    """One agreement the group keeps; later, a flag can point at it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="ground_rules")
    text = models.CharField(_("ground rule"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ground rule")
        verbose_name_plural = _("ground rules")

    def __str__(self) -> str:
        return self.text


class RulesOrigin(models.TextChoices):
    SET = "set", _("Set by the facilitators")
    AGREED = "agreed", _("Agreed together")


class GroundRulesVersion(models.Model):
    """One version of the ground rules as it took effect: the text, when, and how. The newest
    version is the list the community keeps (GroundRule) and moderation judges against. A
    version agreed together (kring.decisions) records who agreed; one set by the
    facilitators (at the start, or before this was recorded) says so."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="ground_rules_versions"
    )
    number = models.PositiveIntegerField()
    rules = models.JSONField(default=list)
    origin = models.CharField(max_length=8, choices=RulesOrigin.choices, default=RulesOrigin.SET)
    took_effect_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # How many agreed when it took effect: stays right when someone's account is erased.
    agreed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="rules_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} v{self.number}"


class Membership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("member since"), default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique"),
        ]
        indexes = [
            models.Index(fields=["community", "role"], name="membership_role"),
            # The newest members on the community's page.
            models.Index(fields=["community", "-joined_at"], name="membership_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR


class FormerMembership(models.Model):
    """Where an erased person was a member, kept on the "former member" that stands in for
    them (kring.privacy.erasure). The community's history (the insights trends) counts what
    they did, as it did before the erasure. Nothing else reads it: a former member belongs
    to no community, is listed nowhere and counts as no member."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="former_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="former_memberships"
    )
    joined_at = models.DateTimeField(_("member since"))

    class Meta:
        verbose_name = _("former membership")
        verbose_name_plural = _("former memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="former_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"former member {self.user_id} in {self.community_id}"


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).filter(
            Q(email="") | Q(accepted_at__isnull=True)
        )


class Invitation(models.Model):
    """An invitation to join a community, by e-mail (once) or by link (until it expires).

    Only a hash of the secret in the link is stored.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("personal message"), max_length=1000, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email or 'link'} → {self.community}"

    @property
    def is_link(self) -> bool:
        return not self.email

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class JoinRequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("join request", "Open")
    INVITED = "invited", pgettext_lazy("join request", "Invited")
    DECLINED = "declined", pgettext_lazy("join request", "Declined")


class JoinRequest(models.Model):
    """Someone outside a public community asks its facilitators to let them in.

    A visitor leaves a name and e-mail address; a signed-in person is linked instead. The
    facilitators answer with an invitation (to that address) or decline.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("message"), max_length=1000)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        indexes = [
            models.Index(fields=["community", "status", "created_at"], name="joinrequest_open"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.community} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == JoinRequestStatus.OPEN
