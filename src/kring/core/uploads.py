"""Uploaded files: what Kring accepts as an attachment, judged by content, not by name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def sniff_attachment(upload) -> str:
    """The content type read from the file's first bytes; the name and the browser's claim
    do not count. Raises ValidationError for anything not on the list."""
    if upload.size > settings.KRING_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s MB). The maximum is %(max)s MB.")
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
                "file": _(
                    "This type of file is not allowed. Upload a PDF, an Office or "
                    "OpenDocument file, or an image."
                )
            }
        )
    return mime
