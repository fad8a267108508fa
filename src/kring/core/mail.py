"""E-mail leaves Kring only through a background task.

QueuedEmailBackend is Django's EMAIL_BACKEND: instead of talking to a mail server inside a
web request, it turns each message into plain JSON (kring.core.mail_payload) and enqueues
`email_deliver`, which `kring worker` runs with the real backend
(settings.KRING_EMAIL_DELIVERY_BACKEND). A slow or unreachable mail server then never slows a
page down or rolls back a change.
"""

from collections.abc import Sequence
from functools import partial

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from kring.core.mail_payload import message_to_dict
from kring.core.tasks import email_deliver


class QueuedEmailBackend(BaseEmailBackend):
    """Enqueues every message for the worker; delivery happens after the surrounding commit."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            payload = message_to_dict(message)
            transaction.on_commit(partial(email_deliver.enqueue, message=payload))
            count += 1
        return count
