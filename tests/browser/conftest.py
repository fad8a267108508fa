"""Browser tests: Playwright's Python package driving Debian's Chromium against a live server.

Playwright's own browser download is never used: `make test` installs Debian's chromium.
KRING_SCREENSHOTS=1 saves full-page screenshots of the pages the tests visit in screenshots/.
"""

import importlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keep it off the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
TIMEOUT_MS = 15_000
# Lazy images below the fold would show as empty circles in a full-page screenshot.
# (page.evaluate, not wait_for_function: Kring's CSP forbids the eval the latter uses.)
LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map(image => {
    image.loading = "eager";
    return image.complete ? null : new Promise(done => { image.onload = image.onerror = done; });
}))"""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name"): a PNG of the page in screenshots/ when KRING_SCREENSHOTS=1."""
    enabled = os.environ.get("KRING_SCREENSHOTS", "") not in ("", "0")

    def take(tab, name: str, *, full_page: bool = True) -> None:
        if not enabled:
            return
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        if full_page:
            tab.evaluate(LOAD_ALL_IMAGES)
        tab.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture
def demo(transactional_db):
    """The demo data from `kring seed-demo` in the live server's database; its password."""
    from django.apps import apps
    from django.core.management import call_command

    from kring.demo.services import DEFAULT_PASSWORD

    # Transactional tests empty every table when they end, the default perspectives that a
    # data migration adds too; seed-demo needs them, so put them back (get_or_create).
    default_perspectives = importlib.import_module(
        "kring.accounts.migrations.0003_default_perspectives"
    )
    default_perspectives.add_defaults(apps, None)
    call_command("seed-demo", "--quiet")
    return SimpleNamespace(password=DEFAULT_PASSWORD)


@pytest.fixture
def open_tab(browser, live_server):
    """open_tab() gives a fresh tab with its own cookies (one per person in a test);
    JavaScript errors on any of them fail the test."""
    contexts, problems = [], []

    def make():
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(str(error)))
        return tab

    yield make
    for context in contexts:
        context.close()
    assert not problems, f"JavaScript errors on the page: {problems}"


@pytest.fixture
def log_in():
    """log_in(tab, email, password, name): through the login form, until the header shows
    the person's name."""
    from playwright.sync_api import expect

    def log_in(tab, email: str, password: str, name: str) -> None:
        tab.goto("/login/")
        tab.fill("input[name=username]", email)
        tab.fill("input[name=password]", password)
        tab.locator("main form button[type=submit]").click()
        expect(tab.locator("nav.site-nav")).to_contain_text(name)

    return log_in


@pytest.fixture
def pick_from_server():
    """pick_from_server(tab, control_id, typed, lookup_path, option_text): type into a
    picker (Tom Select) whose list the server completes, wait for the server's answer to the
    whole text, and choose the option. Safe on a busy machine: the box is focused before the
    text goes in as one input event, and an earlier answer for a shorter text is not taken."""
    from playwright.sync_api import expect

    def pick(tab, control_id: str, typed: str, lookup_path: str, option_text: str) -> None:
        control = tab.locator(f"#{control_id}")
        expect(control).to_be_attached(timeout=15_000)
        # The picker's box takes the click (its input sits aside).
        tab.locator(".ts-control", has=control).click()
        expect(control).to_be_focused()
        with tab.expect_response(
            lambda r: lookup_path in r.url and f"q={typed}" in r.url and r.status == 200,
            timeout=30_000,
        ):
            control.fill(typed)
        option = tab.locator(".ts-dropdown .option", has_text=option_text)
        expect(option).to_be_visible(timeout=15_000)
        option.click()

    return pick


@pytest.fixture
def make_founder(transactional_db):
    """make_founder(email, password, full_name, **fields) -> (person, community): someone
    allowed to found communities, who founded "Wijkzorg Noord" (slug wijkzorg-noord)."""
    from django.contrib.auth.models import Permission

    from kring.accounts.models import User
    from kring.communities.services import community_create

    def make(email: str, password: str, full_name: str, **fields):
        person = User.objects.create_user(email, password, full_name=full_name, **fields)
        person.user_permissions.add(Permission.objects.get(codename="add_community"))
        person = User.objects.get(pk=person.pk)  # permissions are cached on the instance
        community = community_create(by=person, name="Wijkzorg Noord", slug="wijkzorg-noord")
        return person, community

    return make


@pytest.fixture(autouse=True)
def _throttle_counters_start_empty(request):
    """The login and join-request counters live in a cache table that no model owns, so a
    transactional test's flush leaves them: empty it, so no test inherits another's."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from django.core.cache import caches

        caches["throttle"].clear()
    yield
