"""Your data: the copies of everything Kring keeps about you (GDPR art. 15 and 20)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExportState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("data export state", "Being made")
    READY = "ready", pgettext_lazy("data export state", "Ready")
    FAILED = "failed", pgettext_lazy("data export state", "Failed")
    # Kept as a row (so you can see it was made) after its file was deleted.
    EXPIRED = "expired", pgettext_lazy("data export state", "Expired")


class DataExport(models.Model):
    """One request for a copy of your data, and the ZIP file once it is made.

    The file lives in a private folder under the data directory (settings.KRING_EXPORT_DIR),
    never under MEDIA_ROOT: only the download view, which checks the owner, hands it out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The file's name inside KRING_EXPORT_DIR (random, so it can't be guessed).
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # Why a build failed, for the administrator (the person sees a plain sentence).
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [
            models.Index(fields=["user", "-requested_at"], name="dataexport_user"),
            models.Index(fields=["state", "expires_at"], name="dataexport_expiry"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"

    @property
    def is_expired(self) -> bool:
        return self.state == ExportState.EXPIRED or (
            self.state == ExportState.READY
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def shown_state(self) -> str:
        """The state as people see it: a ready export past its date is expired, even before
        the cleanup has deleted the file."""
        return ExportState.EXPIRED if self.is_expired else self.state

    @property
    def is_downloadable(self) -> bool:
        return self.state == ExportState.READY and not self.is_expired and bool(self.file_name)
