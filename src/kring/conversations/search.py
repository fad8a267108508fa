"""What conversations contribute to search: a question or discussion is one document with its
title, opening post and visible replies. Hidden threads are not in the index at all."""

import re
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse

from kring.conversations.models import Reply, Thread
from kring.core import search
from kring.core.search import SearchDoc

BATCH = 500

# Markdown punctuation and mention/link targets that would only clutter a snippet.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"@?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`~|]+", re.MULTILINE)


def markdown_to_text(source: str) -> str:
    source = _MD_IMAGE.sub(r"\1", source or "")
    source = _MD_LINK.sub(r"\1", source)
    return _MD_MARKS.sub(r"\1", source)


def thread_document(thread: Thread) -> SearchDoc:
    tags = list(thread.tags.all())
    parts = [thread.body, *(reply.body for reply in thread.visible_replies)]
    return SearchDoc(
        doc_type="thread",
        doc_id=thread.pk,
        community_id=thread.community_id,
        title=thread.title,
        body=markdown_to_text("\n\n".join(p for p in parts if p)),
        tags=[t.name for t in tags],
        themes=[t.slug for t in tags],
        kind=thread.kind,
        url=reverse("thread-detail", kwargs={"slug": thread.community.slug, "pk": thread.pk}),
    )


class ThreadSearchProvider:
    doc_type = "thread"

    def _queryset(self):
        return (
            Thread.objects.visible()
            .select_related("community")
            .prefetch_related(
                "tags",
                Prefetch(
                    "replies",
                    Reply.objects.filter(hidden=False).only("pk", "thread_id", "body"),
                    to_attr="visible_replies",
                ),
            )
        )

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDoc]:
        # A thread that is hidden yields no document: index_objects then drops its row.
        qs = self._queryset()
        return search.documents_from(qs, thread_document, ids, batch=BATCH)

    def count(self) -> int:
        return Thread.objects.visible().count()
