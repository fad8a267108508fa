"""Two-step login: enrolment, the code step of the login, backup codes, and the sign-in policy."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts import two_factor
from kring.accounts.models import SignInPolicy
from kring.communities.models import Role

PASSWORD = "anna-s-own-long-passphrase"
WRONG_CODE = "That code is not right. Check the code in your app and try again."
TOO_MANY = "Too many wrong codes. For your safety, wait 15 minutes and try again."


def step_now() -> int:
    return int(time.time()) // 30


def code_for(device: TOTPDevice, step: int) -> str:
    return f"{hotp(device.bin_key, step, digits=6):06d}"


def next_code(device: TOTPDevice) -> str:
    """A code the device has not seen yet: the step after the last one used."""
    device.refresh_from_db()
    return code_for(device, max(device.last_t + 1, step_now()))


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Switch two-step login on through the services, as the security page does."""
    device = two_factor.totp_device_pending(user=user)
    codes = two_factor.two_factor_confirm(user=user, code=code_for(device, step_now()))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def log_in(client, email, password=PASSWORD, next_url=None):
    url = "/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": password})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def require_two_factor(on: bool = True) -> None:
    policy = SignInPolicy.load()
    policy.require_two_factor = on
    policy.save()


@pytest.fixture
def anna(make_user):
    return make_user(email="anna@example.org", password=PASSWORD, full_name="Anna de Vries")


# --- Enrolment ----------------------------------------------------------------------------


