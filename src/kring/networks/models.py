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
