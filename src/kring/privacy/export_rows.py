"""What every section of the data export writes the same way: moments, people,
communities, sessions and the paths of files in the ZIP."""

from datetime import date
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from kring.accounts.models import User
from kring.communities.models import Community
from kring.conversations.models import (
    PostAttachment,
)
from kring.knowledge.models import Attachment
from kring.meetings.models import Session

# Rows read per query while a section is written.
CHUNK = 2000


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def person(user: User | None) -> dict | None:
    return {"id": user.pk, "name": user.full_name} if user is not None else None


def community_ref(community: Community | None) -> dict | None:
    if community is None:
        return None
    return {"id": community.pk, "name": community.name, "slug": community.slug}


def session_ref(session: Session | None) -> dict | None:
    if session is None:
        return None
    return {
        "id": session.pk,
        "title": session.title,
        "community": community_ref(session.community),
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
    }


def safe_name(name: str, fallback: str) -> str:
    """A file name fit for the ZIP. get_valid_filename raises (rather than returning "") for a
    name without a single letter, digit, "-", "_" or "." ("!!!", "💾"): that must not stop
    the export, and others (co-authors) choose the names of files in it."""
    try:
        return get_valid_filename(Path(name).name) or fallback
    except SuspiciousFileOperation:
        return fallback


def file_path(prefix: str, pk: int, name: str) -> str:
    safe = safe_name(name, "file")
    return f"files/{prefix}/{pk}-{safe}"


def library_file(attachment: Attachment) -> str:
    return file_path(f"library/{attachment.item_id}", attachment.pk, attachment.original_name)


def post_file(attachment: PostAttachment) -> str:
    return file_path(f"posts/{attachment.thread_id}", attachment.pk, attachment.original_name)


def photo_file(user: User) -> str | None:
    if not user.photo:
        return None
    return f"files/photo/{safe_name(user.photo.name, 'photo')}"
