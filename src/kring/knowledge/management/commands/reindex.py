from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from kring.core import search


def human_size(size: int) -> str:
    if size < 0:
        return "unknown (this SQLite has no dbstat module)"
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


class Command(BaseCommand):
    help = (
        "Rebuild the whole search index (library items, people, ...) from the database. "
        "Searches find nothing new while it runs; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, no_progress, **options):
        total = sum(search.registry.get(t).count() for t in search.registry.types())
        with tqdm(
            total=total,
            unit="doc",
            desc="Indexing",
            file=self.stderr._out,
            disable=no_progress,
        ) as bar:
            count = search.reindex_all(progress=bar.update)
        size = search.backend().index_size_bytes()
        self.stdout.write(
            f"Indexed {count} document{'s' if count != 1 else ''} "
            f"({', '.join(search.registry.types())}) on {connection.vendor}."
        )
        self.stdout.write(
            f"Index size on disk: {human_size(size)}" + (f" ({size} bytes)" if size >= 0 else "")
        )
