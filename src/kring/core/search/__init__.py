"""One search interface, two backends (SQLite FTS5, PostgreSQL full-text search).

Feature apps register a provider per document type in their AppConfig.ready():

    search.registry.register(ItemSearchProvider())

and call `search.index_objects("item", [pk])` / `search.remove_objects(...)` from their
services, inside the transaction of the change. Reads go through `search.search(...)`.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.db import connection, transaction

from kring.core.models import SearchDocument
from kring.core.search import text


@dataclass
class SearchDoc:
    doc_type: str
    doc_id: int
    community_id: int
    title: str
    url: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    kind: str = ""
    # The index columns (`index_columns`), when worked out ahead: an import prepares them
    # for its next batch while it writes the one before.
    indexed: tuple[str, str, str, str] | None = field(default=None, repr=False)


TITLE_MAX = 300


def index_columns(title: str, body: str, tags: list[str]) -> tuple[str, str, str, str]:
    """What the backends index for a document with this title, text and tags."""
    return text.index_columns(title[:TITLE_MAX], body, " ".join(tags))


# Only the newest RANK_WINDOW matches of a query (the most recently indexed documents) are
# ranked and counted. A word found in most of the library ("zorg") would otherwise cost a
# relevance score and a count for every matching document on each search: 0.2-1 s at
# 100,000 items, against a few ms with the window (benchmarks/README.md). Queries with up
# to RANK_WINDOW matches are ranked and counted exactly as before.
RANK_WINDOW = 1000


@dataclass
class Hit:
    """One result. The highlighted title and snippet are made on first use, so callers that
    only need the ranking (who knows this?) do not pay for them."""

    document: SearchDocument
    score: float
    terms: list[tuple[str, ...]] = field(default_factory=list, repr=False)

    @cached_property
    def title_html(self) -> str:
        return text.highlight(self.document.title, self.terms, length=300)

    @cached_property
    def snippet_html(self) -> str:
        return text.highlight(self.document.body or self.document.tags, self.terms)


@dataclass
class Results:
    hits: list[Hit]
    total: int
    terms: list[tuple[str, ...]]
    # True when more than RANK_WINDOW documents matched: `total` is then RANK_WINDOW and
    # means "at least that many"; hits come from the newest RANK_WINDOW matches.
    total_capped: bool = False
    # The ranked window the hits come from, (document pk, score) best first, and whether
    # the search was narrowed to some kinds, a theme or some document types: see object_ids.
    window: list[tuple[int, float]] = field(default_factory=list, repr=False)
    narrowed: bool = False


class Provider(Protocol):
    doc_type: str

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[SearchDoc]:
        """Documents for these object ids (all objects when ids is None)."""

    def count(self) -> int:
        """How many objects there are, for progress bars."""


class Registry:
    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, provider: Provider) -> None:
        self._providers[provider.doc_type] = provider

    def get(self, doc_type: str) -> Provider | None:
        return self._providers.get(doc_type)

    def types(self) -> list[str]:
        return list(self._providers)


registry = Registry()


def documents_from(
    queryset, build: Callable, ids: Iterable[int] | None = None, *, batch: int = 1000
) -> Iterator[SearchDoc]:
    """A provider's documents: for the given ids, or for everything in batches by primary
    key (keyset paging, so a large table is never loaded at once)."""
    if ids is not None:
        yield from (build(obj) for obj in queryset.filter(pk__in=list(ids)))
        return
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return
        yield from (build(obj) for obj in chunk)
        last = chunk[-1].pk


def backend():
    if connection.vendor == "postgresql":
        from kring.core.search import postgres as module
    else:
        from kring.core.search import sqlite as module
    return module


def _write(docs: list[SearchDoc], *, new: bool = False) -> None:
    """Insert or replace rows and their index entries; docs are unique by key. With `new`,
    the caller knows none of them has a row yet (an import, a rebuild)."""
    if not docs:
        return
    keys = {(d.doc_type, d.doc_id, d.community_id) for d in docs}
    types = {k[0] for k in keys}
    ids = {k[1] for k in keys}
    existing = (
        {}
        if new
        else {
            (row.doc_type, row.doc_id, row.community_id): row
            for row in SearchDocument.objects.filter(doc_type__in=types, doc_id__in=ids)
        }
    )
    rows_new, rows_changed, docs_new = [], [], []
    for doc in docs:
        values = {
            "kind": doc.kind,
            "title": doc.title[:TITLE_MAX],
            "body": doc.body,
            "tags": " ".join(doc.tags),
            "themes": (" " + " ".join(doc.themes) + " ") if doc.themes else "",
            "url": doc.url[:300],
        }
        row = existing.get((doc.doc_type, doc.doc_id, doc.community_id))
        if row is None:
            docs_new.append(doc)
            rows_new.append(
                SearchDocument(
                    doc_type=doc.doc_type,
                    doc_id=doc.doc_id,
                    community_id=doc.community_id,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            rows_changed.append(row)
    if rows_changed:
        SearchDocument.objects.bulk_update(
            rows_changed, ["kind", "title", "body", "tags", "themes", "url"]
        )
    module = backend()
    if rows_new:
        # The rows and their index entries; docs_new[i] is rows_new[i]'s document.
        module.insert(
            rows_new,
            [doc.indexed or index_columns(doc.title, doc.body, doc.tags) for doc in docs_new],
        )
    module.write(rows_changed)


@transaction.atomic
def index_objects(doc_type: str, ids: Iterable[int]) -> None:
    """Bring the index up to date for these objects: add, change, or drop their documents."""
    ids = list(ids)
    provider = registry.get(doc_type)
    if not ids or provider is None:
        return
    docs = list(provider.documents(ids))
    keep = {(d.doc_type, d.doc_id, d.community_id) for d in docs}
    stale = [
        row.pk
        for row in SearchDocument.objects.filter(doc_type=doc_type, doc_id__in=ids)
        if (row.doc_type, row.doc_id, row.community_id) not in keep
    ]
    _delete_rows(stale)
    _write(docs)


@transaction.atomic
def remove_objects(doc_type: str, ids: Iterable[int]) -> None:
    rows = list(
        SearchDocument.objects.filter(doc_type=doc_type, doc_id__in=list(ids)).values_list(
            "pk", flat=True
        )
    )
    _delete_rows(rows)


def _delete_rows(pks: list[int]) -> None:
    if pks:
        backend().delete(pks)
        SearchDocument.objects.filter(pk__in=pks).delete()


def write_batch(docs: list[SearchDoc], *, new: bool = False) -> None:
    """For bulk imports and rebuilds: write many documents at once. With `new`, the caller
    knows the objects have no documents yet (items an import has just made)."""
    with transaction.atomic():
        _write(docs, new=new)


def reindex_all(*, progress: Callable[[int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole index from the providers. Returns the number of documents."""
    with transaction.atomic():
        backend().clear()
        SearchDocument.objects.all().delete()
    total = 0
    for doc_type in registry.types():
        buffer: list[SearchDoc] = []
        for doc in registry.get(doc_type).documents(None):
            buffer.append(doc)
            if len(buffer) >= batch:
                write_batch(buffer)
                total += len(buffer)
                if progress:
                    progress(len(buffer))
                buffer = []
        if buffer:
            write_batch(buffer)
            total += len(buffer)
            if progress:
                progress(len(buffer))
    return total


