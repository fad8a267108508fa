"""Two-step login: after the password, a code from an authenticator app (TOTP, RFC 6238).

Built on django-otp: a TOTPDevice holds the app's secret (it accepts the previous and next
30-second step for clock drift, and refuses a code at or before the last one used), a
StaticDevice holds ten one-time backup codes. Only the password login asks for a code;
single sign-on leaves that to the identity provider.

A platform administrator can require it for facilitators and administrators
(SignInPolicy). Such a person without an app who logs in with a password gets a session
marked MUST_ENROL_KEY: EnrolmentRequiredMiddleware then sends every page but enrolment,
logout and static files to enrolment. API tokens do not use the session and are not affected.
"""

import logging
import re
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts.forms import WIDE_LIMIT_FACTOR, client_ip, recognised_device
from kring.accounts.models import SignInPolicy, User
from kring.accounts.services import api_token_authenticate
from kring.core import throttle
from kring.core.middleware import API_PREFIX, api_error

logger = logging.getLogger("kring.security")

PHOTO_PATH = re.compile(r"^/people/\d+/photo/$")

PENDING_KEY = "kring_two_factor_pending"
MUST_ENROL_KEY = "kring_two_factor_must_enrol"
# Between a right password and the code: long enough to open the app, short enough that a
# forgotten half-login on a shared computer is of no use to the next person.
PENDING_SECONDS = 5 * 60
BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 10
DEVICE_NAME = "Kring"

# Apps above accounts (communities) add who counts as a facilitator; accounts can't import them.
_requirement_checks: list[Callable[[User], bool]] = []


def requirement_register(check: Callable[[User], bool]) -> None:
    """Add a rule `check(user) -> bool` for whom the policy's requirement applies to."""
    _requirement_checks.append(check)


# --- Selectors -------------------------------------------------------------------------


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_enabled(*, user: User) -> bool:
    """Whether this person's password login asks for a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(*, user: User) -> bool:
    """Whether the sign-in policy requires two-step login of this person."""
    if not SignInPolicy.load().require_two_factor:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(check(user) for check in _requirement_checks)


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    from base64 import b32encode

    plain = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's setup link as an inline SVG QR code (no image request, so the CSP holds)."""
    import segno

    code = segno.make(device.config_url, error="m")
    return code.svg_inline(scale=4, border=4, light="#fff", title=_("QR code for your code app"))


# --- Services --------------------------------------------------------------------------


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not yet confirmed app device for enrolment (made once, shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch not in " -\t")


def _backup_codes_create(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice("0123456789") for _ in range(BACKUP_CODE_DIGITS))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> list[str] | None:
    """Switch two-step login on when `code` matches the pending app; returns the new backup
    codes (shown once), or None when the code is wrong."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    code = _normalise(code)
    if device is None or len(code) != device.digits or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    logger.info("Two-step login switched on for user %s", user.pk)
    return _backup_codes_create(user)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    if not two_factor_enabled(user=user):
        raise PermissionDenied
    logger.info("Backup codes renewed for user %s", user.pk)
    return _backup_codes_create(user)


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> bool:
    """Whether `code` is a current app code or an unused backup code (which is then used up).

    The device row is locked, so the same code sent twice at once is accepted only once.
    """
    code = _normalise(code)
    if not code.isdigit():
        return False
    if len(code) == BACKUP_CODE_DIGITS:
        device = StaticDevice.objects.select_for_update().filter(user=user).first()
    else:
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and len(code) != device.digits:
            return False
    return device is not None and device.verify_token(code)


@transaction.atomic
def two_factor_disable(*, user: User, by: User) -> None:
    """Switch two-step login off for oneself; refused while the policy requires it."""
    if by.pk != user.pk or two_factor_required(user=user):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("Two-step login switched off by user %s", user.pk)


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> bool:
    """An administrator removes someone's app and backup codes (e.g. a lost phone).

    Returns whether there was anything to remove. The caller logs it in the admin history."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _per_model = StaticDevice.objects.filter(user=user).delete()
    logger.warning("Two-step login removed for user %s by administrator %s", user.pk, by.pk)
    return bool(removed or removed_static)


# --- Throttling wrong codes -------------------------------------------------------------


def _code_counters(request, user: User) -> list[tuple[str, str, int]]:
    # As with passwords: a browser that logged in as this person before counts only its own
    # failures, so someone who knows the password cannot lock the owner out with wrong codes.
    limit = settings.KRING_LOGIN_MAX_FAILURES
    device = recognised_device(request, user.email)
    if device:
        return [("two-factor-device", f"{user.pk}|{device}", limit)]
    return [
        ("two-factor-user", str(user.pk), limit),
        ("two-factor-ip", client_ip(request), limit * WIDE_LIMIT_FACTOR),
    ]


def code_throttled(request, user: User) -> bool:
    return any(
        throttle.is_blocked(scope, value, limit=limit)
        for scope, value, limit in _code_counters(request, user)
    )


def code_failure_register(request, user: User) -> None:
    for scope, value, _limit in _code_counters(request, user):
        throttle.register_failure(scope, value)


def code_success_register(request, user: User) -> None:
    for scope, value, _limit in _code_counters(request, user):
        if scope != "two-factor-ip":
            throttle.reset(scope, value)


# --- The pending login between password and code ----------------------------------------


def login_pending_start(request, *, user: User, next_url: str):
    """After a right password: remember who is halfway, and ask for the code."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "started": time.time(),
        "next": next_url,
    }
    return redirect("login-code")


def login_pending(request) -> tuple[User | None, dict]:
    """The person halfway through logging in, if still in time and unchanged, and the data."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None, {}
    if time.time() - data.get("started", 0) > PENDING_SECONDS:
        login_pending_clear(request)
        return None, {}
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    # A password changed in between ends the half-login too.
    if user is None or user.get_session_auth_hash() != data.get("hash"):
        login_pending_clear(request)
        return None, {}
    return user, data


def login_pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


def enrolment_mark(request, *, user: User) -> None:
    """After a password login without a code: mark the session if the policy wants an app."""
    if two_factor_required(user=user) and not two_factor_enabled(user=user):
        request.session[MUST_ENROL_KEY] = True


def enrolment_done(request) -> None:
    request.session.pop(MUST_ENROL_KEY, None)


def _bearer_token_valid(request) -> bool:
    scheme, _sep, secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return api_token_authenticate(secret=secret.strip()) is not None


class EnrolmentRequiredMiddleware:
    """Someone who must set up two-step login can only do that (or log out) first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._held(request):
            return self._refuse(request)
        return self.get_response(request)

    def _held(self, request) -> bool:
        if not request.session.get(MUST_ENROL_KEY) or not request.user.is_authenticated:
            return False
        # A valid bearer token is not the session: the API checks it as always. An invalid one
        # is not let through, or the API would fall back to this session.
        if request.path.startswith(API_PREFIX) and _bearer_token_valid(request):
            return False
        return not self._allowed(request.path)

    @staticmethod
    def _allowed(path: str) -> bool:
        open_paths = [
            reverse("two-factor"),
            reverse("logout"),
            reverse("language-set"),
            reverse("healthz"),
            settings.STATIC_URL,
        ]
        # Photos too, so the page's header shows the person's own face.
        return any(path.startswith(prefix) for prefix in open_paths) or bool(PHOTO_PATH.match(path))

    @staticmethod
    def _refuse(request):
        if request.path.startswith(API_PREFIX):
            return api_error(
                403,
                "two_factor_required",
                _("Set up two-step login first, on your security page."),
            )
        url = reverse("two-factor")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
