"""What the library and the directory contribute to search: items and people."""

import re
from collections.abc import Iterable, Iterator

from django.urls import reverse

from kring.core import search
from kring.core.models import Tag
from kring.core.search import SearchDoc
from kring.knowledge.models import LESSON_SECTIONS, KnowledgeItem

BATCH = 1000


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


def item_document_fast(item: KnowledgeItem, community, tag_names: list[str]) -> SearchDoc:
    """The same document, built without queries (bulk imports know the tags already)."""
    return SearchDoc(
        doc_type="item",
        doc_id=item.pk,
        community_id=community.pk,
        title=item.title,
        body=item_plain_text(item),
        tags=list(tag_names),
        themes=[Tag.slug_for(name) for name in tag_names],
        kind=item.kind,
        url=reverse("item-detail", kwargs={"slug": community.slug, "pk": item.pk}),
    )


# Markdown punctuation that would only clutter a snippet: images, link targets, emphasis
# and heading markers, code fences, list bullets, table bars.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`~|]+", re.MULTILINE)


def markdown_to_text(source: str) -> str:
    """Plain words from Markdown, for the index and snippets (no rendering: it runs on
    every imported item, so it must stay cheap)."""
    source = _MD_IMAGE.sub(r"\1", source)
    source = _MD_LINK.sub(r"\1", source)
    return _MD_MARKS.sub(r"\1", source)


def item_plain_text(item: KnowledgeItem) -> str:
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
