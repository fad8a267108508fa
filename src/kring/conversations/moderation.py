"""Moderation: members flag posts against the community's ground rules; facilitators hide and
restore posts, lock threads, dismiss flags and talk privately with the post's author.

Every step is logged as a ModerationAction with its reason, written as an activity event with
the post's author as the other person involved, and told to the author through a notification.
Services first, then the selectors that read the queue, the log and the private exchange.
"""

from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, GroundRule, Role
from kring.conversations import permissions
from kring.conversations.models import (
    Flag,
    FlagStatus,
    ModerationAction,
    ModerationActionKind,
    ModerationMessage,
    NotificationKind,
    Reply,
    Thread,
)
from kring.conversations.services import notify
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record

MAX_REASON = 1000
MAX_MODERATION_MESSAGE = 5000
QUEUE_LIMIT = 200
LOG_LIMIT = 20


def _post(thread: Thread, reply: Reply | None):
    """The thread's opening post, or a reply that must belong to that thread."""
    if reply is not None and reply.thread_id != thread.pk:
        raise ValidationError({"reply": _("That reply is not in this thread.")})
    return reply if reply is not None else thread


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason: the author will read it.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason to %(max)s characters.") % {"max": MAX_REASON}}
        )
    return reason


def _clean_rule(community: Community, ground_rule: GroundRule | None) -> tuple:
    """The rule and its words now; a rule of another community is refused."""
    if ground_rule is None:
        return None, ""
    if ground_rule.community_id != community.pk:
        raise ValidationError({"ground_rule": _("Choose one of this community's ground rules.")})
    return ground_rule, ground_rule.text[:300]


def _index_after_commit(thread: Thread, *, remove: bool) -> None:
    """A hidden thread leaves search; a hidden or restored reply changes its thread's text."""
    from kring.core import search

    if remove:
        transaction.on_commit(partial(search.remove_objects, "thread", [thread.pk]))
    else:
        transaction.on_commit(partial(search.index_objects, "thread", [thread.pk]))


def _reply_counts_after(thread: Thread, reply: Reply, *, hidden: bool) -> dict:
    """Keep the thread's numbers in step with what members see when a reply is hidden or
    restored: reply_count counts visible replies, first_response_at is the earliest visible
    reply by someone other than the asker (so a question whose only answer was hidden is
    "waiting" again). A hidden accepted answer is no longer accepted; restoring it does not
    accept it again. Returns what changed, for the activity log."""
    fields: dict = {"reply_count": F("reply_count") + (-1 if hidden else 1)}
    changed: dict = {}
    if reply.author_id != thread.author_id:
        first = (
            Reply.objects.filter(thread=thread, hidden=False)
            .exclude(author_id=thread.author_id)
            .order_by("created_at", "id")
            .values_list("created_at", flat=True)
            .first()
        )
        if first != thread.first_response_at:
            fields["first_response_at"] = thread.first_response_at = first
    if hidden and thread.accepted_reply_id == reply.pk:
        fields.update(accepted_reply=None, accepted_at=None, accepted_by=None)
        thread.accepted_reply, thread.accepted_at, thread.accepted_by = None, None, None
        changed["unaccepted_reply"] = reply.pk
    Thread.objects.filter(pk=thread.pk).update(**fields)
    thread.refresh_from_db(fields=["reply_count"])
    return changed


def _log(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None,
    action: str,
    verb: str,
    reason: str,
    ground_rule: GroundRule | None = None,
    flag: Flag | None = None,
    at: datetime,
    data: dict | None = None,
) -> ModerationAction:
    """Write the log row and the activity event, and tell the author."""
    post = reply or thread
    rule, rule_text = _clean_rule(thread.community, ground_rule)
    entry = ModerationAction.objects.create(
        community=thread.community,
        thread=thread,
        reply=reply,
        subject=post.author,
        actor=by,
        action=action,
        reason=reason,
        ground_rule=rule,
        ground_rule_text=rule_text,
        flag=flag,
        created_at=at,
    )
    activity_record(
        actor=by,
        verb=verb,
        community=thread.community,
        target=post,
        other=post.author if post.author_id != by.pk else None,
        at=at,
        data={"thread": thread.pk, **(data or {})},
    )
    notify(
        recipients={post.author: NotificationKind.MODERATION},
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )
    return entry


# Services ----------------------------------------------------------------------------------


