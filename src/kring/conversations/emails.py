"""The e-mails conversations send: one per notification, and the opt-in digests."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kring.conversations.models import Notification
from kring.conversations.services import unsubscribe_token, wants_email


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def notification_email_send(*, notification_id: int) -> bool:
    """Claim the notification (emailed_at), then send; a second run finds it claimed."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return False
    notification = Notification.objects.select_related(
        "recipient", "actor", "community", "thread__community", "reply__thread__community"
    ).get(pk=notification_id)
    recipient = notification.recipient
    if not wants_email(recipient, notification.kind):
        return False
    from kring.conversations.models import EMAIL_PREFERENCE

    scope = EMAIL_PREFERENCE.get(notification.kind) or "all"
    token = unsubscribe_token(user=recipient, scope=scope)
    unsubscribe_url = settings.SITE_URL + reverse("unsubscribe", kwargs={"token": token})
    with translation.override(_language(recipient)):
        context = {
            "notification": notification,
            "recipient": recipient,
            "url": settings.SITE_URL + notification.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.SITE_URL + reverse("notification-settings"),
        }
        subject = " ".join(
            render_to_string("conversations/email/notification_subject.txt", context).split()
        )
        body = render_to_string("conversations/email/notification_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


def digests_send() -> int:
    raise NotImplementedError("written with the digest work")
