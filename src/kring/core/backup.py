"""Backups of a whole Kring: the database, the media files and a manifest with checksums.

A backup is a folder:

    manifest.json        what is in it: Kring version, database vendor, time, every file with
                         its size and SHA-256 checksum (written last: no manifest, no backup)
    database.sqlite3     SQLite, copied through SQLite's online backup API (safe while Kring runs)
    database.dump        or PostgreSQL, written by pg_dump in its custom format
    secret_key           the generated key from the data directory, when Kring uses one
    media/...            the uploaded files (photos, attachments)

A restore reads nothing it has not checked: every path in the manifest must stay inside the
backup and the target, every checksum must match, and the target database and media folder must
be empty, before anything is written. Restores go into the database vendor the backup came from;
converting between SQLite and PostgreSQL is not done here. The restore is in
kring.core.backup_restore.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from tqdm import tqdm

FORMAT = "kring-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
SECRET_KEY_FILE = "secret_key"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

PG_CLIENT_HINT = (
    "Install the PostgreSQL client tools, of the server's major version or newer "
    "(Debian/Ubuntu: `apt install postgresql-client`, or `postgresql-client-15` for "
    "PostgreSQL 15), so that pg_dump and pg_restore are on the PATH."
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def kring_version() -> str:
    try:
        return version("kring")
    except PackageNotFoundError:
        return "unknown"


def vendor_of(database: dict) -> str:
    """'sqlite' or 'postgresql' for a Django database settings dict."""
    engine = database.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine!r}.")


# --- files ------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashing(src: Path, fd: int, on_bytes: Callable[[int], object]) -> tuple[int, str]:
    """Copy src into the open descriptor fd; return the size and SHA-256 of what was copied."""
    digest = hashlib.sha256()
    size = 0
    # fd first, so that it is closed even when src has gone.
    with os.fdopen(fd, "wb") as writer, open(src, "rb") as reader:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            on_bytes(len(chunk))
    return size, digest.hexdigest()


def create_exclusive(path: Path, mode: int) -> int:
    # O_EXCL: never overwrite; O_NOFOLLOW: never write through a symlink planted at the leaf.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, mode)


def _media_files(media_root: Path) -> Iterator[Path]:
    """Regular files under media_root, sorted; symlinks are neither followed nor copied."""
    if not media_root.is_dir():
        return
    for root, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if not path.is_symlink() and path.is_file():
                yield path


def has_files(folder: Path) -> bool:
    if not folder.exists():
        return False
    if not folder.is_dir():
        return True
    for root, dirs, files in os.walk(folder):
        if files or any(os.path.islink(os.path.join(root, d)) for d in dirs):
            return True
    return False


# --- databases --------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found. {PG_CLIENT_HINT}")
    return path


def pg_env(database: dict) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never appears in `ps`."""
    env = dict(os.environ)
    options = database.get("OPTIONS") or {}
    pairs = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def _pg_connect(database: dict) -> psycopg.Connection:
    options = database.get("OPTIONS") or {}
    params = {
        "dbname": database.get("NAME") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        **{
            key: options[key]
            for key in ("service", "passfile", "sslmode", "sslrootcert", "sslcert", "sslkey")
            if options.get(key)
        },
    }
    return psycopg.connect(
        **{k: v for k, v in params.items() if v is not None}, autocommit=True, connect_timeout=20
    )


def run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    # The arguments are pg_dump/pg_restore found on the PATH and paths we built, no shell.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        hint = ""
        if "version mismatch" in detail:
            hint = f"\n{PG_CLIENT_HINT}"
        raise BackupError(f"{what} failed (exit code {result.returncode}):\n{detail}{hint}")


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live database through SQLite's online backup API (one consistent snapshot)."""
    if connection.in_atomic_block:
        # The backup would wait forever for the open transaction's lock on its own connection.
        raise BackupError("A backup cannot run inside a database transaction.")
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, so writers elsewhere cannot make it restart.
        connection.connection.backup(destination, pages=-1)
        # A self-contained file: no -wal beside it, readable without write access.
        destination.execute("PRAGMA journal_mode=DELETE")
        problems = destination.execute("PRAGMA quick_check").fetchall()
    finally:
        destination.close()
    if problems != [("ok",)]:
        raise BackupError(f"The copied database fails SQLite's check: {problems[:5]}")


