"""The e-mails conversations send: one per notification, and the opt-in digests.

Both are written in the recipient's language, say who did what where with a link, and carry
a one-click unsubscribe (RFC 8058: List-Unsubscribe + List-Unsubscribe-Post) and a link to
the notification settings. They leave through EMAIL_BACKEND, i.e. the queued backend and
`kring worker` in production.
"""

from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.communities.models import Membership
from kring.conversations.models import (
    EMAIL_PREFERENCE,
    Block,
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    Thread,
)
from kring.conversations.selectors import notices_attach
from kring.conversations.services.preferences import unsubscribe_token, wants_email
from kring.conversations.wording import notification_pattern
from kring.core import digest
from kring.core.digest import DigestEntry

DIGEST_PERIODS = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _send(*, recipient, scope: str, template: str, context: dict) -> None:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` in the recipient's
    language and send them with the unsubscribe headers for `scope`."""
    unsubscribe_url = _absolute(
        reverse("unsubscribe", kwargs={"token": unsubscribe_token(user=recipient, scope=scope)})
    )
    language = _language(recipient)
    with translation.override(language):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": _absolute(reverse("notification-settings")),
        }
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
            # Tells auto-responders (out of office) not to answer.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


# Notifications -----------------------------------------------------------------------------


def notification_headline(notification: Notification) -> str:
    """One sentence: who did what where (the bell's wording). Never the content of a direct
    message."""
    name = notification.actor.display_name if notification.actor else _("Someone")
    notice = notification.notice
    if notice is not None:
        return notice.pattern % notice.values(name)
    return notification_pattern(notification, notification.recipient) % {
        "name": name,
        "title": notification.thread.title if notification.thread else "",
    }


def _still_relevant(notification: Notification) -> bool:
    """Things change between the event and the worker: someone left the community, or a
    facilitator hid the post. Then the e-mail would point at nothing (or leak a title)."""
    if notification.kind == NotificationKind.MODERATION:
        return True
    if (
        notification.community_id
        and not Membership.objects.filter(
            community_id=notification.community_id, user_id=notification.recipient_id
        ).exists()
    ):
        return False
    if notification.event_id and (notification.notice is None or not notification.notice.active):
        # A notice about a session that was cancelled (or is over) before the e-mail went.
        return False
    hidden_thread = notification.thread is not None and notification.thread.hidden
    hidden_reply = notification.reply is not None and notification.reply.hidden
    return not (hidden_thread or hidden_reply)


def notification_email_send(*, notification_id: int) -> bool:
    """Claim the notification (emailed_at), then send; a second run finds it claimed."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return False
    notification = Notification.objects.select_related(
        "recipient", "actor", "community", "thread__community", "reply__thread__community", "event"
    ).get(pk=notification_id)
    recipient = notification.recipient
    with translation.override(_language(recipient)):
        # A notice is described once, in the recipient's language, for the e-mail.
        notices_attach([notification])
    # Preferences are read again here: someone may have switched this off (or unsubscribed)
    # between the event and the worker picking it up.
    if not wants_email(recipient, notification.kind) or not _still_relevant(notification):
        return False
    # So are blocks: the recipient may have blocked the actor since.
    if (
        notification.actor_id
        and Block.objects.filter(blocker=recipient, blocked_id=notification.actor_id).exists()
    ):
        return False
    scope = EMAIL_PREFERENCE.get(notification.kind) or "all"
    with translation.override(_language(recipient)):
        headline = notification_headline(notification)
    _send(
        recipient=recipient,
        scope=scope,
        template="conversations/email/notification",
        context={
            "notification": notification,
            "headline": headline,
            "is_message": notification.kind == NotificationKind.MESSAGE,
            "url": _absolute(notification.get_absolute_url()),
        },
    )
    return True


# Digests -----------------------------------------------------------------------------------


def waiting_questions(*, user, community_ids, since, until) -> list[DigestEntry]:
    """Digest section: questions asked in the period that nobody has responded to yet,
    oldest first (they have waited longest), not the reader's own."""
    threads = (
        Thread.objects.waiting()
        .filter(community_id__in=community_ids, created_at__gte=since, created_at__lt=until)
        .exclude(author=user)
        .select_related("community", "author")[:50]
    )
    return [
        DigestEntry(
            title=thread.title,
            url=thread.get_absolute_url(),
            meta=_("asked by %(name)s") % {"name": thread.author.display_name},
            community=thread.community.name,
        )
        for thread in threads
    ]


def digests_due(now: datetime) -> QuerySet:
    """Preferences of active people whose daily or weekly digest is due at `now`."""
    due = Q()
    for frequency, period in DIGEST_PERIODS.items():
        due |= Q(digest=frequency) & (
            Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - period)
        )
    return NotificationPreference.objects.filter(due, user__is_active=True).exclude(user__email="")


def digest_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Send one person's digest if it is due; returns whether an e-mail went out.

    The period is claimed first with a compare-and-set on digest_sent_at, so two workers (or
    a second run in the same period) never send it twice. An empty digest is not sent, but
    its period still counts as done."""
    now = now or timezone.now()
    preference = digests_due(now).select_related("user").filter(pk=user_id).first()
    if preference is None:
        return False
    period = DIGEST_PERIODS[preference.digest]
    previous = preference.digest_sent_at
    since = previous or now - period
    claim = NotificationPreference.objects.filter(pk=preference.pk, digest=preference.digest)
    claim = (
        claim.filter(digest_sent_at__isnull=True)
        if previous is None
        else claim.filter(digest_sent_at=previous)
    )
    if not claim.update(digest_sent_at=now):
        return False
    user = preference.user
    community_ids = list(
        Membership.objects.filter(user=user).values_list("community_id", flat=True)
    )
    with translation.override(_language(user)):
        sections = digest.build(user=user, community_ids=community_ids, since=since, until=now)
    if not sections:
        return False
    for section in sections:
        section.entries = [replace(e, url=_absolute(e.url)) for e in section.entries]
    _send(
        recipient=user,
        scope="digest",
        template="conversations/email/digest",
        context={
            "sections": sections,
            "frequency": preference.digest,
            "is_weekly": preference.digest == DigestFrequency.WEEKLY,
            "since": since,
            "until": now,
        },
    )
    return True


def digests_send(*, now: datetime | None = None) -> int:
    """Send every digest that is due: one e-mail per person, all their communities in it."""
    now = now or timezone.now()
    sent = 0
    for user_id in digests_due(now).values_list("pk", flat=True):
        sent += digest_send(user_id=user_id, now=now)
    return sent
