"""Networks of communities: a network links communities (local, regional, national or around
a theme); coordinators keep it. A link needs both sides: a facilitator of the community and a
coordinator of the network. Until both agreed it is a request from one side."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    LOCAL = "local", pgettext_lazy("network level", "Local")
    REGIONAL = "regional", pgettext_lazy("network level", "Regional")
    NATIONAL = "national", pgettext_lazy("network level", "National")
    THEMATIC = "thematic", pgettext_lazy("network level", "Thematic")


class Network(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_networks"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network-detail", kwargs={"slug": self.slug})


class LinkStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    LINKED = "linked", _("Linked")


class Side(models.TextChoices):
    NETWORK = "network", _("The network")
    COMMUNITY = "community", _("The community")


class NetworkLink(models.Model):
    """A community in a network, or a request for it: `requested_from` says which side asked
    (the other side accepts)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="links")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="network_links"
    )
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    requested_from = models.CharField(max_length=10, choices=Side.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "community"]
        constraints = [
            models.UniqueConstraint(fields=["network", "community"], name="network_link_unique")
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.community_id} in {self.network_id} ({self.status})"

    @property
    def is_linked(self) -> bool:
        return self.status == LinkStatus.LINKED


class NetworkShare(models.Model):
    """A library item or a question that its community shared with a network: the members of
    the network's communities read it and take part (their marks and answers land at the
    source). Withdrawing deletes the row; nothing is shared without this explicit act."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="shares")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="network_shares"
    )
    item = models.ForeignKey(
        "knowledge.KnowledgeItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_shares",
    )
    thread = models.ForeignKey(
        "conversations.Thread",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_shares",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, thread__isnull=True)
                | models.Q(item__isnull=True, thread__isnull=False),
                name="network_share_one_thing",
            ),
            models.UniqueConstraint(fields=["network", "item"], name="network_share_item"),
            models.UniqueConstraint(fields=["network", "thread"], name="network_share_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id or self.thread_id} shared with {self.network_id}"

    @property
    def subject(self):
        return self.item if self.item_id else self.thread
