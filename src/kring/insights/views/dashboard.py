"""The facilitator's dashboard: the latest snapshot read as the public document (never
computed in the request; selectors_dashboard reads it), a refresh that asks the background
task for a new snapshot, decisions on suggestions, and the thresholds."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.core.forms import apply_service_errors
from kring.insights import selectors, services, tasks
from kring.insights.forms import InsightSettingsForm, SuggestionDecideForm
from kring.insights.selectors_dashboard import (
    SIGNAL_ORDER,
    SUGGESTION_KINDS,
    dashboard_read,
    network_list_read,
    signals_page,
)


def _frame(request, community) -> dict:
    return header_context(request, community, "insights")


def _kind_and_page(data) -> tuple[str, int]:
    """The filter and page of the "more" list from a query or a form: only known values."""
    kind = data.get("kind", "")
    kind = kind if kind in SUGGESTION_KINDS else ""
    try:
        page = max(1, int(data.get("page", 1)))
    except (TypeError, ValueError):
        page = 1
    return kind, page


@login_required
def dashboard_view(request, slug: str):
    """Facilitators only: members get 403, people outside the community 404."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    kind, page = _kind_and_page(request.GET)
    dashboard = dashboard_read(community=community, user=request.user, kind=kind, page=page)
    context = {
        **_frame(request, community),
        **dashboard,
        "decide_form": SuggestionDecideForm(),
    }
    if request.htmx and request.htmx.target == "more-suggestions" and context["snapshot"]:
        response = render(request, "insights/_suggestions_more.html", context)
    else:
        response = render(request, "insights/dashboard.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
def signals_view(request, slug: str, kind: str):
    """Everyone one signal names, paged (the dashboard shows the first few)."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    if kind not in SIGNAL_ORDER:
        raise Http404
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        page = 1
    listing = signals_page(community=community, user=request.user, kind=kind, page=page)
    if listing is None:
        return redirect("insights-dashboard", slug=community.slug)
    return render(request, "insights/signals.html", {**_frame(request, community), **listing})


@login_required
def network_list_view(request, slug: str):
    """The network's people per group: the picture as a list. With htmx only the list (the
    dashboard loads it when its "show as a list" is opened), otherwise a page of its own."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    listing = network_list_read(community=community, user=request.user)
    if listing is None:
        return redirect("insights-dashboard", slug=community.slug)
    context = {**_frame(request, community), **listing}
    if request.htmx:
        response = render(request, "insights/_network_people.html", context)
    else:
        response = render(request, "insights/network_list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def refresh_view(request, slug: str):
    """Ask for a new snapshot, computed in the background after this request."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    transaction.on_commit(partial(tasks.snapshot_refresh.enqueue, community_id=community.pk))
    messages.success(
        request, _("Kring is computing the insights anew. Reload this page in a minute.")
    )
    return redirect("insights-dashboard", slug=community.slug)


DECIDED_MESSAGES = {
    "done": _lazy("Marked as done."),
    "later": _lazy("Put off for a week."),
    "dismissed": _lazy("Dismissed."),
    "open": _lazy("Open again."),
}


@login_required
@require_POST
def suggestion_view(request, slug: str, pk: int):
    """Done, later (out of sight for a week), dismissed, or open again, with an optional note.
    With htmx the card is swapped for a line saying what happened; without, back to the
    dashboard where the form was."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    suggestion = selectors.suggestion_get(community=community, pk=pk)
    form = SuggestionDecideForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.suggestion_decide(
                suggestion=suggestion,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        response = render(
            request,
            "insights/_suggestion_decided.html",
            {
                **_frame(request, community),
                "suggestion": suggestion,
                "error": error,
                "said": "" if error else DECIDED_MESSAGES[form.cleaned_data["status"]],
            },
        )
        # 200 even on an error: htmx swaps no 4xx answer, so the card would silently stay.
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, DECIDED_MESSAGES[form.cleaned_data["status"]])
    kind, page = _kind_and_page(request.POST)
    query = {k: v for k, v in (("kind", kind), ("page", page if page > 1 else "")) if v}
    where = request.POST.get("from") == "more"
    url = reverse("insights-dashboard", kwargs={"slug": community.slug})
    if query:
        url += "?" + urlencode(query)
    return redirect(url + ("#more-suggestions" if where else "#this-week"))


@login_required
def settings_view(request, slug: str):
    """The thresholds of the signals; bad values are shown next to their field, nothing saved."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    form = InsightSettingsForm(
        request.POST or None, instance=selectors.settings_for(community=community)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.insight_settings_save(community=community, by=request.user, values=values)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Thresholds saved. The next computation of the insights uses them.")
            )
            return redirect(
                reverse("insights-dashboard", kwargs={"slug": community.slug}) + "#settings"
            )
    return render(
        request,
        "insights/dashboard_settings.html",
        {**_frame(request, community), "settings_form": form},
    )
