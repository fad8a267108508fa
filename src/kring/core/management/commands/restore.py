"""`kring restore PATH`: a backup made by `kring backup` into an empty database and data folder."""

import os
import time
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from kring.core.backup import BackupError, kring_version
from kring.core.backup_restore import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `kring backup` into an empty database and an empty media "
        "folder. The checksums are checked first; a damaged backup or a target that is not "
        "empty is refused before anything is written. Stop Kring first."
    )
    # The target database is empty: nothing to check against it yet.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup folder (with manifest.json)")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of Kring's own (DATABASE_URL's format), "
            "for example to try a restore beside a running Kring",
        )
        parser.add_argument(
            "--data-dir",
            help="restore the media files (DIR/media) and the secret key into this folder "
            "instead of KRING_DATA_DIR",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path, database_url, data_dir, no_progress, **options):
        verbosity = options["verbosity"]
        if database_url:
            try:
                database = dj_database_url.parse(database_url)
            except ValueError as exc:
                raise CommandError(f"--database-url: {exc}") from None
        else:
            database = connections["default"].settings_dict
        if data_dir:
            target_dir = Path(data_dir).resolve()
            media_root = target_dir / "media"
        else:
            target_dir = Path(settings.DATA_DIR)
            media_root = Path(settings.MEDIA_ROOT)
        started = time.monotonic()
        try:
            manifest = backup_restore(
                source=Path(path),
                database=database,
                media_root=media_root,
                data_dir=target_dir,
                progress=not no_progress and verbosity > 0,
                progress_file=self.stderr._out,
                log=self.stderr.write if verbosity > 1 else (lambda message: None),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(
                f"The restore stopped halfway: {exc}\nEmpty the database and the media folder "
                "before you try again."
            ) from None
        if not verbosity:
            return
        media = [f for f in manifest["files"] if f["path"].startswith("media/")]
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['database_vendor']}, "
            f"{len(media)} media file{'s' if len(media) != 1 else ''}) into "
            f"{database.get('NAME')} and {media_root}, in {time.monotonic() - started:.1f} s."
        )
        if manifest["kring_version"] != kring_version():
            self.stdout.write(
                f"The backup was made by Kring {manifest['kring_version']}, this is "
                f"{kring_version()}: run `kring migrate` before starting Kring."
            )
        if any(f["path"] == "secret_key" for f in manifest["files"]) and os.environ.get(
            "KRING_SECRET_KEY"
        ):
            self.stdout.write(
                "KRING_SECRET_KEY is set, so Kring uses it and not the restored secret_key "
                "file; set it to the old key to keep sessions and e-mailed links working."
            )
