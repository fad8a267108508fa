"""E-mail leaves Kring only through a background task.

QueuedEmailBackend is Django's EMAIL_BACKEND: instead of talking to a mail server inside a
web request, it turns each message into plain JSON and enqueues `email_deliver`, which
`kring worker` runs with the real backend (settings.KRING_EMAIL_DELIVERY_BACKEND). A slow or
unreachable mail server then never slows a page down or rolls back a change.
"""

import base64
from email.mime.base import MIMEBase

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def message_to_dict(message: EmailMultiAlternatives) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment_to_list(a) for a in message.attachments],
    }


def _attachment_to_list(attachment) -> list:
    """(filename, content, mimetype) as JSON: bytes travel as base64."""
    if isinstance(attachment, MIMEBase):
        raise ValueError("Queued e-mail takes attachments as (filename, content, mimetype).")
    filename, content, mimetype = attachment
    if isinstance(content, bytes):
        return [filename, base64.b64encode(content).decode("ascii"), mimetype, "base64"]
    return [filename, content, mimetype, "text"]


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype, encoding in data.get("attachments", []):
        if encoding == "base64":
            content = base64.b64decode(content)
        message.attach(filename, content, mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Enqueues every message for the worker; delivery happens after the surrounding commit."""

    def send_messages(self, email_messages) -> int:
        from kring.core.tasks import email_deliver

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            payload = message_to_dict(message)
            transaction.on_commit(lambda payload=payload: email_deliver.enqueue(message=payload))
            count += 1
        return count
