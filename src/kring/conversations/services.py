"""Writes for conversations: threads, replies, answers, reactions, attachments, direct
messages, blocks and notifications. Moderation has its own module (moderation.py)."""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.conversations import permissions
from kring.conversations.models import (
    EMAIL_PREFERENCE,
    Block,
    Conversation,
    DigestFrequency,
    Message,
    Notification,
    NotificationKind,
    NotificationPreference,
    PostAttachment,
    PostRevision,
    Reaction,
    Reply,
    Thread,
    ThreadKind,
)
from kring.core.attachments import attachments_save
from kring.core.models import ActivityEvent, Verb
from kring.core.services import activity_record, tags_get_or_create

MAX_TITLE = 200
MAX_BODY = 20000
MAX_MESSAGE = 5000
MAX_TAGS = 10

# A mention is a Markdown link to a profile, as the editor's autocomplete writes it:
# @[Anna de Vries](/people/12/). It renders as a working link without any extra syntax.
MENTION_RE = re.compile(r"@\[([^\]\n]{1,120})\]\(/people/(\d{1,12})/\)")


def mentioned_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for _name, pk in MENTION_RE.findall(text or "")))


def _mentioned_members(community: Community, text: str, *, exclude: Iterable[int] = ()) -> list:
    """The people mentioned in `text` who are members of the community (others are ignored:
    a mention must not leak a conversation to outsiders)."""
    ids = [pk for pk in mentioned_ids(text) if pk not in set(exclude)]
    if not ids:
        return []
    return list(
        User.objects.filter(pk__in=ids, is_active=True, memberships__community=community).distinct()
    )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give it a title.")})
    if len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": _("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}}
        )
    return title


