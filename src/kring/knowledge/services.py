"""Writes for the library: items, revisions, attachments, useful marks and comments. Many
items at once (imports) are in `services_import.py`."""

import time
from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.communities.selectors import non_members
from kring.core import search
from kring.core.attachments import attachments_save
from kring.core.services import activity_record, tags_get_or_create
from kring.knowledge import permissions
from kring.knowledge.models import (
    LESSON_SECTIONS,
    MAX_AUTHORS,
    Attachment,
    Comment,
    Featured,
    ItemAuthor,
    Kind,
    KnowledgeItem,
    Revision,
    Useful,
)
from kring.knowledge.selectors import LIBRARY_VERSION_KEY
from kring.knowledge.verbs import KnowledgeVerb

MAX_TITLE = 200
MAX_BODY = 50000
MAX_SECTION = 10000
MAX_TAGS = 15


def library_changed(community_id: int) -> None:
    """After the library's items, themes or authors change (once committed): its cached
    filter options (selectors.library_themes, library_perspectives) are read anew."""
    key = LIBRARY_VERSION_KEY.format(community_id)
    # Now, for this transaction's own reads, and again once committed: a reader in between
    # may have cached what it saw before the commit under the first new version.
    cache.set(key, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), None))


def _clean_title(title: str, errors: dict[str, str]) -> str:
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the item a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}
    return title


def _clean_lesson(sections: dict | None, body: str, errors: dict[str, str]) -> dict[str, str]:
    """The parts of a lesson learned; an imported lesson may instead be one text (the body)."""
    given = sections or {}
    unknown = set(given) - {key for key, _label in LESSON_SECTIONS}
    if unknown:
        errors["sections"] = _("Unknown part: %(name)s") % {"name": ", ".join(sorted(unknown))}
    clean_sections: dict[str, str] = {}
    for key, _label in LESSON_SECTIONS:
        value = (given.get(key) or "").strip()
        if len(value) > MAX_SECTION:
            errors[key] = _("Keep each part to %(max)s characters.") % {"max": MAX_SECTION}
        if value:
            clean_sections[key] = value
    # Written in parts, "what we learned" is the one part a lesson cannot do without.
    if not clean_sections.get("learned") and (clean_sections or not body):
        errors["learned"] = _("Tell at least what you learned.")
    return clean_sections


def _clean_url(url: str, kind: str, errors: dict[str, str]) -> str:
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _("Enter a web address starting with http:// or https://.")
        if len(url) > 500:
            errors["url"] = _("The web address is too long.")
    elif kind == Kind.LINK:
        errors["url"] = _("A link needs a web address.")
    return url


