"""Sign-in through the organisation (OpenID Connect): what can be checked without a provider.

The whole flow against a real provider is in tests/browser/test_oidc.py.
"""

import json
import socket
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from kring.accounts import oidc

PASSWORD = "anna-s-own-long-passphrase"
ISSUER = "https://login.org.example/realms/org"
CONFIG = {
    "issuer": ISSUER,
    "authorization_endpoint": ISSUER + "/authorize",
    "token_endpoint": ISSUER + "/token",
    "userinfo_endpoint": ISSUER + "/userinfo",
    "jwks_uri": ISSUER + "/jwks",
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sso(settings, db):
    """SSO switched on, with the discovery document already in the cache (no network)."""
    settings.KRING_OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = "kring"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.KRING_OIDC_ONLY = False
    settings.KRING_OIDC_BUTTON_LABEL = ""
    settings.KRING_OIDC_PROVIDER_LOGOUT = False
    cache.set(oidc._cache_key(ISSUER), CONFIG)
    return settings


def test_without_issuer_login_page_is_as_before(client, settings):
    """Without KRING_OIDC_ISSUER there is no button and the password form is there."""
    settings.KRING_OIDC_ISSUER = ""
    body = client.get("/login/").content.decode()
    assert "/oidc/start/" not in body
    assert 'name="password"' in body


@pytest.mark.parametrize("path", ["/oidc/start/", "/oidc/callback/?code=x&state=y"])
def test_without_issuer_oidc_urls_are_404(client, settings, path):
    """The sign-in URLs do not exist while SSO is off."""
    settings.KRING_OIDC_ISSUER = ""
    assert client.get(path).status_code == 404


def test_login_page_shows_button_first_then_password_form(client, sso):
    """Normal mode: the organisation's button first, the password form (the main action) below."""
    body = client.get("/login/?next=/me/tokens/").content.decode()
    button = body.index("/oidc/start/?next=/me/tokens/")
    assert button < body.index('name="password"')
    assert "Log in through your organisation" in body
    assert body.count("data-primary-action") == 1
    assert "Forgot your password?" in body


def test_button_label_comes_from_the_environment(client, sso):
    """KRING_OIDC_BUTTON_LABEL replaces the button's text."""
    sso.KRING_OIDC_BUTTON_LABEL = "Inloggen met Gemeente-account"
    assert "Inloggen met Gemeente-account" in client.get("/login/").content.decode()


def test_start_redirects_to_provider_with_pkce_and_nonce(client, sso):
    """The start view sends the browser to the provider's authorisation endpoint."""
    response = client.get("/oidc/start/?next=/me/tokens/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == CONFIG["authorization_endpoint"]
    query = parse_qs(url.query)
    assert query["scope"] == ["openid email profile"]
    assert query["client_id"] == ["kring"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]
    assert client.session[oidc.NEXT_SESSION_KEY] == "/me/tokens/"


def test_start_forgets_an_outside_next(client, sso):
    """A `next` to another site is not kept: after the sign-in Kring goes home."""
    client.get("/oidc/start/?next=https://evil.example/")
    assert client.session[oidc.NEXT_SESSION_KEY] is None


def test_provider_down_gives_a_clear_page(client, settings, db):
    """An unreachable provider gives a 503 page that says so, with a way forward."""
    settings.KRING_OIDC_ISSUER = f"http://127.0.0.1:{closed_port()}/o"
    settings.KRING_OIDC_ONLY = False
    settings.OIDC_TIMEOUT = 5
    response = client.get("/oidc/start/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Kring cannot reach your organisation's login service" in body
    assert "Log in with a password" in body
    # No configuration is cached from a failure (the failure itself is, for a short while).
    assert cache.get(oidc._cache_key(settings.KRING_OIDC_ISSUER)) is None


def test_callback_without_a_started_sign_in_goes_back_to_login(client, sso):
    """A callback with an unknown state logs nobody in and says it did not work."""
    response = client.get("/oidc/callback/?code=abc&state=forged", follow=True)
    assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session
    assert "Logging in through your organisation did not work" in response.content.decode()


def test_callback_with_provider_error_says_it_was_stopped(client, sso):
    """The provider's `error` (the person cancelled) gives its own message."""
    client.get("/oidc/start/?next=/me/tokens/")
    state = next(iter(client.session["oidc_states"]))
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=%2Fme%2Ftokens%2F"
    assert "was stopped" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_only_sso_hides_password_form(client, sso):
    """Only-SSO mode: the button is the main action; no password form, no reset link."""
    sso.KRING_OIDC_ONLY = True
    body = client.get("/login/").content.decode()
    assert 'name="password"' not in body
    assert "Forgot your password?" not in body
    assert body.count("data-primary-action") == 1
    assert 'href="/oidc/start/" data-primary-action' in body


def test_only_sso_refuses_password_of_normal_user(client, sso, make_user):
    """Only-SSO mode: the right password of a normal user logs nobody in."""
    sso.KRING_OIDC_ONLY = True
    make_user(email="anna@example.org", password=PASSWORD)
    response = client.post("/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Log in through your organisation" in response.content.decode()


def test_only_sso_lets_superuser_in_with_password(client, sso, make_admin):
    """Break-glass: a superuser still logs in with a password (form at /login/?password)."""
    sso.KRING_OIDC_ONLY = True
    admin = make_admin(email="beheer@example.org", password=PASSWORD)
    assert 'name="password"' in client.get("/login/?password").content.decode()
    response = client.post("/login/", {"username": "beheer@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_only_sso_password_reset_only_for_superusers(client, sso, make_user, make_admin):
    """Only-SSO mode: a reset e-mail goes to superusers only."""
    sso.KRING_OIDC_ONLY = True
    make_user(email="anna@example.org")
    make_admin(email="beheer@example.org")
    client.post("/password-reset/", {"email": "anna@example.org"})
    client.post("/password-reset/", {"email": "beheer@example.org"})
    assert [m.to for m in mail.outbox] == [["beheer@example.org"]]


def test_password_reset_unchanged_in_normal_mode(client, sso, make_user):
    """With SSO on but not only-SSO, anyone with a password can reset it."""
    make_user(email="anna@example.org")
    client.post("/password-reset/", {"email": "anna@example.org"})
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]


def test_backend_ignores_password_logins(sso, rf, make_user):
    """The OIDC backend never answers a password form, even with code and state in the URL."""
    user = make_user(email="anna@example.org")
    backend = oidc.KringOIDCBackend()
    request = rf.get("/login/?code=x&state=y")
    assert backend.authenticate(request, username=user.email, password=PASSWORD) is None


class FakeRequest:
    pass


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "anna@example.org", "email_verified": False}, "unverified"),
        ({"email": "anna@example.org"}, "unverified"),
        ({"email": "anna@example.org", "email_verified": "false"}, "unverified"),
        ({"email_verified": True}, "no_email"),
        ({"email": "nobody@example.org", "email_verified": True}, "unknown"),
    ],
)
def test_matching_refuses(sso, make_user, claims, reason):
    """Only a verified address of an existing active account matches."""
    make_user(email="anna@example.org")
    backend = oidc.KringOIDCBackend()
    backend.request = FakeRequest()
    backend.OIDC_OP_USER_ENDPOINT = ""
    assert backend.get_or_create_user("access", "id", {"sub": "1", **claims}) is None
    assert backend.request.kring_oidc_failure == reason


def test_matching_is_case_insensitive_and_skips_inactive(sso, make_user):
    """A verified address matches in any case; a switched-off account does not."""
    anna = make_user(email="anna@example.org")
    make_user(email="old@example.org", is_active=False)
    backend = oidc.KringOIDCBackend()
    backend.request = FakeRequest()
    backend.OIDC_OP_USER_ENDPOINT = ""
    claims = {"sub": "1", "email": " Anna@Example.ORG", "email_verified": "true"}
    assert backend.get_or_create_user("access", "id", claims) == anna
    claims = {"sub": "2", "email": "old@example.org", "email_verified": True}
    assert backend.get_or_create_user("access", "id", claims) is None
    assert backend.request.kring_oidc_failure == "unknown"


def test_unknown_people_get_an_account_only_when_allowed(sso, db):
    """KRING_OIDC_CREATE_USERS creates a password-less account from the verified claims."""
    from kring.accounts.models import User

    sso.KRING_OIDC_CREATE_USERS = True
    backend = oidc.KringOIDCBackend()
    backend.request = FakeRequest()
    backend.OIDC_OP_USER_ENDPOINT = ""
    claims = {"sub": "9", "email": "New@Org.example", "email_verified": True, "name": "Nina Nieuw"}
    user = backend.get_or_create_user("access", "id", claims)
    assert user == User.objects.get(email="new@org.example")
    assert user.full_name == "Nina Nieuw"
    assert not user.has_usable_password()


def test_first_login_counts_as_joining(make_user):
    """An invited person without a password has joined once they have logged in."""
    person = make_user(email="anna@example.org", password=None)
    assert not person.has_joined
    person.last_login = timezone.now()
    assert person.has_joined


def test_person_joined_through_sso_gets_no_new_invitation(make_user, make_community):
    """Adding someone who joined through the organisation (no password) sends no invitation."""
    from kring.communities.services_invitations import member_add_by_email

    community = make_community()
    facilitator = community.memberships.get().user
    person = make_user(email="anna@example.org", password=None)
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    mail.outbox.clear()
    _membership, invited = member_add_by_email(
        community=community, by=facilitator, email="anna@example.org"
    )
    assert not invited
    assert mail.outbox == []


def test_logout_ends_only_kring_session_by_default(client, sso, make_user):
    """Without KRING_OIDC_PROVIDER_LOGOUT, logging out goes back to Kring's login page."""
    client.force_login(make_user())
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_logout_at_provider_page(client, sso, make_user):
    """With KRING_OIDC_PROVIDER_LOGOUT and an ID token from the sign-in, the logout page moves
    on to the provider's end_session_endpoint with the hint and the way back."""
    sso.KRING_OIDC_PROVIDER_LOGOUT = True
    cache.set(oidc._cache_key(ISSUER), {**CONFIG, "end_session_endpoint": ISSUER + "/logout"})
    client.force_login(make_user())
    session = client.session
    session[oidc.ID_TOKEN_SESSION_KEY] = "the.id.token"
    session.save()
    response = client.post("/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    url = urlsplit(response.context["provider_logout_url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == ISSUER + "/logout"
    assert parse_qs(url.query) == {
        "id_token_hint": ["the.id.token"],
        "client_id": ["kring"],
        "post_logout_redirect_uri": ["http://testserver/login/"],
    }
    assert 'http-equiv="refresh"' in response.content.decode()


def test_logout_at_provider_skipped_without_endpoint(client, sso, make_user):
    """A provider without end_session_endpoint: only the Kring session ends."""
    sso.KRING_OIDC_PROVIDER_LOGOUT = True
    client.force_login(make_user())
    session = client.session
    session[oidc.ID_TOKEN_SESSION_KEY] = "the.id.token"
    session.save()
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


# --- The ID token: every way it can be wrong is a clear failure, never a server error -------

_RSA_KEY = None


def rsa_key():
    """One test RSA key for the module (generating one takes a moment)."""
    global _RSA_KEY
    if _RSA_KEY is None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        _RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _RSA_KEY


def jwks() -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key().public_key()))
    return {"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]}


def id_token(nonce: str, *, headers=None, drop=(), **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "kring",
        "sub": "sub-anna",
        "iat": now,
        "exp": now + 300,
        "nonce": nonce,
        "email": "anna@example.org",
        "email_verified": True,
        **changes,
    }
    for name in drop:
        claims.pop(name)
    headers = {"kid": "test-key"} if headers is None else headers
    return jwt.encode(claims, rsa_key(), algorithm="RS256", headers=headers)


class FakeResponse:
    def __init__(self, data):
        self.data = data
        self.status_code = 200
        self.headers = {"content-type": "application/json"}

    def json(self):
        return self.data

    def raise_for_status(self):
        pass


@pytest.fixture
def provider(sso, monkeypatch):
    """A provider in this process: the token endpoint answers with `provider.token(nonce)`."""
    state = SimpleNamespace(token=lambda nonce: id_token(nonce), userinfo=None)
    config = {**CONFIG, "userinfo_endpoint": ""}
    cache.set(oidc._cache_key(ISSUER), config)

    def fake_post(url, data=None, **kwargs):
        assert url == CONFIG["token_endpoint"]
        answer = {"access_token": "access", "token_type": "Bearer"}
        token = state.token(state.nonce)
        if token is not None:
            answer["id_token"] = token
        return FakeResponse(answer)

    def fake_get(url, **kwargs):
        if url == CONFIG["jwks_uri"]:
            return FakeResponse(jwks())
        if url == CONFIG["userinfo_endpoint"] and state.userinfo is not None:
            return FakeResponse(state.userinfo)
        raise AssertionError(f"unexpected GET {url}")

    monkeypatch.setattr(requests, "post", fake_post)
    monkeypatch.setattr(requests, "get", fake_get)
    return state


def callback(client, provider):
    """Start a sign-in, then come back from the provider with a code."""
    client.get("/oidc/start/")
    state = next(iter(client.session["oidc_states"]))
    provider.nonce = client.session["oidc_states"][state]["nonce"]
    return client.get(f"/oidc/callback/?code=the-code&state={state}", follow=True)


def test_callback_with_good_token_logs_in(client, provider, make_user):
    """The test provider works: a right token logs the person in."""
    anna = make_user(email="anna@example.org")
    response = callback(client, provider)
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(anna.pk)


def test_token_a_little_ahead_of_our_clock_is_accepted(client, provider, make_user):
    """A provider whose clock runs a few seconds ahead (iat in the future) is fine."""
    anna = make_user(email="anna@example.org")
    provider.token = lambda nonce: id_token(nonce, iat=int(time.time()) + 5)
    callback(client, provider)
    assert client.session["_auth_user_id"] == str(anna.pk)


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda n: id_token(n, iat=int(time.time()) + 600), id="iat-future"),
        pytest.param(lambda n: id_token(n, exp=int(time.time()) - 600), id="expired"),
        pytest.param(lambda n: id_token(n, drop=["exp"]), id="no-exp"),
        pytest.param(lambda n: id_token(n, drop=["iat"]), id="no-iat"),
        pytest.param(lambda n: id_token(n, drop=["sub"]), id="no-sub"),
        pytest.param(lambda n: id_token(n, drop=["aud"]), id="no-aud"),
        pytest.param(lambda n: id_token(n, drop=["iss"]), id="no-iss"),
        pytest.param(lambda n: id_token(n, aud="someone-else"), id="other-audience"),
        pytest.param(lambda n: id_token(n, iss="https://evil.example"), id="other-issuer"),
        pytest.param(lambda n: id_token("replayed"), id="wrong-nonce"),
        pytest.param(lambda n: id_token(n, headers={}), id="no-kid"),
        pytest.param(lambda n: id_token(n, headers={"kid": "unknown"}), id="unknown-kid"),
        pytest.param(lambda n: id_token(n)[:-8] + "AAAAAAAA", id="bad-signature"),
        pytest.param(lambda n: "not-a-token", id="garbage"),
        pytest.param(lambda n: None, id="missing"),
    ],
)
def test_bad_id_token_is_a_clear_failure(client, provider, make_user, make_token):
    """A token that does not check out logs nobody in and says so on the login page."""
    make_user(email="anna@example.org")
    provider.token = make_token
    response = callback(client, provider)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/login/"
    assert "_auth_user_id" not in client.session
    assert "Logging in through your organisation did not work" in response.content.decode()


