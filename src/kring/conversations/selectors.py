"""Reads for conversations. Every selector takes the viewer and returns only what they may see;
a guessed id gives Http404, never someone else's data."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role
from kring.conversations import permissions
from kring.conversations.models import (
    Conversation,
    Message,
    Notification,
    PostAttachment,
    Reaction,
    Reply,
    Thread,
    ThreadKind,
)
from kring.core import notices

THREAD_FILTERS = ("all", "questions", "discussions", "waiting", "answered", "mine")


def community_for(*, user, slug: str) -> Community:
    """The community whose conversations the user may read (404 otherwise)."""
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_view(user, community):
        raise Http404
    return community


def threads_for_community(
    *, community: Community, user, filter: str = "all", tag: str = ""
) -> QuerySet[Thread]:
    qs = Thread.objects.filter(community=community).select_related("author", "community")
    if not permissions.can_moderate(user, community):
        qs = qs.filter(Q(hidden=False) | Q(author=user))
    if filter == "questions":
        qs = qs.filter(kind=ThreadKind.QUESTION)
    elif filter == "discussions":
        qs = qs.filter(kind=ThreadKind.DISCUSSION)
    elif filter == "waiting":
        qs = qs.waiting()
    elif filter == "answered":
        qs = qs.filter(kind=ThreadKind.QUESTION, accepted_reply__isnull=False)
    elif filter == "mine":
        qs = qs.filter(Q(author=user) | Q(replies__author=user)).distinct()
    if tag:
        qs = qs.filter(tags__slug=tag)
    return qs.prefetch_related("tags")


def threads_waiting(*, community: Community, user, limit: int = 5) -> list[Thread]:
    """Questions nobody has responded to yet, oldest first: the ones to surface."""
    if not permissions.can_view(user, community):
        return []
    return list(
        Thread.objects.filter(community=community).waiting().select_related("author")[:limit]
    )


def thread_get(*, user, community: Community, pk: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("community", "author", "accepted_reply"),
        community=community,
        pk=pk,
    )
    if not permissions.can_see_thread(user, thread):
        raise Http404
    return thread


def reply_get(*, user, thread: Thread, pk: int) -> Reply:
    reply = get_object_or_404(
        Reply.objects.select_related("author", "thread__community"), thread=thread, pk=pk
    )
    if not permissions.can_see_reply(user, reply):
        raise Http404
    return reply


def thread_replies(*, thread: Thread, user) -> list[Reply]:
    """Top-level replies with their children, authors, attachments and the viewer's own
    reactions, in a fixed number of queries whatever the thread's size. The accepted answer
    comes first; hidden replies only for their author and the facilitators."""
    qs = Reply.objects.filter(thread=thread).select_related("author")
    if not permissions.can_moderate(user, thread.community):
        qs = qs.filter(Q(hidden=False) | Q(author_id=user.pk))
    replies = list(qs.prefetch_related(Prefetch("attachments", PostAttachment.objects.all())))
    mine = set()
    if user.is_authenticated:
        mine = set(
            Reaction.objects.filter(user=user, thread=thread, reply__isnull=False).values_list(
                "reply_id", flat=True
            )
        )
    by_parent: dict[int, list[Reply]] = {}
    top: list[Reply] = []
    # Hiding a reply hides that reply only: the visible answers to it (which the viewer may
    # not see the parent of) move up to the top level, in their place in time.
    shown = {reply.pk for reply in replies}
    for reply in replies:
        reply.marked_useful = reply.pk in mine
        reply.child_list = []
        if reply.parent_id is None or reply.parent_id not in shown:
            top.append(reply)
        else:
            by_parent.setdefault(reply.parent_id, []).append(reply)
    for reply in top:
        reply.child_list = by_parent.get(reply.pk, [])
    if thread.accepted_reply_id:
        top.sort(key=lambda r: r.pk != thread.accepted_reply_id)
    return top


def thread_marked_useful(*, thread: Thread, user) -> bool:
    return (
        user.is_authenticated
        and Reaction.objects.filter(user=user, thread=thread, reply__isnull=True).exists()
    )


def thread_attachments(*, thread: Thread) -> list[PostAttachment]:
    return list(PostAttachment.objects.filter(thread=thread, reply__isnull=True))


def attachment_get(*, user, thread: Thread, pk: int) -> PostAttachment:
    attachment = get_object_or_404(
        PostAttachment.objects.select_related("reply"), thread=thread, pk=pk
    )
    if attachment.reply is not None and not permissions.can_see_reply(user, attachment.reply):
        raise Http404
    return attachment


def mention_candidates(*, community: Community, user, q: str, limit: int = 8) -> list[User]:
    """Members whose name starts (or a word of it starts) with q, for @mention autocomplete."""
    if not permissions.can_view(user, community):
        return []
    q = " ".join((q or "").split())[:60]
    if not q:
        return []
    return list(
        User.objects.filter(memberships__community=community, is_active=True)
        .filter(Q(full_name__istartswith=q) | Q(full_name__icontains=f" {q}"))
        .order_by("full_name")
        .only("pk", "full_name", "organisation", "photo")[:limit]
    )


def mention_people(*, community: Community, ids: list[int], names: set[str]) -> dict[int, str]:
    """Members who may be mentioned in a text, id to full name: the ones chosen by id, and
    the ones named, when exactly one member has that name."""
    if not ids and not names:
        return {}
    members = User.objects.filter(memberships__community=community, is_active=True)
    people = dict(members.filter(pk__in=ids[:50]).values_list("pk", "full_name"))
    if names:
        named: dict[str, list[int]] = {}
        for pk, name in members.filter(full_name__in=list(names)[:200]).values_list(
            "pk", "full_name"
        ):
            named.setdefault(name, []).append(pk)
        for name, pks in named.items():
            if len(pks) == 1:
                people.setdefault(pks[0], name)
    return people


# Direct messages ---------------------------------------------------------------------------


def conversations_for(*, user) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(Q(user_low=user) | Q(user_high=user))
        .select_related("user_low", "user_high")
        .order_by("-last_message_at", "-id")
    )


def conversations_with_last_message(*, user) -> QuerySet[Conversation]:
    """The inbox: each conversation with the start of its latest message and who sent it,
    in one query (the preview is only ever shown to the two people in it)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Substr

    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return conversations_for(user=user).annotate(
        last_body=Subquery(latest.annotate(start=Substr("body", 1, 160)).values("start")[:1]),
        last_sender_id=Subquery(latest.values("sender_id")[:1]),
    )


