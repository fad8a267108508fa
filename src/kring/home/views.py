"""The homes: the member's week at `/`, one-tap RSVP from it, and the platform overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.models import Role
from kring.home import charts, permissions, selectors
from kring.home.selectors import FirstStep
from kring.meetings import services_rsvp as meeting_rsvp
from kring.meetings.models import RsvpResponse


def _first_steps(user, week: dict) -> list[FirstStep]:
    """A newcomer's three first things to do, each ticked when done; none once the profile
    is filled in and they have said something in a community."""
    profile_done = bool(user.bio.strip()) and bool(week["help_tags"])
    if profile_done and week["has_posted"]:
        return []
    # Introduce yourself where you joined last, with a discussion if your role allows one.
    newest = max(week["memberships"], key=lambda m: (m.joined_at, m.pk))
    community = newest.community
    if newest.role == Role.GUEST:
        intro_url = community.get_absolute_url()
    else:
        intro_url = reverse("thread-create", kwargs={"slug": community.slug}) + "?kind=discussion"
    sessions = week["sessions"]
    next_session = sessions[0] if sessions else None
    return [
        FirstStep("profile", profile_done, reverse("profile-update")),
        FirstStep("introduce", week["has_posted"], intro_url),
        FirstStep(
            "rsvp",
            next_session is not None and next_session.my_response is not None,
            next_session.get_absolute_url() if next_session else "",
        ),
    ]


def _primary(week: dict, steps: list[FirstStep]) -> str:
    """Which one action the page puts first: the next session's answer, else answering a
    waiting question, else the first step not yet done."""
    if week["sessions"]:
        return "rsvp"
    if week["questions"]:
        return "answer"
    if any(not step.done and step.url for step in steps):
        return "step"
    return "communities"


def home_view(request):
    if not request.user.is_authenticated:
        return redirect("login")
    week = selectors.my_week(user=request.user)
    if not week["memberships"]:
        return render(
            request,
            "home/no_community.html",
            {"nav": "home", "profile_done": bool(request.user.bio.strip())},
        )
    steps = _first_steps(request.user, week)
    primary = _primary(week, steps)
    return render(
        request,
        "home/my_week.html",
        {
            **week,
            "nav": "home",
            "first_steps": steps,
            "primary": primary,
            "primary_step": next((s.key for s in steps if not s.done and s.url), ""),
            "rsvp_choices": RsvpResponse.choices,
            "story_days": selectors.STORY_DAYS,
            "can_see_platform": permissions.can_view_platform_overview(request.user),
        },
    )


@login_required
@require_POST
def home_rsvp_view(request, pk: int):
    """Answer for one session from the week in one tap. The answer goes through the same
    service as on the session page (waiting list included), and a note given there stays."""
    session = selectors.week_session_get(user=request.user, pk=pk)
    error = ""
    try:
        meeting_rsvp.rsvp_set(
            session=session,
            user=request.user,
            response=request.POST.get("response", "")[:10],
            note=session.my_note or "",
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Thank you, your answer is saved."))
        return redirect("home")
    if not error:
        session = selectors.week_session_get(user=request.user, pk=pk)
    return render(
        request,
        "home/_session.html",
        {
            "session": session,
            "primary": request.POST.get("primary") == "1",
            "saved": not error,
            "error": error,
            "rsvp_choices": RsvpResponse.choices,
        },
    )


def platform_overview_view(request):
    overview = selectors.platform_overview(viewer=request.user, page=request.GET.get("page"))
    return render(
        request,
        "home/platform_overview.html",
        {
            **overview,
            "nav": "platform",
            "activity_svg": charts.weekly_activity_svg(overview["weeks"]),
        },
    )
