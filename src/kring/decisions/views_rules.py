"""The ground-rules page: the rules in effect and how they were agreed, the open proposal
with its comments and agreement, proposing, and putting a proposal into effect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.core.forms import apply_service_errors
from kring.decisions import permissions, selectors_rules, services_rules
from kring.decisions.forms import RulesCommentForm, RulesProposalForm


def _community(request, slug):
    return community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)


def _page(request, community, *, comment_form=None, error: str = "", status: int = 200):
    data = selectors_rules.rules_page(community=community, viewer=request.user)
    proposal = data["proposal"]
    context = {
        **header_context(request, community, "about"),
        **data,
        "comment_form": comment_form or RulesCommentForm(),
        "can_propose": permissions.can_propose_rules(request.user, community) and proposal is None,
        "can_take_part": permissions.can_take_part_in_rules(request.user, community),
        "can_adopt": proposal is not None and permissions.can_adopt_rules(request.user, proposal),
        "can_withdraw": proposal is not None
        and permissions.can_withdraw_rules(request.user, proposal),
        "error": error,
    }
    return render(request, "decisions/rules.html", context, status=status)


@login_required
def rules_view(request, slug):
    return _page(request, _community(request, slug))


@login_required
def rules_propose_view(request, slug):
    community = _community(request, slug)
    permissions.check_propose_rules(request.user, community)
    current = "\n".join(community.ground_rules.values_list("text", flat=True))
    form = RulesProposalForm(request.POST or None, initial={"ground_rules": current})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services_rules.rules_propose(
                    community=community,
                    by=request.user,
                    rules=form.cleaned_data["ground_rules"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your proposal is open. The members can now comment and agree.")
                )
                return redirect("ground-rules", slug=community.slug)
        status = 400
    context = {**header_context(request, community, "about"), "form": form}
    return render(request, "decisions/rules_propose.html", context, status=status)


def _proposal(request, slug, pk):
    community = _community(request, slug)
    proposal = selectors_rules.proposal_get(community=community, pk=pk, viewer=request.user)
    return community, proposal


@login_required
@require_POST
def rules_comment_view(request, slug, pk):
    community, proposal = _proposal(request, slug, pk)
    form = RulesCommentForm(request.POST)
    if form.is_valid():
        try:
            services_rules.rules_comment(
                proposal=proposal, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment is placed."))
            return redirect(reverse("ground-rules", args=[community.slug]) + "#comments")
    return _page(request, community, comment_form=form, status=400)


@login_required
@require_POST
def rules_agree_view(request, slug, pk):
    community, proposal = _proposal(request, slug, pk)
    agree = request.POST.get("agree") != "no"
    try:
        services_rules.rules_agree(proposal=proposal, by=request.user, agree=agree)
    except ValidationError as exc:
        return _page(request, community, error=" ".join(exc.messages), status=400)
    if agree:
        messages.success(request, _("You agree with these ground rules."))
    else:
        messages.success(request, _("You took your agreement back."))
    return redirect("ground-rules", slug=community.slug)


@login_required
@require_POST
def rules_adopt_view(request, slug, pk):
    community, proposal = _proposal(request, slug, pk)
    try:
        services_rules.rules_adopt(proposal=proposal, by=request.user)
    except ValidationError as exc:
        return _page(request, community, error=" ".join(exc.messages), status=400)
    messages.success(request, _("The agreed ground rules are in effect."))
    return redirect("ground-rules", slug=community.slug)


@login_required
@require_POST
def rules_withdraw_view(request, slug, pk):
    community, proposal = _proposal(request, slug, pk)
    try:
        services_rules.rules_withdraw(proposal=proposal, by=request.user)
    except ValidationError as exc:
        return _page(request, community, error=" ".join(exc.messages), status=400)
    messages.success(request, _("The proposal is withdrawn. The ground rules in effect stay."))
    return redirect("ground-rules", slug=community.slug)
