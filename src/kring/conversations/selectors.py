"""Reads for conversations. Every selector takes the viewer and returns only what they may see;
a guessed id gives Http404, never someone else's data."""

import functools
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Field, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.db.models.options import Options
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, GroundRule, Membership, Role
from kring.communities.selectors import members_of
from kring.conversations import permissions
from kring.conversations.models import (
    Block,
    Conversation,
    Flag,
    FlagStatus,
    Message,
    ModerationAction,
    ModerationMessage,
    Notification,
    PostAttachment,
    PostRevision,
    Reaction,
    Reply,
    Thread,
    ThreadKind,
)
from kring.conversations.permissions import Viewer
from kring.core import notices
from kring.core.diff import text_diff
from kring.core.models import Tag

THREAD_FILTERS = ("all", "questions", "discussions", "waiting", "answered", "mine")
QUEUE_LIMIT = 200
LOG_LIMIT = 20


def threads_for_community(
    *, community: Community, user: Viewer, filter: str = "all", tag: str = ""
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


def threads_waiting(*, community: Community, user: Viewer, limit: int = 5) -> list[Thread]:
    """Questions nobody has responded to yet, oldest first: the ones to surface."""
    if not permissions.can_view(user, community):
        return []
    return list(
        Thread.objects.filter(community=community).waiting().select_related("author")[:limit]
    )


def thread_get(*, user: Viewer, community: Community, pk: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("community", "author", "accepted_reply"),
        community=community,
        pk=pk,
    )
    if not permissions.can_see_thread(user, thread):
        raise Http404
    return thread


def reply_get(*, user: Viewer, thread: Thread, pk: int) -> Reply:
    reply = get_object_or_404(
        Reply.objects.select_related("author", "thread__community"), thread=thread, pk=pk
    )
    if not permissions.can_see_reply(user, reply):
        raise Http404
    return reply


def thread_replies(*, thread: Thread, user: Viewer) -> list[Reply]:
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


def thread_marked_useful(*, thread: Thread, user: Viewer) -> bool:
    return (
        user.is_authenticated
        and Reaction.objects.filter(user=user, thread=thread, reply__isnull=True).exists()
    )


def thread_attachments(*, thread: Thread) -> list[PostAttachment]:
    return list(PostAttachment.objects.filter(thread=thread, reply__isnull=True))


def themes_in_use(*, community: Community) -> list[Tag]:
    """The themes of this community's threads, for the filter (hidden threads too: a theme
    name is no secret, and the list stays one cheap query)."""
    return list(Tag.objects.filter(threads__community=community).distinct().order_by("name"))


def thread_history(*, thread: Thread, user: Viewer) -> list[dict]:
    """The opening post and every edited reply the viewer may see, each with its versions
    newest first and what changed from the version before."""
    can_moderate = permissions.can_moderate(user, thread.community)
    revisions = list(
        PostRevision.objects.filter(thread=thread)
        .select_related("edited_by", "reply__author")
        .order_by("reply_id", "number")
    )
    posts: dict[int | None, list[PostRevision]] = {}
    for revision in revisions:
        posts.setdefault(revision.reply_id, []).append(revision)
    history: list[dict[str, Any]] = []
    for versions in posts.values():
        reply = versions[0].reply
        if reply is not None:
            if len(versions) < 2:
                continue
            if reply.hidden and not (can_moderate or reply.author_id == user.pk):
                continue
        previous = None
        for version in versions:
            version.changes = []
            before_title = previous.title if previous else ""
            before_body = previous.body if previous else ""
            if reply is None and before_title != version.title:
                version.changes.append((_("Title"), text_diff(before_title, version.title)))
            if before_body != version.body:
                version.changes.append((_("Text"), text_diff(before_body, version.body)))
            previous = version
        history.append({"reply": reply, "versions": list(reversed(versions))})
    history.sort(key=lambda post: (post["reply"] is not None, post["reply"] and post["reply"].pk))
    return history


def attachment_get(*, user: Viewer, thread: Thread, pk: int) -> PostAttachment:
    attachment = get_object_or_404(
        PostAttachment.objects.select_related("reply"), thread=thread, pk=pk
    )
    if attachment.reply is not None and not permissions.can_see_reply(user, attachment.reply):
        raise Http404
    return attachment


def mention_candidates(*, community: Community, user: Viewer, q: str, limit: int = 8) -> list[User]:
    """Members whose name starts (or a word of it starts) with q, for @mention autocomplete."""
    if not permissions.can_view(user, community):
        return []
    q = " ".join((q or "").split())[:60]
    if not q:
        return []
    return list(
        members_of(community=community)
        .filter(Q(full_name__istartswith=q) | Q(full_name__icontains=f" {q}"))
        .order_by("full_name")
        .only("pk", "full_name", "organisation", "photo")[:limit]
    )


def mention_people(*, community: Community, ids: list[int], names: set[str]) -> dict[int, str]:
    """Members who may be mentioned in a text, id to full name: the ones chosen by id, and
    the ones named, when exactly one member has that name."""
    if not ids and not names:
        return {}
    members = members_of(community=community)
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


def conversation_between(a: User, b: User) -> Conversation | None:
    """The conversation of these two people, if they have one (asked only by one of them)."""
    low, high = sorted([a.pk, b.pk])
    return Conversation.objects.filter(user_low_id=low, user_high_id=high).first()


def conversations_for(*, user: User) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(Q(user_low=user) | Q(user_high=user))
        .select_related("user_low", "user_high")
        .order_by("-last_message_at", "-id")
    )


