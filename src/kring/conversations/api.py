"""Questions, discussions, replies, accepted answers, useful marks and notifications over
HTTP. Same rules as the web pages (see permissions.py): only people inside a community see
its threads (anyone else gets 404, whatever the community's visibility); members start
threads, guests read, reply and react; the asker or a facilitator accepts an answer.

Direct messages are kept out of the API on purpose: see docs/conversations-api.md.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from kring.communities.selectors import community_get_inside
from kring.conversations import permissions, selectors
from kring.conversations.models import Notification, Reply, Thread
from kring.conversations.schemas import (
    AcceptIn,
    CountOut,
    NotificationOut,
    ReplyIn,
    ReplyOut,
    ReplyPatch,
    ThreadIn,
    ThreadOut,
    ThreadPatch,
    ThreadSummaryOut,
    UsefulOut,
)
from kring.conversations.services import notifications as notification_services
from kring.conversations.services import threads as thread_services
from kring.core.api_kit import LazyPage, page_url, person_ref
from kring.core.api_types import LimitOffsetPagination
from kring.core.markdown import render_markdown

router = Router(tags=["conversations"])
notifications_router = Router(tags=["notifications"])

MAX_LIMIT = 100


def _summary(thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "kind": thread.kind,
        "title": thread.title,
        "author": person_ref(thread.author),
        "tags": sorted(t.name for t in thread.tags.all()),
        "reply_count": thread.reply_count,
        "useful_count": thread.useful_count,
        "answered": thread.is_answered,
        "accepted_reply_id": thread.accepted_reply_id,
        "locked": thread.locked,
        "hidden": thread.hidden,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "first_response_at": thread.first_response_at,
        "url": page_url(thread),
    }


def _reply_out(reply: Reply, thread: Thread, children: bool = True) -> dict:
    return {
        "id": reply.pk,
        "parent_id": reply.parent_id,
        "author": person_ref(reply.author),
        "body": reply.body,
        "body_html": render_markdown(reply.body),
        "useful_count": reply.useful_count,
        "marked_useful": getattr(reply, "marked_useful", False),
        "accepted": reply.pk == thread.accepted_reply_id,
        "hidden": reply.hidden,
        "created_at": reply.created_at,
        "edited_at": reply.edited_at,
        "children": [_reply_out(c, thread, False) for c in getattr(reply, "child_list", [])]
        if children
        else [],
    }


def _thread_out(request, thread: Thread) -> dict:
    user = request.user
    ttfr = thread.time_to_first_response
    return {
        **_summary(thread),
        "body": thread.body,
        "body_html": render_markdown(thread.body),
        "marked_useful": selectors.thread_marked_useful(thread=thread, user=user),
        "accepted_at": thread.accepted_at,
        "time_to_first_response_seconds": int(ttfr.total_seconds()) if ttfr is not None else None,
        "edited_at": thread.edited_at,
        "can_reply": permissions.can_reply(user, thread),
        "can_accept": permissions.can_accept(user, thread),
        "can_edit": permissions.can_edit_post(user, thread),
        "replies": [
            _reply_out(r, thread) for r in selectors.thread_replies(thread=thread, user=user)
        ],
    }


def _fresh(request, thread: Thread) -> dict:
    # Services update counters with F() expressions: read the thread again after a change.
    thread = selectors.thread_get(user=request.user, community=thread.community, pk=thread.pk)
    return _thread_out(request, thread)


def _thread(request, slug: str, thread_id: int) -> Thread:
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    return selectors.thread_get(user=request.user, community=community, pk=thread_id)


def _reply(request, thread: Thread, reply_id: int) -> Reply:
    return selectors.reply_get(user=request.user, thread=thread, pk=reply_id)


# --- Threads --------------------------------------------------------------------------------


@router.get("/{slug}/threads", response=list[ThreadSummaryOut], summary="Questions and discussions")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def thread_list(request, slug: str, filter: str = "all", tag: str = "", **kwargs):
    """Most recently active first; `filter=waiting` lists unanswered questions oldest first."""
    if filter not in selectors.THREAD_FILTERS:
        raise ValidationError(
            {
                "filter": _("Choose a filter: %(filters)s.")
                % {"filters": ", ".join(selectors.THREAD_FILTERS)}
            }
        )
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    threads = selectors.threads_for_community(
        community=community, user=request.user, filter=filter, tag=tag[:60]
    )
    return LazyPage(threads, row=_summary)


@router.post("/{slug}/threads", response={201: ThreadOut}, summary="Ask or start a discussion")
def thread_create(request, slug: str, payload: ThreadIn):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    thread = thread_services.thread_create(
        community=community,
        by=request.user,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
    )
    return Status(201, _fresh(request, thread))


@router.get("/{slug}/threads/{thread_id}", response=ThreadOut, summary="A thread with replies")
def thread_detail(request, slug: str, thread_id: int):
    """Replies come with one level of children; the accepted answer comes first."""
    return _thread_out(request, _thread(request, slug, thread_id))


@router.patch("/{slug}/threads/{thread_id}", response=ThreadOut, summary="Edit your thread")
def thread_update(request, slug: str, thread_id: int, payload: ThreadPatch):
    """Only the author edits; only the fields sent change; the old text stays in the history."""
    thread = _thread(request, slug, thread_id)
    permissions.check_edit_post(request.user, thread)
    values = payload.dict(exclude_unset=True)
    thread_services.thread_update(
        thread=thread,
        by=request.user,
        title=values.get("title") if values.get("title") is not None else thread.title,
        body=values.get("body") if values.get("body") is not None else thread.body,
        tags=values.get("tags"),
    )
    return _fresh(request, thread)


# --- Replies --------------------------------------------------------------------------------


@router.post(
    "/{slug}/threads/{thread_id}/replies", response={201: ReplyOut}, summary="Reply or answer"
)
def reply_create(request, slug: str, thread_id: int, payload: ReplyIn):
    """`parent_id` replies to a reply; a reply to a reply joins its parent (one level deep)."""
    thread = _thread(request, slug, thread_id)
    permissions.check_reply(request.user, thread)
    parent = None
    if payload.parent_id is not None:
        try:
            parent = _reply(request, thread, payload.parent_id)
        except Http404:
            raise ValidationError({"parent_id": _("That reply is not in this thread.")}) from None
    reply = thread_services.reply_create(
        thread=thread, by=request.user, body=payload.body, parent=parent
    )
    return Status(201, _reply_out(reply, thread, children=False))


@router.patch(
    "/{slug}/threads/{thread_id}/replies/{reply_id}", response=ReplyOut, summary="Edit your reply"
)
def reply_update(request, slug: str, thread_id: int, reply_id: int, payload: ReplyPatch):
    thread = _thread(request, slug, thread_id)
    reply = _reply(request, thread, reply_id)
    reply = thread_services.reply_update(reply=reply, by=request.user, body=payload.body)
    return _reply_out(reply, thread, children=False)


# --- Accepted answer ------------------------------------------------------------------------


@router.post("/{slug}/threads/{thread_id}/accept", response=ThreadOut, summary="Accept an answer")
def answer_accept(request, slug: str, thread_id: int, payload: AcceptIn):
    """The asker or a facilitator; accepting another reply replaces the earlier choice."""
    thread = _thread(request, slug, thread_id)
    if not thread.is_question:
        raise ValidationError({"reply_id": _("Only a question has an accepted answer.")})
    permissions.check_accept(request.user, thread)
    try:
        reply = _reply(request, thread, payload.reply_id)
    except Http404:
        raise ValidationError({"reply_id": _("Choose a visible reply in this question.")}) from None
    thread_services.answer_accept(thread=thread, reply=reply, by=request.user)
    return _fresh(request, thread)


@router.delete(
    "/{slug}/threads/{thread_id}/accept", response=ThreadOut, summary="Un-accept the answer"
)
def answer_unaccept(request, slug: str, thread_id: int):
    thread = _thread(request, slug, thread_id)
    thread_services.answer_unaccept(thread=thread, by=request.user)
    return _fresh(request, thread)


# --- Useful ---------------------------------------------------------------------------------


def _useful(request, thread: Thread, reply: Reply | None, useful: bool) -> dict:
    post = thread_services.reaction_set(thread=thread, reply=reply, by=request.user, useful=useful)
    return {"useful": useful, "useful_count": post.useful_count}


@router.post("/{slug}/threads/{thread_id}/useful", response=UsefulOut, summary="Mark useful")
def thread_useful_add(request, slug: str, thread_id: int):
    """Counted once per person; not for your own post."""
    return _useful(request, _thread(request, slug, thread_id), None, True)


@router.delete("/{slug}/threads/{thread_id}/useful", response=UsefulOut, summary="Unmark useful")
def thread_useful_remove(request, slug: str, thread_id: int):
    return _useful(request, _thread(request, slug, thread_id), None, False)


@router.post(
    "/{slug}/threads/{thread_id}/replies/{reply_id}/useful",
    response=UsefulOut,
    summary="Mark a reply useful",
)
def reply_useful_add(request, slug: str, thread_id: int, reply_id: int):
    thread = _thread(request, slug, thread_id)
    return _useful(request, thread, _reply(request, thread, reply_id), True)


@router.delete(
    "/{slug}/threads/{thread_id}/replies/{reply_id}/useful",
    response=UsefulOut,
    summary="Unmark a reply useful",
)
def reply_useful_remove(request, slug: str, thread_id: int, reply_id: int):
    thread = _thread(request, slug, thread_id)
    return _useful(request, thread, _reply(request, thread, reply_id), False)


# --- Notifications --------------------------------------------------------------------------


def _notification_out(notification: Notification) -> dict:
    thread = notification.thread
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "actor": person_ref(notification.actor),
        "community": notification.community.slug if notification.community else None,
        "thread_id": notification.thread_id,
        "thread_title": thread.title if thread is not None else None,
        "reply_id": notification.reply_id,
        "url": page_url(notification),
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
    }


@notifications_router.get("", response=list[NotificationOut], summary="Your notifications")
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def notification_list(request, unread_only: bool = False, **kwargs):
    """Newest first. A direct message notification says who wrote, never what."""
    notifications = selectors.notifications_for(user=request.user, unread_only=unread_only)
    return LazyPage(notifications, row=_notification_out)


@notifications_router.get("/unread-count", response=CountOut, summary="How many are unread")
def notification_unread_count(request):
    return {"count": selectors.notifications_unread_count(user=request.user)}


@notifications_router.post("/read-all", response=CountOut, summary="Mark all read")
def notification_read_all(request):
    """Answers how many were marked."""
    return {"count": notification_services.notification_mark_read(user=request.user)}


@notifications_router.post(
    "/{notification_id}/read", response=NotificationOut, summary="Mark one read"
)
def notification_read(request, notification_id: int):
    notification = selectors.notification_get(user=request.user, pk=notification_id)
    notification_services.notification_mark_read(user=request.user, notification=notification)
    return _notification_out(selectors.notification_get(user=request.user, pk=notification_id))
