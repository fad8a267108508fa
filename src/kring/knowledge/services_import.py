"""Many library items at once, for `kring import-knowledge` and the benchmark generators.

The documents are checked with the same rules as an item shared on the site, then written in
batches with bulk inserts: items, authors, the first revision, themes, the activity events,
the search documents and the import keys, each batch in one transaction.
"""

import multiprocessing
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community
from kring.core import bulk, search
from kring.core.models import ActivityEvent, Tag
from kring.core.search import compounds
from kring.core.services import tags_get_or_create
from kring.knowledge import permissions
from kring.knowledge.models import ImportedDocument, ItemAuthor, Kind, KnowledgeItem, Revision
from kring.knowledge.search import PreparedText, item_document_fast, prepared_text
from kring.knowledge.services import clean_authors, clean_item_fields, library_changed
from kring.knowledge.verbs import KnowledgeVerb


@dataclass
class _NewItem:
    """An item of the batch: its checked fields, and its id once it is written."""

    pk: int
    kind: str
    title: str
    body: str
    sections: dict
    url: str
    created_at: datetime | None


@dataclass
class _Document:
    """One checked document, waiting for its batch."""

    source: dict[str, Any]
    item: _NewItem
    tags: list[str]
    text: PreparedText | None = None  # its plain text and index columns, worked out ahead


def imported_keys(community: Community) -> set[str]:
    """The import keys of the documents already imported into the community."""
    return set(ImportedDocument.objects.filter(community=community).values_list("key", flat=True))


def items_bulk_create(
    *,
    community: Community,
    by: User,
    documents: Iterable[dict],
    authors: list[User] | None = None,
    batch: int = 500,
    progress: Callable[[int], object] | None = None,
) -> tuple[int, list[str]]:
    """Import many items at once, streamed in batches (for imports and generators).

    Each document is a dict with kind, title, body and optionally tags, sections, url,
    created_at and import_key. Invalid documents are skipped and reported; each batch is one
    transaction. A document whose import_key this community already imported is passed over
    (see `imported_keys`): the key is saved in the same transaction as its item, so a run
    that was stopped and started again resumes. Returns (created, problems).
    """
    permissions.check_create(by, community)
    people = clean_authors(community, authors, by)
    problems: list[str] = []
    pending: list[_Document] = []
    known: set[str] | None = None

    def write(documents: list[_Document]) -> int:
        count = _write_batch(community=community, by=by, people=people, documents=documents)
        if count and progress:
            progress(count)
        return count

    with _BatchWriter(write) as writer:
        try:
            for number, doc in enumerate(documents, start=1):
                key = doc.get("import_key")
                if key:
                    if known is None:
                        known = imported_keys(community)
                    if key in known:
                        continue
                try:
                    checked = _check(doc)
                except ValidationError as exc:
                    label = doc.get("source") or f"#{number}"
                    problems.append(f"{label}: {' '.join(exc.messages)}")
                    continue
                if key and known is not None:
                    known.add(key)
                pending.append(checked)
                if len(pending) >= batch:
                    writer.add(pending)
                    pending = []
            writer.add(pending, last=True)
        finally:
            # Also when something stopped the run (an interrupt, a file that could not be
            # read): the batch read before it is whole and keeps its import keys, so it is
            # written, as it would have been without the read-ahead, and the next run resumes.
            writer.write_queued()
    return writer.created, problems


class _BatchWriter:
    """Writes the batches in order, and works out the texts of each batch (Markdown to
    plain text, stems, compound parts: about half of an import's work, with no database)
    in a process of its own while this process writes the batch before, so that an import
    uses two cores. An import of a single batch stays in this process."""

    def __init__(self, write: Callable[[list[_Document]], int]) -> None:
        self.write = write
        self.created = 0
        self.pool: ProcessPoolExecutor | None = None
        self.queued: tuple[list[_Document], Future] | None = None

    def __enter__(self) -> "_BatchWriter":
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if self.pool is not None:
            # After an error, the batch the process is working on is not wanted: no waiting.
            self.pool.shutdown(wait=exc_type is None, cancel_futures=True)

    def add(self, documents: list[_Document], *, last: bool = False) -> None:
        if not documents:
            return
        if self.pool is None and last:
            for doc, prepared in zip(documents, _texts(_text_sources(documents)), strict=True):
                doc.text = prepared
            self.created += self.write(documents)
            return
        if self.pool is None:
            self.pool = _texts_process()
        future = self.pool.submit(_texts, _text_sources(documents))
        self.write_queued()
        self.queued = (documents, future)

    def write_queued(self) -> None:
        if self.queued is None:
            return
        documents, future = self.queued
        self.queued = None
        for doc, prepared in zip(documents, future.result(), strict=True):
            doc.text = prepared
        self.created += self.write(documents)


def _texts_process() -> ProcessPoolExecutor:
    """One worker process, forked from this one: it starts at once and shares the word
    list of compounds, loaded here first, instead of reading it again."""
    compounds.lexicon()
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_leave_interrupts_to_the_import,
    )