def test_enrol_with_code_from_the_secret_on_the_page(make_client, anna):
    """The page shows a QR code and the key; a code computed from that key switches it on and
    shows ten backup codes once."""
    client = make_client(anna)
    page = client.get("/me/security/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "data-primary-action" in html
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{hotp(key, step_now(), digits=6):06d}"
    assert not two_factor.two_factor_enabled(user=anna)

    response = client.post("/me/security/", {"code": code})
    assert response.status_code == 200
    codes = re.findall(r"<code>(\d{5}-\d{5})</code>", response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert response["Cache-Control"] == "no-store"
    assert two_factor.two_factor_enabled(user=anna)
    assert two_factor.backup_codes_left(user=anna) == 10
    # Afterwards the page shows the state, never the codes or the key again.
    again = client.get("/me/security/").content.decode()
    assert "Two-step login is on" in again
    assert codes[0] not in again and secret[:8] not in again.replace(" ", "")


@pytest.mark.parametrize(
    "code",
    ["000000", "12345", "abcdef", "9" * 32, "<script>", ""],
    ids=["wrong", "short", "letters", "long", "hostile", "empty"],
)
def test_enrol_refuses_a_wrong_code(make_client, anna, code):
    """A wrong, malformed or empty code leaves two-step login off, with a message."""
    client = make_client(anna)
    client.get("/me/security/")
    response = client.post("/me/security/", {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not two_factor.two_factor_enabled(user=anna)
    assert not StaticDevice.objects.filter(user=anna).exists()


def test_security_page_needs_login(client):
    """Anonymous people are sent to the login page."""
    for url in ["/me/security/"]:
        assert client.get(url)["Location"].startswith("/login/")
    for url in ["/me/security/backup-codes/", "/me/security/off/"]:
        assert client.post(url)["Location"].startswith("/login/")


def test_profile_page_links_to_security(make_client, anna):
    """The profile page links to the security page."""
    assert b'href="/me/security/"' in make_client(anna).get("/me/profile/").content


# --- Login in two steps -------------------------------------------------------------------


def test_login_asks_for_code_before_logging_in(make_client, anna):
    """After the right password someone with an app is not logged in yet; pages send them to
    the login; the right code logs them in with the usual cookies."""
    device, _codes = enrol(anna)
    client = make_client()
    response = log_in(client, "anna@example.org")
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert logged_in_as(client) is None
    assert client.get("/")["Location"].startswith("/login/")
    assert client.get("/me/profile/")["Location"].startswith("/login/")

    page = client.get("/login/code/")
    assert page.status_code == 200
    assert b'autocomplete="one-time-code"' in page.content
    response = client.post("/login/code/", {"code": next_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_as(client) == str(anna.pk)
    assert "kring_device" in response.cookies and "kring_language" in response.cookies
    assert two_factor.PENDING_KEY not in client.session


def test_login_code_keeps_next(make_client, anna):
    """The page asked for before the login is where the code step lands; other sites are not."""
    device, _codes = enrol(anna)
    client = make_client()
    assert log_in(client, "anna@example.org", next_url="/me/tokens/").status_code == 302
    response = client.post("/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/me/tokens/"

    other = make_client()
    log_in(other, "anna@example.org", next_url="https://evil.example/")
    response = other.post("/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/"


def test_code_step_without_password_goes_to_login(client, anna):
    """The code page without a right password first sends to the login."""
    enrol(anna)
    assert client.get("/login/code/")["Location"] == "/login/"
    assert client.post("/login/code/", {"code": "123456"})["Location"] == "/login/"
    assert logged_in_as(client) is None


def test_wrong_password_never_reaches_code_step(client, anna):
    """A wrong password with an app set up is refused as always."""
    enrol(anna)
    response = log_in(client, "anna@example.org", "wrong")
    assert response.status_code == 200
    assert two_factor.PENDING_KEY not in client.session


def test_pending_login_expires(make_client, anna):
    """A half-login older than a few minutes is gone: start again."""
    device, _codes = enrol(anna)
    client = make_client()
    log_in(client, "anna@example.org")
    session = client.session
    session[two_factor.PENDING_KEY]["started"] -= two_factor.PENDING_SECONDS + 1
    session.save()
    response = client.post("/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/login/"
    assert logged_in_as(client) is None


def test_password_change_ends_pending_login(make_client, anna):
    """If the password changes between the steps, the code no longer logs in."""
    device, _codes = enrol(anna)
    client = make_client()
    log_in(client, "anna@example.org")
    anna.set_password("a-brand-new-passphrase")
    anna.save()
    response = client.post("/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/login/"
    assert logged_in_as(client) is None


def test_wrong_code_refused_then_throttled(make_client, anna, settings):
    """Wrong codes get a clear message; after the limit even the right code is refused."""
    settings.KRING_LOGIN_MAX_FAILURES = 3
    device, _codes = enrol(anna)
    client = make_client()
    log_in(client, "anna@example.org")
    for wrong in ["000000", "abc", "1234567890"]:
        response = client.post("/login/code/", {"code": wrong})
        assert response.status_code == 200
        assert response.context["form"].errors["code"] == [WRONG_CODE]
        assert logged_in_as(client) is None
    response = client.post("/login/code/", {"code": next_code(device)})
    assert response.context["form"].errors["code"] == [TOO_MANY]
    assert TOO_MANY.encode() in response.content
    assert logged_in_as(client) is None


def test_wrong_codes_elsewhere_do_not_lock_out_the_owners_browser(make_client, anna, settings):
    """Someone who knows the password and guesses codes can't lock out the owner's own
    browser (it carries the device cookie from an earlier login)."""
    settings.KRING_LOGIN_MAX_FAILURES = 3
    device, _codes = enrol(anna)
    owner = make_client()
    log_in(owner, "anna@example.org")
    owner.post("/login/code/", {"code": next_code(device)})
    owner.post("/logout/")
    guesser = make_client()
    log_in(guesser, "anna@example.org")
    for _ in range(3):
        guesser.post("/login/code/", {"code": "000000"})
    assert guesser.post("/login/code/", {"code": next_code(device)}).context["form"].errors[
        "code"
    ] == [TOO_MANY]
    log_in(owner, "anna@example.org")
    response = owner.post("/login/code/", {"code": next_code(device)})
    assert response["Location"] == "/"
    assert logged_in_as(owner) == str(anna.pk)


def test_oversized_code_is_refused_clearly(make_client, anna):
    """A very long code gets a message and does not log in."""
    enrol(anna)
    client = make_client()
    log_in(client, "anna@example.org")
    response = client.post("/login/code/", {"code": "1" * 5000})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert logged_in_as(client) is None


def test_code_used_once_is_refused_again(make_client, anna):
    """A code that was just used (here: to switch on) can't be used again in its window."""
    device = two_factor.totp_device_pending(user=anna)
    used = code_for(device, step_now())
    assert two_factor.two_factor_confirm(user=anna, code=used) is not None
    client = make_client()
    log_in(client, "anna@example.org")
    response = client.post("/login/code/", {"code": used})
    assert response.context["form"].errors["code"] == [WRONG_CODE]
    assert logged_in_as(client) is None


def test_codes_of_neighbouring_steps_are_accepted(anna, monkeypatch):
    """The previous and next 30-second code count (clock drift); two steps away does not."""
    device, _codes = enrol(anna)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    now = 1_900_000_000.0
    monkeypatch.setattr(time, "time", lambda: now)
    step = int(now) // 30
    assert not two_factor.two_factor_verify(user=anna, code=code_for(device, step + 2))
    assert two_factor.two_factor_verify(user=anna, code=code_for(device, step - 1))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    assert two_factor.two_factor_verify(user=anna, code=code_for(device, step + 1))


def test_backup_code_works_once(make_client, anna):
    """A backup code logs in instead of the app code, and only once."""
    _device, codes = enrol(anna)
    client = make_client()
    log_in(client, "anna@example.org")
    response = client.post("/login/code/", {"code": codes[3]})
    assert response["Location"] == "/"
    assert logged_in_as(client) == str(anna.pk)
    assert two_factor.backup_codes_left(user=anna) == 9

    again = make_client()
    log_in(again, "anna@example.org")
    response = again.post("/login/code/", {"code": codes[3].replace("-", "")})
    assert response.context["form"].errors["code"] == [WRONG_CODE]
    assert logged_in_as(again) is None


def test_new_backup_codes_replace_the_old(make_client, anna):
    """Making new backup codes shows ten new ones; the old ones stop working."""
    _device, old = enrol(anna)
    client = make_client(anna)
    response = client.post("/me/security/backup-codes/")
    new = re.findall(r"<code>(\d{5}-\d{5})</code>", response.content.decode())
    assert len(new) == 10
    assert not two_factor.two_factor_verify(user=anna, code=old[0])
    assert two_factor.two_factor_verify(user=anna, code=new[0])


def test_backup_codes_need_two_step_login_on(make_client, anna):
    """Without an app there are no backup codes to make."""
    response = make_client(anna).post("/me/security/backup-codes/")
    assert response["Location"] == "/me/security/"
    assert not StaticDevice.objects.filter(user=anna).exists()


# --- Switching off ------------------------------------------------------------------------


def test_switch_off_with_password(make_client, anna):
    """The password (or a current code) switches two-step login off; a wrong one does not."""
    enrol(anna)
    client = make_client(anna)
    response = client.post("/me/security/off/", {"proof": "wrong"})
    assert response.status_code == 200
    assert response.context["disable_form"].errors["proof"] == [
        "That is not your password or a current code."
    ]
    assert two_factor.two_factor_enabled(user=anna)
    response = client.post("/me/security/off/", {"proof": PASSWORD})
    assert response["Location"] == "/me/security/"
    assert not two_factor.two_factor_enabled(user=anna)
    assert not StaticDevice.objects.filter(user=anna).exists()
    # And the next login needs the password only.
    other = make_client()
    log_in(other, "anna@example.org")
    assert logged_in_as(other) == str(anna.pk)


def test_switch_off_with_code(make_client, anna):
    """A current app code also proves it is the person."""
    device, _codes = enrol(anna)
    client = make_client(anna)
    response = client.post("/me/security/off/", {"proof": next_code(device)})
    assert response["Location"] == "/me/security/"
    assert not two_factor.two_factor_enabled(user=anna)


def test_switch_off_refused_when_required(make_client, make_admin):
    """Someone for whom the policy requires it can't switch it off, and is told why."""
    admin = make_admin(email="beheer@example.org", password=PASSWORD)
    enrol(admin)
    require_two_factor()
    client = make_client(admin)
    page = client.get("/me/security/").content.decode()
    assert "so you cannot switch it off" in page and 'name="proof"' not in page
    response = client.post("/me/security/off/", {"proof": PASSWORD}, follow=True)
    assert "required for your role" in response.content.decode()
    assert two_factor.two_factor_enabled(user=admin)


# --- The sign-in policy -------------------------------------------------------------------


@pytest.fixture
def facilitator(make_community, make_user):
    person = make_user(email="fac@example.org", password=PASSWORD, can_create=True)
    make_community(by=person)
    return person


@pytest.mark.parametrize("who", ["facilitator", "admin"])
def test_policy_forces_enrolment(request, make_client, make_admin, make_user, bearer, who):
    """With the policy on, a facilitator or admin without an app is sent to enrolment from
    every page (API sessions too) until it is set up; logout and API tokens still work."""
    if who == "facilitator":
        person = request.getfixturevalue("facilitator")
    else:
        person = make_admin(email="beheer@example.org", password=PASSWORD)
    require_two_factor()
    client = make_client()
    response = log_in(client, person.email, next_url="/me/tokens/")
    assert logged_in_as(client) == str(person.pk)
    # The login's own redirect lands on enrolment, with the page asked for kept.
    response = client.get(response["Location"])
    assert response["Location"] == "/me/security/?next=%2Fme%2Ftokens%2F"
    for url in ["/", "/me/profile/", "/admin/", "/communities/"]:
        assert client.get(url)["Location"].startswith("/me/security/"), url
    assert client.post("/me/tokens/", {"name": "x", "scope": "read"}).status_code == 302
    assert not person.api_tokens.exists()
    api = client.get("/api/v1/notifications")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert make_client().get("/api/v1/notifications", **bearer(person, "read")).status_code == 200
    page = client.get("/me/security/?next=/me/tokens/")
    assert page.status_code == 200
    assert client.get("/static/kring/kring.css").status_code == 200
    with translation.override(person.language):
        required = gettext(
            "For your role in Kring, two-step login is required. Set it up first; after that "
            "you can use Kring as usual."
        )
    assert required in page.content.decode()

    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post(
        "/me/security/", {"code": code_for(device, step_now()), "next": "/me/tokens/"}
    )
    assert b'href="/me/tokens/"' in response.content
    assert client.get("/me/tokens/").status_code == 200
    assert client.get("/").status_code == 200


def test_policy_leaves_members_alone(make_client, make_community, make_member, make_user):
    """A plain member is not asked to set up an app, with the policy on."""
    community = make_community()
    member = make_member(community, email="wim@example.org", password=PASSWORD).user
    require_two_factor()
    client = make_client()
    log_in(client, member.email)
    assert logged_in_as(client) == str(member.pk)
    assert client.get("/").status_code == 200
    assert two_factor.MUST_ENROL_KEY not in client.session


def test_policy_off_asks_nobody(make_client, facilitator):
    """Without the policy a facilitator logs in as before."""
    client = make_client()
    log_in(client, facilitator.email)
    assert client.get("/").status_code == 200


def test_new_facilitator_is_asked_at_next_login(make_client, make_community, make_member):
    """Someone who becomes facilitator later is asked at their next login."""
    from kring.communities.services import membership_role_change

    community = make_community()
    membership = make_member(community, email="wim@example.org", password=PASSWORD)
    require_two_factor()
    client = make_client()
    log_in(client, "wim@example.org")
    assert client.get("/").status_code == 200
    membership_role_change(membership=membership, role=Role.FACILITATOR, by=community.created_by)
    client.post("/logout/")
    log_in(client, "wim@example.org")
    assert client.get("/")["Location"].startswith("/me/security/")


def test_enrolled_facilitator_gets_code_step_not_enrolment(make_client, facilitator):
    """With an app set up, the policy only means the usual code step."""
    device, _codes = enrol(facilitator)
    require_two_factor()
    client = make_client()
    assert log_in(client, facilitator.email)["Location"] == "/login/code/"
    client.post("/login/code/", {"code": next_code(device)})
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "member", "staff-without-permission"])
def test_policy_admin_page_is_for_admins_only(make_client, make_user, who):
    """Only administrators reach the sign-in policy in the admin."""
    user = None
    if who == "member":
        user = make_user()
    elif who == "staff-without-permission":
        user = make_user(is_staff=True)
    response = make_client(user).get("/admin/accounts/signinpolicy/1/change/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]


def test_admin_sets_the_policy(make_client, make_admin):
    """An administrator switches the requirement on in the admin; the list opens the one policy."""
    admin = make_admin()
    client = make_client(admin)
    assert client.get("/admin/accounts/signinpolicy/")["Location"] == (
        "/admin/accounts/signinpolicy/1/change/"
    )
    page = client.get("/admin/accounts/signinpolicy/1/change/")
    assert page.status_code == 200 and b"require_two_factor" in page.content
    response = client.post(
        "/admin/accounts/signinpolicy/1/change/", {"require_two_factor": "on", "_save": "1"}
    )
    assert response.status_code == 302
    assert SignInPolicy.load().require_two_factor is True
    assert SignInPolicy.objects.count() == 1


def test_admin_removes_someones_app_and_it_is_logged(make_client, make_admin, anna):
    """For a lost phone an administrator removes the app and codes; the admin history says so."""
    enrol(anna)
    admin = make_admin()
    client = make_client(admin)
    page = client.get(f"/admin/accounts/user/{anna.pk}/change/")
    assert b"Lost phone?" in page.content
    assert client.get("/admin/accounts/user/add/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    response = client.post(
        "/admin/accounts/user/",
        {"action": "two_factor_remove", "_selected_action": [anna.pk]},
    )
    assert response.status_code == 302
    assert not two_factor.two_factor_enabled(user=anna)
    assert not StaticDevice.objects.filter(user=anna).exists()
    entry = LogEntry.objects.get(object_id=str(anna.pk))
    assert entry.user == admin and "two-step login" in entry.change_message
    # Anna logs in with her password alone again.
    other = make_client()
    log_in(other, "anna@example.org")
    assert logged_in_as(other) == str(anna.pk)


def test_reset_service_is_for_admins_only(anna, make_user):
    """A non-administrator can't remove someone's app through the service."""
    enrol(anna)
    with pytest.raises(two_factor.PermissionDenied):
        two_factor.two_factor_reset(user=anna, by=make_user())
    assert two_factor.two_factor_enabled(user=anna)


def test_admin_login_page_goes_through_kring_login(client):
    """The admin's own login form (which would skip the code) sends to Kring's login."""
    response = client.get("/admin/login/?next=/admin/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/accounts/"
    hop = client.get("/admin/")["Location"]
    assert client.get(hop)["Location"] == "/login/?next=/admin/"


def test_must_enrol_person_can_log_out(make_client, make_admin):
    """Logging out works before enrolment, and ends the session."""
    admin = make_admin(email="beheer@example.org", password=PASSWORD)
    require_two_factor()
    client = make_client()
    log_in(client, admin.email)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert logged_in_as(client) is None


def test_invited_facilitator_sets_up_the_app_right_after_signing_up(make_client, make_community):
    """Someone who joins by invitation as facilitator, with the policy on, enrols first."""
    from kring.communities.services_invitations import invitation_create

    community = make_community()
    _invitation, secret = invitation_create(
        community=community,
        by=community.created_by,
        email="nina@example.org",
        role=Role.FACILITATOR,
        send=False,
    )
    require_two_factor()
    client = make_client()
    response = client.post(
        f"/invitations/{secret}/", {"full_name": "Nina Nieuw", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_as(client) is not None
    assert client.get(response["Location"])["Location"].startswith("/me/security/")


def test_a_junk_bearer_header_does_not_open_the_api_to_a_held_session(
    make_client, make_admin, bearer
):
    """Review finding: the hold let any API request with an Authorization header through, and
    django-ninja then fell back to the session. Only a valid token passes the hold now."""
    person = make_admin(email="beheer@example.org", password=PASSWORD)
    require_two_factor()
    client = make_client()
    log_in(client, person.email)
    for header in ["Bearer nonsense", "Bearer kr_0000000000nothing", "Basic abc", "junk"]:
        api = client.get("/api/v1/notifications", HTTP_AUTHORIZATION=header)
        assert api.status_code == 403, header
        assert api.json()["code"] == "two_factor_required", header
    token = bearer(person, "read")
    assert client.get("/api/v1/notifications", **token).status_code == 200


def test_admin_pages_refuse_a_logged_in_non_staff_person_without_a_redirect_loop(
    make_client, make_user
):
    """Review finding: /admin/ → /admin/login/ → /login/ → /admin/ … for a logged-in member."""
    member = make_user(email="member@example.org", password=PASSWORD)
    client = make_client(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
