"""Logging in and out, throttling, password reset, and joining only by invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache.backends import db as db_cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

WRONG = "That e-mail address and password do not match. Please try again."
PASSWORD = "anna-s-own-long-passphrase"
THROTTLED = "Too many failed attempts. For your safety, wait 15 minutes or reset your password."


def log_in(client, email, password=PASSWORD, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def form_errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_login_with_email_and_password(client, make_user):
    """The right e-mail address (any case) and password log in and go home."""
    user = make_user(email="anna@example.org", password=PASSWORD)
    response = log_in(client, "  Anna@Example.ORG")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == str(user.pk)


def test_login_follows_next(client, make_user):
    """After logging in, people land on the page they asked for."""
    make_user(email="anna@example.org", password=PASSWORD)
    response = client.post(
        "/login/?next=/me/tokens/", {"username": "anna@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/me/tokens/"


def test_login_refuses_outside_redirect(client, make_user):
    """A `next` pointing to another site is ignored."""
    make_user(email="anna@example.org", password=PASSWORD)
    response = client.post(
        "/login/?next=https://evil.example/", {"username": "anna@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_login_sets_language_of_account(make_client, make_user):
    """Logging in switches the interface to the person's own language."""
    make_user(email="anna@example.org", password=PASSWORD, language="nl")
    client = make_client()
    response = log_in(client, "anna@example.org")
    assert response.cookies["kring_language"].value == "nl"


@pytest.mark.parametrize(
    ("email", "password"),
    [("anna@example.org", "wrong-password"), ("nobody@example.org", PASSWORD), ("", "")],
    ids=["wrong-password", "unknown-address", "empty"],
)
def test_login_refused(client, make_user, email, password):
    """A wrong password or unknown address gets one clear message and no session."""
    make_user(email="anna@example.org", password=PASSWORD)
    response = log_in(client, email, password)
    assert response.status_code == 200
    assert logged_in_as(client) is None
    if email:
        assert form_errors(response) == [WRONG]
        assert WRONG.encode() in response.content
    else:
        assert response.context["form"].errors["username"] == ["This field is required."]


def test_inactive_account_cannot_log_in(client, make_user):
    """A deactivated account can't log in, even with the right password."""
    make_user(email="anna@example.org", password=PASSWORD, is_active=False)
    response = log_in(client, "anna@example.org")
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_login_throttled_per_address(client, make_user, settings):
    """After the allowed failures for an address, even the right password is refused."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="anna@example.org", password=PASSWORD)
    for _ in range(3):
        assert form_errors(log_in(client, "anna@example.org", "guess")) == [WRONG]
    response = log_in(client, "ANNA@example.org")
    assert response.status_code == 200
    assert form_errors(response) == [THROTTLED]
    assert THROTTLED.encode() in response.content
    assert logged_in_as(client) is None


def test_throttle_is_per_address(client, make_user, settings):
    """Failures for one address don't lock out another person."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="anna@example.org", password=PASSWORD)
    bob = make_user(email="bob@example.org", password=PASSWORD)
    for _ in range(3):
        log_in(client, "anna@example.org", "guess")
    log_in(client, "bob@example.org")
    assert logged_in_as(client) == str(bob.pk)


def test_throttle_per_client_address(client, make_user, settings):
    """Guessing across many addresses from one client address is stopped too."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="victim@example.org", password=PASSWORD)
    for n in range(12):
        log_in(client, f"guess{n}@example.org", "guess", REMOTE_ADDR="203.0.113.9")
    response = log_in(client, "victim@example.org", REMOTE_ADDR="203.0.113.9")
    assert form_errors(response) == [THROTTLED]
    log_in(client, "victim@example.org", REMOTE_ADDR="198.51.100.1")
    assert logged_in_as(client) is not None


def test_successful_login_clears_failures(make_client, make_user, settings):
    """A successful login starts the count of failures for the address again."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    user = make_user(email="anna@example.org", password=PASSWORD)
    client = make_client()
    for _ in range(2):
        log_in(client, "anna@example.org", "guess")
    log_in(client, "anna@example.org")
    client.post("/logout/")
    for _ in range(2):
        log_in(client, "anna@example.org", "guess")
    log_in(client, "anna@example.org")
    assert logged_in_as(client) == str(user.pk)


def test_logout_by_post(make_client, make_user):
    """Logging out is a POST; it ends the session and goes to the login page."""
    client = make_client(make_user())
    assert client.get("/logout/").status_code == 405
    assert logged_in_as(client) is not None
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert logged_in_as(client) is None
    assert client.get("/").status_code == 302


def test_password_reset(client, make_user):
    """A reset request sends one e-mail whose link lets the person choose a new password."""
    user = make_user(email="anna@example.org", password=PASSWORD)
    response = client.post("/password-reset/", {"email": "Anna@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    link = re.search(r"https?://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body)

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "a-brand-new-secret", "new_password2": "a-brand-new-secret"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret")

    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert again.context["validlink"] is False


def test_password_reset_unknown_address(client, make_user):
    """Asking a reset for an unknown address sends nothing and reveals nothing."""
    make_user(email="anna@example.org", password=PASSWORD)
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_not_for_pending_accounts(client, make_community):
    """Someone invited who never set a password gets no reset e-mail: the invitation is
    their way in."""
    from kring.communities.services_invitations import member_add_by_email

    community = make_community()
    member_add_by_email(
        community=community, by=community.created_by, email="pim@example.org", full_name="Pim"
    )
    client.post("/password-reset/", {"email": "pim@example.org"})
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["signup", "register", "account_signup", "user-create"])
def test_no_sign_up_url_name(name):
    """There is no open sign-up: no view is registered under the usual names."""
    with pytest.raises(NoReverseMatch):
        reverse(name)


@pytest.mark.parametrize("path", ["/signup/", "/register/", "/accounts/signup/", "/join/"])
def test_no_sign_up_page(client, db, path):
    """The usual sign-up addresses don't exist; joining is only through an invitation."""
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "x@example.org", "password": "x"}).status_code == 404


