"""`kring worker` on the real queue (django-tasks-db): --batch enqueues the periodic tasks
once, runs everything outstanding, then exits; failed deliveries are tried again later."""

import signal
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from kring.core.mail_payload import message_to_dict
from kring.core.management.commands.worker import enqueue_periodic
from kring.core.tasks import RETRY_MINUTES, email_deliver

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queue(settings):
    """The database queue, the queued e-mail backend, and locmem behind the worker."""
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = "kring.core.mail.QueuedEmailBackend"
    settings.KRING_EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


@pytest.mark.django_db(transaction=True)
def test_batch_runs_what_is_queued_then_exits(queue):
    """An e-mail sent in a transaction waits in the queue until the worker runs it."""
    with transaction.atomic():
        mail.send_mail("Hello", "Body", None, ["anna@example.org"])
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", batch=True, verbosity=0)
    [message] = mail.outbox
    assert message.subject == "Hello" and message.to == ["anna@example.org"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_batch_enqueues_and_runs_the_periodic_tasks_once(queue):
    """--batch starts every periodic task (the digests) once and runs it."""
    call_command("worker", batch=True, verbosity=0)
    paths = [path for path, _interval in queue.KRING_PERIODIC_TASKS]
    done = list(DBTaskResult.objects.values_list("task_path", "status"))
    assert sorted(done) == sorted((path, "SUCCESSFUL") for path in paths)
    call_command("worker", batch=True, verbosity=0)
    assert DBTaskResult.objects.count() == 2 * len(paths)


@pytest.mark.django_db(transaction=True)
def test_batch_gives_the_signal_handlers_back(queue):
    """After a batch run Ctrl-C behaves as before (db_worker installs its own handlers)."""
    before = signal.getsignal(signal.SIGINT)
    call_command("worker", batch=True, verbosity=0)
    assert signal.getsignal(signal.SIGINT) is before


def test_periodic_tasks_wait_for_their_interval(settings):
    """The scheduler enqueues a periodic task again only when its interval has passed."""
    settings.KRING_PERIODIC_TASKS = [("kring.conversations.tasks.digests_send", 900)]
    last_run: dict = {}
    task = mock.Mock()
    with mock.patch("kring.core.management.commands.worker.import_string", return_value=task):
        assert enqueue_periodic(0.0, last_run) == ["kring.conversations.tasks.digests_send"]
        assert enqueue_periodic(899.0, last_run) == []
        assert enqueue_periodic(900.0, last_run) == ["kring.conversations.tasks.digests_send"]
    assert task.enqueue.call_count == 2


def test_without_a_queue_the_worker_explains(settings):
    """With tasks run immediately there is nothing to work on: a clear message, not a crash."""
    with pytest.raises(CommandError, match="KRING_TASKS_IMMEDIATE"):
        call_command("worker", verbosity=0)


@pytest.mark.django_db
def test_immediate_batch_runs_the_periodic_tasks(settings):
    """KRING_TASKS_IMMEDIATE with --batch (cron) still sends the digests."""
    with mock.patch("kring.conversations.emails.digests_send", return_value=0) as send:
        call_command("worker", batch=True, verbosity=0)
    send.assert_called_once()


@pytest.mark.django_db(transaction=True)
def test_unreachable_mail_server_is_tried_again_later(queue):
    """A connection error fails this run and schedules a new try a minute later."""
    payload = message_to_dict(mail.EmailMessage("Hi", "Body", "k@example.org", ["a@example.org"]))
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("no server"),
    ):
        email_deliver.enqueue(message=payload)
        call_command("worker", batch=True, verbosity=0)
    failed = DBTaskResult.objects.get(task_path="kring.core.tasks.email_deliver", status="FAILED")
    retry = DBTaskResult.objects.get(task_path="kring.core.tasks.email_deliver", status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert (retry.run_after - failed.enqueued_at).total_seconds() >= RETRY_MINUTES[0] * 60 - 5
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_is_not_tried_again(queue):
    """A permanent 5xx refusal is final: no new try is scheduled."""
    payload = message_to_dict(mail.EmailMessage("Hi", "Body", "k@example.org", ["a@example.org"]))
    refused = smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")})
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refused
    ):
        email_deliver.enqueue(message=payload)
        call_command("worker", batch=True, verbosity=0)
    statuses = list(
        DBTaskResult.objects.filter(task_path="kring.core.tasks.email_deliver").values_list(
            "status", flat=True
        )
    )
    assert statuses == ["FAILED"]