def _leave_interrupts_to_the_import() -> None:
    """Ctrl-C reaches both processes; only the import's own process stops on it (and writes
    the batch it read ahead, with the texts this process still hands over)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _text_sources(documents: list[_Document]) -> list[tuple[_NewItem, list[str]]]:
    return [(doc.item, doc.tags) for doc in documents]


def _texts(sources: list[tuple[_NewItem, list[str]]]) -> list[PreparedText]:
    """Each item's plain text and index columns (runs in the worker process)."""
    return [prepared_text(item, tags) for item, tags in sources]


def _check(doc: dict[str, Any]) -> _Document:
    tags = list(doc.get("tags") or [])
    values = clean_item_fields(
        kind=doc.get("kind", Kind.PRACTICE_EXAMPLE),
        title=doc.get("title", ""),
        body=doc.get("body", ""),
        sections=doc.get("sections"),
        url=doc.get("url", ""),
        tags=tags,
    )
    return _Document(
        source=doc, item=_NewItem(pk=0, created_at=doc.get("created_at"), **values), tags=tags
    )


def _write_batch(
    *, community: Community, by: User, people: list[User], documents: list[_Document]
) -> int:
    """Write one batch in one transaction; returns the number of items made.

    The rows go in as plain values (`core.bulk.insert`): the documents were checked with
    the same rules as an item shared on the site, and no model instance is built per row."""
    if not documents:
        return 0
    now = timezone.now()
    with transaction.atomic():
        bulk.commit_without_waiting()
        items = _create_items(community=community, by=by, documents=documents, now=now)
        bulk.insert(
            ItemAuthor,
            ("item_id", "user_id", "position"),
            [(item.pk, u.pk, i) for item in items for i, u in enumerate(people)],
        )
        _create_first_revisions(items, documents, by=by)
        _link_tags(items, documents)
        _record_events(items, community=community, by=by)
        search.write_batch(
            [
                item_document_fast(item, community, doc.tags, doc.text)
                for item, doc in zip(items, documents, strict=True)
            ],
            new=True,
        )
        library_changed(community.pk)
        bulk.insert(
            ImportedDocument,
            ("community_id", "key", "item_id", "created_at"),
            [
                (community.pk, doc.source["import_key"], item.pk, now)
                for item, doc in zip(items, documents, strict=True)
                if doc.source.get("import_key")
            ],
        )
    return len(documents)


def _create_items(
    *, community: Community, by: User, documents: list[_Document], now: datetime
) -> list[_NewItem]:
    items = [doc.item for doc in documents]
    for item in items:
        item.created_at = item.created_at or now
    ids = bulk.insert(
        KnowledgeItem,
        (
            "community_id",
            "created_by_id",
            "kind",
            "title",
            "body",
            "sections",
            "url",
            "created_at",
            "updated_at",
        ),
        [
            (
                community.pk,
                by.pk,
                item.kind,
                item.title,
                item.body,
                item.sections,
                item.url,
                item.created_at,
                now,
            )
            for item in items
        ],
        returning_ids=True,
    )
    for item, pk in zip(items, ids, strict=True):
        item.pk = pk
    return items


def _create_first_revisions(items: list[_NewItem], documents: list[_Document], *, by: User) -> None:
    bulk.insert(
        Revision,
        (
            "item_id",
            "number",
            "kind",
            "title",
            "body",
            "sections",
            "url",
            "tags",
            "edited_by_id",
            "created_at",
            "note",
        ),
        [
            (
                item.pk,
                1,
                item.kind,
                item.title,
                item.body,
                item.sections,
                item.url,
                sorted(doc.tags),
                by.pk,
                item.created_at,
                "import",
            )
            for item, doc in zip(items, documents, strict=True)
        ],
    )


def _link_tags(items: list[_NewItem], documents: list[_Document]) -> None:
    # One lookup for the whole batch's tags, not one per item.
    tag_ids = {
        tag.slug: tag.pk
        for tag in tags_get_or_create(names=[name for doc in documents for name in doc.tags])
    }
    links = [
        (item.pk, tag_ids[slug])
        for item, doc in zip(items, documents, strict=True)
        for slug in dict.fromkeys(_tag_slug(name) for name in doc.tags)
        if slug
    ]
    bulk.insert(
        KnowledgeItem.tags.through,
        ("knowledgeitem_id", "tag_id"),
        links,
        ignore_conflicts=True,
    )


def _record_events(items: list[_NewItem], *, community: Community, by: User) -> None:
    item_type = ContentType.objects.get_for_model(KnowledgeItem)
    verb = str(KnowledgeVerb.ITEM_CREATED.value)
    bulk.insert(
        ActivityEvent,
        (
            "actor_id",
            "verb",
            "community_id",
            "target_type_id",
            "target_id",
            "created_at",
            "data",
        ),
        [
            (
                by.pk,
                verb,
                community.pk,
                item_type.pk,
                item.pk,
                item.created_at,
                {
                    "kind": item.kind,
                    "import": True,
                },
            )
            for item in items
        ],
    )


def _tag_slug(name: str) -> str:
    """The slug tags_get_or_create files a tag name under."""
    return Tag.slug_for(" ".join(name.split())[:60])
