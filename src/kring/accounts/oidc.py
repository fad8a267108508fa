"""Sign-in through the organisation's identity provider (OpenID Connect).

Built on mozilla-django-oidc (authorisation code flow with PKCE and a nonce). What Kring adds:

- The provider's endpoints come from its discovery document, fetched on first use and cached,
  never at start-up: Kring starts, and password login works, while the provider is down.
- A person is matched by a verified e-mail address only (`email` with `email_verified` true),
  case-insensitively, to an existing active account. Unknown people get an account only when
  KRING_OIDC_CREATE_USERS is on.
- A failed sign-in goes back to the login page with a message that says why; an unreachable
  provider gives a page of its own (503), never a server error.
- With KRING_OIDC_ONLY the password form and password reset are for superusers only.

A sign-in through the provider does not ask for Kring's own second factor: the organisation's
provider is responsible for how strongly it checks who someone is.
"""

import hashlib
import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kring.core.errors import plain_context

logger = logging.getLogger(__name__)

# With KRING_OIDC_PROVIDER_LOGOUT the ID token is kept here: the hint for logging out.
ID_TOKEN_SESSION_KEY = "oidc_id_token"
# The session key where the login page's `next` waits while the person is at the provider
# (mozilla-django-oidc's own name; it only ever stores a URL it found safe).
NEXT_SESSION_KEY = "oidc_login_next"
# Clock difference allowed between Kring and the provider when checking exp and iat.
ID_TOKEN_LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The identity provider could not be reached or gave an answer Kring cannot use."""


def enabled() -> bool:
    return bool(settings.KRING_OIDC_ISSUER)


def only_sso() -> bool:
    """Password login and reset are off for everyone but superusers."""
    return enabled() and settings.KRING_OIDC_ONLY


def button_label() -> str:
    return settings.KRING_OIDC_BUTTON_LABEL or _("Log in through your organisation")


def _cache_key(issuer: str) -> str:
    return "kring-oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()


def provider_config() -> dict:
    """The issuer's discovery document, from the cache or fetched now.

    Raises ProviderUnavailable when it cannot be fetched or does not fit the issuer. A failure
    is remembered for KRING_OIDC_DISCOVERY_FAILURE_SECONDS: while the provider is down, each
    sign-in attempt gets the clear page at once instead of holding a worker until a timeout.
    """
    issuer = settings.KRING_OIDC_ISSUER
    key = _cache_key(issuer)
    config = cache.get(key)
    if config is not None:
        return config
    failure = cache.get(key + ":failed")
    if failure is not None:
        raise ProviderUnavailable(failure)
    try:
        config = _discover(issuer)
    except ProviderUnavailable as exc:
        cache.set(key + ":failed", str(exc), settings.KRING_OIDC_DISCOVERY_FAILURE_SECONDS)
        raise
    cache.set(key, config, settings.KRING_OIDC_DISCOVERY_CACHE_SECONDS)
    return config


def _discover(issuer: str) -> dict:
    url = issuer + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.KRING_OIDC_DISCOVERY_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery at %s failed: %s", url, exc)
        raise ProviderUnavailable(str(exc)) from exc
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(config, dict) or not all(isinstance(config.get(k), str) for k in needed):
        logger.warning("OIDC discovery at %s lacks one of %s", url, ", ".join(needed))
        raise ProviderUnavailable("incomplete discovery document")
    if config["issuer"].rstrip("/") != issuer:
        # The spec requires this match; a mismatch means a wrong or tampered configuration.
        logger.warning("OIDC discovery at %s names issuer %r", url, config["issuer"])
        raise ProviderUnavailable("issuer mismatch")
    return config


# Why a sign-in through the provider did not log anyone in; shown on the login page.
def failure_message(code: str) -> str:
    texts = {
        "unknown": _(
            "There is no Kring account with this e-mail address. "
            "Ask your facilitator for an invitation."
        ),
        "unverified": _(
            "Your organisation has not confirmed this e-mail address, so Kring cannot use it "
            "to log you in. Ask your organisation's helpdesk."
        ),
        "no_email": _(
            "Your organisation did not tell Kring your e-mail address, so Kring cannot log "
            "you in. Ask your organisation's helpdesk."
        ),
        "cancelled": _("Logging in through your organisation was stopped. Please try again."),
    }
    return texts.get(code) or _(
        "Logging in through your organisation did not work. Please try again."
    )


def user_create_from_sso(*, email: str, full_name: str):
    """An account for a verified address Kring did not know (only with KRING_OIDC_CREATE_USERS).

    It has no password: the person logs in through their organisation.
    """
    User = get_user_model()
    full_name = " ".join(full_name.split())[:120] or email.split("@")[0]
    return User.objects.create_user(email=email, password=None, full_name=full_name)


class KringOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with endpoints from discovery and Kring's matching rules."""

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here, when Django loads the backends; Kring looks
        # them up when a sign-in actually happens (see authenticate).
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password form never reaches the provider.
        if not enabled() or request is None or "nonce" not in kwargs:
            return None
        if "username" in kwargs or "password" in kwargs:
            return None
        config = provider_config()
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint") or ""
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as exc:
            logger.warning("OIDC token exchange or user info failed: %s", exc)
            raise ProviderUnavailable(str(exc)) from exc

    def store_tokens(self, access_token, id_token):
        # Kring keeps no access token; the ID token only when it will log out at the provider.
        if settings.KRING_OIDC_PROVIDER_LOGOUT:
            self.request.session[ID_TOKEN_SESSION_KEY] = id_token

    def _refuse(self, code: str) -> None:
        self.request.kring_oidc_failure = code

    def get_payload_data(self, token, key):
        """The ID token's claims, once its signature, times and audience check out.

        Replaces the library's decoding, which lets PyJWT's errors other than DecodeError
        through (a 500) and accepts a token without an expiry.
        """
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.OIDC_RP_CLIENT_ID,
            leeway=ID_TOKEN_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )

    def verify_token(self, token, **kwargs):
        """The library checks the signature and nonce; Kring also checks times, issuer and
        audience. Every way a token can be wrong ends as SuspiciousOperation: the callback's
        clear failure, never a server error."""
        try:
            payload = super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise SuspiciousOperation(f"ID token refused: {exc!r}") from exc
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != settings.KRING_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the user info endpoint when there is one."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            # Answers about someone else are ignored (OpenID Connect Core 5.3.2).
            if isinstance(info, dict) and info.get("sub") == payload.get("sub"):
                claims.update(info)
                # The address and whether it is verified come together from one answer: the
                # user info if it names an address, else the ID token. Mixed, a verified flag
                # for one address could vouch for another.
                source = info if info.get("email") else payload
                for key in ("email", "email_verified"):
                    claims.pop(key, None)
                    if key in source:
                        claims[key] = source[key]
        return claims

    def verify_claims(self, claims):
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip():
            self._refuse("no_email")
            return False
        # Some providers send the boolean as a string.
        if claims.get("email_verified") not in (True, "true"):
            self._refuse("unverified")
            return False
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        email = claims["email"].strip().lower()
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) == 1 and users[0].is_active:
            return users[0]
        if not users and settings.KRING_OIDC_CREATE_USERS:
            name = claims.get("name") or " ".join(
                str(claims.get(part) or "") for part in ("given_name", "family_name")
            )
            return user_create_from_sso(email=email, full_name=str(name))
        # No account, a switched-off one, or (never expected) two differing only in case.
        logger.info("OIDC sign-in refused: no single active account for this address")
        self._refuse("unknown")
        return None


