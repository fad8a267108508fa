"""`kring backup` and `kring restore`: a round trip keeps every row and file, and a restore
refuses a non-empty target, a damaged backup, hostile paths and the other database vendor.

On PostgreSQL (DATABASE_URL pointing at it) every restore goes into a fresh database that the
test creates and drops itself; on SQLite into a new file under the test's own temporary folder.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import threading
import urllib.parse
import uuid
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import ConnectionHandler, load_backend

from kring.core import backup

# Backups read committed data only (SQLite's backup waits for an open transaction to end),
# so the tests that make one commit their data.
needs_committed_data = pytest.mark.django_db(transaction=True)


def files_with_checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def open_wrapper(name: str):
    """A Django connection like the test's own, to another database (the restored one)."""
    settings_dict = {**connection.settings_dict, "NAME": name}
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="restored")


def rows_of_every_table(wrapper) -> dict[str, list[str]]:
    with wrapper.cursor() as cursor:
        tables = wrapper.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {wrapper.ops.quote_name(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def table_names(name: str) -> list[str]:
    if connection.vendor == "sqlite" and not Path(name).exists():
        return []
    wrapper = open_wrapper(name)
    try:
        with wrapper.cursor() as cursor:
            return wrapper.introspection.table_names(cursor)
    finally:
        wrapper.close()


def _pg_admin() -> psycopg.Connection:
    params = {**connection.settings_dict, "NAME": "postgres"}
    return backup._pg_connect(params)


@pytest.fixture
def target(tmp_path):
    """An empty place to restore into: a data folder, and a new database (file or PostgreSQL)."""
    data_dir = tmp_path / "target"
    if connection.vendor == "sqlite":
        name = str(data_dir / "kring.sqlite3")
        yield SimpleNamespace(data_dir=data_dir, url=f"sqlite:///{name}", name=name)
        return
    name = f"kring_restore_{uuid.uuid4().hex[:16]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    try:
        yield SimpleNamespace(data_dir=data_dir, url=url, name=name)
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live(settings, tmp_path, make_community, make_member, make_user, make_image):
    """A Kring with people, a community, a profile photo, other media and its own secret key."""
    from kring.accounts.services import photo_prepare, profile_update

    settings.DATA_DIR = tmp_path / "live"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text(settings.SECRET_KEY)
    community = make_community(name="Backups in practice")
    person = make_member(community, full_name="Anna de Vries").user
    profile_update(user=person, by=person, photo=photo_prepare(upload=make_image()))
    notes = Path(settings.MEDIA_ROOT) / "notes"
    notes.mkdir(parents=True)
    (notes / "verslag één.txt").write_text("Notes of the first session.\n")
    return SimpleNamespace(media_root=Path(settings.MEDIA_ROOT), data_dir=settings.DATA_DIR)


@pytest.fixture
def made_backup(live, tmp_path):
    path = tmp_path / "backups" / "2026-12-04"
    call_command("backup", str(path), "--no-progress", verbosity=0)
    return path


def restore(source: Path, target) -> None:
    call_command(
        "restore",
        str(source),
        "--database-url",
        target.url,
        "--data-dir",
        str(target.data_dir),
        "--no-progress",
        verbosity=0,
    )


def edit_manifest(source: Path, change) -> None:
    path = source / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def assert_nothing_restored(target) -> None:
    assert not (target.data_dir / "media").exists() or not any(
        p.is_file() for p in (target.data_dir / "media").rglob("*")
    )
    assert table_names(target.name) == []


@needs_committed_data
def test_round_trip_keeps_every_row_and_every_file(live, made_backup, target):
    """A restore of a backup has the same rows in every table and the same files."""
    manifest = json.loads((made_backup / "manifest.json").read_text())
    assert manifest["database_vendor"] == connection.vendor
    assert {f["path"] for f in manifest["files"]} >= {
        manifest["database_file"],
        "secret_key",
        "media/notes/verslag één.txt",
    }

    restore(made_backup, target)

    restored = open_wrapper(target.name)
    try:
        before, after = rows_of_every_table(connection), rows_of_every_table(restored)
    finally:
        restored.close()
    assert sorted(after) == sorted(before)
    assert after == before
    assert any("Anna de Vries" in row for row in after["accounts_user"])
    media = files_with_checksums(target.data_dir / "media")
    assert media == files_with_checksums(live.media_root)
    assert any(path.startswith("photos/") for path in media)
    restored_key = (target.data_dir / "secret_key").read_text()
    assert restored_key == (live.data_dir / "secret_key").read_text()


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(live, tmp_path):
    """A backup goes only into a new or empty folder; a used one is left alone."""
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(folder), "--no-progress", verbosity=0)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


@needs_committed_data
def test_restore_refuses_a_database_with_tables(made_backup, live):
    """Restoring into Kring's own database, which has tables, is refused; nothing changes."""
    media_before = files_with_checksums(live.media_root)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(made_backup), "--no-progress", verbosity=0)
    assert files_with_checksums(live.media_root) == media_before


