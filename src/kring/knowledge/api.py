"""The library over HTTP: search, items, revisions, useful marks, comments, attachments.

Same rules as the web pages (see permissions.py): outsiders get 404 for a private
community and 403 for a public one; members share, guests read, react and comment;
authors and facilitators edit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kring.communities.selectors import community_get_inside
from kring.core.api_kit import LazyPage, page_url, person_ref
from kring.core.api_types import Id, PageNumberPagination
from kring.core.attachments import attachment_response
from kring.core.markdown import render_markdown
from kring.knowledge import selectors, services
from kring.knowledge.documents import KIND_FILTERS, SEARCH_MAX_LIMIT, search_document
from kring.knowledge.models import Attachment, Comment, KnowledgeItem, Revision
from kring.knowledge.schemas import (
    AttachmentOut,
    CommentIn,
    CommentOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    RevisionOut,
    SearchOut,
    UsefulOut,
)

router = Router(tags=["knowledge"])

# Items come whole (text and its HTML), so a page of them is smaller than the usual 50:
# the Markdown of every item on the page is rendered for each request.
ITEMS_PER_PAGE = 20


def _attachment_out(attachment: Attachment, item: KnowledgeItem) -> dict:
    path = reverse(
        "api:attachment_download",
        kwargs={"slug": item.community.slug, "item_id": item.pk, "attachment_id": attachment.pk},
    )
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": settings.SITE_URL + path,
    }


def _item_out(item: KnowledgeItem) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "body_html": render_markdown(item.body),
        "sections": item.sections or {},
        "url": item.url,
        "tags": sorted(t.name for t in item.tags.all()),
        "authors": [person_ref(link.user, email=True) for link in item.item_authors.all()],
        "featured": item.featured,
        "useful_count": item.useful_count,
        "comment_count": item.comment_count,
        "attachments": [_attachment_out(a, item) for a in item.attachments.all()],
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "page_url": page_url(item),
    }


def _revision_out(revision: Revision) -> dict:
    return {
        "number": revision.number,
        "kind": revision.kind,
        "title": revision.title,
        "body": revision.body,
        "sections": revision.sections or {},
        "url": revision.url,
        "tags": list(revision.tags),
        "edited_by": person_ref(revision.edited_by, email=True),
        "note": revision.note,
        "created_at": revision.created_at,
    }


def _comment_out(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "author": person_ref(comment.author, email=True),
        "body": comment.body,
        "body_html": render_markdown(comment.body),
        "created_at": comment.created_at,
    }


def _item(request, slug: str, item_id: int) -> KnowledgeItem:
    community = community_get_inside(slug=slug, user=request.user)
    return selectors.item_get(community=community, pk=item_id, viewer=request.user)


def _fresh(request, item: KnowledgeItem) -> KnowledgeItem:
    """The item again, with what the API shows of it."""
    return selectors.item_get(
        community=item.community, pk=item.pk, viewer=request.user, attachments=True
    )


# --- Search ---------------------------------------------------------------------------------


@router.get("/{slug}/search", response=SearchOut, summary="Search a community's library")
def search(
    request,
    slug: str,
    q: str = "",
    kind: str = "",
    theme: str = "",
    limit: int = Query(20, ge=1, le=SEARCH_MAX_LIMIT),
    offset: int = Query(0, ge=0, le=100_000),
    people: bool = False,
):
    """Items and people best first; with `people=true` also who knows about it. `q` is
    required."""
    community = community_get_inside(slug=slug, user=request.user)
    return search_document(
        community=community,
        viewer=request.user,
        q=q,
        kind=kind,
        theme=theme,
        limit=limit,
        offset=offset,
        people=people,
    )


# --- Items ----------------------------------------------------------------------------------


@router.get("/{slug}/knowledge", response=list[ItemOut], summary="Library items")
@paginate(PageNumberPagination, page_size=ITEMS_PER_PAGE)
def item_list(
    request,
    slug: str,
    kind: str = "",
    theme: str = "",
    author: Id | None = None,
    perspective: str = "",
    period: str = "",
    featured: str = "",
    sort: str = "new",
    **kwargs,
):
    errors = {}
    if kind and kind not in KIND_FILTERS:
        errors["kind"] = [_("Choose a kind: %(kinds)s.") % {"kinds": ", ".join(KIND_FILTERS)}]
    if sort not in selectors.SORTS:
        errors["sort"] = [_("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(selectors.SORTS)}]
    if period and period not in selectors.PERIODS:
        errors["period"] = [
            _("Choose a period: %(periods)s.") % {"periods": ", ".join(selectors.PERIODS)}
        ]
    if errors:
        raise ValidationError(errors)
    community = community_get_inside(slug=slug, user=request.user)
    items = selectors.items_for_community(
        community=community,
        viewer=request.user,
        kind=kind,
        theme=theme,
        author=author,
        perspective=perspective,
        period=period,
        featured=featured,
        sort=sort,
    )
    filtered = any((kind, theme, author, perspective, period, featured))
    return LazyPage(
        items,
        page=lambda rows: [_item_out(i) for i in selectors.items_prepare(rows, attachments=True)],
        # The whole library: its size is kept (as for the library page), not counted.
        count=None if filtered else selectors.library_size(community=community),
    )


@router.post("/{slug}/knowledge", response={201: ItemOut}, summary="Share a library item")
def item_create(request, slug: str, payload: ItemIn):
    community = community_get_inside(slug=slug, user=request.user)
    item = services.item_create(
        community=community,
        by=request.user,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        sections=payload.sections or None,
        url=payload.url,
        tags=payload.tags,
        authors=selectors.authors_by_email(community=community, emails=payload.authors),
        featured=payload.featured,
    )
    return Status(201, _item_out(_fresh(request, item)))


@router.get("/{slug}/knowledge/{item_id}", response=ItemOut, summary="One library item")
def item_detail(request, slug: str, item_id: int):
    item = _item(request, slug, item_id)
    return _item_out(_fresh(request, item))


def _update(request, item: KnowledgeItem, values: dict) -> KnowledgeItem:
    if "authors" in values:
        values["authors"] = selectors.authors_by_email(
            community=item.community, emails=values["authors"]
        )
    item = services.item_update(item=item, by=request.user, **values)
    return _fresh(request, item)


@router.put("/{slug}/knowledge/{item_id}", response=ItemOut, summary="Replace an item")
def item_replace(request, slug: str, item_id: int, payload: ItemIn):
    """Every field is replaced (left out: empty), except authors and featured, which stay
    as they are unless sent. Each real change adds a revision."""
    item = _item(request, slug, item_id)
    values = payload.dict()
    if values["authors"] is None:
        del values["authors"]
    return _item_out(_update(request, item, values))


@router.patch("/{slug}/knowledge/{item_id}", response=ItemOut, summary="Change some fields")
def item_change(request, slug: str, item_id: int, payload: ItemPatch):
    """Only the fields sent change; `note` says what changed (it becomes the revision's note)."""
    item = _item(request, slug, item_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return _item_out(_update(request, item, values))


@router.delete("/{slug}/knowledge/{item_id}", response={204: None}, summary="Delete an item")
def item_delete(request, slug: str, item_id: int):
    item = _item(request, slug, item_id)
    services.item_delete(item=item, by=request.user)
    return Status(204, None)


# --- Revisions ------------------------------------------------------------------------------


@router.get(
    "/{slug}/knowledge/{item_id}/revisions",
    response=list[RevisionOut],
    summary="Every version of an item, newest first",
)
@paginate(PageNumberPagination, page_size=50)
def revision_list(request, slug: str, item_id: int, **kwargs):
    item = _item(request, slug, item_id)
    return LazyPage(selectors.item_revisions(item=item), row=_revision_out)


@router.post(
    "/{slug}/knowledge/{item_id}/revisions/{number}/restore",
    response=ItemOut,
    summary="Bring back an older version",
)
def revision_restore(request, slug: str, item_id: int, number: int):
    """The restore itself becomes the newest revision."""
    item = _item(request, slug, item_id)
    revision = selectors.item_revision_get(item=item, number=number)
    item = services.item_restore(item=item, revision=revision, by=request.user)
    return _item_out(_fresh(request, item))


# --- Useful marks and comments --------------------------------------------------------------


@router.post("/{slug}/knowledge/{item_id}/useful", response=UsefulOut, summary="Mark useful")
def useful_add(request, slug: str, item_id: int):
    """Counted once per person; marking twice changes nothing."""
    item = _item(request, slug, item_id)
    item = services.item_mark_useful(item=item, by=request.user, useful=True)
    return {"useful": True, "useful_count": item.useful_count}


@router.delete("/{slug}/knowledge/{item_id}/useful", response=UsefulOut, summary="Unmark useful")
def useful_remove(request, slug: str, item_id: int):
    item = _item(request, slug, item_id)
    item = services.item_mark_useful(item=item, by=request.user, useful=False)
    return {"useful": False, "useful_count": item.useful_count}


@router.get("/{slug}/knowledge/{item_id}/comments", response=list[CommentOut], summary="Comments")
@paginate(PageNumberPagination, page_size=50)
def comment_list(request, slug: str, item_id: int, **kwargs):
    item = _item(request, slug, item_id)
    return LazyPage(selectors.item_comments(item=item), row=_comment_out)


@router.post(
    "/{slug}/knowledge/{item_id}/comments", response={201: CommentOut}, summary="Add a comment"
)
def comment_create(request, slug: str, item_id: int, payload: CommentIn):
    item = _item(request, slug, item_id)
    comment = services.comment_create(item=item, by=request.user, body=payload.body)
    return Status(201, _comment_out(comment))


# --- Attachments ----------------------------------------------------------------------------


@router.post(
    "/{slug}/knowledge/{item_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file (multipart form field `file`)",
)
def attachment_add(request, slug: str, item_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """PDF, Office/OpenDocument files and images; the type is read from the content."""
    item = _item(request, slug, item_id)
    attachment = services.attachment_add(item=item, by=request.user, upload=file)
    return Status(201, _attachment_out(attachment, item))


@router.get(
    "/{slug}/knowledge/{item_id}/attachments/{attachment_id}",
    summary="Download an attachment",
    url_name="attachment_download",
)
def attachment_download(request, slug: str, item_id: int, attachment_id: int):
    item = _item(request, slug, item_id)
    attachment = selectors.attachment_get(item=item, pk=attachment_id)
    return attachment_response(attachment)


@router.delete(
    "/{slug}/knowledge/{item_id}/attachments/{attachment_id}",
    response={204: None},
    summary="Remove an attachment",
)
def attachment_remove(request, slug: str, item_id: int, attachment_id: int):
    item = _item(request, slug, item_id)
    attachment = selectors.attachment_get(item=item, pk=attachment_id)
    services.attachment_delete(attachment=attachment, by=request.user)
    return Status(204, None)