def _check_tags(tags: list[str], errors: dict[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("%(max)s themes at most, please.") % {"max": MAX_TAGS}
    elif any(len(t.strip()) > 60 for t in tags):
        errors["tags"] = _("Keep each theme to 60 characters.")


def clean_item_fields(
    *, kind: str, title: str, body: str, sections: dict | None, url: str, tags: list[str]
) -> dict:
    """An item's fields as stored, or a ValidationError with a message for each bad field."""
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose one of the kinds of library item.")
    title = _clean_title(title, errors)
    body = (body or "").strip()
    clean_sections: dict[str, str] = {}
    if kind == Kind.LESSON_LEARNED:
        clean_sections = _clean_lesson(sections, body, errors)
        if clean_sections:
            body = ""
    elif sections:
        errors["sections"] = _("Only a lesson learned has parts.")
    if len(body) > MAX_BODY:
        errors["body"] = _("The text is too long (at most %(max)s characters).") % {"max": MAX_BODY}
    url = _clean_url(url, kind, errors)
    _check_tags(tags, errors)
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "title": title, "body": body, "sections": clean_sections, "url": url}


def clean_authors(community: Community, authors: Iterable[User] | None, by: User) -> list[User]:
    people = list(dict.fromkeys(authors or [])) or [by]
    if len(people) > MAX_AUTHORS:
        raise ValidationError({"authors": _("At most %(max)s authors.") % {"max": MAX_AUTHORS}})
    outsiders = [p.full_name for p in non_members(community=community, people=people)]
    if outsiders:
        raise ValidationError(
            {
                "authors": _("Authors must be members of this community: %(names)s")
                % {"names": ", ".join(outsiders)}
            }
        )
    return people


def _snapshot(item: KnowledgeItem, *, by: User, note: str = "") -> Revision:
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Revision.objects.create(
        item=item,
        number=number,
        kind=item.kind,
        title=item.title,
        body=item.body,
        sections=item.sections,
        url=item.url,
        tags=sorted(t.name for t in item.tags.all()),
        edited_by=by,
        note=note[:200],
    )


def _set_authors(item: KnowledgeItem, people: list[User]) -> None:
    ItemAuthor.objects.filter(item=item).delete()
    ItemAuthor.objects.bulk_create(
        [ItemAuthor(item=item, user=user, position=i) for i, user in enumerate(people)]
    )


@transaction.atomic
def item_create(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    body: str = "",
    sections: dict | None = None,
    url: str = "",
    tags: list[str] | None = None,
    authors: Iterable[User] | None = None,
    attachments: Iterable[UploadedFile] = (),
    featured: str | None = None,
    at: datetime | None = None,
    index: bool = True,
) -> KnowledgeItem:
    """Share a library item, with its files. The sharer is the author unless others are
    named; a facilitator may feature it at once. Nothing is kept unless all of it is fine."""
    permissions.check_create(by, community)
    tags = tags or []
    values = clean_item_fields(
        kind=kind, title=title, body=body, sections=sections, url=url, tags=tags
    )
    people = clean_authors(community, authors, by)
    now = at or timezone.now()
    item = KnowledgeItem.objects.create(
        community=community, created_by=by, created_at=now, **values
    )
    _set_authors(item, people)
    item.tags.set(tags_get_or_create(names=tags))
    _snapshot(item, by=by, note=_("First version"))
    activity_record(
        actor=by,
        verb=KnowledgeVerb.ITEM_CREATED,
        community=community,
        target=item,
        at=now,
        data={"kind": item.kind},
    )
    attachments_save(model=Attachment, owner={"item": item}, uploads=attachments, by=by)
    if index:
        search.index_objects("item", [item.pk])
        library_changed(item.community_id)
    if featured:
        item_feature(item=item, by=by, featured=featured)
    return item


@transaction.atomic
def item_update(
    *,
    item: KnowledgeItem,
    by: User,
    title: str | None = None,
    body: str | None = None,
    sections: dict | None = None,
    url: str | None = None,
    kind: str | None = None,
    tags: list[str] | None = None,
    authors: Iterable[User] | None = None,
    note: str = "",
    attachments: Iterable[UploadedFile] = (),
    featured: str | None = None,
) -> KnowledgeItem:
    """Change an item and add files to it; fields left None stay. Each real change adds a
    revision. `featured` (facilitators) puts it in the spotlight or takes it out."""
    permissions.check_edit(by, item)
    current_tags = [t.name for t in item.tags.all()]
    values = clean_item_fields(
        kind=kind if kind is not None else item.kind,
        title=title if title is not None else item.title,
        body=body if body is not None else item.body,
        sections=sections if sections is not None else (item.sections or None),
        url=url if url is not None else item.url,
        tags=tags if tags is not None else current_tags,
    )
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, values[name])
    if tags is not None and sorted(tags_get_or_create(names=tags), key=lambda t: t.pk) != sorted(
        item.tags.all(), key=lambda t: t.pk
    ):
        item.tags.set(tags_get_or_create(names=tags))
        changed.append("tags")
    if authors is not None:
        people = clean_authors(item.community, authors, by)
        if [a.pk for a in people] != [a.user_id for a in item.item_authors.all()]:
            _set_authors(item, people)
            changed.append("authors")
    if changed:
        item.save()
        item = KnowledgeItem.objects.with_people().select_related("community").get(pk=item.pk)
        _snapshot(item, by=by, note=note or ", ".join(changed))
        activity_record(
            actor=by,
            verb=KnowledgeVerb.ITEM_UPDATED,
            community=item.community,
            target=item,
            data={"fields": changed},
        )
        search.index_objects("item", [item.pk])
        library_changed(item.community_id)
    attachments_save(model=Attachment, owner={"item": item}, uploads=attachments, by=by)
    if featured is not None:
        item_feature(item=item, by=by, featured=featured)
    return item


