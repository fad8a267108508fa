"""`kring worker`: runs background tasks (e-mail, notifications, digests) and the periodic ones."""

import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend


def enqueue_periodic(now: float, last_run: dict[str, float]) -> list[str]:
    """Enqueue every periodic task whose interval has passed; return the ones enqueued."""
    enqueued = []
    for path, interval in settings.KRING_PERIODIC_TASKS:
        if now - last_run.get(path, float("-inf")) >= interval:
            import_string(path).enqueue()
            last_run[path] = now
            enqueued.append(path)
    return enqueued


class Command(BaseCommand):
    help = (
        "Run Kring's background tasks: e-mail delivery, notification e-mails and the daily and "
        "weekly digests. Keep one running beside the web server (see docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue the periodic tasks once, run everything outstanding, then exit (cron).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default 1).",
        )

    def handle(self, *args, batch: bool, interval: float, **options):
        verbosity = options["verbosity"]
        if not isinstance(task_backends["default"], DatabaseBackend):
            # KRING_TASKS_IMMEDIATE: every task already ran in the process that enqueued it;
            # only the periodic ones are left to start.
            if not batch:
                raise CommandError(
                    "Tasks run immediately (KRING_TASKS_IMMEDIATE is set), so there is no "
                    "queue to work on. Use `kring worker --batch` from cron for the digests."
                )
            enqueue_periodic(time.monotonic(), {})
            return
        if batch:
            enqueue_periodic(time.monotonic(), {})
            # db_worker takes over Ctrl-C and SIGTERM; give them back when it is done, so a
            # batch run inside a longer process (tests, a cron wrapper) leaves no trace.
            saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                call_command(
                    "db_worker", batch=True, startup_delay=False, reload=False, verbosity=verbosity
                )
            finally:
                for sig, handler in saved.items():
                    signal.signal(sig, handler)
            return
        stop = threading.Event()

        def schedule() -> None:
            last_run: dict[str, float] = {}
            while not stop.is_set():
                close_old_connections()
                try:
                    enqueue_periodic(time.monotonic(), last_run)
                finally:
                    connections.close_all()
                stop.wait(30)

        thread = threading.Thread(target=schedule, name="kring-scheduler", daemon=True)
        thread.start()
        if verbosity:
            self.stdout.write("Kring worker started; Ctrl-C stops it.")
        try:
            # No autoreload, even with DEBUG: a reloader would start a second process
            # with its own scheduler.
            call_command("db_worker", interval=interval, reload=False, verbosity=verbosity)
        finally:
            stop.set()
