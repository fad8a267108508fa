"""Restoring a Kring backup (see kring.core.backup for the format): check the manifest and
every checksum first, then fill an empty database and an empty media folder."""

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from tqdm import tqdm

from kring.core.backup import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_PREFIX,
    SECRET_KEY_FILE,
    BackupError,
    copy_hashing,
    create_exclusive,
    has_files,
    pg_env,
    pg_table_count,
    pg_tool,
    run_tool,
    sha256_of,
    sqlite_table_count,
    vendor_of,
)


def _safe_relative(value: object) -> PurePosixPath:
    """A manifest path as a relative path with no way out: no '..', no root, no oddities."""
    if not isinstance(value, str) or not value or "\x00" in value or "\\" in value:
        raise BackupError(f"The manifest names an unsafe path: {value!r}")
    path = PurePosixPath(value)
    if path.is_absolute() or any(part in ("", ".", "..") for part in value.split("/")):
        raise BackupError(f"The manifest names an unsafe path: {value!r}")
    return path


def manifest_read(source: Path) -> dict:
    """Read and check the manifest's structure and paths (not yet the checksums)."""
    source = Path(source)
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"{source} is not a folder.")
    if path.is_symlink() or not path.is_file():
        raise BackupError(
            f"{source} has no {MANIFEST}: it is not a Kring backup, or the backup did not finish."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Kring backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this Kring "
            f"reads version {FORMAT_VERSION}. Restore it with the Kring version that made it "
            f"({manifest.get('kring_version')})."
        )
    vendor = manifest.get("database_vendor")
    if vendor not in DATABASE_FILES or manifest.get("database_file") != DATABASE_FILES[vendor]:
        raise BackupError(f"{path} names an unknown database: {vendor!r}.")
    files = manifest.get("files")
    if not isinstance(files, list):
        raise BackupError(f"{path} has no list of files.")
    seen: set[str] = set()
    for entry in files:
        if not isinstance(entry, dict):
            raise BackupError(f"{path} has a file entry that is not an object.")
        relative = _safe_relative(entry.get("path"))
        name = str(relative)
        allowed = name in (manifest["database_file"], SECRET_KEY_FILE) or (
            name.startswith(MEDIA_PREFIX) and len(relative.parts) > 1
        )
        if not allowed:
            raise BackupError(f"The manifest names a file a backup does not have: {name!r}")
        if name in seen:
            raise BackupError(f"The manifest names {name!r} twice.")
        seen.add(name)
        size, digest = entry.get("size"), entry.get("sha256")
        if not isinstance(size, int) or size < 0 or not isinstance(digest, str):
            raise BackupError(f"The manifest entry for {name!r} has no valid size and checksum.")
    if manifest["database_file"] not in seen:
        raise BackupError("The manifest lists no database file.")
    return manifest


def manifest_verify(
    source: Path, manifest: dict, *, progress: bool = True, progress_file: IO[str] | None = None
) -> None:
    """Check every listed file: a real file inside the backup, with the right size and SHA-256."""
    source = Path(source)
    root = source.resolve()
    total = sum(entry["size"] for entry in manifest["files"])
    with tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc="Checking",
        file=progress_file,
        disable=not progress,
    ) as bar:
        for entry in manifest["files"]:
            name = entry["path"]
            path = source / name
            if path.is_symlink() or not path.is_file() or root not in path.resolve().parents:
                raise BackupError(f"The backup is incomplete or unsafe: {name!r} is missing.")
            if path.stat().st_size != entry["size"]:
                raise BackupError(
                    f"The backup is damaged: {name!r} has {path.stat().st_size} bytes, "
                    f"the manifest says {entry['size']}. Nothing was restored."
                )
            if sha256_of(path) != entry["sha256"]:
                raise BackupError(
                    f"The backup is damaged: the checksum of {name!r} does not match the "
                    "manifest. Nothing was restored."
                )
            bar.update(entry["size"])


