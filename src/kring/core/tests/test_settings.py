"""Settings that protect a deployment: SQLite tuning, the generated secret key, headers."""

import runpy
import sqlite3
import stat
from pathlib import Path

import pytest
from django.db import transaction
from django.db.utils import ConnectionHandler

import kring.settings

SETTINGS_FILE = Path(kring.settings.__file__)


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Run settings.py afresh with a given environment and return its names as a dict."""

    def load(**environ) -> dict:
        monkeypatch.setenv("KRING_DATA_DIR", str(tmp_path / "data"))
        for name in ("DATABASE_URL", "KRING_SECRET_KEY", "REDIS_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_secret_key_generated_once(load_settings, tmp_path):
    """Without KRING_SECRET_KEY, a key is generated into the data folder once, private to
    the owner, and the same key is used on every start."""
    first = load_settings()["SECRET_KEY"]
    path = tmp_path / "data" / "secret_key"
    assert path.read_text().strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings()["SECRET_KEY"] == first


def test_secret_key_from_environment(load_settings, tmp_path):
    """A given KRING_SECRET_KEY is used as is and nothing is written."""
    assert load_settings(KRING_SECRET_KEY="given-key")["SECRET_KEY"] == "given-key"
    assert not (tmp_path / "data" / "secret_key").exists()


def test_database_url_switches_to_postgres(load_settings):
    """DATABASE_URL selects another database, e.g. PostgreSQL."""
    databases = load_settings(DATABASE_URL="postgres://kring@db:5432/kring")["DATABASES"]
    assert databases["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert databases["default"]["NAME"] == "kring"


@pytest.fixture
def sqlite_file_db(load_settings, django_db_blocker):
    """A Django connection to a fresh SQLite file with the settings' default configuration."""
    databases = load_settings()["DATABASES"]
    assert databases["default"]["ENGINE"] == "django.db.backends.sqlite3"
    handler = ConnectionHandler(databases)
    connection = handler["default"]
    with django_db_blocker.unblock():
        yield connection
        connection.close()


def test_sqlite_runs_in_wal_mode(sqlite_file_db):
    """A SQLite file database is opened in WAL mode with foreign keys and a busy timeout."""
    with sqlite_file_db.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_sqlite_transactions_take_the_write_lock_up_front(sqlite_file_db, monkeypatch):
    """transaction.atomic() begins IMMEDIATE: a second writer is locked out before the first
    has written anything, instead of both failing halfway."""
    from django.db import connections

    with sqlite_file_db.cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
    assert sqlite_file_db.transaction_mode == "IMMEDIATE"
    monkeypatch.setitem(connections.settings, "walcheck", sqlite_file_db.settings_dict)
    monkeypatch.setattr(connections._connections, "walcheck", sqlite_file_db, raising=False)

    other = sqlite3.connect(sqlite_file_db.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with (
            transaction.atomic(using="walcheck"),
            pytest.raises(sqlite3.OperationalError, match="locked"),
        ):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_csp_header_on_pages(client, db):
    """Pages carry a strict Content-Security-Policy and refuse to be framed."""
    for url in ("/login/", "/communities/", "/healthz", "/api/v1/communities"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    assert client.get("/login/")["X-Frame-Options"] == "DENY"
    assert client.get("/login/")["X-Content-Type-Options"] == "nosniff"


def test_healthz(client, db):
    """The health check answers plain "ok"."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_throttle_and_lock_caches_are_shared_by_configuration(load_settings):
    """Without REDIS_URL the throttle counts and the locks are kept in the database; with it,
    in Redis, apart from each other by their key prefix."""
    database = load_settings()["CACHES"]
    for alias in ("throttle", "locks"):
        assert database[alias]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert database["throttle"]["KEY_PREFIX"] != database["locks"]["KEY_PREFIX"]
    assert database["default"]["BACKEND"].endswith("LocMemCache")
    redis = load_settings(REDIS_URL="redis://127.0.0.1:6379/0")["CACHES"]
    for alias in ("throttle", "locks"):
        assert redis[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert redis[alias]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert redis["throttle"]["KEY_PREFIX"] != redis["locks"]["KEY_PREFIX"]