# --- Only-SSO mode: the password form tells nothing about passwords ------------------------

SSO_ONLY_MESSAGE = "A password works here only for administrators."


def login_errors(client, email, password):
    response = client.post("/login/?password", {"username": email, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    return response.context["form"].non_field_errors()


def test_only_sso_same_answer_for_right_and_wrong_password(client, sso, make_user, make_admin):
    """A normal user's right password, wrong password, an unknown address and an
    administrator's wrong password all get the same answer."""
    sso.KRING_OIDC_ONLY = True
    make_user(email="anna@example.org", password=PASSWORD)
    make_admin(email="beheer@example.org", password=PASSWORD)
    answers = [
        login_errors(client, "anna@example.org", PASSWORD),
        login_errors(client, "anna@example.org", "wrong-password-123"),
        login_errors(client, "nobody@example.org", PASSWORD),
        login_errors(client, "beheer@example.org", "wrong-password-123"),
    ]
    assert all(answer == answers[0] for answer in answers), answers
    assert SSO_ONLY_MESSAGE in answers[0][0]


def test_only_sso_checks_no_password_of_normal_user(client, sso, make_user, monkeypatch):
    """Only-SSO mode refuses a normal user before any password is checked."""
    from django.contrib.auth import forms as auth_forms

    sso.KRING_OIDC_ONLY = True
    make_user(email="anna@example.org", password=PASSWORD)
    checked = []
    real = auth_forms.authenticate
    monkeypatch.setattr(
        auth_forms, "authenticate", lambda *a, **kw: checked.append(kw) or real(*a, **kw)
    )
    login_errors(client, "anna@example.org", PASSWORD)
    assert checked == []


# --- The address and its verified flag come from one answer --------------------------------


@pytest.mark.parametrize(
    ("token_claims", "userinfo", "logged_in"),
    [
        pytest.param(
            {"email": "anna@example.org", "email_verified": True},
            {"email": "carla@example.org"},
            None,
            id="userinfo-address-without-flag",
        ),
        pytest.param(
            {"email": "anna@example.org", "email_verified": True},
            {"email": "carla@example.org", "email_verified": False},
            None,
            id="userinfo-address-unverified",
        ),
        pytest.param(
            {"email": "anna@example.org", "email_verified": False},
            {"email_verified": True},
            None,
            id="userinfo-flag-without-address",
        ),
        pytest.param(
            {"email": "anna@example.org", "email_verified": False},
            {"email": "carla@example.org", "email_verified": True},
            "carla@example.org",
            id="userinfo-complete",
        ),
        pytest.param(
            {"email": "anna@example.org", "email_verified": True},
            {"name": "Anna"},
            "anna@example.org",
            id="token-complete",
        ),
    ],
)
def test_email_and_verified_come_from_one_answer(
    client, provider, make_user, token_claims, userinfo, logged_in
):
    """A verified flag in one answer never vouches for the address in the other."""
    people = {e: make_user(email=e) for e in ("anna@example.org", "carla@example.org")}
    cache.set(oidc._cache_key(ISSUER), CONFIG)
    provider.token = lambda nonce: id_token(nonce, **token_claims)
    provider.userinfo = {"sub": "sub-anna", **userinfo}
    callback(client, provider)
    if logged_in is None:
        assert "_auth_user_id" not in client.session
    else:
        assert client.session["_auth_user_id"] == str(people[logged_in].pk)


# --- A provider that is down is asked at most every 30 seconds -----------------------------


def test_provider_down_is_remembered_for_a_while(client, settings, db, monkeypatch):
    """After a failed discovery the next attempts get the clear page at once, without asking
    the provider again, until the failure is forgotten; discovery waits at most 5 s."""
    settings.KRING_OIDC_ISSUER = "https://down.org.example"
    settings.KRING_OIDC_ONLY = False
    asked = []

    def fake_get(url, **kwargs):
        asked.append(kwargs.get("timeout"))
        raise requests.ConnectionError("connection refused")

    monkeypatch.setattr(requests, "get", fake_get)
    for _attempt in range(3):
        response = client.get("/oidc/start/")
        assert response.status_code == 503
        assert "Kring cannot reach your organisation" in response.content.decode()
    assert len(asked) == 1
    assert 0 < asked[0] <= 5
    assert 0 < settings.KRING_OIDC_DISCOVERY_FAILURE_SECONDS <= 60
    # Once forgotten (the cache entry's time is up), the provider is asked again.
    cache.delete(oidc._cache_key(settings.KRING_OIDC_ISSUER) + ":failed")
    assert client.get("/oidc/start/").status_code == 503
    assert len(asked) == 2
