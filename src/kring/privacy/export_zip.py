"""Writing the data export's ZIP: one JSON file per section, row by row from
`.iterator()` (so a long history is never all in memory), then your uploaded files and a
README."""

import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kring.accounts.models import User
from kring.conversations.models import (
    PostAttachment,
)
from kring.knowledge.models import Attachment
from kring.privacy import export_sections as about_you
from kring.privacy import export_sections_activity as activity
from kring.privacy import export_sections_decisions as decisions
from kring.privacy import export_sections_stories as stories
from kring.privacy.export_rows import CHUNK, library_file, photo_file, post_file

# How long a finished export can be downloaded.
EXPORT_DAYS = 7


def _dumps(value: object) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def _write_array(out: IO[bytes], rows: Iterable) -> int:
    out.write(b"[")
    count = 0
    for row in rows:
        out.write(b",\n" if count else b"\n")
        out.write(_dumps(row))
        count += 1
    out.write(b"\n]" if count else b"]")
    return count


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry dated now (zf.open(name, "w") would date it 1980)."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_json(zf: zipfile.ZipFile, name: str, content: dict | Iterable) -> int:
    """Write one JSON file. `content` is a row iterator (an array), or a dict whose values
    may be row iterators (an object of arrays). Returns how many rows were written."""
    count = 0
    with zf.open(_entry(name), "w", force_zip64=True) as out:
        if isinstance(content, dict):
            out.write(b"{")
            for i, (key, value) in enumerate(content.items()):
                out.write(b",\n" if i else b"\n")
                out.write(_dumps(key) + b": ")
                if isinstance(value, Iterator):
                    count += _write_array(out, value)
                else:
                    out.write(_dumps(value))
            out.write(b"\n}\n")
        else:
            count = _write_array(out, content)
            out.write(b"\n")
    return count


def _files(user: User) -> Iterator[tuple[str, str, str]]:
    """(path in the ZIP, storage name, what it is) for every file you uploaded."""
    photo = photo_file(user)
    if photo:
        yield photo, user.photo.name, "profile photo"
    library = Attachment.objects.filter(
        Q(item__item_authors__user=user) | Q(uploaded_by=user)
    ).distinct()
    for a in library.order_by("id").iterator(chunk_size=CHUNK):
        yield library_file(a), a.file.name, f"library item {a.item_id}: {a.original_name}"
    posts = PostAttachment.objects.filter(uploaded_by=user)
    for a in posts.order_by("id").iterator(chunk_size=CHUNK):
        yield post_file(a), a.file.name, f"post in thread {a.thread_id}: {a.original_name}"


def _copy_files(zf: zipfile.ZipFile, user: User) -> list[dict]:
    manifest = []
    for path, stored, what in _files(user):
        row = {"file": path, "what": what}
        try:
            with (
                default_storage.open(stored, "rb") as src,
                zf.open(path, "w", force_zip64=True) as out,
            ):
                shutil.copyfileobj(src, out, 1024 * 1024)
        except OSError:
            # The upload is gone from the disk (restored from an older backup, say).
            row["missing"] = True
        manifest.append(row)
    return manifest


SECTIONS = (
    "profile.json",
    "memberships.json",
    "library_items.json",
    "questions_and_discussions.json",
    "replies.json",
    "messages.json",
    "sessions.json",
    "reflections.json",
    "action_points.json",
    "value_stories.json",
    "decisions.json",
    "insights_about_you.json",
    "activity_events.json",
    "notifications.json",
    "moderation.json",
    "files.json",
)


def export_write(*, zf: zipfile.ZipFile, user: User) -> dict[str, int]:
    """Write every section of `user`'s data into `zf`; returns the row count per file.
    Sentences (the reasons of signals and suggestions) are in the person's language."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return _export_write(zf, user)


def _sections(user: User) -> list[tuple[str, Callable[[], object]]]:
    """Each file of the export and what makes its content, called only when it is written
    (so one section's rows are never held in memory beside another's)."""
    return [
        ("profile.json", lambda: about_you.profile_section(user)),
        (
            "memberships.json",
            lambda: {
                "memberships": about_you.memberships(user),
                "requests_to_join": about_you.join_requests(user),
                "invitations_accepted": about_you.invitations(user),
            },
        ),
        (
            "library_items.json",
            lambda: {
                "items": about_you.library_items(user),
                "revisions_you_wrote": about_you.library_revisions(user),
                "comments": about_you.library_comments(user),
                "found_useful": about_you.useful_marks(user),
            },
        ),
        ("questions_and_discussions.json", lambda: about_you.threads(user)),
        (
            "replies.json",
            lambda: {
                "replies": about_you.replies(user),
                "earlier_versions_of_your_posts": about_you.post_revisions(user),
                "found_useful": about_you.reactions(user),
            },
        ),
        ("messages.json", lambda: about_you.messages(user)),
        (
            "sessions.json",
            lambda: {
                "rsvps": activity.rsvps(user),
                "attendance": activity.attendance(user),
                "sessions_you_facilitate": activity.facilitated(user),
            },
        ),
        ("reflections.json", lambda: activity.reflections(user)),
        ("action_points.json", lambda: activity.action_points(user)),
        (
            "value_stories.json",
            lambda: {
                "stories_you_told": stories.stories_told(user),
                "stories_that_name_you": stories.stories_naming_you(user),
                "times_kring_asked_for_a_story": stories.story_prompts(user),
            },
        ),
        (
            "decisions.json",
            lambda: {
                "ground_rules_you_proposed": decisions.rules_proposed(user),
                "your_comments_on_ground_rules": decisions.rules_comments(user),
                "ground_rules_you_agreed_with": decisions.rules_agreed(user),
                "polls": decisions.polls(user),
            },
        ),
        (
            "insights_about_you.json",
            lambda: {
                "signals": activity.signals(user),
                "suggestions": activity.suggestions(user),
                "pulses_answered": activity.pulses(user),
            },
        ),
        ("activity_events.json", lambda: activity.activity_events(user)),
        ("notifications.json", lambda: activity.notifications(user)),
        (
            "moderation.json",
            lambda: {
                "flags_you_made": activity.flags(user),
                "actions_on_your_posts": activity.moderation_actions(user),
                "messages_about_your_posts": activity.moderation_messages(user),
            },
        ),
    ]


def _export_write(zf: zipfile.ZipFile, user: User) -> dict[str, int]:
    counts = {name: _write_json(zf, name, content()) for name, content in _sections(user)}
    manifest = _copy_files(zf, user)
    counts["files.json"] = _write_json(zf, "files.json", iter(manifest))
    with translation.override("en"):
        readme = render_to_string(
            "privacy/export_readme.txt",
            {"user": user, "counts": counts, "made_at": timezone.now(), "days": EXPORT_DAYS},
        )
    zf.writestr(_entry("README.txt"), readme)
    return counts
