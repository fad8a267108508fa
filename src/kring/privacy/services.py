"""Writes about your data that start background work: asking for an export (built by the
task in tasks.py, which calls kring.privacy.export)."""

from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.privacy.export import STALE_AFTER
from kring.privacy.models import DataExport, ExportState
from kring.privacy.tasks import data_export_build


@transaction.atomic
def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """Ask for a copy of your data. While one is being made, that one is returned and no
    second build starts. Returns (export, created)."""
    # Lock the person's row, so two quick clicks (or two tabs) can't both start a build.
    User.objects.select_for_update().filter(pk=user.pk).first()
    pending = (
        DataExport.objects.filter(user=user, state=ExportState.PENDING)
        .order_by("-requested_at", "-id")
        .first()
    )
    if pending is not None:
        if pending.requested_at > timezone.now() - STALE_AFTER:
            return pending, False
        pending.state = ExportState.FAILED
        pending.error = "Not finished in time (worker stopped?)."
        pending.finished_at = timezone.now()
        pending.save(update_fields=["state", "error", "finished_at"])
    export = DataExport.objects.create(user=user)
    transaction.on_commit(lambda: data_export_build.enqueue(export_id=export.pk))
    return export, True
