"""Sign-in through the organisation, end to end: Kring, a real OpenID Connect provider
(django-oauth-toolkit, tests/oidc_provider/) in a second process, and headless Chromium.

The provider runs under gunicorn on a free loopback port; Kring's live server runs on
`localhost`, the provider on `127.0.0.1`, so their cookies never mix.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from playwright.sync_api import expect

from kring.accounts.models import User

pytestmark = pytest.mark.browser

TESTS_DIR = Path(__file__).resolve().parents[1]
CLIENT_ID = "kring-test"
CLIENT_SECRET = "kring-test-secret-0123456789"
PROVIDER_PASSWORD = "Provider-pass-2026"
# Generous: a provider process that starts on a loaded 2-core machine, and a callback that
# makes three requests to the provider before it answers.
STARTUP_SECONDS = 90
PATIENCE_MS = 30_000
PEOPLE = [
    {"email": "Anna.Visser@Org.example", "name": "Anna Visser", "verified": True},
    {"email": "ben.bakker@org.example", "name": "Ben Bakker", "verified": False},
    {"email": "stranger@org.example", "name": "Sam Stranger", "verified": True},
    {"email": "carla.smit@org.example", "name": "Carla Smit", "verified": True},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The identity provider, with Kring registered as a client and PEOPLE as its users."""
    data = tmp_path_factory.mktemp("oidc-provider")
    env = {
        **os.environ,
        "PROVIDER_DATA_DIR": str(data),
        "PYTHONPATH": str(TESTS_DIR),
        "DJANGO_SETTINGS_MODULE": "oidc_provider.settings",
    }
    env.pop("DATABASE_URL", None)
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], env=env, check=True, timeout=300)
    people = [{**p, "password": PROVIDER_PASSWORD} for p in PEOPLE]
    subprocess.run(
        [
            *django,
            "provider_setup",
            f"--redirect-uri={live_server.url}/oidc/callback/",
            f"--post-logout-uri={live_server.url}/login/",
            f"--client-id={CLIENT_ID}",
            f"--client-secret={CLIENT_SECRET}",
            f"--people={json.dumps(people)}",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    log = (data / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=4",
            "--timeout=120",
            "oidc_provider.wsgi",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        # Ready when the provider answers its discovery URL (a server answer, not a guess).
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"The test provider stopped: {(data / 'gunicorn.log').read_text()}")
            try:
                response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
                if response.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("The test provider did not answer in time")
            time.sleep(0.2)
        yield SimpleNamespace(issuer=issuer)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(autouse=True)
def _patient(page):
    page.set_default_timeout(PATIENCE_MS)


@pytest.fixture
def sso(settings, provider):
    """Kring configured for the test provider (normal mode: password login stays)."""
    from django.core.cache import cache

    settings.KRING_OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.KRING_OIDC_ONLY = False
    settings.KRING_OIDC_CREATE_USERS = False
    settings.KRING_OIDC_PROVIDER_LOGOUT = False
    cache.clear()
    return settings


@pytest.fixture
def english(page, live_server):
    """The tab in English: the English texts are the msgids, true before and after the Dutch
    translations are compiled."""
    page.context.add_cookies([{"name": "kring_language", "value": "en", "url": live_server.url}])
    return page


def _sign_in_at_provider(tab, email: str) -> None:
    """On the provider's own page: type the organisation's credentials and submit."""
    expect(tab.locator("h1")).to_have_text("Test organisation", timeout=PATIENCE_MS)
    tab.fill("input[name=username]", email)
    tab.fill("input[name=password]", PROVIDER_PASSWORD)
    # The answer that counts is Kring's: the provider redirects back through the callback.
    with tab.expect_response(lambda r: "/oidc/callback/" in r.url):
        tab.locator("button[type=submit]").click()


def test_sso_login_end_to_end(sso, page, transactional_db):
    """An invited person (no password yet) logs in at the provider and lands on the page they
    asked for, logged in, in their own language; that counts as joining. Logging out ends
    Kring's session."""
    person = User.objects.create_user(
        email="anna.visser@org.example", password=None, full_name="Anna Visser", language="en"
    )
    assert not person.has_joined

    page.goto("/me/profile/")
    assert page.url.endswith("/login/?next=/me/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    button = page.locator("main .sso a.button")
    # The organisation's button comes before the password form.
    assert page.locator("main .sso ~ form input[name=password]").count() == 1
    button.click()
    _sign_in_at_provider(page, "Anna.Visser@Org.example")

    expect(page.locator("nav.site-nav")).to_contain_text("Anna Visser", timeout=PATIENCE_MS)
    assert page.url.endswith("/me/profile/")
    # Her own language (English) follows her, as after a password login.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    person.refresh_from_db()
    assert person.has_joined
    assert not person.has_usable_password()

    _log_out(page)
    page.goto("/me/profile/")
    assert "/login/?next=/me/profile/" in page.url
    # Only Kring's session ended: the provider still knows her and lets her straight back in.
    with page.expect_response(lambda r: "/oidc/callback/" in r.url):
        page.locator("main .sso a.button").click()
    expect(page.locator("nav.site-nav")).to_contain_text("Anna Visser", timeout=PATIENCE_MS)


def test_logout_at_provider_when_configured(sso, page, english, transactional_db):
    """With KRING_OIDC_PROVIDER_LOGOUT, logging out of Kring also ends the provider's session:
    the next sign-in asks for the organisation's password again."""
    sso.KRING_OIDC_PROVIDER_LOGOUT = True
    User.objects.create_user(email="carla.smit@org.example", password=None, full_name="Carla Smit")
    page.goto("/login/")
    page.locator("main .sso a.button").click()
    _sign_in_at_provider(page, "carla.smit@org.example")
    expect(page.locator("nav.site-nav")).to_contain_text("Carla Smit", timeout=PATIENCE_MS)

    provider_logout = sso.KRING_OIDC_ISSUER + "/logout/"
    with page.expect_response(lambda r: r.url.startswith(provider_logout)) as answer:
        _log_out(page, status=200)
    assert answer.value.status == 302
    expect(page.locator("input[name=username]")).to_be_visible(timeout=PATIENCE_MS)
    assert page.url.endswith("/login/")

    page.locator("main .sso a.button").click()
    _sign_in_at_provider(page, "carla.smit@org.example")
    expect(page.locator("nav.site-nav")).to_contain_text("Carla Smit", timeout=PATIENCE_MS)


def _log_out(tab, status: int = 302) -> None:
    """Through the menu's logout button; Kring answers with a redirect to its login page, or
    with a page that moves on to the provider's logout."""
    tab.locator("summary.menu-button").click()
    with tab.expect_response(lambda r: r.url.endswith("/logout/")) as answer:
        tab.locator(".menu-panel .logout-form button").click()
    assert answer.value.status == status


def test_unverified_email_is_refused(sso, page, english, transactional_db):
    """A provider that has not verified the address logs nobody in; the login page says why."""
    User.objects.create_user(
        email="ben.bakker@org.example", password="Kring-pass-2026", full_name="Ben Bakker"
    )
    page.goto("/login/")
    page.locator("main .sso a.button").click()
    _sign_in_at_provider(page, "ben.bakker@org.example")

    expect(page.locator(".messages")).to_contain_text(
        "Your organisation has not confirmed this e-mail address", timeout=PATIENCE_MS
    )
    assert "/login/" in page.url
    # Nobody is logged in: the header has no member navigation.
    expect(page.locator("nav.site-nav")).to_have_count(0)


def test_unknown_email_is_refused(sso, page, english, transactional_db):
    """A verified address without a Kring account gets no account and a clear message."""
    page.goto("/login/")
    page.locator("main .sso a.button").click()
    _sign_in_at_provider(page, "stranger@org.example")

    expect(page.locator(".messages")).to_contain_text(
        "There is no Kring account with this e-mail address. "
        "Ask your facilitator for an invitation.",
        timeout=PATIENCE_MS,
    )
    assert not User.objects.filter(email__iexact="stranger@org.example").exists()


def test_only_sso_mode_hides_the_password_form(sso, page, english, transactional_db):
    """With only-SSO on, the organisation's button is the page's main action and there is no
    password form; signing in through the provider still works."""
    sso.KRING_OIDC_ONLY = True
    User.objects.create_user(
        email="carla.smit@org.example", password="Kring-pass-2026", full_name="Carla Smit"
    )
    page.goto("/login/")
    expect(page.locator("[data-primary-action]")).to_have_text("Log in through your organisation")
    expect(page.locator("input[name=password]")).to_have_count(0)
    expect(page.get_by_text("Forgot your password?")).to_have_count(0)

    page.locator("[data-primary-action]").click()
    _sign_in_at_provider(page, "carla.smit@org.example")
    expect(page.locator("nav.site-nav")).to_contain_text("Carla Smit", timeout=PATIENCE_MS)


def test_provider_down_gives_a_clear_page(sso, page, english, transactional_db):
    """A provider that does not answer gives Kring's own page (503), not a server error."""
    sso.KRING_OIDC_ISSUER = f"http://127.0.0.1:{_free_port()}/o"
    page.goto("/login/")
    with page.expect_response(lambda r: "/oidc/start/" in r.url) as answer:
        page.locator("main .sso a.button").click()
    assert answer.value.status == 503
    expect(page.locator("h1")).to_have_text("Kring cannot reach your organisation's login service")
    expect(page.locator("[data-primary-action]")).to_have_text("Try again")
