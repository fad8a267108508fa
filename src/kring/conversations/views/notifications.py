"""Notifications: the list behind the bell, opening one, settings, and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kring.conversations import selectors
from kring.conversations.forms_inbox import PreferenceForm
from kring.conversations.services import notifications as notification_services
from kring.conversations.services import preferences as preference_services
from kring.core.forms import apply_service_errors

NOTIFICATIONS_PAGE_SIZE = 30


@login_required
def notification_list_view(request):
    notifications = selectors.notifications_for(user=request.user)
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.notices_attach(page.object_list)
    return render(
        request,
        "conversations/notification_list.html",
        {"page": page, "nav": "notifications"},
    )


@login_required
def notification_open_view(request, pk: int):
    """Mark it read and go where it points; someone else's notification is a 404."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    notification_services.notification_mark_read(user=request.user, notification=notification)
    return redirect(notification.get_absolute_url())


@login_required
@require_POST
def notification_read_all_view(request):
    notification_services.notification_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notification-list")


@login_required
def notification_settings_view(request):
    preference = preference_services.preference_for(request.user)
    initial = {
        name: getattr(preference, name)
        for name in (
            *preference_services.PREFERENCE_FIELDS,
            *preference_services.IN_APP_FIELDS,
            "digest",
        )
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preference_services.preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification-settings")
    return render(
        request,
        "conversations/notification_settings.html",
        {"form": form, "nav": "notifications"},
    )


def _scope_description(scope: str) -> str:
    return {
        "email_mentions": _("e-mails when someone mentions you"),
        "email_replies": _("e-mails when someone replies to your post"),
        "email_accepted": _("e-mails when your answer is accepted"),
        "email_messages": _("e-mails when someone sends you a message"),
        "email_sessions": _("e-mails when a session is planned in one of your communities"),
        "digest": _("the digest e-mail"),
        "all": _("all e-mails about conversations and the digest"),
    }[scope]


# A mail client's one-click unsubscribe (RFC 8058) posts without a CSRF token or session:
# the signed token in the URL is what authorises the change.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token: str):
    try:
        user, scope = preference_services.unsubscribe_read(token=token)
    except ValidationError:
        return render(request, "conversations/unsubscribe_invalid.html", status=400)
    done = False
    if request.method == "POST":
        preference_services.unsubscribe(token=token)
        done = True
    response = render(
        request,
        "conversations/unsubscribe.html",
        {
            "token": token,
            "what": _scope_description(scope),
            "done": done,
            "signed_in_as_them": request.user.is_authenticated and request.user.pk == user.pk,
        },
    )
    # The token is a capability: keep it out of referrers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