def _clean_body(body: str, *, required: bool, field: str = "body") -> str:
    body = (body or "").strip()
    if required and not body:
        raise ValidationError({field: _("Write something first.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {field: _("The text is too long (at most %(max)s characters).") % {"max": MAX_BODY}}
        )
    return body


def _clean_tags(tags: Iterable[str]) -> list[str]:
    names = [t for t in (tags or []) if t and t.strip()]
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": _("%(max)s themes at most, please.") % {"max": MAX_TAGS}})
    if any(len(t.strip()) > 60 for t in names):
        raise ValidationError({"tags": _("Keep each theme to 60 characters.")})
    return names


def _revision(thread: Thread, *, reply: Reply | None, by: User, at: datetime) -> PostRevision:
    last = (
        PostRevision.objects.filter(thread=thread, reply=reply)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return PostRevision.objects.create(
        thread=thread,
        reply=reply,
        number=(last or 0) + 1,
        title=thread.title if reply is None else "",
        body=thread.body if reply is None else reply.body,
        edited_by=by,
        created_at=at,
    )


def _attachments_add(
    thread: Thread, reply: Reply | None, by: User, uploads: Iterable[UploadedFile]
) -> None:
    owner = {"thread": thread, "reply": reply}
    attachments_save(model=PostAttachment, owner=owner, uploads=uploads, by=by)


def _index_thread(thread_id: int) -> None:
    from kring.core import search

    transaction.on_commit(partial(search.index_objects, "thread", [thread_id]))


# Threads ------------------------------------------------------------------------------------


@transaction.atomic
def thread_create(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    body: str = "",
    tags: Iterable[str] = (),
    attachments=(),
    at: datetime | None = None,
) -> Thread:
    """Ask a question or start a discussion."""
    permissions.check_start_thread(by, community)
    if kind not in ThreadKind.values:
        raise ValidationError({"kind": _("Choose a question or a discussion.")})
    errors = {}
    try:
        title = _clean_title(title)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        body = _clean_body(body, required=kind == ThreadKind.DISCUSSION)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        tag_names = _clean_tags(tags)
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    thread = Thread.objects.create(
        community=community,
        kind=kind,
        title=title,
        body=body,
        author=by,
        created_at=at,
        last_activity_at=at,
    )
    if tag_names:
        thread.tags.set(tags_get_or_create(names=tag_names))
    _revision(thread, reply=None, by=by, at=at)
    _attachments_add(thread, None, by, attachments)
    verb = Verb.ASKED if kind == ThreadKind.QUESTION else Verb.DISCUSSION_STARTED
    activity_record(actor=by, verb=verb, community=community, target=thread, at=at)
    mentioned = _mentioned_members(community, body, exclude=[by.pk])
    for person in mentioned:
        activity_record(
            actor=by, verb=Verb.MENTIONED, community=community, target=thread, other=person, at=at
        )
    notify(
        recipients=dict.fromkeys(mentioned, NotificationKind.MENTION),
        actor=by,
        community=community,
        thread=thread,
        at=at,
    )
    _index_thread(thread.pk)
    return thread


@transaction.atomic
def thread_update(
    *,
    thread: Thread,
    by: User,
    title: str,
    body: str,
    tags: Iterable[str] | None = None,
    at: datetime | None = None,
) -> Thread:
    """Edit the opening post; the earlier text stays in the history."""
    permissions.check_edit_post(by, thread)
    errors = {}
    try:
        title = _clean_title(title)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        body = _clean_body(body, required=thread.kind == ThreadKind.DISCUSSION)
    except ValidationError as e:
        errors.update(e.message_dict)
    tag_names = None
    if tags is not None:
        try:
            tag_names = _clean_tags(tags)
        except ValidationError as e:
            errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    if title == thread.title and body == thread.body and tag_names is None:
        return thread
    at = at or timezone.now()
    before = set(mentioned_ids(thread.body))
    thread.title, thread.body, thread.edited_at = title, body, at
    thread.save(update_fields=["title", "body", "edited_at", "updated_at"])
    if tag_names is not None:
        thread.tags.set(tags_get_or_create(names=tag_names))
    _revision(thread, reply=None, by=by, at=at)
    activity_record(
        actor=by, verb=Verb.POST_EDITED, community=thread.community, target=thread, at=at
    )
    _notify_new_mentions(thread, None, by, before, body, at)
    _index_thread(thread.pk)
    return thread


def _notify_new_mentions(thread, reply, by, before: set[int], body: str, at) -> None:
    """An edit notifies only the people it newly mentions."""
    new = _mentioned_members(thread.community, body, exclude=before | {by.pk})
    for person in new:
        activity_record(
            actor=by,
            verb=Verb.MENTIONED,
            community=thread.community,
            target=reply or thread,
            other=person,
            at=at,
        )
    notify(
        recipients=dict.fromkeys(new, NotificationKind.MENTION),
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )


# Replies ------------------------------------------------------------------------------------


@transaction.atomic
def reply_create(
    *,
    thread: Thread,
    by: User,
    body: str,
    parent: Reply | None = None,
    attachments=(),
    at: datetime | None = None,
) -> Reply:
    """Answer a question or reply in a discussion; a reply to a reply stays one level deep."""
    permissions.check_reply(by, thread)
    body = _clean_body(body, required=True)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError({"parent": _("That reply is not in this thread.")})
        if parent.hidden:
            raise ValidationError({"parent": _("You can't reply to a hidden reply.")})
        if parent.parent_id is not None:
            parent = parent.parent
    at = at or timezone.now()
    reply = Reply.objects.create(thread=thread, parent=parent, author=by, body=body, created_at=at)
    _revision(thread, reply=reply, by=by, at=at)
    _attachments_add(thread, reply, by, attachments)
    fields = {"reply_count": F("reply_count") + 1, "last_activity_at": at}
    if by.pk != thread.author_id and thread.first_response_at is None:
        fields["first_response_at"] = at
        thread.first_response_at = at
    Thread.objects.filter(pk=thread.pk).update(**fields)
    thread.reply_count += 1
    thread.last_activity_at = at

    replied_to = parent.author if parent is not None else thread.author
    verb = Verb.ANSWERED if thread.is_question and parent is None else Verb.REPLIED
    activity_record(
        actor=by,
        verb=verb,
        community=thread.community,
        target=reply,
        other=replied_to if replied_to.pk != by.pk else None,
        at=at,
        data={"thread": thread.pk},
    )
    # One notification per person per event: a mention says more than "a reply".
    recipients: dict = {}
    for person in (thread.author, parent.author if parent is not None else None):
        if person is not None and person.pk != by.pk:
            recipients[person] = NotificationKind.REPLY
    mentioned = _mentioned_members(thread.community, body, exclude=[by.pk])
    for person in mentioned:
        recipients[person] = NotificationKind.MENTION
        activity_record(
            actor=by,
            verb=Verb.MENTIONED,
            community=thread.community,
            target=reply,
            other=person,
            at=at,
        )
    notify(
        recipients=recipients,
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )
    _index_thread(thread.pk)
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, by: User, body: str, at: datetime | None = None) -> Reply:
    permissions.check_edit_post(by, reply)
    body = _clean_body(body, required=True)
    if body == reply.body:
        return reply
    at = at or timezone.now()
    before = set(mentioned_ids(reply.body))
    reply.body, reply.edited_at = body, at
    reply.save(update_fields=["body", "edited_at", "updated_at"])
    _revision(reply.thread, reply=reply, by=by, at=at)
    activity_record(
        actor=by, verb=Verb.POST_EDITED, community=reply.thread.community, target=reply, at=at
    )
    _notify_new_mentions(reply.thread, reply, by, before, body, at)
    _index_thread(reply.thread_id)
    return reply


@transaction.atomic
def answer_accept(*, thread: Thread, reply: Reply, by: User, at: datetime | None = None) -> Thread:
    """Mark the reply that answered the question. Accepting another replaces it."""
    permissions.check_accept(by, thread)
    if reply.thread_id != thread.pk or reply.hidden:
        raise ValidationError({"reply": _("Choose a visible reply in this question.")})
    if thread.accepted_reply_id == reply.pk:
        return thread
    at = at or timezone.now()
    thread.accepted_reply, thread.accepted_at, thread.accepted_by = reply, at, by
    thread.save(update_fields=["accepted_reply", "accepted_at", "accepted_by", "updated_at"])
    activity_record(
        actor=by,
        verb=Verb.ANSWER_ACCEPTED,
        community=thread.community,
        target=reply,
        other=reply.author if reply.author_id != by.pk else None,
        at=at,
        data={"thread": thread.pk},
    )
    if reply.author_id != by.pk:
        notify(
            recipients={reply.author: NotificationKind.ANSWER_ACCEPTED},
            actor=by,
            community=thread.community,
            thread=thread,
            reply=reply,
            at=at,
        )
    return thread


@transaction.atomic
def answer_unaccept(*, thread: Thread, by: User) -> Thread:
    permissions.check_accept(by, thread)
    thread.accepted_reply, thread.accepted_at, thread.accepted_by = None, None, None
    thread.save(update_fields=["accepted_reply", "accepted_at", "accepted_by", "updated_at"])
    return thread


@transaction.atomic
def reaction_set(
    *,
    thread: Thread,
    by: User,
    reply: Reply | None = None,
    useful: bool = True,
    at: datetime | None = None,
):
    """Say (or unsay) that a post was useful. Counted once per person. Returns the post."""
    post = reply or thread
    # Taking back your own mark always works, even on a post hidden since you made it.
    own = Reaction.objects.filter(user=by, thread=thread, reply=reply)
    if useful or not own.exists():
        permissions.check_react(by, post)
    model = Reply if reply is not None else Thread
    if useful:
        _reaction, created = Reaction.objects.get_or_create(
            user=by, thread=thread, reply=reply, defaults={"created_at": at or timezone.now()}
        )
        if created:
            model.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
            activity_record(
                actor=by,
                verb=Verb.REACTED,
                community=thread.community,
                target=post,
                other=post.author,
                at=at,
            )
    else:
        deleted, _rows = own.delete()
        if deleted:
            model.objects.filter(pk=post.pk).update(useful_count=F("useful_count") - 1)
    post.refresh_from_db(fields=["useful_count"])
    return post


@transaction.atomic
def attachment_add(*, thread: Thread, by: User, upload, reply: Reply | None = None):
    permissions.check_edit_post(by, reply or thread)
    _attachments_add(thread, reply, by, [upload])
    return PostAttachment.objects.filter(thread=thread, reply=reply).last()


# Direct messages ---------------------------------------------------------------------------


def conversation_between(a: User, b: User) -> Conversation | None:
    low, high = sorted([a.pk, b.pk])
    return Conversation.objects.filter(user_low_id=low, user_high_id=high).first()


def _rate_limit(sender: User, recipient: User, at: datetime) -> None:
    hour_ago = at - timedelta(hours=1)
    if (
        Message.objects.filter(sender=sender, created_at__gte=hour_ago).count()
        >= settings.KRING_DM_PER_HOUR
    ):
        raise ValidationError(
            {
                "body": _(
                    "You have sent many messages in the last hour. Please wait a while "
                    "before sending more."
                )
            }
        )
    if conversation_between(sender, recipient) is None:
        day_ago = at - timedelta(days=1)
        # Only the conversations the sender started (sent the first message of) count:
        # being written to by many people must not stop someone from writing.
        first_sender = (
            Message.objects.filter(conversation=OuterRef("pk"))
            .order_by("created_at", "id")
            .values("sender_id")[:1]
        )
        started = (
            Conversation.objects.filter(
                Q(user_low=sender) | Q(user_high=sender), created_at__gte=day_ago
            )
            .annotate(first_sender=Subquery(first_sender))
            .filter(first_sender=sender.pk)
            .count()
        )
        if started >= settings.KRING_DM_NEW_PER_DAY:
            raise ValidationError(
                {
                    "body": _(
                        "You have started many new conversations today. Please try again tomorrow."
                    )
                }
            )


@transaction.atomic
def message_send(
    *, sender: User, recipient: User, body: str, at: datetime | None = None
) -> Message:
    """Send a direct message to someone you share a community with."""
    if sender.pk == recipient.pk:
        raise ValidationError({"recipient": _("You can't send a message to yourself.")})
    if permissions.is_blocked_between(sender, recipient):
        raise PermissionDenied
    permissions.check_message(sender, recipient)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MAX_MESSAGE:
        raise ValidationError(
            {"body": _("Keep the message to %(max)s characters.") % {"max": MAX_MESSAGE}}
        )
    at = at or timezone.now()
    _rate_limit(sender, recipient, at)
    low, high = sorted([sender.pk, recipient.pk])
    conversation, _created = Conversation.objects.get_or_create(
        user_low_id=low, user_high_id=high, defaults={"created_at": at, "last_message_at": at}
    )
    message = Message.objects.create(
        conversation=conversation, sender=sender, recipient=recipient, body=body, created_at=at
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=at)
    # The fact, never the content: insights may count that a message was sent.
    activity_record(actor=sender, verb=Verb.MESSAGED, target=conversation, other=recipient, at=at)
    # One notification (and e-mail) per burst: while an earlier message notification is
    # still unread, a new message only moves it up.
    pending = Notification.objects.filter(
        recipient=recipient,
        kind=NotificationKind.MESSAGE,
        conversation=conversation,
        read_at__isnull=True,
    )
    if pending.exists():
        pending.update(created_at=at, actor=sender)
    else:
        notify(
            recipients={recipient: NotificationKind.MESSAGE},
            actor=sender,
            conversation=conversation,
            at=at,
        )
    return message


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, user: User) -> int:
    if not permissions.can_view_conversation(user, conversation):
        raise PermissionDenied
    now = timezone.now()
    count = Message.objects.filter(
        conversation=conversation, recipient=user, read_at__isnull=True
    ).update(read_at=now)
    Notification.objects.filter(
        recipient=user, conversation=conversation, read_at__isnull=True
    ).update(read_at=now)
    return count


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Stop someone from messaging you (and you them). They are not told."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": _("You can't block yourself.")})
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


