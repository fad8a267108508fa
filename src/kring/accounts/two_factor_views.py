"""Pages for two-step login: the code step of the login, and the security page in 'me'."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kring.accounts import two_factor
from kring.accounts.views import login_finish


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "autocapitalize": "off",
                    "spellcheck": "false",
                    "class": "code-input",
                }
            ),
        )
        super().__init__(**kwargs)


class LoginCodeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True

    code = CodeField(
        label=gettext_lazy("Code"),
        help_text=gettext_lazy(
            "The 6 digits from your code app. No phone? Type one of your backup codes."
        ),
    )


class EnrolForm(forms.Form):
    code = CodeField(
        label=gettext_lazy("Code from the app"),
        help_text=gettext_lazy("The 6 digits the app shows now."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class DisableForm(forms.Form):
    proof = forms.CharField(
        label=gettext_lazy("Your password or a code from your app"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _throttled_message() -> str:
    return _("Too many wrong codes. For your safety, wait %(minutes)s minutes and try again.") % {
        "minutes": settings.KRING_LOGIN_WINDOW_SECONDS // 60
    }


def login_code_view(request):
    """Second step of the password login: the code from the app, or a backup code."""
    user, pending = two_factor.login_pending(request)
    if user is None:
        messages.info(request, _("Please log in with your e-mail address and password first."))
        return redirect("login")
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.code_throttled(request, user):
            form.add_error("code", _throttled_message())
        elif two_factor.two_factor_verify(user=user, code=form.cleaned_data["code"]):
            two_factor.code_success_register(request, user)
            two_factor.login_pending_clear(request)
            auth_login(request, user, backend=pending["backend"])
            response = redirect(_safe_next(request, pending.get("next")))
            return login_finish(request, response, user)
        else:
            two_factor.code_failure_register(request, user)
            form.add_error(
                "code", _("That code is not right. Check the code in your app and try again.")
            )
    return render(request, "registration/login_code.html", {"form": form})


@login_required
def two_factor_view(request):
    """The security page: set up two-step login, or see and change it."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    required = two_factor.two_factor_required(user=user)
    device = two_factor.totp_device_confirmed(user=user)
    context = {
        "nav": "me",
        "required": required,
        "must_enrol": bool(request.session.get(two_factor.MUST_ENROL_KEY)),
    }
    if device is not None:
        context.update(
            device=device,
            codes_left=two_factor.backup_codes_left(user=user),
            disable_form=DisableForm(),
        )
        return render(request, "accounts/two_factor.html", context)

    pending = two_factor.totp_device_pending(user=user)
    form = EnrolForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        if two_factor.code_throttled(request, user):
            form.add_error("code", _throttled_message())
        else:
            codes = two_factor.two_factor_confirm(user=user, code=form.cleaned_data["code"])
            if codes is not None:
                two_factor.code_success_register(request, user)
                two_factor.enrolment_done(request)
                return _codes_page(request, codes, next_url=_safe_next(request, next_url))
            two_factor.code_failure_register(request, user)
            form.add_error(
                "code",
                _(
                    "That code is not right. Check that the app shows Kring and type the "
                    "6 digits it shows now."
                ),
            )
    context.update(
        form=form,
        qr=two_factor.qr_svg(pending),
        secret=two_factor.secret_text(pending),
    )
    return render(request, "accounts/two_factor.html", context)


def _codes_page(request, codes: list[str], *, next_url: str):
    # Shown on the answer itself, never stored for later: the codes appear exactly once.
    response = render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next_url": next_url, "nav": "me"},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def backup_codes_view(request):
    if not two_factor.two_factor_enabled(user=request.user):
        return redirect("two-factor")
    codes = two_factor.backup_codes_regenerate(user=request.user)
    messages.success(request, _("You have new backup codes. The old ones no longer work."))
    return _codes_page(request, codes, next_url=resolve_url("two-factor"))


@login_required
@require_POST
def two_factor_off_view(request):
    user = request.user
    if not two_factor.two_factor_enabled(user=user):
        return redirect("two-factor")
    if two_factor.two_factor_required(user=user):
        messages.error(
            request,
            _("Two-step login is required for your role, so you cannot switch it off."),
        )
        return redirect("two-factor")
    form = DisableForm(request.POST)
    if form.is_valid():
        proof = form.cleaned_data["proof"]
        if two_factor.code_throttled(request, user):
            form.add_error("proof", _throttled_message())
        elif user.check_password(proof) or two_factor.two_factor_verify(user=user, code=proof):
            two_factor.code_success_register(request, user)
            two_factor.two_factor_disable(user=user, by=user)
            messages.success(
                request, _("Two-step login is off. You log in with your password only.")
            )
            return redirect("two-factor")
        else:
            two_factor.code_failure_register(request, user)
            form.add_error("proof", _("That is not your password or a current code."))
    context = {
        "nav": "me",
        "required": False,
        "device": two_factor.totp_device_confirmed(user=user),
        "codes_left": two_factor.backup_codes_left(user=user),
        "disable_form": form,
    }
    return render(request, "accounts/two_factor.html", context, status=200)