def sqlite_table_count(name: str) -> int:
    if str(name).startswith("file:"):
        # A URI (the test runner's shared in-memory database): open it as it is named.
        uri = str(name)
    else:
        path = Path(name)
        if not path.exists():
            return 0
        uri = f"{path.resolve().as_uri()}?mode=ro"
    reader = sqlite3.connect(uri, uri=True)
    try:
        return reader.execute(
            "SELECT count(*) FROM sqlite_master "
            "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{name} is not an SQLite database we can read: {exc}") from None
    finally:
        reader.close()


def pg_table_count(database: dict) -> int:
    try:
        with _pg_connect(database) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
            ).fetchone()[0]
    except psycopg.OperationalError as exc:
        raise BackupError(
            f"Cannot connect to the target database {database.get('NAME')!r}: {exc}\n"
            "Create it first (for example `createdb kring`)."
        ) from None


# --- backup -----------------------------------------------------------------------------------


def backup_create(
    *,
    target: Path,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    data_dir: Path | None = None,
    progress: bool = True,
    progress_file: IO[str] | None = None,
    log: Callable[[str], object] = lambda message: None,
) -> dict:
    """Write a backup of the database behind `connection` and of media_root into `target`.

    `target` must not exist or be an empty folder. The manifest is written last; on failure
    whatever was written is removed again. Returns the manifest.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} exists and is not a folder.")
    if target.is_dir() and any(target.iterdir()):
        raise BackupError(
            f"{target} is not empty. Give a new or empty folder: one per backup, for example "
            "named by date (see docs/operations.md)."
        )
    vendor = vendor_of(connection.settings_dict)
    pg_dump = pg_tool("pg_dump") if vendor == "postgresql" else ""
    created = not target.exists()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        database_file = DATABASE_FILES[vendor]
        log(f"Copying the {vendor} database…")
        _database_copy(connection, vendor, pg_dump, target / database_file)
        files: list[dict] = [_entry(target, database_file)]
        if data_dir is not None:
            key = Path(data_dir) / SECRET_KEY_FILE
            if key.is_file() and not key.is_symlink():
                fd = create_exclusive(target / SECRET_KEY_FILE, 0o600)
                copy_hashing(key, fd, lambda n: None)
                files.append(_entry(target, SECRET_KEY_FILE))
        files += _media_copy(Path(media_root), target, progress, progress_file, log)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kring_version": kring_version(),
            "database_vendor": vendor,
            "database_file": database_file,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - started, 3),
            "files": files,
        }
        fd = create_exclusive(target / MANIFEST, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        return manifest
    except BaseException:
        _unwrite(target, created=created)
        raise


def _database_copy(
    connection: BaseDatabaseWrapper, vendor: str, pg_dump: str, destination: Path
) -> None:
    if vendor == "sqlite":
        _sqlite_backup(connection, destination)
    else:
        run_tool(
            [pg_dump, "--format=custom", f"--file={destination}"],
            pg_env(connection.settings_dict),
            "pg_dump",
        )
    os.chmod(destination, 0o600)


def _media_copy(
    media_root: Path,
    target: Path,
    progress: bool,
    progress_file: IO[str] | None,
    log: Callable[[str], object],
) -> list[dict]:
    """Copy every media file into target/media; returns their manifest entries."""
    files: list[dict] = []
    media = list(_media_files(media_root))
    total = 0
    for path in media:
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    log(f"Copying {len(media)} media file{'s' if len(media) != 1 else ''}…")
    with tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc="Media",
        file=progress_file,
        disable=not progress,
    ) as bar:
        for path in media:
            relative = path.relative_to(media_root).as_posix()
            destination = target / "media" / relative
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = create_exclusive(destination, 0o600)
            try:
                size, digest = copy_hashing(path, fd, bar.update)
            except FileNotFoundError:
                # Deleted while the backup ran (the database copy came first).
                destination.unlink(missing_ok=True)
                log(f"Skipped {relative}: deleted during the backup.")
                continue
            files.append({"path": MEDIA_PREFIX + relative, "size": size, "sha256": digest})
    return files


def _unwrite(target: Path, *, created: bool) -> None:
    """Remove what a failed backup wrote: the folder it made, or what it put in a given one."""
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _entry(folder: Path, name: str) -> dict:
    path = folder / name
    return {"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)}
