"""Invitations next to sign-in through the organisation (OpenID Connect) and two-step login.

An invitation completes an account that never joined; it never sets a password for, or
switches back on, an account that was used before. In only-SSO mode the invitee logs in
through the organisation and then accepts.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts import oidc, two_factor
from kring.accounts.models import User
from kring.communities.models import Membership
from kring.communities.services_invitations import invitation_create, invitation_signup

ISSUER = "https://login.org.example/realms/org"
NEW_PASSWORD = "tulips-and-canals-42"


@pytest.fixture
def community(make_community):
    return make_community(name="Zorg thuis", slug="zorg-thuis")


@pytest.fixture
def sso(settings, db):
    settings.KRING_OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = "kring"
    settings.KRING_OIDC_ONLY = False
    settings.KRING_OIDC_BUTTON_LABEL = ""
    cache.set(
        oidc._cache_key(ISSUER),
        {
            "issuer": ISSUER,
            "authorization_endpoint": ISSUER + "/authorize",
            "token_endpoint": ISSUER + "/token",
            "jwks_uri": ISSUER + "/jwks",
        },
    )
    return settings


def invite(community, email):
    _invitation, secret = invitation_create(
        community=community, by=community.created_by, email=email, send=False
    )
    return secret, f"/invitations/{secret}/"


def sso_person(make_user, *, is_active=True):
    """Someone who logged in through the organisation: no password, a last login."""
    return make_user(
        email="sso@org.example",
        full_name="Sanne Sso",
        password=None,
        is_active=is_active,
        last_login=timezone.now(),
    )


def assert_untouched(person):
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert person.full_name == "Sanne Sso"


def test_only_sso_signup_post_changes_nothing(client, sso, make_user, community):
    """The reported case: only-SSO mode, a switched-off SSO account invited by e-mail. The
    sign-up POST does not set a password, switch it on, rename it or log anyone in."""
    sso.KRING_OIDC_ONLY = True
    person = sso_person(make_user, is_active=False)
    _secret, url = invite(community, "sso@org.example")
    response = client.post(url, {"full_name": "Someone Else", "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert_untouched(person)
    assert not person.is_active
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(community=community, user=person).exists()


def test_only_sso_service_refuses_password_signup(sso, community):
    """The service itself refuses a sign-up with a password in only-SSO mode."""
    sso.KRING_OIDC_ONLY = True
    secret, _url = invite(community, "new@org.example")
    with pytest.raises(ValidationError):
        invitation_signup(secret=secret, full_name="Nina", password=NEW_PASSWORD)
    assert not User.objects.filter(email="new@org.example").exists()


@pytest.mark.parametrize("is_active", [True, False], ids=["active", "switched-off"])
def test_signup_refuses_account_that_joined_through_sso(
    client, sso, make_user, community, is_active
):
    """Without only-SSO mode too: an account that logged in through the organisation is not
    completed again by an invitation, whether active or switched off by an administrator."""
    person = sso_person(make_user, is_active=is_active)
    _secret, url = invite(community, "sso@org.example")
    response = client.post(url, {"full_name": "Someone Else", "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert b"An account with this e-mail address exists. Please log in first." in response.content
    assert_untouched(person)
    assert person.is_active is is_active
    assert "_auth_user_id" not in client.session


def test_signup_refuses_switched_off_account_with_password(client, make_user, community):
    """A switched-off account that had a password is not switched back on either."""
    person = make_user(email="old@example.org", is_active=False, last_login=timezone.now())
    person.set_unusable_password()
    person.save()
    _secret, url = invite(community, "old@example.org")
    client.post(url, {"full_name": "Someone Else", "password": NEW_PASSWORD})
    person.refresh_from_db()
    assert not person.is_active
    assert not person.has_usable_password()


def test_imported_account_is_still_completed(client, make_user, community):
    """An imported account (switched off, never joined) is completed and switched on by the
    invitation to its address, as the imports intend."""
    person = make_user(email="imported@example.org", password=None, is_active=False)
    _secret, url = invite(community, "imported@example.org")
    response = client.post(url, {"full_name": "Ida Import", "password": NEW_PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert person.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(person.pk)


def test_only_sso_invitation_page_sends_to_organisation(client, sso, community):
    """Only-SSO mode: no password form; the main action is the organisation's login, which
    comes back to the invitation."""
    sso.KRING_OIDC_ONLY = True
    _secret, url = invite(community, "new@org.example")
    body = client.get(url).content.decode()
    assert 'name="password"' not in body
    assert body.count("data-primary-action") == 1
    start = "/oidc/start/?next=" + url.replace("/", "%2F")
    assert f'href="{start}" data-primary-action' in body
    # The start view keeps that `next` for after the sign-in.
    client.get(start)
    assert client.session[oidc.NEXT_SESSION_KEY] == url


def test_only_sso_invitee_accepts_once_logged_in(make_client, sso, make_user, community):
    """Back from the organisation, logged in as the invited address: one click joins."""
    sso.KRING_OIDC_ONLY = True
    person = sso_person(make_user)
    _secret, url = invite(community, "sso@org.example")
    client = make_client(person)
    assert b"Join Zorg thuis" in client.get(url).content
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(community=community, user=person).exists()


def test_only_sso_other_address_cannot_accept(make_client, sso, make_user, community):
    """Logged in through the organisation as someone else: the invitation is refused."""
    sso.KRING_OIDC_ONLY = True
    other = make_user(email="other@org.example", password=None, last_login=timezone.now())
    _secret, url = invite(community, "sso@org.example")
    make_client(other).post(url)
    assert not Membership.objects.filter(community=community, user=other).exists()


def test_signup_with_authenticator_app_asks_for_the_code(client, make_user, community):
    """A pending account that already has an authenticator app is not logged in by the
    sign-up: the code step comes first."""
    person = make_user(email="pim@example.org", password=None)
    device = two_factor.totp_device_pending(user=person)
    step = int(timezone.now().timestamp()) // 30
    assert two_factor.two_factor_confirm(
        user=person, code=f"{hotp(device.bin_key, step, digits=6):06d}"
    )
    assert TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    _secret, url = invite(community, "pim@example.org")
    response = client.post(url, {"full_name": "Pim", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.session[two_factor.PENDING_KEY]["user"] == person.pk


def test_only_sso_invitation_gives_the_address_an_account(client, sso, community):
    """Only-SSO mode: opening an e-mail invitation to an unknown address makes a
    password-less account for it, so the organisation's login can match it and the person
    can accept. Nothing more: no password, no membership yet."""
    sso.KRING_OIDC_ONLY = True
    _secret, url = invite(community, "Nina.Nieuw@Org.example")
    assert client.get(url).status_code == 200
    nina = User.objects.get(email="nina.nieuw@org.example")
    assert nina.full_name == "Nina Nieuw"
    assert nina.is_active
    assert not nina.has_usable_password()
    assert not nina.has_joined
    assert not Membership.objects.filter(community=community, user=nina).exists()
    client.get(url)
    assert User.objects.filter(email__iexact="nina.nieuw@org.example").count() == 1


def test_only_sso_link_invitation_makes_no_account(client, sso, community):
    """A shared link names no address: it makes no account (the person needs one already, or
    KRING_OIDC_CREATE_USERS)."""
    sso.KRING_OIDC_ONLY = True
    people = User.objects.count()
    _secret, url = invite(community, "")
    assert client.get(url).status_code == 200
    assert User.objects.count() == people


def test_normal_mode_invitation_page_makes_no_account(client, sso, community):
    """Without only-SSO mode, opening an invitation changes nothing."""
    _secret, url = invite(community, "nina@org.example")
    client.get(url)
    assert not User.objects.filter(email="nina@org.example").exists()


def test_only_sso_invitation_opened_twice_at_once(client, sso, community, monkeypatch):
    """Two requests at once both see no account; the second's creation is no server error."""
    sso.KRING_OIDC_ONLY = True
    _secret, url = invite(community, "nina@org.example")
    User.objects.create_user(email="nina@org.example", password=None, full_name="Nina")
    real_filter = User.objects.filter

    class Unseen:
        def exists(self):
            return False

    monkeypatch.setattr(
        User.objects,
        "filter",
        lambda *a, **kw: Unseen() if "email__iexact" in kw else real_filter(*a, **kw),
    )
    assert client.get(url).status_code == 200
    monkeypatch.undo()
    assert User.objects.filter(email="nina@org.example").count() == 1
