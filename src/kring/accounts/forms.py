import secrets

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kring.accounts import oidc
from kring.accounts.models import Perspective, TokenScope
from kring.core import throttle


def client_ip(request) -> str:
    """The client's address; behind KRING_TRUSTED_PROXIES proxies, from X-Forwarded-For."""
    if request is None:
        return "unknown"
    proxies = settings.KRING_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


# A browser that logged in successfully as a person carries a signed cookie naming (a digest
# of) that person's address; from it, only its own failures count, so guesses from elsewhere
# never lock the owner out of their own device.
DEVICE_COOKIE = "kring_device"
DEVICE_COOKIE_SALT = "kring.accounts.login-device"
DEVICE_COOKIE_MAX_AGE = 90 * 86400
# A client address, and an e-mail address over all clients together, get this many times
# the per-client limit.
WIDE_LIMIT_FACTOR = 4


def device_cookie_value(request, email: str) -> str:
    """The device cookie's value after a successful login as `email` (its id kept if known)."""
    token = recognised_device(request, email) or secrets.token_urlsafe(16)
    return f"{throttle.digest(email)}:{token}"


def recognised_device(request, email: str) -> str | None:
    """The device id if this browser has logged in as `email` before, else None."""
    if request is None or not email:
        return None
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE
    )
    owner, _sep, token = (value or "").partition(":")
    if token and owner == throttle.digest(email):
        return token
    return None


class LoginForm(AuthenticationForm):
    """E-mail and password, with limits on failed attempts.

    A recognised device (see DEVICE_COOKIE) counts only its own failures. Any other client is
    refused after KRING_LOGIN_MAX_FAILURES for one address from its client address, after
    four times as many from its client address in total, or when the address has had four
    times as many failures from all clients together.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match. Please try again."),
        # Only-SSO mode: one message for every refusal (an unknown address, someone who is
        # not an administrator, a wrong password), so the form tells nobody which is which.
        "sso_only": _(
            "Log in through your organisation: the button above. A password works here only "
            "for administrators."
        ),
        "throttled": _(
            "Too many failed attempts. For your safety, wait %(minutes)s minutes or reset "
            "your password."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        oidc.check_password_login(user)

    def _counters(self, email: str, ip: str) -> list[tuple[str, str, int]]:
        limit = settings.KRING_LOGIN_MAX_FAILURES
        wide = limit * WIDE_LIMIT_FACTOR
        device = recognised_device(self.request, email)
        if device:
            return [("login-device", f"{email}|{device}", limit)]
        counters = [("login-ip", ip, wide)]
        if email:
            counters += [("login-pair", f"{email}|{ip}", limit), ("login-email", email, wide)]
        return counters

    def _clean_only_sso(self, email: str):
        """Only a superuser's password is checked; everyone else is refused before that."""
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first() if email else None
        refused = forms.ValidationError(self.error_messages["sso_only"], code="sso_only")
        if user is None or not user.is_superuser:
            # As much work as checking a password, so the answer's timing tells nothing either.
            User().set_password(self.cleaned_data.get("password") or "")
            raise refused
        try:
            return super().clean()
        except forms.ValidationError as exc:
            raise refused from exc

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = client_ip(self.request)
        counters = self._counters(email, ip)
        if email and any(
            throttle.is_blocked(scope, value, limit=limit) for scope, value, limit in counters
        ):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.KRING_LOGIN_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = self._clean_only_sso(email) if oidc.only_sso() else super().clean()
        except forms.ValidationError:
            for scope, value, _limit in counters:
                throttle.register_failure(scope, value)
            raise
        # This client proved itself; the address-wide count stays, so that a guesser
        # elsewhere does not get a fresh allowance whenever the owner logs in.
        for scope, value, _limit in counters:
            if scope in ("login-pair", "login-device"):
                throttle.reset(scope, value)
        return cleaned


class TagField(forms.CharField):
    """Comma-separated words, returned as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 600)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        names = [part.strip() for part in (value or "").replace(";", ",").split(",")]
        names = [name for name in names if name]
        if len(names) > 20:
            raise forms.ValidationError(_("Twenty tags at most, please."))
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("Keep each tag to 60 characters."))
        return names


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    job_title = forms.CharField(label=_("Function"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("About me"),
        max_length=800,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What do you work on, and what drives you? At most 800 characters."),
    )
    perspectives = forms.ModelMultipleChoiceField(
        label=_("My perspectives"),
        queryset=Perspective.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text=_("From where do you look at the shared question? Choose one or more."),
    )
    help_tags = TagField(
        label=_("I can help with"),
        help_text=_("Separate with commas, e.g. mantelzorg, wijkteams, subsidies."),
    )
    seeking_tags = TagField(
        label=_("I'm looking for"),
        help_text=_("Knowledge or contacts you are looking for, separated by commas."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perspectives"].label_from_instance = lambda p: p.name
        self.fields["photo"].help_text = _(
            "A clear photo of your face helps people recognise you at meetings. "
            "JPEG, PNG or WebP, at most %(max)s MB."
        ) % {"max": max(1, round(settings.KRING_PHOTO_MAX_BYTES / 1024 / 1024))}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"),
        max_length=80,
        required=False,
        help_text=_("For example: 'export to our intranet'."),
    )
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices)
