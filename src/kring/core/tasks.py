"""Background tasks shared by every feature. Tasks take plain JSON arguments."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from kring.core.mail_payload import message_from_dict

logger = logging.getLogger(__name__)

# Minutes to wait before each new try when the mail server is away or says "later" (4xx).
RETRY_MINUTES = (1, 5, 30, 120, 480)


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused) will not change by trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


@task()
def email_deliver(*, message: dict, attempt: int = 1) -> int:
    """Hand one queued e-mail to the real mail backend (SMTP in production).

    When the server cannot be reached or asks to come back later, a new try is scheduled
    (RETRY_MINUTES) and this run is marked failed, so the task list shows what happened."""
    connection = get_connection(settings.KRING_EMAIL_DELIVERY_BACKEND)
    try:
        return connection.send_messages([message_from_dict(message)])
    except OSError as exc:  # smtplib's errors and socket errors alike
        if _is_permanent(exc) or attempt > len(RETRY_MINUTES):
            logger.error("E-mail to %s not delivered: %s", message.get("to"), exc)
            raise
        backend = email_deliver.get_backend()
        if backend.supports_defer:
            delay = timedelta(minutes=RETRY_MINUTES[attempt - 1])
            email_deliver.using(run_after=timezone.now() + delay).enqueue(
                message=message, attempt=attempt + 1
            )
            logger.warning(
                "E-mail to %s not delivered (%s); trying again in %s",
                message.get("to"),
                exc,
                delay,
            )
        raise
