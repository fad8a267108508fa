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
converting between SQLite and PostgreSQL is not done here.
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
from pathlib import Path, PurePosixPath

import psycopg
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


def _copy_hashing(src: Path, fd: int, on_bytes: Callable[[int], object]) -> tuple[int, str]:
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


def _create_exclusive(path: Path, mode: int) -> int:
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


def _has_files(folder: Path) -> bool:
    if not folder.exists():
        return False
    if not folder.is_dir():
        return True
    for root, dirs, files in os.walk(folder):
        if files or any(os.path.islink(os.path.join(root, d)) for d in dirs):
            return True
    return False


# --- databases --------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found. {PG_CLIENT_HINT}")
    return path


def _pg_env(database: dict) -> dict[str, str]:
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


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    # The arguments are pg_dump/pg_restore found on the PATH and paths we built, no shell.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        hint = ""
        if "version mismatch" in detail:
            hint = f"\n{PG_CLIENT_HINT}"
        raise BackupError(f"{what} failed (exit code {result.returncode}):\n{detail}{hint}")


def _sqlite_backup(connection, target: Path) -> None:
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


def _sqlite_table_count(name: str) -> int:
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


def _pg_table_count(database: dict) -> int:
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
    connection,
    media_root: Path,
    data_dir: Path | None = None,
    progress: bool = True,
    progress_file=None,
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
    if vendor == "postgresql":
        pg_dump = _pg_tool("pg_dump")
    created = not target.exists()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        files: list[dict] = []
        database_file = DATABASE_FILES[vendor]
        log(f"Copying the {vendor} database…")
        if vendor == "sqlite":
            _sqlite_backup(connection, target / database_file)
        else:
            _run(
                [pg_dump, "--format=custom", f"--file={target / database_file}"],
                _pg_env(connection.settings_dict),
                "pg_dump",
            )
        os.chmod(target / database_file, 0o600)
        files.append(_entry(target, database_file))

        if data_dir is not None:
            key = Path(data_dir) / SECRET_KEY_FILE
            if key.is_file() and not key.is_symlink():
                fd = _create_exclusive(target / SECRET_KEY_FILE, 0o600)
                _copy_hashing(key, fd, lambda n: None)
                files.append(_entry(target, SECRET_KEY_FILE))

        media = list(_media_files(Path(media_root)))
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
                fd = _create_exclusive(destination, 0o600)
                try:
                    size, digest = _copy_hashing(path, fd, bar.update)
                except FileNotFoundError:
                    # Deleted while the backup ran (the database copy came first).
                    destination.unlink(missing_ok=True)
                    log(f"Skipped {relative}: deleted during the backup.")
                    continue
                files.append({"path": MEDIA_PREFIX + relative, "size": size, "sha256": digest})

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
        fd = _create_exclusive(target / MANIFEST, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        return manifest
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise


def _entry(folder: Path, name: str) -> dict:
    path = folder / name
    return {"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)}


# --- restore ----------------------------------------------------------------------------------


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


def manifest_verify(source: Path, manifest: dict, *, progress: bool = True, progress_file=None):
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
    progress_file=None,
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

    if vendor == "sqlite":
        db_path = Path(database["NAME"])
        if _sqlite_table_count(database["NAME"]):
            raise BackupError(
                f"The database {db_path} already has tables. A restore goes only into an empty "
                "database: stop Kring and move that file (and its -wal and -shm files) away, or "
                "point KRING_DATA_DIR at a new folder."
            )
    else:
        pg_restore = _pg_tool("pg_restore")
        if _pg_table_count(database):
            raise BackupError(
                f"The database {database.get('NAME')!r} already has tables. A restore goes only "
                "into an empty database: create a new one (`createdb NAME`) and point "
                "DATABASE_URL at it."
            )
    if _has_files(media_root):
        raise BackupError(
            f"The media folder {media_root} already has files. A restore goes only into an empty "
            "one: move it away or point KRING_DATA_DIR at a new folder."
        )

    log("Checking the backup's checksums…")
    manifest_verify(source, manifest, progress=progress, progress_file=progress_file)

    database_file = source / manifest["database_file"]
    log(f"Restoring the {vendor} database…")
    if vendor == "sqlite":
        db_path.parent.mkdir(parents=True, exist_ok=True)
        reader = sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=ro", uri=True)
        writer = sqlite3.connect(db_path)
        try:
            reader.backup(writer, pages=-1)
        finally:
            writer.close()
            reader.close()
    else:
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database.get('NAME')}",
                str(database_file),
            ],
            _pg_env(database),
            "pg_restore",
        )

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
            fd = _create_exclusive(destination, 0o644)
            size, digest = _copy_hashing(source / entry["path"], fd, bar.update)
            if digest != entry["sha256"]:
                raise BackupError(f"{entry['path']!r} changed during the restore.")

    keys = [e for e in manifest["files"] if e["path"] == SECRET_KEY_FILE]
    if keys and data_dir is not None:
        # The target was empty, so the key generated on first start protects nothing yet; the
        # old one keeps sessions, password-reset and unsubscribe links working.
        key_path = Path(data_dir) / SECRET_KEY_FILE
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        partial = key_path.with_name(f".{SECRET_KEY_FILE}.restoring")
        partial.unlink(missing_ok=True)
        fd = _create_exclusive(partial, 0o600)
        _copy_hashing(source / SECRET_KEY_FILE, fd, lambda n: None)
        os.replace(partial, key_path)
        log(f"Restored the secret key into {key_path}.")
    return manifest