@transaction.atomic
def flag_create(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None = None,
    reason: str,
    ground_rule: GroundRule | None = None,
    at: datetime | None = None,
) -> Flag:
    """Report a post to the facilitators. Anyone inside may, except its author; one open flag
    per person per post."""
    post = _post(thread, reply)
    permissions.check_flag(by, post)
    if reply is not None and not permissions.can_see_reply(by, reply):
        raise PermissionDenied
    errors = {}
    try:
        reason = _clean_reason(reason, required=True)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        rule, rule_text = _clean_rule(thread.community, ground_rule)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    if Flag.objects.filter(
        thread=thread, reply=reply, reporter=by, status=FlagStatus.OPEN
    ).exists():
        raise ValidationError(
            {"reason": _("You have already flagged this post. The facilitators will look at it.")}
        )
    at = at or timezone.now()
    flag = Flag.objects.create(
        community=thread.community,
        thread=thread,
        reply=reply,
        reporter=by,
        ground_rule=rule,
        ground_rule_text=rule_text,
        reason=reason,
        created_at=at,
    )
    activity_record(
        actor=by,
        verb=ConversationVerb.FLAGGED,
        community=thread.community,
        target=post,
        other=post.author,
        at=at,
        data={"thread": thread.pk},
    )
    return flag


@transaction.atomic
def post_hide(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None = None,
    reason: str,
    ground_rule: GroundRule | None = None,
    flag: Flag | None = None,
    at: datetime | None = None,
) -> ModerationAction:
    """Hide a post from everyone but its author and the facilitators. Open flags on it are
    settled as acted on."""
    post = _post(thread, reply)
    permissions.check_moderate(by, thread.community)
    reason = _clean_reason(reason, required=True)
    _clean_rule(thread.community, ground_rule)
    if flag is not None and (flag.thread_id, flag.reply_id) != (
        thread.pk,
        getattr(reply, "pk", None),
    ):
        raise ValidationError({"flag": _("That flag is about another post.")})
    if post.hidden:
        raise ValidationError({"reason": _("This post is already hidden.")})
    at = at or timezone.now()
    post.hidden = True
    post.save(update_fields=["hidden", "updated_at"])
    Flag.objects.filter(thread=thread, reply=reply, status=FlagStatus.OPEN).update(
        status=FlagStatus.UPHELD, resolved_by=by, resolved_at=at
    )
    changed = _reply_counts_after(thread, reply, hidden=True) if reply is not None else {}
    entry = _log(
        by=by,
        thread=thread,
        reply=reply,
        action=ModerationActionKind.HIDE,
        verb=ConversationVerb.POST_HIDDEN,
        reason=reason,
        ground_rule=ground_rule,
        flag=flag,
        at=at,
        data=changed,
    )
    _index_after_commit(thread, remove=reply is None)
    return entry


@transaction.atomic
def post_restore(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None = None,
    reason: str = "",
    ground_rule: GroundRule | None = None,
    at: datetime | None = None,
) -> ModerationAction:
    """Show a hidden post again."""
    post = _post(thread, reply)
    permissions.check_moderate(by, thread.community)
    reason = _clean_reason(reason, required=False)
    if not post.hidden:
        raise ValidationError({"reason": _("This post is not hidden.")})
    at = at or timezone.now()
    post.hidden = False
    post.save(update_fields=["hidden", "updated_at"])
    if reply is not None:
        _reply_counts_after(thread, reply, hidden=False)
    entry = _log(
        by=by,
        thread=thread,
        reply=reply,
        action=ModerationActionKind.RESTORE,
        verb=ConversationVerb.POST_RESTORED,
        reason=reason,
        ground_rule=ground_rule,
        at=at,
    )
    _index_after_commit(thread, remove=False)
    return entry


@transaction.atomic
def thread_lock(
    *,
    by: User,
    thread: Thread,
    reason: str,
    ground_rule: GroundRule | None = None,
    at: datetime | None = None,
) -> ModerationAction:
    """Close a thread to new replies (facilitators still may reply)."""
    permissions.check_moderate(by, thread.community)
    reason = _clean_reason(reason, required=True)
    _clean_rule(thread.community, ground_rule)
    if thread.locked:
        raise ValidationError({"reason": _("This thread is already locked.")})
    at = at or timezone.now()
    thread.locked = True
    thread.save(update_fields=["locked", "updated_at"])
    return _log(
        by=by,
        thread=thread,
        reply=None,
        action=ModerationActionKind.LOCK,
        verb=ConversationVerb.THREAD_LOCKED,
        reason=reason,
        ground_rule=ground_rule,
        at=at,
    )


@transaction.atomic
def thread_unlock(
    *,
    by: User,
    thread: Thread,
    reason: str = "",
    ground_rule: GroundRule | None = None,
    at: datetime | None = None,
) -> ModerationAction:
    permissions.check_moderate(by, thread.community)
    reason = _clean_reason(reason, required=False)
    if not thread.locked:
        raise ValidationError({"reason": _("This thread is not locked.")})
    at = at or timezone.now()
    thread.locked = False
    thread.save(update_fields=["locked", "updated_at"])
    return _log(
        by=by,
        thread=thread,
        reply=None,
        action=ModerationActionKind.UNLOCK,
        verb=ConversationVerb.THREAD_UNLOCKED,
        reason=reason,
        ground_rule=ground_rule,
        at=at,
    )


