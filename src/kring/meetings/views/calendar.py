"""Calendars: a session's `.ics`, the personal feed behind a secret URL, and its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kring.meetings import ical, selectors, services_calendar

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Private to the person: never kept by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_GET
def session_ics_view(request, slug: str, pk: int):
    """One session as a download, for the people inside its community."""
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    if not ical.showable(session):
        # A row with an impossible date (stored before dates were checked) has no calendar.
        raise Http404
    name = slugify(f"{session.title} {session.starts_at:%Y-%m-%d}") or f"session-{session.pk}"
    return _calendar_response(ical.session_calendar(session), f"{name}.ics", attachment=True)


@require_GET
def calendar_feed_view(request, secret: str):
    """The personal feed: no login (calendar apps can't log in), the secret is the key."""
    user = services_calendar.calendar_feed_lookup(secret=secret)
    if user is None:
        raise Http404
    return _calendar_response(ical.feed_calendar(user), "kring.ics", attachment=False)


def _feed_url(request, secret: str) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", kwargs={"secret": secret}))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings_view(request):
    """Make, replace or stop the feed. The URL is shown once, right after it is made: only a
    hash of its secret is kept."""
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rotate":
            had_feed = selectors.calendar_feed_of(user=request.user) is not None
            secret = services_calendar.calendar_feed_rotate(user=request.user)
            feed_url = _feed_url(request, secret)
            if had_feed:
                messages.success(request, _("You have a new feed address; the old one stopped."))
        elif action == "revoke":
            services_calendar.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar feed is switched off."))
            return redirect("calendar-settings")
        else:
            messages.error(request, _("Choose what to do with your calendar feed."))
            return redirect("calendar-settings")
    feed = selectors.calendar_feed_of(user=request.user)
    return render(
        request,
        "meetings/calendar_settings.html",
        {"feed": feed, "feed_url": feed_url, "nav": "me"},
    )