@needs_committed_data
def test_restore_refuses_a_media_folder_with_files(made_backup, target):
    """A target media folder with a file in it is refused before the database is touched."""
    (target.data_dir / "media").mkdir(parents=True)
    (target.data_dir / "media" / "someone-else.jpg").write_bytes(b"not mine to overwrite")
    with pytest.raises(CommandError, match="already has files"):
        restore(made_backup, target)
    assert table_names(target.name) == []
    assert [p.name for p in (target.data_dir / "media").iterdir()] == ["someone-else.jpg"]


def _flip_a_media_byte(source: Path) -> None:
    photo = next((source / "media" / "photos").iterdir())
    data = bytearray(photo.read_bytes())
    data[len(data) // 2] ^= 0xFF
    photo.write_bytes(bytes(data))


def _flip_a_database_byte(source: Path) -> None:
    database = next(source.glob("database.*"))
    data = bytearray(database.read_bytes())
    data[-100] ^= 0xFF
    database.write_bytes(bytes(data))


def _remove_a_media_file(source: Path) -> None:
    (source / "media" / "notes" / "verslag één.txt").unlink()


def _append_to_the_database(source: Path) -> None:
    with open(next(source.glob("database.*")), "ab") as handle:
        handle.write(b"\0" * 10)


def _remove_the_manifest(source: Path) -> None:
    (source / "manifest.json").unlink()


def _break_the_manifest(source: Path) -> None:
    (source / "manifest.json").write_text('{"format": "kring-backup", "format_version": 1, "fi')


DAMAGES = [
    (_flip_a_media_byte, "checksum"),
    (_flip_a_database_byte, "checksum"),
    (_remove_a_media_file, "missing"),
    (_append_to_the_database, "bytes"),
    (_remove_the_manifest, "no manifest.json"),
    (_break_the_manifest, "not valid JSON"),
]


@needs_committed_data
def test_restore_refuses_a_damaged_backup_before_writing_anything(made_backup, target, tmp_path):
    """A tampered or incomplete backup is refused, and nothing is written to the target."""
    for damage, message in DAMAGES:
        copy = tmp_path / f"damaged-{damage.__name__}"
        shutil.copytree(made_backup, copy, symlinks=True)
        damage(copy)
        with pytest.raises(CommandError, match=message):
            restore(copy, target)
        assert_nothing_restored(target)


HOSTILE_PATHS = [
    "../../etc/passwd",
    "media/../../../escaped.txt",
    "/etc/passwd",
    "media/./notes/x.txt",
    "media\\..\\..\\escaped.txt",
    "media/",
    "manifest.json",
    "settings.py",
]


@needs_committed_data
def test_restore_refuses_paths_that_lead_out_of_the_backup(made_backup, target, tmp_path):
    """A manifest naming a path outside the backup or target is refused; no file is written."""
    content = b"root:x:0:0:root:/root:/bin/bash\n"
    entry = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    for hostile in HOSTILE_PATHS:
        copy = tmp_path / "hostile" / hashlib.sha256(hostile.encode()).hexdigest()[:12]
        shutil.copytree(made_backup, copy, symlinks=True)
        added = {"path": hostile, **entry}
        edit_manifest(copy, lambda manifest, added=added: manifest["files"].append(added))
        before = files_with_checksums(tmp_path)
        with pytest.raises(CommandError, match="unsafe path|does not have"):
            restore(copy, target)
        assert files_with_checksums(tmp_path) == before, hostile
        assert_nothing_restored(target)


@needs_committed_data
def test_restore_refuses_a_symlink_in_the_backup(made_backup, target, tmp_path):
    """A media file that is a symlink to somewhere else is refused, even with its checksum."""
    outside = tmp_path / "outside.txt"
    outside.write_text("a file that is not part of the backup")
    (made_backup / "media" / "link.txt").symlink_to(outside)

    def add(manifest):
        size, digest = outside.stat().st_size, backup.sha256_of(outside)
        manifest["files"].append({"path": "media/link.txt", "size": size, "sha256": digest})

    edit_manifest(made_backup, add)
    with pytest.raises(CommandError, match="incomplete or unsafe"):
        restore(made_backup, target)
    assert_nothing_restored(target)


@needs_committed_data
def test_restore_refuses_a_backup_of_the_other_database_vendor(made_backup, target):
    """A SQLite backup is not restored into PostgreSQL, nor the other way round."""
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    old_name = next(made_backup.glob("database.*")).name
    new_name = backup.DATABASE_FILES[other]
    (made_backup / old_name).rename(made_backup / new_name)

    def switch(manifest):
        manifest["database_vendor"] = other
        manifest["database_file"] = new_name
        for entry in manifest["files"]:
            if entry["path"] == old_name:
                entry["path"] = new_name

    edit_manifest(made_backup, switch)
    with pytest.raises(CommandError, match="not converted between database vendors"):
        restore(made_backup, target)
    assert_nothing_restored(target)


def test_backup_without_pg_dump_says_how_to_install_it(monkeypatch, tmp_path):
    """Without pg_dump on the PATH the backup stops with the package to install, writing nothing."""
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    postgres = SimpleNamespace(
        settings_dict={"ENGINE": "django.db.backends.postgresql", "NAME": "kring"}
    )
    with pytest.raises(backup.BackupError, match="postgresql-client"):
        backup.backup_create(
            target=tmp_path / "backup", connection=postgres, media_root=tmp_path, progress=False
        )
    assert not (tmp_path / "backup").exists()


@pytest.mark.django_db
def test_sqlite_backup_inside_a_transaction_is_refused_instead_of_waiting(tmp_path):
    """On SQLite a backup from inside an open transaction stops with a message, not a hang."""
    if connection.vendor != "sqlite":
        pytest.skip("pg_dump reads through its own connection")
    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", str(tmp_path / "backup"), "--no-progress", verbosity=0)
    assert not (tmp_path / "backup").exists()


def test_sqlite_backup_while_another_connection_writes_is_consistent(tmp_path, django_db_blocker):
    """A SQLite backup taken while someone else keeps writing is a sound, complete snapshot."""
    live_file = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live_file)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    setup.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 500,)] * 5000)
    setup.commit()
    setup.close()
    stop = threading.Event()
    written = threading.Event()

    def write() -> None:
        writer = sqlite3.connect(live_file, timeout=20)
        while not stop.is_set():
            writer.execute("INSERT INTO note (body) VALUES (?)", ("during the backup",))
            writer.commit()
            written.set()
        writer.close()

    # A handler of its own: the test's database connections are left alone.
    wrapper = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live_file)}}
    )["default"]
    thread = threading.Thread(target=write)
    thread.start()
    written.wait(20)
    try:
        with django_db_blocker.unblock():
            backup.backup_create(
                target=tmp_path / "backup",
                connection=wrapper,
                media_root=tmp_path / "none",
                progress=False,
            )
    finally:
        stop.set()
        thread.join()
        wrapper.close()
    copy = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count = copy.execute("SELECT count(*) FROM note").fetchone()[0]
    final = sqlite3.connect(live_file).execute("SELECT count(*) FROM note").fetchone()[0]
    assert 5000 <= count <= final
    assert copy.execute("SELECT max(id) FROM note").fetchone()[0] == count
