"""Files attached to something (a library item, a post in a conversation): what Kring accepts,
judged by content and not by name; the fields every attachment keeps; the form field that
checks a choice of files; the one way to save them (inside a service) and the one way to hand
one out again.

Core knows no feature: an app subclasses `AttachmentBase`, says how many files one owner may
hold, and passes its own model and owner to the helpers here.
"""

import uuid
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

import filetype
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}
# What the browser's file chooser offers; the content decides what is kept.
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.jpg,.jpeg,.png,.gif,.webp"


def sniff_attachment(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes; the name and the browser's claim
    do not count. Raises ValidationError for anything not on the list."""
    if upload.size is not None and upload.size > settings.KRING_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": gettext("The file is too large (%(size)s MB). The maximum is %(max)s MB.")
                % {
                    "size": round(upload.size / 1024 / 1024, 1),
                    "max": round(settings.KRING_ATTACHMENT_MAX_BYTES / 1024 / 1024),
                }
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip":
        mime = None
    if mime not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": gettext(
                    "This type of file is not allowed. Upload a PDF, an Office or "
                    "OpenDocument file, or an image."
                )
            }
        )
    return mime


def stored_name(mime: str) -> str:
    """A random name for the stored file: nothing of the uploaded name reaches the disk."""
    return f"{uuid.uuid4().hex}.{ALLOWED_ATTACHMENT_TYPES[mime]}"


def original_name(upload: UploadedFile) -> str:
    """The uploaded name as it is kept for showing, without path separators."""
    return (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]


class AttachmentBase(models.Model):
    """The fields every attachment keeps. A concrete model adds its owner (a foreign key),
    its own `file` field (for its folder), and how many files one owner may hold."""

    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # At most this many files per owner, and what to say when there would be more
    # (a message with %(max)s).
    max_per_owner: ClassVar[int]
    too_many_message: ClassVar[Any]

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def too_many(cls) -> str:
        return str(cls.too_many_message) % {"max": cls.max_per_owner}

    @property
    def download_name(self) -> str:
        """The name to offer the browser: printable characters only, so no header can be
        smuggled in with it."""
        return "".join(c for c in self.original_name if c.isprintable()) or "attachment"


A = TypeVar("A", bound=AttachmentBase)


def attachments_save(
    *,
    model: type[A],
    owner: dict[str, Any],
    uploads: Iterable[UploadedFile | None],
    by: AbstractBaseUser | None,
) -> list[A]:
    """Check and store uploaded files for one owner (`owner` holds the model's owner fields,
    e.g. `{"item": item}`). Call it inside the service's transaction. Every file is checked
    before any is stored: a refused one raises ValidationError under "file" and stores
    nothing; if storing fails halfway, the files already stored are removed again."""
    files = [u for u in (uploads or []) if u]
    if not files:
        return []
    existing = model._default_manager.filter(**owner).count()
    if existing + len(files) > model.max_per_owner:
        raise ValidationError({"file": model.too_many()})
    checked = [(upload, sniff_attachment(upload)) for upload in files]
    saved: list[A] = []
    try:
        for upload, mime in checked:
            attachment = model(
                **owner,
                original_name=original_name(upload),
                content_type=mime,
                size=upload.size,
                uploaded_by=by,
            )
            attachment.file.save(stored_name(mime), upload, save=False)
            saved.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved


def attachment_response(attachment: AttachmentBase) -> FileResponse:
    """The file as a download the browser neither sniffs nor keeps: its own type, a clean
    name, no caching. 404 when the file is gone from storage. Check access before calling."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Forms ----------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


def _size_hint() -> str:
    return gettext("PDF, Office or OpenDocument files, or images; at most %(max)s MB each.") % {
        "max": settings.KRING_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    }


class AttachmentsField(forms.FileField):
    """Several files from one input, checked before anything is saved: how many the owner
    may hold (set `existing` to the number it has), and each file's size and type, with the
    file's name in the message. Cleaned, always a list (empty when nothing was chosen).
    The services check again when saving."""

    def __init__(self, *, model: type[AttachmentBase], **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        # Lazy, so the text follows the language and the limit of the moment it is shown.
        kwargs.setdefault("help_text", lazy(_size_hint, str)())
        super().__init__(**kwargs)
        self.model = model
        self.existing = 0

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        uploads = data if isinstance(data, list | tuple) else [data]
        clean_one = super().clean
        files = [clean_one(f, initial) for f in uploads if f]
        if len(files) + self.existing > self.model.max_per_owner:
            raise ValidationError(self.model.too_many())
        problems = []
        for upload in files:
            try:
                sniff_attachment(upload)
            except ValidationError as exc:
                problems.append(
                    gettext("%(name)s: %(problem)s")
                    % {"name": upload.name, "problem": " ".join(exc.messages)}
                )
        if problems:
            raise ValidationError(problems)
        return files
