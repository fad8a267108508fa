"""Writes for notifications: telling people about what happened (in Kring and by e-mail),
community notices, and marking notifications read."""

from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.communities.selectors import members_of
from kring.conversations.models import (
    Block,
    Conversation,
    Notification,
    NotificationKind,
    Reply,
    Thread,
)
from kring.conversations.services.preferences import wants_email
from kring.conversations.tasks import notification_email_send
from kring.core.models import ActivityEvent
from kring.core.services import activity_record


def notify(
    *,
    recipients: dict[User, str],
    actor: User | None,
    community: Community | None = None,
    thread: Thread | None = None,
    reply: Reply | None = None,
    conversation: Conversation | None = None,
    event: ActivityEvent | None = None,
    at: datetime | None = None,
    link: str = "",
    subject: str = "",
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
            link=link,
            subject=subject[:300],
            created_at=at,
        )
        for person, kind in people.values()
        if person.is_active
    ]
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        if wants_email(notification.recipient, notification.kind):
            transaction.on_commit(
                partial(notification_email_send.enqueue, notification_id=notification.pk)
            )
    return created


def post_author_notify(
    *,
    by: User,
    thread: Thread,
    reply: Reply | None,
    verb: str,
    kind: str,
    at: datetime,
    data: dict | None = None,
) -> None:
    """Something was done to a post: record it with the post's author as the other person
    involved (unless it was their own doing) and tell the author. Accepting an answer and
    every moderation step end this way."""
    post = reply or thread
    activity_record(
        actor=by,
        verb=verb,
        community=thread.community,
        target=post,
        other=post.author if post.author_id != by.pk else None,
        at=at,
        data={"thread": thread.pk, **(data or {})},
    )
    # notify() leaves out the one who acted: nobody is told of their own doing.
    notify(
        recipients={post.author: kind},
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )


# Community notices (core.notices) and the kind of notification each becomes.
NOTICE_KINDS: dict[str, str] = {
    "session_planned": NotificationKind.SESSION_PLANNED,
    "rules_proposed": NotificationKind.RULES_PROPOSED,
}


def notice_deliver(event: ActivityEvent) -> list[Notification]:
    """A community notice: one notification for every active member of the event's community
    but the one who did it, each e-mailed as their settings say (registered with core.notices,
    called inside the transaction of the change)."""
    kind = NOTICE_KINDS.get(event.verb)
    if kind is None or event.community_id is None:
        return []
    community = event.community
    assert community is not None  # its id is set
    members = (
        members_of(community=community)
        .exclude(pk=event.actor_id)
        # wants_email reads each person's preference: one join instead of a query each.
        .select_related("notification_preference")
    )
    return notify(
        recipients=dict.fromkeys(members, kind),
        actor=event.actor,
        community=community,
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
