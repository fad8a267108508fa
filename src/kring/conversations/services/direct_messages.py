"""Writes for direct messages: sending one, reading a conversation, and blocking a person."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.conversations import permissions
from kring.conversations.models import (
    Block,
    Conversation,
    Message,
    Notification,
    NotificationKind,
)
from kring.conversations.selectors import conversation_between
from kring.conversations.services.notifications import notify
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record

MAX_MESSAGE = 5000


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
    activity_record(
        actor=sender, verb=ConversationVerb.MESSAGED, target=conversation, other=recipient, at=at
    )
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
