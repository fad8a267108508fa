"""Background tasks shared by every feature. Tasks take plain JSON arguments."""

from django.conf import settings
from django.core.mail import get_connection
from django_tasks import task

from kring.core.mail import message_from_dict


@task()
def email_deliver(*, message: dict) -> int:
    """Hand one queued e-mail to the real mail backend (SMTP in production)."""
    connection = get_connection(settings.KRING_EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([message_from_dict(message)])