@transaction.atomic
def block_remove(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


# Notifications -----------------------------------------------------------------------------


def preference_for(user: User) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def wants_email(user: User, kind: str) -> bool:
    if not user.is_active or not user.email:
        return False
    preference = preference_for(user)
    field = EMAIL_PREFERENCE.get(kind)
    if field is None:
        # Moderation e-mails have no switch of their own (and no field to store one), yet
        # they carry a one-click unsubscribe for "all". "All" switches every e-mail kind off,
        # so all switches off is read as "unsubscribed from everything": then moderation
        # news arrives in Kring only (the in-app notification is always made).
        return any(getattr(preference, name) for name in PREFERENCE_FIELDS)
    return bool(getattr(preference, field))


def notify(
    *,
    recipients: dict,
    actor: User | None,
    community: Community | None = None,
    thread: Thread | None = None,
    reply: Reply | None = None,
    conversation: Conversation | None = None,
    event: ActivityEvent | None = None,
    at: datetime | None = None,
) -> list[Notification]:
    """Create one notification per recipient and schedule its e-mail after the commit.

    Nobody is notified of their own action, of anything by someone they blocked, or when no
    longer active; e-mail follows each person's preferences (checked again when sending)."""
    people = {p.pk: (p, kind) for p, kind in recipients.items() if p is not None}
    if actor is not None:
        people.pop(actor.pk, None)
        blocked_actor = set(
            Block.objects.filter(blocker_id__in=people, blocked=actor).values_list(
                "blocker_id", flat=True
            )
        )
        for pk in blocked_actor:
            people.pop(pk, None)
    if community is not None and people:
        # Someone who left the community hears nothing more from it.
        still_in = set(
            Membership.objects.filter(community=community, user_id__in=people).values_list(
                "user_id", flat=True
            )
        )
        people = {pk: v for pk, v in people.items() if pk in still_in}
    at = at or timezone.now()
    notifications = [
        Notification(
            recipient=person,
            kind=kind,
            actor=actor,
            community=community,
            thread=thread,
            reply=reply,
            conversation=conversation,
            event=event,
            created_at=at,
        )
        for person, kind in people.values()
        if person.is_active
    ]
    created = Notification.objects.bulk_create(notifications)
    from kring.conversations.tasks import notification_email_send

    for notification in created:
        if wants_email(notification.recipient, notification.kind):
            transaction.on_commit(
                partial(notification_email_send.enqueue, notification_id=notification.pk)
            )
    return created


# Community notices (core.notices) and the kind of notification each becomes.
NOTICE_KINDS = {Verb.SESSION_PLANNED: NotificationKind.SESSION_PLANNED}


def notice_deliver(event: ActivityEvent) -> list[Notification]:
    """A community notice: one notification for every active member of the event's community
    but the one who did it, each e-mailed as their settings say (registered with core.notices,
    called inside the transaction of the change)."""
    kind = NOTICE_KINDS.get(event.verb)
    if kind is None or event.community_id is None:
        return []
    members = (
        User.objects.filter(memberships__community_id=event.community_id, is_active=True)
        .exclude(pk=event.actor_id)
        # wants_email reads each person's preference: one join instead of a query each.
        .select_related("notification_preference")
    )
    return notify(
        recipients=dict.fromkeys(members, kind),
        actor=event.actor,
        community=event.community,
        event=event,
        at=event.created_at,
    )


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one notification read, or all of them."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        if notification.recipient_id != user.pk:
            raise PermissionDenied
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


PREFERENCE_FIELDS = (
    "email_mentions",
    "email_replies",
    "email_accepted",
    "email_messages",
    "email_sessions",
)


@transaction.atomic
def preference_update(*, user: User, **fields) -> NotificationPreference:
    unknown = set(fields) - set(PREFERENCE_FIELDS) - {"digest"}
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown setting: %(name)s") % {"name": ", ".join(sorted(unknown))}}
        )
    if "digest" in fields and fields["digest"] not in DigestFrequency.values:
        raise ValidationError({"digest": _("Choose no digest, daily or weekly.")})
    preference = preference_for(user)
    if preference.digest == DigestFrequency.OFF and fields.get("digest", "off") != "off":
        # Switching the digest on starts its first period now: it never reaches back to
        # things from before the person asked for it.
        preference.digest_sent_at = timezone.now()
    for name, value in fields.items():
        setattr(preference, name, value if name == "digest" else bool(value))
    preference.save()
    return preference


UNSUBSCRIBE_SALT = "kring.conversations.unsubscribe"
# What a one-click unsubscribe link can switch off: one kind of e-mail, the digest, or all.
UNSUBSCRIBE_SCOPES = (*PREFERENCE_FIELDS, "digest", "all")


def unsubscribe_token(*, user: User, scope: str) -> str:
    assert scope in UNSUBSCRIBE_SCOPES
    return signing.dumps({"u": user.pk, "s": scope}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[User, str]:
    """The person and scope a token stands for; ValidationError when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"])
        scope = data["s"]
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError(_("This unsubscribe link is not valid.")) from exc
    if scope not in UNSUBSCRIBE_SCOPES:
        raise ValidationError(_("This unsubscribe link is not valid."))
    return user, scope


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    user, scope = unsubscribe_read(token=token)
    if scope == "all":
        preference_update(
            user=user, digest=DigestFrequency.OFF, **dict.fromkeys(PREFERENCE_FIELDS, False)
        )
    elif scope == "digest":
        preference_update(user=user, digest=DigestFrequency.OFF)
    else:
        preference_update(user=user, **{scope: False})
    return user, scope