def backup_restore(
    *,
    source: Path,
    database: dict,
    media_root: Path,
    data_dir: Path | None = None,
    progress: bool = True,
    progress_file: IO[str] | None = None,
    log: Callable[[str], object] = lambda message: None,
) -> dict:
    """Restore the backup in `source` into an empty database and an empty media folder.

    Refuses (BackupError, nothing written) a damaged or unsafe backup, a backup of the other
    database vendor, a database that has tables and a media folder that has files.
    """
    source = Path(source)
    media_root = Path(media_root)
    manifest = manifest_read(source)
    vendor = vendor_of(database)
    if manifest["database_vendor"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['database_vendor']} database, and this Kring uses "
            f"{vendor}. Restore it into a Kring set up with {manifest['database_vendor']}; "
            "backups are not converted between database vendors."
        )
    pg_restore = _restore_targets_check(database, vendor, media_root)

    log("Checking the backup's checksums…")
    manifest_verify(source, manifest, progress=progress, progress_file=progress_file)

    log(f"Restoring the {vendor} database…")
    _database_restore(database, vendor, pg_restore, source / manifest["database_file"])
    _media_restore(source, manifest, media_root, progress, progress_file, log)

    keys = [e for e in manifest["files"] if e["path"] == SECRET_KEY_FILE]
    if keys and data_dir is not None:
        _secret_key_restore(source, Path(data_dir), log)
    return manifest


def _restore_targets_check(database: dict, vendor: str, media_root: Path) -> str:
    """Refuse a database with tables or a media folder with files; returns the pg_restore
    program for PostgreSQL (found before anything is written), else ""."""
    pg_restore = ""
    if vendor == "sqlite":
        if sqlite_table_count(database["NAME"]):
            raise BackupError(
                f"The database {Path(database['NAME'])} already has tables. A restore goes only "
                "into an empty database: stop Kring and move that file (and its -wal and -shm "
                "files) away, or point KRING_DATA_DIR at a new folder."
            )
    else:
        pg_restore = pg_tool("pg_restore")
        if pg_table_count(database):
            raise BackupError(
                f"The database {database.get('NAME')!r} already has tables. A restore goes only "
                "into an empty database: create a new one (`createdb NAME`) and point "
                "DATABASE_URL at it."
            )
    if has_files(media_root):
        raise BackupError(
            f"The media folder {media_root} already has files. A restore goes only into an empty "
            "one: move it away or point KRING_DATA_DIR at a new folder."
        )
    return pg_restore


def _database_restore(database: dict, vendor: str, pg_restore: str, database_file: Path) -> None:
    if vendor == "sqlite":
        db_path = Path(database["NAME"])
        db_path.parent.mkdir(parents=True, exist_ok=True)
        reader = sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=ro", uri=True)
        writer = sqlite3.connect(db_path)
        try:
            reader.backup(writer, pages=-1)
        finally:
            writer.close()
            reader.close()
        return
    run_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.get('NAME')}",
            str(database_file),
        ],
        pg_env(database),
        "pg_restore",
    )


def _media_restore(
    source: Path,
    manifest: dict,
    media_root: Path,
    progress: bool,
    progress_file: IO[str] | None,
    log: Callable[[str], object],
) -> None:
    media = [e for e in manifest["files"] if e["path"].startswith(MEDIA_PREFIX)]
    log(f"Restoring {len(media)} media file{'s' if len(media) != 1 else ''}…")
    media_root.mkdir(parents=True, exist_ok=True)
    root = media_root.resolve()
    with tqdm(
        total=sum(e["size"] for e in media),
        unit="B",
        unit_scale=True,
        desc="Media",
        file=progress_file,
        disable=not progress,
    ) as bar:
        for entry in media:
            relative = entry["path"][len(MEDIA_PREFIX) :]
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            parent = destination.parent.resolve()
            if parent != root and root not in parent.parents:
                raise BackupError(f"Refusing to write outside {media_root}: {relative!r}")
            fd = create_exclusive(destination, 0o644)
            _size, digest = copy_hashing(source / entry["path"], fd, bar.update)
            if digest != entry["sha256"]:
                raise BackupError(f"{entry['path']!r} changed during the restore.")


def _secret_key_restore(source: Path, data_dir: Path, log: Callable[[str], object]) -> None:
    # The target was empty, so the key generated on first start protects nothing yet; the
    # old one keeps sessions, password-reset and unsubscribe links working.
    key_path = data_dir / SECRET_KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = key_path.with_name(f".{SECRET_KEY_FILE}.restoring")
    partial.unlink(missing_ok=True)
    fd = create_exclusive(partial, 0o600)
    copy_hashing(source / SECRET_KEY_FILE, fd, lambda n: None)
    os.replace(partial, key_path)
    log(f"Restored the secret key into {key_path}.")
