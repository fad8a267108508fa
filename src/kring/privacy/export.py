"""Your data export (GDPR art. 15 and 20): build the ZIP, hand it out, clean up.

The flow: `data_export_request` (kring.privacy.services) makes a pending DataExport and
enqueues `data_export_build` after the commit. The task writes a ZIP with one JSON file per
section and your uploaded files into settings.KRING_EXPORT_DIR (private, not media), marks
the export ready for EXPORT_DAYS days and e-mails you. `data_exports_purge` (a periodic task
of `kring worker`) deletes files past their date.

The ZIP itself is written by kring.privacy.export_zip, section by section (export_sections*),
row by row from `.iterator()`, so a person with tens of thousands of activity events never
needs them all in memory at once.
"""

import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kring.accounts.models import User
from kring.privacy.export_rows import CHUNK
from kring.privacy.export_zip import EXPORT_DAYS, export_write
from kring.privacy.models import DataExport, ExportState

logger = logging.getLogger(__name__)

# A pending export whose build never started or never finished (the worker died) stops
# blocking a new request after this long.
STALE_AFTER = timedelta(hours=6)


def export_dir() -> Path:
    path = Path(settings.KRING_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(export: DataExport) -> Path:
    return Path(settings.KRING_EXPORT_DIR) / export.file_name


def download_name(export: DataExport) -> str:
    day = timezone.localdate(export.finished_at or export.requested_at)
    return f"kring-export-{day.isoformat()}.zip"


# Building --------------------------------------------------------------------------------


def data_export_build(*, export_id: int) -> bool:
    """Build the ZIP of one pending export; returns whether this run built it.

    Claimed first with a compare-and-set on `started_at`, so a task that runs twice builds
    once. A failure is recorded (state failed) and the person can ask again."""
    now = timezone.now()
    claimed = DataExport.objects.filter(
        pk=export_id, state=ExportState.PENDING, started_at__isnull=True
    ).update(started_at=now)
    if not claimed:
        return False
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:  # the account was erased meanwhile
        return False
    file_name = f"{export.user_id}-{export.pk}-{secrets.token_hex(16)}.zip"
    target = export_dir() / file_name
    partial = target.with_suffix(".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            export_write(zf=zf, user=export.user)
        partial.replace(target)
    except Exception as exc:
        logger.exception("Data export %s failed", export_id)
        partial.unlink(missing_ok=True)
        DataExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return False
    with transaction.atomic():
        finished = timezone.now()
        updated = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
            state=ExportState.READY,
            file_name=file_name,
            size=target.stat().st_size,
            finished_at=finished,
            expires_at=finished + timedelta(days=EXPORT_DAYS),
        )
        if not updated:  # erased or replaced meanwhile
            target.unlink(missing_ok=True)
            return False
        # A new export replaces the older ones: their files go now.
        for old in DataExport.objects.filter(user_id=export.user_id).exclude(pk=export_id):
            _delete_file(old)
            old.delete()
        transaction.on_commit(lambda: data_export_ready_email(export_id=export_id))
    return True


def data_export_ready_email(*, export_id: int) -> None:
    """Tell the person their export is ready, in their language, with a link to /me/data/."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.READY:
        return
    user = export.user
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": user,
            "export": export,
            "url": settings.SITE_URL + reverse("my-data"),
            "days": EXPORT_DAYS,
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(
            render_to_string("privacy/email/export_ready_subject.txt", context).split()
        )
        body = render_to_string("privacy/email/export_ready_body.txt", context)
        html = render_to_string("privacy/email/export_ready_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


# Cleaning up -----------------------------------------------------------------------------


def _delete_file(export: DataExport) -> None:
    if export.file_name:
        export_path(export).unlink(missing_ok=True)


def data_exports_delete(*, user: User) -> int:
    """Delete every export of `user`, files first (for erasing an account: the rows would go
    with the person, the files would wait for the purge). Returns how many."""
    count = 0
    for export in DataExport.objects.filter(user=user):
        _delete_file(export)
        export.delete()
        count += 1
    return count


def data_exports_purge(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their date (the row stays, as expired); also old
    files in the folder that no export points at (a crashed build, an erased account).
    Returns how many exports expired."""
    now = now or timezone.now()
    count = 0
    expired = DataExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for export in expired.iterator(chunk_size=CHUNK):
        _delete_file(export)
        DataExport.objects.filter(pk=export.pk).update(
            state=ExportState.EXPIRED, file_name="", size=0
        )
        count += 1
    folder = Path(settings.KRING_EXPORT_DIR)
    if folder.is_dir():
        known = set(DataExport.objects.exclude(file_name="").values_list("file_name", flat=True))
        # Only left-overs older than any build can take: a file written a moment ago may
        # belong to a build that has not saved its row yet.
        before = (now - STALE_AFTER).timestamp()
        for path in folder.iterdir():
            if path.is_file() and path.name not in known and path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
    return count
