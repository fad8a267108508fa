"""Background work for conversations. Tasks take ids and only call services."""

from django_tasks import task

from kring.conversations import emails


@task()
def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail for one notification, at most once."""
    return emails.notification_email_send(notification_id=notification_id)


@task()
def digests_send() -> int:
    """Send the daily and weekly digests that are due; returns how many went out."""
    return emails.digests_send()
