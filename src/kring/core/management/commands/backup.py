"""`kring backup PATH`: database, media files and a manifest with checksums into a new folder."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from kring.core.backup import SECRET_KEY_FILE, BackupError, backup_create


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def key_dir() -> Path | None:
    """The data directory when the key in use is the one generated there, else None."""
    key = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    try:
        if key.is_file() and key.read_text().strip() == settings.SECRET_KEY:
            return Path(settings.DATA_DIR)
    except OSError:
        pass
    return None


class Command(BaseCommand):
    help = (
        "Back up Kring into a new or empty folder: the database (SQLite's online backup, or "
        "pg_dump for PostgreSQL; safe while Kring runs), the media files and manifest.json "
        "with every file's size and SHA-256. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder that does not exist yet or is empty")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path: str, no_progress: bool, **options):
        verbosity = options["verbosity"]
        started = time.monotonic()
        try:
            manifest = backup_create(
                target=Path(path),
                connection=connections["default"],
                media_root=Path(settings.MEDIA_ROOT),
                data_dir=key_dir(),
                progress=not no_progress and verbosity > 0,
                progress_file=self.stderr._out,
                log=self.stderr.write if verbosity > 1 else (lambda message: None),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"The backup failed and was removed again: {exc}") from None
        files = manifest["files"]
        media = [f for f in files if f["path"].startswith("media/")]
        database = next(f for f in files if f["path"] == manifest["database_file"])
        if verbosity:
            self.stdout.write(
                f"Backup written to {path}: {manifest['database_vendor']} database "
                f"({human_size(database['size'])}), {len(media)} media "
                f"file{'s' if len(media) != 1 else ''} "
                f"({human_size(sum(f['size'] for f in media))}), in "
                f"{time.monotonic() - started:.1f} s."
            )
