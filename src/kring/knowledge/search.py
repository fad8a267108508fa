"""What the library and the directory contribute to search: items and people."""

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Protocol

from django.urls import reverse

from kring.communities.models import Community
from kring.core import search
from kring.core.models import Tag
from kring.core.search import SearchDoc
from kring.knowledge.models import LESSON_SECTIONS, KnowledgeItem

BATCH = 1000


class ItemText(Protocol):
    """What an item's search document is made of: an item, or an import's new row."""

    pk: int
    kind: str
    title: str
    body: str
    sections: dict


def item_document(item: KnowledgeItem) -> SearchDoc:
    tags = list(item.tags.all())
    return SearchDoc(
        doc_type="item",
        doc_id=item.pk,
        community_id=item.community_id,
        title=item.title,
        body=item_plain_text(item),
        tags=[t.name for t in tags],
        themes=[t.slug for t in tags],
        kind=item.kind,
        url=reverse("item-detail", kwargs={"slug": item.community.slug, "pk": item.pk}),
    )


# An item's plain text and its index columns.
PreparedText = tuple[str, tuple[str, str, str, str]]


def item_document_fast(
    item: ItemText,
    community: Community,
    tag_names: list[str],
    prepared: PreparedText | None = None,
) -> SearchDoc:
    """The same document, built without queries (bulk imports know the tags already, and
    may have worked out its text ahead with `prepared_text`)."""
    body, indexed = prepared if prepared is not None else (item_plain_text(item), None)
    return SearchDoc(
        doc_type="item",
        doc_id=item.pk,
        community_id=community.pk,
        title=item.title,
        body=body,
        tags=list(tag_names),
        themes=[Tag.slug_for(name) for name in tag_names],
        kind=item.kind,
        url=_item_url(community.slug, item.pk),
        indexed=indexed,
    )


def prepared_text(item: ItemText, tag_names: list[str]) -> PreparedText:
    """The part of an item's search document that takes time (Markdown to text, stems,
    compounds), needing neither its id nor the database: an import works it out for its
    next batch in a process of its own while it writes the batch before."""
    body = item_plain_text(item)
    return body, search.index_columns(item.title, body, tag_names)


_PK_MARK = 987654321


@lru_cache(maxsize=64)
def _item_url_pattern(slug: str) -> tuple[str, str]:
    """The item URL of a community around where the pk goes (reverse() once, not per item)."""
    url = reverse("item-detail", kwargs={"slug": slug, "pk": _PK_MARK})
    before, _mark, after = url.rpartition(str(_PK_MARK))
    return before, after


def _item_url(slug: str, pk: int) -> str:
    before, after = _item_url_pattern(slug)
    return f"{before}{pk}{after}"


# Markdown punctuation that would only clutter a snippet: images, link targets, emphasis
# and heading markers, code fences, list bullets, table bars.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Heading, quote and list markers only where a line starts (a number and a full stop in
# running text, "in 2019. Daarna", stay), then runs of emphasis, code and table marks.
# Two patterns anchored this way are about 3 times faster than one alternation tried at
# every character.
_MD_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}|>|[-*+]|\d+\.)[ \t]+", re.MULTILINE)
_MD_MARKS = re.compile(r"[*_`~|]+")


def markdown_to_text(source: str) -> str:
    """Plain words from Markdown, for the index and snippets (no rendering: it runs on
    every imported item, so it must stay cheap)."""
    if "](" in source:
        source = _MD_IMAGE.sub(r"\1", source)
        source = _MD_LINK.sub(r"\1", source)
    return _MD_MARKS.sub("", _MD_LINE_MARKS.sub("", source))


def item_plain_text(item: ItemText) -> str:
    if item.sections:
        parts = [item.sections.get(key, "") for key, _label in LESSON_SECTIONS]
        return markdown_to_text("\n\n".join(p for p in parts if p))
    return markdown_to_text(item.body)


class ItemSearchProvider:
    doc_type = "item"

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDoc]:
        qs = KnowledgeItem.objects.select_related("community").prefetch_related("tags")
        return search.documents_from(qs, item_document, ids, batch=BATCH)

    def count(self) -> int:
        return KnowledgeItem.objects.count()
