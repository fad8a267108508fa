"""kring.gunicorn_conf, loaded the way gunicorn loads it from its command line."""

import sys

import pytest
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.arbiter import Arbiter


def _arbiter(monkeypatch, *args: str) -> Arbiter:
    """gunicorn's own arbiter for `gunicorn kring.wsgi <args> --config python:...`, with its
    on_starting hook run as when it starts (no socket, no worker)."""
    argv = ["gunicorn", "kring.wsgi", *args, "--config", "python:kring.gunicorn_conf"]
    monkeypatch.setattr(sys, "argv", argv)
    arbiter = Arbiter(WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]"))
    arbiter.cfg.on_starting(arbiter)
    return arbiter


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--workers", "2", "--threads", "2"], 10),  # sync with threads is gthread
        (["--worker-class", "gthread", "--threads", "4"], 20),
        (["--worker-class", "gthread"], 5),  # one thread
    ],
)
def test_a_threaded_worker_takes_five_connections_per_thread(monkeypatch, args, expected):
    assert _arbiter(monkeypatch, *args).cfg.worker_connections == expected


def test_a_reload_keeps_the_bound(monkeypatch):
    """SIGHUP reloads the settings from scratch and runs on_reload, not on_starting."""
    arbiter = _arbiter(monkeypatch, "--workers", "2", "--threads", "2")
    arbiter.app.reload()
    arbiter.cfg = arbiter.app.cfg
    assert arbiter.cfg.worker_connections == 1000  # what gunicorn alone would give now
    arbiter.cfg.on_reload(arbiter)
    assert arbiter.cfg.worker_connections == 10


def test_an_explicit_bound_and_other_worker_classes_are_left_alone(monkeypatch):
    explicit = _arbiter(monkeypatch, "--threads", "2", "--worker-connections", "64")
    assert explicit.cfg.worker_connections == 64
    # A sync worker answers one request at a time and ignores the setting: unchanged.
    assert _arbiter(monkeypatch, "--workers", "3").cfg.worker_connections == 1000
