"""The erase part of `/me/data/`: delete your account, keeping or removing your contributions."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from kring.privacy import views_export
from kring.privacy.erasure import account_erase, communities_without_facilitator_after
from kring.privacy.forms_erase import EraseForm


def section_context(request, form: EraseForm | None = None) -> dict:
    return {
        "erase_form": form or EraseForm(user=request.user),
        "erase_sole_facilitator_of": communities_without_facilitator_after(request.user),
    }


@login_required
@require_POST
def erase_view(request):
    form = EraseForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            account_erase(
                user=request.user,
                contributions=form.cleaned_data["contributions"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            return redirect("my-data-erased")
    context = {**views_export.section_context(request), **section_context(request, form)}
    return render(request, "privacy/data.html", context, status=422)


def erased_view(request):
    """Where you land after erasing your account: signed out, with a short confirmation."""
    return render(request, "privacy/erase_done.html")


urlpatterns: list = [
    path("me/data/erase/", erase_view, name="my-data-erase"),
    path("me/data/erased/", erased_view, name="my-data-erased"),
]
