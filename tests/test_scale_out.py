"""Kring on more than one machine: two web processes (`gunicorn kring.wsgi`, as in production)
and two `kring worker` processes against one PostgreSQL database and one Redis, driven with
real HTTP requests and a real SMTP server on loopback.

- A login on web process A is valid on web process B, and a logout on B ends it on A: the
  sessions are in the shared database, signed with the shared secret key.
- The login throttle counts failures on A and B together (its counters are in Redis).
- Every task runs once, while both workers are busy at the same time: no e-mail is sent twice.
- The insights of a community are computed by one worker at a time, and a burst of refresh
  requests is computed once (kring.core.locks, in Redis).

Each process has its own data directory, as separate machines would; they share only the
database, Redis and KRING_SECRET_KEY. Needs PostgreSQL (DATABASE_URL: CI's PostgreSQL pass) and
Redis (KRING_TEST_REDIS_URL, default redis://127.0.0.1:6379/14, a database of its own that this
test empties); skipped, with the reason, when either is missing. Every wait polls for what it
waits for with a generous deadline, so a busy machine makes it slower, not flaky.
"""

import asyncio
import contextlib
import email
import html
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from kring.core.mail_payload import message_to_dict
from kring.core.tasks import email_deliver
from kring.insights.tasks import snapshot_refresh

pytestmark = [pytest.mark.scale_out, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("KRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "a-long-and-unusual-passphrase"
# Generous: four Django processes start side by side on a busy 2-core machine.
START_SECONDS = 90
WAIT_SECONDS = 90
EMAILS = 40
REFRESHES = 6


def _wait_for(what: str, check, *, seconds: float = WAIT_SECONDS, every: float = 0.2):
    """Poll `check` until it returns something true; fail, naming `what`, after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:.0f} s for {what}")
        time.sleep(every)


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("KRING_TEST_SCALE_OUT_REQUIRED"):
            pytest.fail(f"Redis at {REDIS_URL} is required here but unreachable: {exc}")
        pytest.skip(f"needs Redis at {REDIS_URL} (KRING_TEST_REDIS_URL): {exc}")
    return client


def _database_url() -> str:
    """The test database pytest-django made, for the processes to share."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Inbox:
    """An SMTP server's handler that keeps every message, and holds the first one until a
    second delivery arrives at the same time (proof that both workers deliver at once), for
    at most HOLD_SECONDS: well under the workers' SMTP timeout (20 s)."""

    HOLD_SECONDS = 15

    def __init__(self):
        self.received: list[str] = []
        self.lock = threading.Lock()
        self.delivering = 0
        self.side_by_side = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):
        self.delivering += 1
        if self.delivering >= 2:
            self.side_by_side.set()
        try:
            if not self.side_by_side.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.side_by_side.wait(), self.HOLD_SECONDS)
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            with self.lock:
                self.received.append(str(message["Subject"]).strip())
        finally:
            self.delivering -= 1
        return "250 Message accepted for delivery"


