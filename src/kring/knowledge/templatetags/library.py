"""Template helpers for the library: kind names, short plain-text excerpts."""

import functools
import html

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kring.core.attachments import ALLOWED_ATTACHMENT_TYPES
from kring.core.markdown import render_markdown
from kring.knowledge.models import IMPLICIT_KINDS, Kind
from kring.knowledge.search import item_plain_text

register = template.Library()


@register.filter
def kind_label(value: str) -> str:
    """The readable name of an item kind; "person" for people in search results."""
    if value == "person":
        return _("Person")
    # Conversations index their threads with these kinds (knowledge does not import them).
    if value == "question":
        return _("Question")
    if value == "discussion":
        return _("Discussion")
    return str(Kind(value).label) if value in Kind.values else value


@register.filter
def kind_group(value: str) -> str:
    """ "implicit" for stories and lessons, "explicit" for the rest (for the badge colour)."""
    if value in ("person", "question", "discussion"):
        return value
    return "implicit" if value in IMPLICIT_KINDS else "explicit"


@register.filter
def item_excerpt(item, length: int = 180) -> str:
    """The start of an item's text without Markdown syntax, for cards and lists."""
    return _excerpt(item_plain_text(item)[: length * 4], length)


# Keyed by the text itself, so an edited item simply misses: rendering the Markdown of every
# card was a sixth of the library list's time. 4,096 short strings are about a megabyte.
@functools.lru_cache(maxsize=4096)
def _excerpt(source: str, length: int) -> str:
    plain = " ".join(html.unescape(strip_tags(render_markdown(source))).split())
    return Truncator(plain).chars(length)


@register.filter
def markdown(source: str) -> str:
    """A person's Markdown as HTML, sanitised by an allowlist (see kring.core.markdown)."""
    return mark_safe(render_markdown(source or ""))  # noqa: S308 (nh3 cleaned it)


@register.filter
def file_kind(content_type: str) -> str:
    """ "PDF", "DOCX", "PNG", ...: the short name people know a file type by."""
    return ALLOWED_ATTACHMENT_TYPES.get(content_type, "").upper() or _("file")