def search(
    query: str,
    *,
    community_ids: list[int],
    doc_types: list[str] | None = None,
    kinds: list[str] | None = None,
    theme: str = "",
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Ranked hits for a query, only within the given communities (the caller decides which
    communities the viewer may see). Title matches weigh more than body matches. Beyond
    RANK_WINDOW matches, the newest RANK_WINDOW are ranked and `total_capped` is set."""
    words = text.query_words(query)
    terms = [text.stems(word) for word in words]
    if not terms or not community_ids:
        return Results(hits=[], total=0, terms=terms)
    window, capped = _ranked_window(
        terms, words, community_ids=community_ids, doc_types=doc_types, kinds=kinds, theme=theme
    )
    ranked = window[offset : offset + limit]
    total = len(window)
    rows = SearchDocument.objects.in_bulk([pk for pk, _score in ranked])
    hits = [
        Hit(document=rows[pk], score=round(float(score), 4), terms=terms)
        for pk, score in ranked
        if pk in rows
    ]
    return Results(
        hits=hits,
        total=total,
        terms=terms,
        total_capped=capped,
        window=window,
        narrowed=bool(doc_types or kinds or theme),
    )


def object_ids(
    results: Results, doc_type: str, *, community_ids: list[int], limit: int = 200
) -> list[int] | None:
    """The ids of the best `limit` objects of one type in a search's ranked window, best
    first, in these communities: what ranked_object_ids finds for the same query, without
    searching again. When more than RANK_WINDOW documents matched, they are the objects
    among the newest RANK_WINDOW matches of every type (ranked_object_ids takes the newest
    RANK_WINDOW of this type), so a broad query may give fewer. None when the search was
    narrowed (kinds, a theme, document types) and cannot tell."""
    if results.narrowed:
        return None
    pks = [pk for pk, _score in results.window]
    # The best `limit` are nearly always among the first few hundred of the window (most
    # matches are of the one type asked for): read those first, and the rest of the window
    # only when they hold too few. Reading all 1,000 took ~2 ms more a common word.
    first = limit + limit // 4
    ids: list[int] = []
    for part in (pks[:first], pks[first:]):
        if not part or len(ids) >= limit:
            break
        found = dict(
            SearchDocument.objects.filter(
                pk__in_ids=part, doc_type=doc_type, community_id__in=community_ids
            ).values_list("pk", "doc_id")
        )
        ids.extend(found[pk] for pk in part if pk in found)
    return ids[:limit]


def ranked_object_ids(
    query: str, *, community_ids: list[int], doc_type: str, limit: int = 200
) -> list[int]:
    """The ids of the best `limit` objects of one type for a query, best first, as search()
    ranks them, without reading the documents themselves (who knows this? needs only which
    items match, not their text)."""
    words = text.query_words(query)
    terms = [text.stems(word) for word in words]
    if not terms or not community_ids:
        return []
    window, _capped = _ranked_window(
        terms, words, community_ids=community_ids, doc_types=[doc_type], kinds=None, theme=""
    )
    pks = [pk for pk, _score in window[:limit]]
    object_ids = dict(SearchDocument.objects.filter(pk__in_ids=pks).values_list("pk", "doc_id"))
    return [object_ids[pk] for pk in pks if pk in object_ids]


def _ranked_window(
    terms: list[tuple[str, ...]],
    words: list[str],
    *,
    community_ids: list[int],
    doc_types: list[str] | None,
    kinds: list[str] | None,
    theme: str,
) -> tuple[list[tuple[int, float]], bool]:
    """The newest RANK_WINDOW matches as (document pk, score), best first (ties: oldest
    first), and whether there were more."""
    newest = backend().search(
        terms,
        words=words,
        community_ids=community_ids,
        doc_types=doc_types,
        kinds=kinds,
        theme=theme,
        limit=RANK_WINDOW + 1,
    )
    window = newest[:RANK_WINDOW]
    window.sort(key=lambda row: (-row[1], row[0]))
    return window, len(newest) > RANK_WINDOW