def test_login_page_explains_invitations(client, db):
    """The login page tells newcomers that joining goes through an invitation."""
    response = client.get("/login/")
    assert b"You join through an invitation from a facilitator." in response.content


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def test_failures_are_seen_by_every_process(client, make_user, settings):
    """Failures counted by one worker process stop the next attempt in another: the
    counters live in the shared throttle cache, not in a process's own memory."""
    from django.core.cache import caches

    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="anna@example.org", password=PASSWORD)
    for _ in range(3):
        log_in(client, "anna@example.org", "guess", **ATTACKER)
        # The next request is served by another process, with an empty local cache.
        caches["default"].clear()
    response = log_in(client, "anna@example.org", **ATTACKER)
    assert form_errors(response) == [THROTTLED]


def test_throttle_cache_table_exists_after_migrate(db):
    """The migrations create the throttle's cache table, so a fresh install works."""
    from django.conf import settings as django_settings
    from django.db import connection

    assert django_settings.THROTTLE_CACHE_TABLE in connection.introspection.table_names()


def test_attacker_refused_after_limit(client, make_user, settings):
    """After the allowed failures from one client, that client is refused, even with the
    right password."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 4, 900
    make_user(email="anna@example.org", password=PASSWORD)
    for _ in range(4):
        assert form_errors(log_in(client, "anna@example.org", "guess", **ATTACKER)) == [WRONG]
    assert form_errors(log_in(client, "anna@example.org", "guess", **ATTACKER)) == [THROTTLED]
    assert form_errors(log_in(client, "anna@example.org", **ATTACKER)) == [THROTTLED]
    assert logged_in_as(client) is None


def test_owner_on_own_device_logs_in_while_attacker_is_locked_out(make_client, make_user, settings):
    """A browser that logged in as the person before still logs in while attackers from
    many addresses have used up every other allowance for that address."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    user = make_user(email="anna@example.org", password=PASSWORD)
    owner = make_client()
    log_in(owner, "anna@example.org", **OWNER)
    assert "kring_device" in owner.cookies
    owner.post("/logout/")

    attacker = make_client()
    for n in range(6):
        for _ in range(3):
            log_in(attacker, "anna@example.org", "guess", REMOTE_ADDR=f"203.0.113.{n}")
    # The address is now refused for any client without the device cookie, even the
    # owner's own address on a new browser ...
    assert form_errors(log_in(attacker, "anna@example.org", **OWNER)) == [THROTTLED]
    assert form_errors(log_in(make_client(), "anna@example.org", **OWNER)) == [THROTTLED]
    # ... but the owner's own browser gets in, from any address.
    log_in(owner, "anna@example.org", REMOTE_ADDR="203.0.113.1")
    assert logged_in_as(owner) == str(user.pk)


def test_device_cookie_is_for_one_person_and_signed(make_client, make_user, settings):
    """The device cookie recognises only the person who logged in with it, and a forged
    value counts for nothing."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="anna@example.org", password=PASSWORD, language="en")
    make_user(email="bob@example.org", password=PASSWORD, language="en")
    browser = make_client()
    log_in(browser, "anna@example.org")
    browser.post("/logout/")
    for _ in range(3):
        log_in(browser, "bob@example.org", "guess", **ATTACKER)
    assert form_errors(log_in(browser, "bob@example.org", **ATTACKER)) == [THROTTLED]

    forged = make_client()
    forged.cookies["kring_device"] = browser.cookies["kring_device"].value + "x"
    for _ in range(3):
        log_in(forged, "anna@example.org", "guess", **ATTACKER)
    assert form_errors(log_in(forged, "anna@example.org", **ATTACKER)) == [THROTTLED]


def test_own_device_is_limited_too(make_client, make_user, settings):
    """A recognised device is still refused after its own allowed failures."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 3, 900
    make_user(email="anna@example.org", password=PASSWORD, language="en")
    browser = make_client()
    log_in(browser, "anna@example.org")
    browser.post("/logout/")
    for _ in range(3):
        assert form_errors(log_in(browser, "anna@example.org", "guess")) == [WRONG]
    assert form_errors(log_in(browser, "anna@example.org")) == [THROTTLED]


def test_limits_and_window_come_from_settings(client, make_user, settings, monkeypatch):
    """KRING_LOGIN_MAX_FAILURES sets the allowance and KRING_LOGIN_WINDOW_SECONDS the time
    the counters are kept (and the minutes in the message)."""
    settings.KRING_LOGIN_MAX_FAILURES, settings.KRING_LOGIN_WINDOW_SECONDS = 2, 120
    make_user(email="anna@example.org", password=PASSWORD)
    for _ in range(2):
        assert form_errors(log_in(client, "anna@example.org", "guess")) == [WRONG]
    assert form_errors(log_in(client, "anna@example.org")) == [
        THROTTLED.replace("15 minutes", "2 minutes")
    ]
    # Within the window the refusal stands; once it has passed, the right password works.
    now = timezone.now()
    monkeypatch.setattr(db_cache, "tz_now", lambda: now + timedelta(seconds=100))
    assert form_errors(log_in(client, "anna@example.org"))[0].startswith("Too many")
    monkeypatch.setattr(db_cache, "tz_now", lambda: now + timedelta(seconds=130))
    log_in(client, "anna@example.org")
    assert logged_in_as(client) is not None