def _login_url(request) -> str:
    next_url = request.session.get(NEXT_SESSION_KEY)
    url = reverse("login")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def provider_unavailable(request):
    """The clear page for a provider that cannot be reached (503), with the ways forward."""
    context = {
        **plain_context(request, 503),
        "retry_url": reverse("oidc-start"),
        "login_url": reverse("login"),
        "password_login": not only_sso(),
    }
    return render(request, "registration/oidc_unavailable.html", context, status=503)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login page (GET /oidc/start/?next=...)."""

    def __init__(self, **kwargs):
        # Skip the library's __init__: it reads the authorisation endpoint from settings.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            config = provider_config()
        except ProviderUnavailable:
            return provider_unavailable(request)
        self.OIDC_OP_AUTH_ENDPOINT = config["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; logs the matching person in."""

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except ProviderUnavailable:
            return provider_unavailable(request)
        except SuspiciousOperation as exc:
            # An unknown state (an old tab, a replay) or a token that did not check out.
            logger.warning("OIDC callback refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        code = getattr(self.request, "kring_oidc_failure", "")
        if not code and self.request.GET.get("error"):
            code = "cancelled"
        messages.error(self.request, failure_message(code))
        return redirect(_login_url(self.request))

    def login_success(self):
        response = super().login_success()
        self.request.session.pop(NEXT_SESSION_KEY, None)
        # As after a password login: the person's own language follows them to this device.
        language = self.user.language
        if language:
            translation.activate(language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                max_age=365 * 86400,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout; after an SSO login with KRING_OIDC_PROVIDER_LOGOUT, also at the provider.

    The provider gets the ID token as a hint and sends the browser back to Kring's login page
    (register that address as a post-logout redirect URI). If the provider cannot be reached,
    or offers no end_session_endpoint, only the Kring session ends.
    """

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if not (enabled() and settings.KRING_OIDC_PROVIDER_LOGOUT and id_token):
            return response
        try:
            end_session = provider_config().get("end_session_endpoint")
        except ProviderUnavailable:
            return response
        if not isinstance(end_session, str) or not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        # Not a redirect: Kring's Content-Security-Policy (form-action 'self') stops a form's
        # redirect to another site. A page that moves on by itself (meta refresh) is allowed.
        return render(
            request,
            "registration/oidc_logout.html",
            {"provider_logout_url": f"{end_session}?{query}"},
        )


def login_context(request) -> dict:
    """What the login page needs to show the organisation's button and, or, the password form."""
    if not enabled():
        return {"sso": None, "password_login": True}
    only = only_sso()
    return {
        "sso": {"label": button_label(), "only": only},
        # Break-glass for superusers in only-SSO mode: /login/?password shows the form.
        "password_login": not only or "password" in request.GET or request.method == "POST",
    }


def check_password_login(user) -> None:
    """In only-SSO mode a password logs in superusers only."""
    if only_sso() and not user.is_superuser:
        raise ValidationError(
            _("Log in through your organisation: the button above."), code="sso_only"
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; in only-SSO mode it sends mail to superusers only."""

    def get_users(self, email):
        users = super().get_users(email)
        if only_sso():
            return (user for user in users if user.is_superuser)
        return users