class Browser:
    """Just enough of a browser: one cookie jar for every server (cookies do not depend on
    the port, as behind one proxy), redirects not followed, CSRF tokens read from forms."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.jar.set_cookie(_cookie("kring_language", "en"))

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=60) as answer:
                return answer.status, answer.read().decode(), dict(answer.headers)
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(), dict(answer.headers)

    def post_form(self, url: str, fields: dict) -> tuple[int, str, dict]:
        """GET the page, then POST its form with the page's CSRF token."""
        status, page, _headers = self.request(url)
        assert status == 200, (url, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(url, {"csrfmiddlewaretoken": token, **fields})

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip


class Cluster:
    """The processes, their logs, and the environment they share."""

    def __init__(self, root: Path, smtp_port: int):
        self.root = root
        self.processes: list[tuple[str, subprocess.Popen]] = []
        base = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("KRING_", "DATABASE_URL", "REDIS_URL", "PYTEST", "DJANGO"))
        }
        self.env = {
            **base,
            "DJANGO_SETTINGS_MODULE": "kring.settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            # Shared by every machine: sessions, CSRF and the login's device cookie are signed.
            "KRING_SECRET_KEY": secrets.token_urlsafe(50),
            "KRING_ALLOWED_HOSTS": "127.0.0.1",
            "KRING_EMAIL_HOST": "127.0.0.1",
            "KRING_EMAIL_PORT": str(smtp_port),
            "KRING_EMAIL_USE_TLS": "false",
            "KRING_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, name: str, *args: str) -> Path:
        data = self.root / name
        data.mkdir()
        log = data / "output.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, *args],
                env={**self.env, "KRING_DATA_DIR": str(data)},
                cwd=data,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append((name, process))
        return log

    def web(self, name: str) -> str:
        """Start `gunicorn kring.wsgi` on a free port; return its address once it answers."""
        log = self.start(
            name, "-m", "gunicorn", "kring.wsgi", "--bind", "127.0.0.1:0",
            "--workers", "1", "--threads", "2", "--timeout", "120",
        )  # fmt: skip

        def listening():
            self.check_alive()
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
            return found and found.group(1)

        return _wait_for(f"{name} to listen", listening, seconds=START_SECONDS)

    def worker(self, name: str) -> Path:
        return self.start(name, "-m", "kring.cli", "worker", "--interval", "0.2")

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                output = (self.root / name / "output.log").read_text()[-3000:]
                pytest.fail(f"{name} exited with {process.returncode}:\n{output}")

    def stop(self) -> None:
        for _name, process in self.processes:
            if process.poll() is None:
                process.terminate()
        for _name, process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fast_password(user) -> None:
    # The processes hash with Django's default PBKDF2 (the tests' fast MD5 is not among their
    # hashers); few iterations keep the failed logins quick. A login upgrades the hash.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


def _queue_quiet() -> bool:
    """Nothing running and nothing due; a refresh deferred to later does not count."""
    return (
        not DBTaskResult.objects.ready().exists()
        and not DBTaskResult.objects.filter(status="RUNNING").exists()
    )


@pytest.fixture
def services_up(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://... "
            "(CI's PostgreSQL pass does); SQLite is one machine's database"
        )
    store = _redis()
    store.flushdb()
    yield store
    store.flushdb()


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_two_web_and_two_worker_processes_share_one_database_and_redis(
    services_up, smtp, settings, tmp_path, make_user, make_community
):
    """Sessions and the login throttle are shared by both web processes; with two workers
    every task runs once and a community's insights are computed once at a time."""
    inbox, smtp_port = smtp
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Buurtzorg Noord")
    # Someone whose password is guessed: never logged in, so the hash stays quick to check.
    target = make_user(full_name="Gijs Guessed")
    for user in (facilitator, target):
        _fast_password(user)
    # From here on this process enqueues for the workers, as a web process does.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    cluster = Cluster(tmp_path, smtp_port)
    try:
        logs = [cluster.worker("worker-1"), cluster.worker("worker-2")]
        a, b = cluster.web("web-a"), cluster.web("web-b")
        for log in logs:
            _wait_for(
                "both workers to start",
                lambda log=log: cluster.check_alive() or "Starting worker" in log.read_text(),
                seconds=START_SECONDS,
            )
        # Each worker's scheduler enqueues the periodic tasks when it starts, so the insights
        # refresh of the due community is asked for twice.
        _wait_for(
            "both workers' periodic runs",
            lambda: (
                DBTaskResult.objects.filter(
                    task_path="kring.insights.tasks.snapshots_refresh_due", status="SUCCESSFUL"
                ).count()
                == 2
            ),
        )
        _wait_for("the startup tasks to finish", _queue_quiet)

        # (a) A login on A is valid on B; a logout on B ends it on A.
        browser = Browser()
        status, _page, headers = browser.post_form(
            f"{a}/login/", {"username": facilitator.email, "password": PASSWORD}
        )
        assert status == 302, "the login on A succeeds"
        status, page, _headers = browser.request(f"{b}/me/profile/")
        assert status == 200 and "Fenna Facilitator" in html.unescape(page), "B knows the login"
        # B takes the CSRF cookie that A set (a refused token would be 403).
        token = browser.cookie("csrftoken")
        status, _page, _headers = browser.request(f"{b}/logout/", {"csrfmiddlewaretoken": token})
        assert status == 302
        status, _page, headers = browser.request(f"{a}/me/profile/")
        assert status == 302 and "/login/" in headers["Location"], "the logout on B holds on A"

        # (b) Failures on A and B add up: after KRING_LOGIN_MAX_FAILURES (5) of them, even the
        # right password is refused on both. Each process alone saw only two or three.
        guesser = Browser()
        for attempt in range(settings.KRING_LOGIN_MAX_FAILURES):
            server = (a, b)[attempt % 2]
            status, page, _headers = guesser.post_form(
                f"{server}/login/", {"username": target.email, "password": f"guess {attempt}"}
            )
            assert status == 200 and "do not match" in html.unescape(page)
        for server in (a, b):
            status, page, _headers = guesser.post_form(
                f"{server}/login/", {"username": target.email, "password": PASSWORD}
            )
            assert status == 200 and "Too many failed attempts" in page, server
        assert services_up.keys("kring-throttle:*"), "the counters are in Redis"

        # (c) Many e-mails at once: each is delivered once, by one of two workers that are
        # delivering at the same time.
        with transaction.atomic():
            for n in range(EMAILS):
                message = EmailMessage(
                    subject=f"Scale-out {n}",
                    body="One of many.",
                    from_email="Kring <kring@example.org>",
                    to=[f"person{n}@example.org"],
                )
                email_deliver.enqueue(message=message_to_dict(message))
        _wait_for(f"{EMAILS} e-mails", lambda: len(inbox.received) >= EMAILS)
        _wait_for("the e-mail tasks to finish", _queue_quiet)
        assert inbox.side_by_side.is_set(), "both workers delivered at the same time"
        sent = DBTaskResult.objects.filter(task_path="kring.core.tasks.email_deliver")
        assert sent.count() == EMAILS
        assert all(r.status == "SUCCESSFUL" and len(r.worker_ids) == 1 for r in sent)
        assert len({r.worker_ids[0] for r in sent}) == 2, "both workers took part"
        assert Counter(inbox.received) == Counter(f"Scale-out {n}" for n in range(EMAILS))

        # (d) A burst of refresh requests (as from both schedulers, a facilitator's clicks on
        # both web servers): computed once, never by both workers at the same time.
        with transaction.atomic():
            ids = [snapshot_refresh.enqueue(community_id=community.pk).id for _ in range(REFRESHES)]
        _wait_for("the refreshes to finish", _queue_quiet)
        cluster.check_alive()
        burst = DBTaskResult.objects.filter(id__in=ids)
        assert [r.status for r in burst] == ["SUCCESSFUL"] * REFRESHES
        asked = max(r.enqueued_at for r in burst)
        snapshots = list(community.insight_snapshots.order_by("as_of"))
        new = [s for s in snapshots if s.as_of >= asked]
        assert len(new) == 1, "the burst is computed once"
        assert {r.return_value for r in burst} <= {new[0].pk, None}
        # Which worker took which request is up to the machine's load: not asserted (in practice
        # both take some, and without the lock both compute at once and the checks fail).
        # Every snapshot of the test (the workers' periodic runs too): one at a time.
        for earlier, later in zip(snapshots, snapshots[1:], strict=False):
            assert earlier.computed_at <= later.as_of, "one computation at a time"
    finally:
        cluster.stop()