@transaction.atomic
def flag_dismiss(
    *,
    by: User,
    flag: Flag,
    reason: str = "",
    ground_rule: GroundRule | None = None,
    at: datetime | None = None,
) -> ModerationAction:
    """Decide a flag needs no action; the post stays as it is."""
    permissions.check_moderate(by, flag.community)
    reason = _clean_reason(reason, required=False)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError({"reason": _("This flag has already been dealt with.")})
    at = at or timezone.now()
    flag.status, flag.resolved_by, flag.resolved_at = FlagStatus.DISMISSED, by, at
    flag.save(update_fields=["status", "resolved_by", "resolved_at"])
    return _log(
        by=by,
        thread=flag.thread,
        reply=flag.reply,
        action=ModerationActionKind.DISMISS,
        verb=ConversationVerb.FLAG_DISMISSED,
        reason=reason,
        ground_rule=ground_rule,
        flag=flag,
        at=at,
    )


def can_see_moderation_post(user, thread: Thread, reply: Reply | None) -> bool:
    """The private side of a post: its facilitators and its author, nobody else. The page
    names the thread, so a reply's author is kept out while the thread itself is hidden
    (unless the thread is theirs too): its title is not theirs to read."""
    if not permissions.can_view(user, thread.community):
        return False
    if permissions.can_moderate(user, thread.community):
        return True
    if not user.is_authenticated:
        return False
    if thread.hidden and thread.author_id != user.pk:
        return False
    post = reply or thread
    return post.author_id == user.pk


def _facilitators(community: Community) -> list[User]:
    return list(
        User.objects.filter(
            memberships__community=community, memberships__role=Role.FACILITATOR, is_active=True
        )
    )


@transaction.atomic
def moderation_message_send(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None = None,
    body: str,
    at: datetime | None = None,
) -> ModerationMessage:
    """A private word about one post, between the facilitators and its author only."""
    post = _post(thread, reply)
    if not can_see_moderation_post(by, thread, reply):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MAX_MODERATION_MESSAGE:
        raise ValidationError(
            {"body": _("Keep the message to %(max)s characters.") % {"max": MAX_MODERATION_MESSAGE}}
        )
    at = at or timezone.now()
    message = ModerationMessage.objects.create(
        community=thread.community,
        thread=thread,
        reply=reply,
        subject=post.author,
        sender=by,
        body=body,
        created_at=at,
    )
    if by.pk == post.author_id:
        recipients = dict.fromkeys(_facilitators(thread.community), NotificationKind.MODERATION)
    else:
        recipients = {post.author: NotificationKind.MODERATION}
    notify(
        recipients=recipients,
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )
    return message


# Selectors ---------------------------------------------------------------------------------


def moderation_post_get(
    *, user, community: Community, thread_pk: int, reply_pk: int | None = None
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
    if not can_see_moderation_post(user, thread, reply):
        raise Http404
    return thread, reply


def flag_get(*, user, community: Community, pk: int) -> Flag:
    flag = get_object_or_404(
        Flag.objects.select_related("thread__community", "thread__author", "reply__author"),
        community=community,
        pk=pk,
    )
    if not permissions.can_moderate(user, community):
        raise Http404
    return flag


def open_flag_count(*, community: Community, user) -> int:
    """How many flags wait for a decision; 0 for anyone who does not moderate."""
    if not permissions.can_moderate(user, community):
        return 0
    return Flag.objects.filter(community=community, status=FlagStatus.OPEN).count()


def moderation_queue(*, community: Community, user) -> list[dict]:
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


def moderation_log(*, community: Community, user, limit: int = LOG_LIMIT) -> list:
    permissions.check_moderate(user, community)
    return list(
        ModerationAction.objects.filter(community=community)
        .select_related("actor", "subject", "thread", "reply")
        .order_by("-created_at", "-id")[:limit]
    )


def _post_filter(thread: Thread, reply: Reply | None) -> Q:
    return Q(thread=thread) & (Q(reply=reply) if reply is not None else Q(reply__isnull=True))


def post_flags(*, thread: Thread, reply: Reply | None, user) -> list[Flag]:
    """The flags on a post, for facilitators only: who reported is not the author's business."""
    if not permissions.can_moderate(user, thread.community):
        return []
    return list(
        Flag.objects.filter(_post_filter(thread, reply))
        .select_related("reporter", "resolved_by")
        .order_by("-created_at", "-id")
    )


def post_actions(*, thread: Thread, reply: Reply | None, user) -> list[ModerationAction]:
    if not can_see_moderation_post(user, thread, reply):
        raise Http404
    return list(
        ModerationAction.objects.filter(_post_filter(thread, reply))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def post_messages(*, thread: Thread, reply: Reply | None, user) -> list[ModerationMessage]:
    if not can_see_moderation_post(user, thread, reply):
        raise Http404
    return list(
        ModerationMessage.objects.filter(_post_filter(thread, reply))
        .select_related("sender")
        .order_by("created_at", "id")
    )


def ground_rules(*, community: Community) -> list[GroundRule]:
    return list(community.ground_rules.all())
