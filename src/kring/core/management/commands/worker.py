"""`kring worker`: runs background tasks (e-mail, notifications, digests) and the periodic ones."""

import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string


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
        if batch:
            enqueue_periodic(time.monotonic(), {})
            call_command("db_worker", batch=True, no_startup_delay=True, verbosity=verbosity)
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
        self.stdout.write("Kring worker started; Ctrl-C stops it.")
        try:
            call_command("db_worker", interval=interval, verbosity=verbosity)
        finally:
            stop.set()