def conversation_get(*, user, pk: int) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related("user_low", "user_high"), pk=pk
    )
    if not permissions.can_view_conversation(user, conversation):
        raise Http404
    return conversation


def conversation_messages(*, conversation: Conversation, user) -> QuerySet[Message]:
    if not permissions.can_view_conversation(user, conversation):
        raise Http404
    return conversation.messages.select_related("sender").order_by("created_at", "id")


def unread_by_conversation(*, user) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .values("conversation_id")
        .annotate(n=Count("id"))
    )
    return {row["conversation_id"]: row["n"] for row in rows}


def block_exists(*, blocker, blocked) -> bool:
    """Whether `blocker` blocked `blocked` (one way; permissions.is_blocked_between is both)."""
    from kring.conversations.models import Block

    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def messages_unread_count(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# Notifications -----------------------------------------------------------------------------


def _notifications_visible(user) -> QuerySet[Notification]:
    """The person's notifications, less those about a thread a facilitator has hidden since:
    its title is only for its author and the facilitators (as on the thread page)."""
    qs = Notification.objects.filter(recipient=user)
    if user.is_superuser:
        return qs
    facilitated = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("community_id")
    return qs.filter(
        Q(thread__isnull=True)
        | Q(thread__hidden=False)
        | Q(thread__author=user)
        | Q(thread__community_id__in=facilitated)
    )


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = _notifications_visible(user).select_related(
        "actor", "community", "thread__community", "reply__thread__community", "event"
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notices_attach(notifications: Iterable[Notification]) -> list[Notification]:
    """Describe the community notices among `notifications` in one batch per kind, in the
    active language, so that `notification.notice` needs no query of its own."""
    notifications = list(notifications)
    with_event = [n for n in notifications if n.event_id]
    described = notices.describe(n.event for n in with_event)
    for notification in with_event:
        notification._notice = described.get(notification.event_id)
    return notifications


def notification_get(*, user, pk: int) -> Notification:
    return get_object_or_404(notifications_for(user=user), pk=pk)


def notifications_unread_count(*, user) -> int:
    return _notifications_visible(user).filter(read_at__isnull=True).count()
