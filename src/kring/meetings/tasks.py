"""Background work for sessions. Tasks take ids and only call services."""

from django_tasks import task

from kring.meetings import notices


@task()
def reminders_send() -> int:
    """Session reminders and action-point reminders that are due; returns how many e-mails."""
    return notices.reminders_send()
