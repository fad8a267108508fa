from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from kring.accounts import oidc, two_factor
from kring.accounts.forms import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_MAX_AGE,
    DEVICE_COOKIE_SALT,
    LoginForm,
    ProfileForm,
    TokenForm,
    device_cookie_value,
)
from kring.accounts.selectors import api_token_get_own, api_tokens_active
from kring.accounts.services import (
    api_token_create,
    api_token_revoke,
    person_language_set,
    photo_prepare,
    profile_update,
)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **oidc.login_context(self.request)}

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.two_factor_enabled(user=user):
            # Not logged in yet: the code comes first (accounts/two_factor_views.py).
            return two_factor.login_pending_start(
                self.request, user=user, next_url=self.get_success_url()
            )
        response = super().form_valid(form)
        two_factor.enrolment_mark(self.request, user=user)
        return login_finish(self.request, response, user)


def login_finish(request, response, user):
    """What every login with a password does last, with or without a code."""
    # This browser is now recognised for this person: failures elsewhere can't lock it out.
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_cookie_value(request, user.email),
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    # The person's own language choice follows them to every device.
    language = user.language
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400
        )
    return response


@login_required
def profile_update_view(request):
    user = request.user
    initial = {
        "full_name": user.full_name,
        "organisation": user.organisation,
        "job_title": user.job_title,
        "bio": user.bio,
        "language": user.language,
        "perspectives": list(user.perspectives.all()),
        "help_tags": [t.name for t in user.help_tags.all()],
        "seeking_tags": [t.name for t in user.seeking_tags.all()],
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("photo")
        try:
            photo = photo_prepare(upload=upload) if upload else None
            profile_update(
                user=user,
                by=user,
                full_name=data["full_name"],
                organisation=data["organisation"],
                job_title=data["job_title"],
                bio=data["bio"],
                language=data["language"],
                perspectives=list(data["perspectives"]),
                help_tags=data["help_tags"],
                seeking_tags=data["seeking_tags"],
                photo=photo,
                remove_photo=upload is False,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("photo", exc.messages)
        else:
            messages.success(request, _("Your profile has been saved."))
            response = redirect("person-detail", pk=user.pk)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax", max_age=365 * 86400
            )
            return response
    return render(request, "accounts/profile_form.html", {"form": form, "nav": "me"})


@login_required
def token_list_view(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = api_token_create(
            user=request.user, scope=form.cleaned_data["scope"], name=form.cleaned_data["name"]
        )
        form = TokenForm()
    tokens = api_tokens_active(user=request.user)
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "secret": secret, "nav": "me"},
    )


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = api_token_get_own(user=request.user, pk=pk)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token has been revoked; it no longer works."))
    return redirect("token-list")


@require_POST
def language_set_view(request):
    """Switch the interface language; signed-in people keep the choice on their account."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        person_language_set(user=request.user, language=language)
    return response
