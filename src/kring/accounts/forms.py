from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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


class LoginForm(AuthenticationForm):
    """E-mail and password, with a limit on failed attempts per address and per client."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match. Please try again."),
        "throttled": _(
            "Too many failed attempts. For your safety, wait %(minutes)s minutes or reset "
            "your password."
        ),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = client_ip(self.request)
        if email and (
            throttle.is_blocked("login-email", email)
            or throttle.is_blocked("login-ip", ip, limit=settings.KRING_LOGIN_MAX_FAILURES * 4)
        ):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.KRING_LOGIN_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                throttle.register_failure("login-email", email)
            throttle.register_failure("login-ip", ip)
            raise
        throttle.reset("login-email", email)
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
