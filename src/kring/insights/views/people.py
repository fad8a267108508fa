"""Transparency: "what Kring sees about me", and the privacy page.

A member sees, from the latest snapshot of each of their communities, exactly what the
facilitators see about them: their signals with the same reasons (document.render), their ties,
their place in the network (the strongest ties, all of them paged on a page of their own),
and the suggestions that name them with what the facilitators
decided and noted (selectors_people). There is no person in the URL: the page is always about
the viewer."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kring.communities.header import header_context
from kring.insights import selectors
from kring.insights.models import PULSE_MIN_ANSWERS
from kring.insights.selectors_people import own_section, own_sections, own_ties
from kring.insights.services import KEEP_SNAPSHOTS


def _frame(request, community) -> dict:
    return header_context(request, community, "insights-me")


@login_required
def insights_me_all_view(request):
    """What Kring sees about me in every community I belong to."""
    sections = own_sections(user=request.user)
    return render(
        request,
        "insights/me_all.html",
        {"sections": sections, "nav": "me", "min_answers": PULSE_MIN_ANSWERS},
    )


@login_required
def insights_me_view(request, slug: str):
    """What Kring sees about me in one community; 404 for anyone who is not a member."""
    community = selectors.community_for_own_insights(user=request.user, slug=slug)
    section = own_section(user=request.user, community=community)
    return render(
        request,
        "insights/me.html",
        {**_frame(request, community), "section": section, "min_answers": PULSE_MIN_ANSWERS},
    )


@login_required
def insights_me_ties_view(request, slug: str):
    """All my ties in one community, strongest first, a page at a time; 404 for anyone who is
    not a member."""
    community = selectors.community_for_own_insights(user=request.user, slug=slug)
    ties = own_ties(user=request.user, community=community, page=request.GET.get("page", 1))
    return render(request, "insights/me_ties.html", {**_frame(request, community), **ties})


def privacy_view(request):
    """What Kring records, what insights compute and who sees them: public, no login."""
    return render(
        request,
        "insights/privacy.html",
        {"keep_snapshots": KEEP_SNAPSHOTS, "min_answers": PULSE_MIN_ANSWERS},
    )
