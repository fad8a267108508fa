"""An e-mail message as plain JSON, so it can travel through the task queue: the backend
(kring.core.mail) writes it, the delivery task (kring.core.tasks) reads it back."""

import base64
from email.mime.base import MIMEBase
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives


def message_to_dict(message: EmailMessage) -> dict:
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


def _attachment_to_list(attachment: Any) -> list:
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
