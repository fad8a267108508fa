"""Two-step login in a real headless Chromium: a person sets up a code app by reading the key
off the page, logs out, and logs in again with password and code, on a phone-sized screen."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kring.accounts.models import User

pytestmark = pytest.mark.browser

PASSWORD = "anna-s-own-long-passphrase"
PHONE = {"width": 390, "height": 844}


def _code(key: bytes, step: int) -> str:
    return f"{hotp(key, step, digits=6):06d}"


def _no_sideways_scroll(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


def test_enrol_then_log_in_with_code(open_tab, log_in, transactional_db, screenshot):
    """Set up two-step login from the key on the page; the next login asks for the code."""
    user = User.objects.create_user(
        email="anna@example.org", password=PASSWORD, full_name="Anna de Vries"
    )
    tab = open_tab()
    tab.set_viewport_size(PHONE)
    log_in(tab, user.email, PASSWORD, "Anna")

    tab.goto("/me/profile/")
    tab.locator("a[href='/me/security/']").click()
    expect(tab).to_have_url(re.compile(r"/me/security/$"))
    expect(tab.locator(".two-factor-qr svg")).to_be_visible()
    code_input = tab.locator("input[name=code]")
    expect(code_input).to_have_attribute("inputmode", "numeric")
    expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    _no_sideways_scroll(tab)
    screenshot(tab, "two-factor-01-enrol")

    secret = tab.locator("[data-secret]").inner_text().replace(" ", "").strip()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code_input.fill(_code(key, int(time.time()) // 30))
    with tab.expect_response(
        lambda r: r.url.endswith("/me/security/") and r.request.method == "POST"
    ):
        tab.locator("[data-primary-action]").click()
    codes = tab.locator(".backup-codes code")
    expect(codes).to_have_count(10)
    _no_sideways_scroll(tab)
    screenshot(tab, "two-factor-02-backup-codes")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    tab.locator("summary.menu-button").click()
    with tab.expect_response(lambda r: r.url.endswith("/logout/")):
        tab.locator("form.logout-form button").click()
    expect(tab).to_have_url(re.compile(r"/login/"))

    tab.goto("/login/?next=/me/tokens/")
    tab.fill("input[name=username]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(re.compile(r"/login/code/$"))
    # Not logged in yet: the header offers the login, not the person's menu.
    expect(tab.locator("nav.site-nav")).to_have_count(0)
    _no_sideways_scroll(tab)
    screenshot(tab, "two-factor-03-code-step")

    # A code after the one used to switch on (a code counts once).
    last_t = TOTPDevice.objects.get(user=user).last_t
    tab.fill("input[name=code]", _code(key, max(last_t + 1, int(time.time()) // 30)))
    tab.locator("[data-primary-action]").click()
    expect(tab).to_have_url(re.compile(r"/me/tokens/$"))
    expect(tab.locator("nav.site-nav")).to_contain_text("Anna")