@transaction.atomic
def item_restore(*, item: KnowledgeItem, revision: Revision, by: User) -> KnowledgeItem:
    """Bring back an older version; the restore itself becomes the newest revision."""
    if revision.item_id != item.pk:
        raise ValidationError(_("That version belongs to another item."))
    return item_update(
        item=item,
        by=by,
        kind=revision.kind,
        title=revision.title,
        body=revision.body,
        sections=revision.sections,
        url=revision.url,
        tags=list(revision.tags),
        note=_("Restored version %(number)s") % {"number": revision.number},
    )


@transaction.atomic
def item_delete(*, item: KnowledgeItem, by: User) -> None:
    permissions.check_edit(by, item)
    files = [a.file.name for a in item.attachments.all()]
    activity_record(
        actor=by,
        verb=KnowledgeVerb.ITEM_DELETED,
        community=item.community,
        data={"title": item.title, "kind": item.kind, "item_id": item.pk},
    )
    search.remove_objects("item", [item.pk])
    library_changed(item.community_id)
    storage = Attachment._meta.get_field("file").storage
    item.delete()

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def item_feature(*, item: KnowledgeItem, by: User, featured: str) -> KnowledgeItem:
    """Facilitators put items in the spotlight: a good example, or part of the toolbox."""
    permissions.check_feature(by, item)
    if featured not in Featured.values:
        raise ValidationError({"featured": _("Choose good example, toolbox or none.")})
    if item.featured != featured:
        item.featured = featured
        item.featured_at = timezone.now() if featured else None
        item.save(update_fields=["featured", "featured_at"])
        if featured:
            activity_record(
                actor=by,
                verb=KnowledgeVerb.ITEM_FEATURED,
                community=item.community,
                target=item,
                other=_first_author(item),
                data={"featured": featured},
            )
    return item


def _first_author(item: KnowledgeItem) -> User | None:
    link = item.item_authors.order_by("position").select_related("user").first()
    return link.user if link else None


@transaction.atomic
def item_mark_useful(*, item: KnowledgeItem, by: User, useful: bool = True) -> KnowledgeItem:
    """Say (or unsay) that an item helped you. Counted once per person."""
    permissions.check_mark_useful(by, item)
    if useful:
        _mark, created = Useful.objects.get_or_create(item=item, user=by)
        if created:
            KnowledgeItem.objects.filter(pk=item.pk).update(useful_count=F("useful_count") + 1)
            activity_record(
                actor=by,
                verb=KnowledgeVerb.MARKED_USEFUL,
                community=item.community,
                target=item,
                other=_first_author(item),
            )
    else:
        deleted, _rows = Useful.objects.filter(item=item, user=by).delete()
        if deleted:
            KnowledgeItem.objects.filter(pk=item.pk).update(useful_count=F("useful_count") - 1)
    item.refresh_from_db(fields=["useful_count"])
    return item


@transaction.atomic
def comment_create(*, item: KnowledgeItem, by: User, body: str) -> Comment:
    permissions.check_react(by, item)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Keep the comment to 5000 characters.")})
    comment = Comment.objects.create(item=item, author=by, body=body)
    KnowledgeItem.objects.filter(pk=item.pk).update(comment_count=F("comment_count") + 1)
    activity_record(
        actor=by,
        verb=KnowledgeVerb.COMMENTED,
        community=item.community,
        target=item,
        other=_first_author(item),
    )
    return comment


@transaction.atomic
def attachment_add(*, item: KnowledgeItem, by: User, upload: UploadedFile) -> Attachment:
    permissions.check_edit(by, item)
    saved = attachments_save(model=Attachment, owner={"item": item}, uploads=[upload], by=by)
    if not saved:
        raise ValidationError({"file": _("Choose a file to attach.")})
    return saved[0]


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    permissions.check_edit(by, attachment.item)
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
