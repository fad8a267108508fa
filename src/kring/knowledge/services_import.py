"""Many library items at once, for `kring import-knowledge` and the benchmark generators.

The documents are checked with the same rules as an item shared on the site, then written in
batches with bulk inserts: items, authors, the first revision, themes, the activity events,
the search documents and the import keys, each batch in one transaction.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community
from kring.core import search
from kring.core.models import ActivityEvent, Tag
from kring.core.services import tags_get_or_create
from kring.knowledge import permissions
from kring.knowledge.models import ImportedDocument, ItemAuthor, Kind, KnowledgeItem, Revision
from kring.knowledge.search import item_document_fast
from kring.knowledge.services import clean_authors, clean_item_fields, library_changed
from kring.knowledge.verbs import KnowledgeVerb


@dataclass
class _Document:
    """One checked document, waiting for its batch."""

    source: dict[str, Any]
    values: dict[str, Any]
    tags: list[str]


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
    created, problems = 0, []
    pending: list[_Document] = []
    known: set[str] | None = None

    def write() -> int:
        count = _write_batch(community=community, by=by, people=people, documents=pending)
        pending.clear()
        if count and progress:
            progress(count)
        return count

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
            created += write()
    created += write()
    return created, problems


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
    return _Document(source=doc, values=values, tags=tags)


def _write_batch(
    *, community: Community, by: User, people: list[User], documents: list[_Document]
) -> int:
    """Write one batch in one transaction; returns the number of items made."""
    if not documents:
        return 0
    with transaction.atomic():
        items = _create_items(community=community, by=by, documents=documents)
        ItemAuthor.objects.bulk_create(
            [
                ItemAuthor(item=item, user=u, position=i)
                for item in items
                for i, u in enumerate(people)
            ]
        )
        _create_first_revisions(items, documents, by=by)
        _link_tags(items, documents)
        _record_events(items, community=community, by=by)
        search.write_batch(
            [
                item_document_fast(item, community, doc.tags)
                for item, doc in zip(items, documents, strict=True)
            ]
        )
        library_changed(community.pk)
        ImportedDocument.objects.bulk_create(
            [
                ImportedDocument(community=community, key=doc.source["import_key"], item=item)
                for item, doc in zip(items, documents, strict=True)
                if doc.source.get("import_key")
            ]
        )
    return len(documents)


def _create_items(
    *, community: Community, by: User, documents: list[_Document]
) -> list[KnowledgeItem]:
    now = timezone.now()
    items = KnowledgeItem.objects.bulk_create(
        [
            KnowledgeItem(
                community=community,
                created_by=by,
                created_at=doc.source.get("created_at") or now,
                **doc.values,
            )
            for doc in documents
        ]
    )
    if items and items[0].pk is None:
        raise RuntimeError("the database did not return ids for bulk-created items")
    return items


def _create_first_revisions(
    items: list[KnowledgeItem], documents: list[_Document], *, by: User
) -> None:
    Revision.objects.bulk_create(
        [
            Revision(
                item=item,
                number=1,
                kind=item.kind,
                title=item.title,
                body=item.body,
                sections=item.sections,
                url=item.url,
                tags=sorted(doc.tags),
                edited_by=by,
                created_at=item.created_at,
                note="import",
            )
            for item, doc in zip(items, documents, strict=True)
        ]
    )


def _link_tags(items: list[KnowledgeItem], documents: list[_Document]) -> None:
    through = KnowledgeItem.tags.through
    # One lookup for the whole batch's tags, not one per item.
    tag_ids = {
        tag.slug: tag.pk
        for tag in tags_get_or_create(names=[name for doc in documents for name in doc.tags])
    }
    links = [
        through(knowledgeitem_id=item.pk, tag_id=tag_ids[slug])
        for item, doc in zip(items, documents, strict=True)
        for slug in dict.fromkeys(_tag_slug(name) for name in doc.tags)
        if slug
    ]
    if links:
        through.objects.bulk_create(links, ignore_conflicts=True)


def _record_events(items: list[KnowledgeItem], *, community: Community, by: User) -> None:
    item_type = ContentType.objects.get_for_model(KnowledgeItem)
    ActivityEvent.objects.bulk_create(
        [
            ActivityEvent(
                actor=by,
                verb=KnowledgeVerb.ITEM_CREATED,
                community=community,
                target_type=item_type,
                target_id=item.pk,
                created_at=item.created_at,
                data={"kind": item.kind, "import": True},
            )
            for item in items
        ]
    )


def _tag_slug(name: str) -> str:
    """The slug tags_get_or_create files a tag name under."""
    return Tag.slug_for(" ".join(name.split())[:60])