def conversations_with_last_message(*, user: User) -> QuerySet[Conversation]:
    """The inbox: each conversation with the start of its latest message and who sent it,
    in one query (the preview is only ever shown to the two people in it)."""
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return conversations_for(user=user).annotate(
        last_body=Subquery(latest.annotate(start=Substr("body", 1, 160)).values("start")[:1]),
        last_sender_id=Subquery(latest.values("sender_id")[:1]),
    )


def conversation_get(*, user: User, pk: int) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related("user_low", "user_high"), pk=pk
    )
    if not permissions.can_view_conversation(user, conversation):
        raise Http404
    return conversation


def conversation_messages(*, conversation: Conversation, user: Viewer) -> QuerySet[Message]:
    if not permissions.can_view_conversation(user, conversation):
        raise Http404
    return conversation.messages.select_related("sender").order_by("created_at", "id")


def unread_by_conversation(*, user: User) -> dict[int, int]:
    rows = (
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .values("conversation_id")
        .annotate(n=Count("id"))
    )
    return {row["conversation_id"]: row["n"] for row in rows}


def block_exists(*, blocker: User, blocked: User) -> bool:
    """Whether `blocker` blocked `blocked` (one way; permissions.is_blocked_between is both)."""
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def messages_unread_count(*, user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# Notifications -----------------------------------------------------------------------------


def _notifications_visible(user: User) -> QuerySet[Notification]:
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


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    # The threads and replies (with their thread and community) come in a query each: as
    # eight joins in one, PostgreSQL spent ~10 ms planning the order of the joins, for a
    # query that runs in under 1 ms.
    qs = (
        _notifications_visible(user)
        .select_related("actor", "community", "event")
        .prefetch_related(
            Prefetch("thread", queryset=Thread.objects.select_related("community")),
            Prefetch("reply", queryset=Reply.objects.select_related("thread__community")),
        )
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notices_attach(notifications: Iterable[Notification]) -> list[Notification]:
    """Describe the community notices among `notifications` in one batch per kind, in the
    active language, so that `notification.notice` needs no query of its own."""
    notifications = list(notifications)
    with_event = [(n, n.event) for n in notifications if n.event_id]
    described = notices.describe(event for _n, event in with_event if event is not None)
    for notification, event in with_event:
        notification._notice = described.get(event.pk) if event is not None else None
    return notifications


def notification_get(*, user: User, pk: int) -> Notification:
    return get_object_or_404(notifications_for(user=user), pk=pk)


def notifications_unread_count(*, user: User) -> int:
    return _notifications_visible(user).filter(read_at__isnull=True).count()


@functools.cache
def _unread_counts_sql() -> str:
    """unread_counts's query, written out once from the models' table and column names."""
    n, t = Notification._meta, Thread._meta
    m, ms = Message._meta, Membership._meta

    def col(meta: Options, name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column
        return connection.ops.quote_name(field.column)

    def table(meta: Options) -> str:
        return connection.ops.quote_name(meta.db_table)

    # Only the models' own table and column names go into the text; values are parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM {table(n)} n LEFT OUTER JOIN {table(t)} t"  # noqa: S608
        f" ON n.{col(n, 'thread')} = t.{col(t, 'id')}"
        f" WHERE n.{col(n, 'recipient')} = %s AND n.{col(n, 'read_at')} IS NULL"
        f" AND (%s OR n.{col(n, 'thread')} IS NULL OR t.{col(t, 'hidden')} = %s"
        f" OR t.{col(t, 'author')} = %s OR t.{col(t, 'community')} IN"
        f" (SELECT {col(ms, 'community')} FROM {table(ms)}"
        f" WHERE {col(ms, 'user')} = %s AND {col(ms, 'role')} = %s))),"
        f" (SELECT COUNT(*) FROM {table(m)}"
        f" WHERE {col(m, 'recipient')} = %s AND {col(m, 'read_at')} IS NULL)"
    )


def unread_counts(*, user: User) -> tuple[int, int]:
    """(unread notifications, unread messages) for the header of every page, in one query.

    The same as notifications_unread_count and messages_unread_count (a test holds them
    equal), written out once: building and compiling those two ORM queries took ~1 ms a
    page, forty times what the database takes to answer them."""
    params: list[int | str] = [user.pk, user.is_superuser, False, user.pk, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(_unread_counts_sql(), [*params, str(Role.FACILITATOR), user.pk])
        notifications, messages = cursor.fetchone()
    return notifications, messages


# Moderation --------------------------------------------------------------------------------


def moderation_post_get(
    *, user: Viewer, community: Community, thread_pk: int, reply_pk: int | None = None
) -> tuple[Thread, Reply | None]:
    """The post whose moderation page this is: 404 for anyone but facilitators and its author."""
    thread = get_object_or_404(
        Thread.objects.select_related("community", "author"), community=community, pk=thread_pk
    )
    reply = None
    if reply_pk is not None:
        reply = get_object_or_404(
            Reply.objects.select_related("author"), thread=thread, pk=reply_pk
        )
        reply.thread = thread
    if not permissions.can_see_moderation_post(user, thread, reply):
        raise Http404
    return thread, reply


def flag_get(*, user: Viewer, community: Community, pk: int) -> Flag:
    flag = get_object_or_404(
        Flag.objects.select_related("thread__community", "thread__author", "reply__author"),
        community=community,
        pk=pk,
    )
    if not permissions.can_moderate(user, community):
        raise Http404
    return flag


def open_flag_count(*, community: Community, user: Viewer) -> int:
    """How many flags wait for a decision; 0 for anyone who does not moderate."""
    if not permissions.can_moderate(user, community):
        return 0
    return Flag.objects.filter(community=community, status=FlagStatus.OPEN).count()


def moderation_queue(*, community: Community, user: Viewer) -> list[dict]:
    """Open flags grouped per post, the post flagged longest ago first, in a fixed number of
    queries."""
    permissions.check_moderate(user, community)
    flags = (
        Flag.objects.filter(community=community, status=FlagStatus.OPEN)
        .select_related("reporter", "thread__author", "reply__author")
        .order_by("created_at", "id")[:QUEUE_LIMIT]
    )
    groups: dict[tuple, dict] = {}
    for flag in flags:
        flag.thread.community = community
        key = (flag.thread_id, flag.reply_id)
        if key not in groups:
            post = flag.reply or flag.thread
            groups[key] = {"thread": flag.thread, "reply": flag.reply, "post": post, "flags": []}
        groups[key]["flags"].append(flag)
    return list(groups.values())


def moderation_log(
    *, community: Community, user: Viewer, limit: int = LOG_LIMIT
) -> list[ModerationAction]:
    permissions.check_moderate(user, community)
    return list(
        ModerationAction.objects.filter(community=community)
        .select_related("actor", "subject", "thread", "reply")
        .order_by("-created_at", "-id")[:limit]
    )


def _post_filter(thread: Thread, reply: Reply | None) -> Q:
    return Q(thread=thread) & (Q(reply=reply) if reply is not None else Q(reply__isnull=True))


def post_flags(*, thread: Thread, reply: Reply | None, user: Viewer) -> list[Flag]:
    """The flags on a post, for facilitators only: who reported is not the author's business."""
    if not permissions.can_moderate(user, thread.community):
        return []
    return list(
        Flag.objects.filter(_post_filter(thread, reply))
        .select_related("reporter", "resolved_by")
        .order_by("-created_at", "-id")
    )


def post_actions(*, thread: Thread, reply: Reply | None, user: Viewer) -> list[ModerationAction]:
    if not permissions.can_see_moderation_post(user, thread, reply):
        raise Http404
    return list(
        ModerationAction.objects.filter(_post_filter(thread, reply))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def post_messages(*, thread: Thread, reply: Reply | None, user: Viewer) -> list[ModerationMessage]:
    if not permissions.can_see_moderation_post(user, thread, reply):
        raise Http404
    return list(
        ModerationMessage.objects.filter(_post_filter(thread, reply))
        .select_related("sender")
        .order_by("created_at", "id")
    )


def ground_rules(*, community: Community) -> list[GroundRule]:
    """The community's ground rules, to point at when flagging or moderating."""
    return list(community.ground_rules.all())
