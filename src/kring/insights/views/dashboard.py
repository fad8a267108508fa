"""The facilitator's dashboard: the latest snapshot read as the public document (never
computed in the request), with its signals, suggestions, network, coverage, groups and trends;
a refresh that asks the background task for a new snapshot; decisions on suggestions; and the
thresholds."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.core.forms import apply_service_errors
from kring.insights import charts, dashboard_doc, document, selectors, services, tasks
from kring.insights.forms import InsightSettingsForm, SuggestionDecideForm
from kring.insights.network_section import network_context

# Most urgent first; lurking is a way of taking part, shown last and quietly.
SIGNAL_ORDER = ("core_silent", "drifting", "unconnected", "rising", "lurker")


def signal_heading(kind: str) -> str:
    return {
        "core_silent": _("Core group gone quiet"),
        "drifting": _("Drifting away"),
        "unconnected": _("Not yet connected"),
        "rising": _("Rising"),
        "lurker": _("Reading along"),
    }[kind]


def signal_intro(kind: str) -> str:
    return {
        "core_silent": _("Facilitators and core group members much less active than usual."),
        "drifting": _("Members much less active than their own usual pace, or missing sessions."),
        "unconnected": _("Newcomers who have not interacted with anyone yet."),
        "rising": _("Members clearly more active than usual: ask them what works."),
        "lurker": _("They read but have not contributed yet. A way of taking part, not a problem."),
    }[kind]


def _frame(request, community) -> dict:
    return header_context(request, community, "insights")


def _dashboard_part(snapshot) -> dict:
    """The snapshot's dashboard part; built from the full document for an older snapshot
    made before there was one."""
    if snapshot.dashboard.get("version"):
        return snapshot.dashboard
    return dashboard_doc.build(selectors.snapshot_data(snapshot=snapshot))


def _dashboard_context(request, community, *, settings_form=None) -> dict:
    snapshot = selectors.snapshot_latest_dashboard(community=community)
    context = {
        **_frame(request, community),
        "snapshot": snapshot,
        "settings_form": settings_form
        or InsightSettingsForm(instance=selectors.settings_for(community=community)),
        "decide_form": SuggestionDecideForm(),
    }
    if snapshot is None:
        return context
    dash = _dashboard_part(snapshot)
    stored = {p["id"]: p for p in dash["people"]}
    people = selectors.people_by_id(community=community, ids=list(stored))
    perspectives = selectors.perspectives_by_key()
    coverage = dash.get("coverage", {})
    # Perspective names in the reader's language (a snapshot was made in the worker's).
    perspective_names = {
        **coverage.get("names", {}),
        **{key: str(p.name) for key, p in perspectives.items()},
    }
    names = {p["email"]: p["name"] for p in stored.values()}
    by_email = {p["email"]: p for p in stored.values() if p["id"] in people}

    signals = []
    for kind in SIGNAL_ORDER:
        part = dash["signals"].get(kind, {"count": 0, "items": []})
        items = [
            {
                "person": people[item["id"]],
                "signal": {
                    **item,
                    "kind": kind,
                    "reason": document.signal_reason({**item, "kind": kind}),
                },
            }
            for item in part["items"]
            if item["id"] in people
        ]
        signals.append(
            {
                "kind": kind,
                "heading": signal_heading(kind),
                "intro": signal_intro(kind),
                "items": items,
                "count": part["count"],
                "more": max(0, part["count"] - len(part["items"])),
            }
        )

    ids = selectors.suggestion_ids_open(
        community=community, keys=[s["key"] for s in dash["suggestions"]]
    )
    open_suggestions = [
        s
        for s in dash["suggestions"]
        # About someone who has left since the snapshot: no longer anything to do.
        if s["key"] in ids and all(e in by_email for e in s["members"])
    ]
    suggestions = [
        {
            **s,
            "pk": ids[s["key"]],
            "reason": document.suggestion_reason(s, names, perspective_names),
            "people": [people[by_email[e]["id"]] for e in s["members"]],
        }
        for s in open_suggestions[: dashboard_doc.SUGGESTIONS_SHOWN]
    ]
    log = []
    for decided in selectors.suggestions_decided(community=community):
        emails = [u.email for u in decided.members.all()]
        names.update({u.email: u.full_name for u in decided.members.all()})
        raw = {"kind": decided.kind, "params": decided.params, "members": emails}
        try:
            reason = document.suggestion_reason(raw, names, perspective_names)
        except (KeyError, IndexError):  # an older snapshot's suggestion without every fact
            reason = decided.kind
        log.append({"suggestion": decided, "reason": reason})

    coverage = {
        **coverage,
        "gaps": [
            {**g, "reason": document.gap_reason(g, perspective_names)}
            for g in coverage.get("gaps", [])
        ],
    }
    coverage_rows = [
        {**row, "name": perspective_names.get(row["perspective"], row["perspective"])}
        for row in coverage.get("rows", [])
    ]
    context.update(
        {
            "signals": signals,
            "signal_count": sum(g["count"] for g in signals if g["kind"] != "lurker"),
            "suggestions": suggestions,
            "suggestions_more": max(0, len(open_suggestions) - len(suggestions)),
            "suggestion_log": log,
            "coverage": coverage,
            "coverage_rows": coverage_rows,
            **network_context(
                dash,
                people=people,
                perspectives=perspectives,
                snapshot=snapshot,
                unconnected=dash["signals"].get("unconnected", {}).get("count", 0),
            ),
            "trends": charts.trend_charts(dash.get("trends", {})),
        }
    )
    return context


@login_required
def dashboard_view(request, slug: str):
    """Facilitators only: members get 403, people outside the community 404."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    return render(request, "insights/dashboard.html", _dashboard_context(request, community))


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


@login_required
@require_POST
def suggestion_view(request, slug: str, pk: int):
    """Mark a suggestion done or dismissed (or open again), with an optional note."""
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    suggestion = selectors.suggestion_get(community=community, pk=pk)
    form = SuggestionDecideForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_decide(
                suggestion=suggestion,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Noted. The suggestion moved to the log."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("insights-dashboard", kwargs={"slug": community.slug}) + "#suggestions")


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
