"""Readable differences between two versions of a library item (the text comparison itself
lives in kring.core.diff, shared with the edit history of conversations)."""

from django.utils.translation import gettext as _

from kring.core.diff import FieldDiff, Row, text_diff
from kring.knowledge.models import LESSON_SECTIONS, Kind, Revision

__all__ = ["FieldDiff", "Row", "revision_diff", "text_diff"]


def _text_of(revision: Revision | None) -> str:
    if revision is None:
        return ""
    if revision.sections:
        parts = []
        for key, label in LESSON_SECTIONS:
            if revision.sections.get(key):
                parts.extend([f"{label}:", revision.sections[key]])
        return "\n".join(parts)
    return revision.body


def _kind_label(value: str) -> str:
    return str(Kind(value).label) if value in Kind.values else value


def revision_diff(old: Revision | None, new: Revision) -> list[FieldDiff]:
    """What changed from one version to the next, field by field (unchanged fields left out).
    Against no earlier version, everything counts as added."""
    pairs = [
        (_("Title"), old.title if old else "", new.title),
        (_("Kind"), _kind_label(old.kind) if old else "", _kind_label(new.kind)),
        (_("Web address"), old.url if old else "", new.url),
        (_("Themes"), ", ".join(old.tags) if old else "", ", ".join(new.tags)),
        (_("Text"), _text_of(old), _text_of(new)),
    ]
    return [
        FieldDiff(label=label, rows=text_diff(before, after))
        for label, before, after in pairs
        if before != after
    ]
