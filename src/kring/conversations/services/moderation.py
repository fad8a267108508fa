"""Moderation writes: members flag posts against the community's ground rules; facilitators
hide and restore posts, lock threads, dismiss flags and talk privately with the post's author.

Every step is logged as a ModerationAction with its reason, written as an activity event with
the post's author as the other person involved, and told to the author through a notification.
The reads (the queue, the log, the private exchange) are in selectors.py.
"""

from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, GroundRule, Role
from kring.communities.selectors import members_of
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
from kring.conversations.services.notifications import notify, post_author_notify
from kring.conversations.verbs import ConversationVerb
from kring.core import search
from kring.core.services import activity_record

MAX_REASON = 1000
MAX_MODERATION_MESSAGE = 5000


def _post(thread: Thread, reply: Reply | None) -> Thread | Reply:
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


def _clean_rule(
    community: Community, ground_rule: GroundRule | None
) -> tuple[GroundRule | None, str]:
    """The rule and its words now; a rule of another community is refused."""
    if ground_rule is None:
        return None, ""
    if ground_rule.community_id != community.pk:
        raise ValidationError({"ground_rule": _("Choose one of this community's ground rules.")})
    return ground_rule, ground_rule.text[:300]


def _index_after_commit(thread: Thread, *, remove: bool) -> None:
    """A hidden thread leaves search; a hidden or restored reply changes its thread's text."""
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
    post_author_notify(
        by=by,
        thread=thread,
        reply=reply,
        verb=verb,
        kind=NotificationKind.MODERATION,
        at=at,
        data=data,
    )
    return entry


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
    return _thread_locked_set(
        by=by, thread=thread, locked=True, reason=reason, ground_rule=ground_rule, at=at
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
    return _thread_locked_set(
        by=by, thread=thread, locked=False, reason=reason, ground_rule=ground_rule, at=at
    )


def _thread_locked_set(
    *,
    by: User,
    thread: Thread,
    locked: bool,
    reason: str,
    ground_rule: GroundRule | None,
    at: datetime | None,
) -> ModerationAction:
    """Lock or unlock, once the caller has checked the facilitator and cleaned the reason."""
    if thread.locked == locked:
        if locked:
            raise ValidationError({"reason": _("This thread is already locked.")})
        raise ValidationError({"reason": _("This thread is not locked.")})
    at = at or timezone.now()
    thread.locked = locked
    thread.save(update_fields=["locked", "updated_at"])
    return _log(
        by=by,
        thread=thread,
        reply=None,
        action=ModerationActionKind.LOCK if locked else ModerationActionKind.UNLOCK,
        verb=ConversationVerb.THREAD_LOCKED if locked else ConversationVerb.THREAD_UNLOCKED,
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
    if not permissions.can_see_moderation_post(by, thread, reply):
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
        recipients: dict[User, str] = dict.fromkeys(
            members_of(community=thread.community, role=Role.FACILITATOR),
            NotificationKind.MODERATION,
        )
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
