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
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.insights import charts, document, selectors, services, tasks
from kring.insights.forms import InsightSettingsForm, SuggestionDecideForm

# Most urgent first; lurking is a way of taking part, shown last and quietly.
SIGNAL_ORDER = ("core_silent", "drifting", "unconnected", "rising", "lurker")
GROUP_NAMES_SHOWN = 12


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


def modularity_sentence(groups: int, modularity: float) -> str:
    if groups < 2:
        return _(
            "The ties form one web rather than separate groups (modularity %(q)s: close to 0)."
        ) % {"q": f"{modularity:.2f}"}
    if modularity >= 0.4:
        explain = _("the groups mostly talk among themselves")
    elif modularity >= 0.2:
        explain = _("the groups are distinct but talk with each other")
    else:
        explain = _("the groups overlap a lot")
    return ngettext(
        "The ties fall into %(count)s group; modularity %(q)s means %(explain)s.",
        "The ties fall into %(count)s groups; modularity %(q)s means %(explain)s.",
        groups,
    ) % {"count": groups, "q": f"{modularity:.2f}", "explain": explain}


def _frame(request, community) -> dict:
    return {"community": community, "inside": True, "can_manage": True, "tab": "insights"}


def _dashboard_context(request, community, *, settings_form=None) -> dict:
    snapshot = selectors.snapshot_latest(community=community)
    context = {
        **_frame(request, community),
        "snapshot": snapshot,
        "settings_form": settings_form
        or InsightSettingsForm(instance=selectors.settings_for(community=community)),
        "decide_form": SuggestionDecideForm(),
    }
    if snapshot is None:
        return context
    doc = document.render(snapshot.data, community=community)
    people = selectors.people_by_id(community=community, ids=[m["id"] for m in doc["members"]])
    perspectives = selectors.perspectives_by_key()
    by_email = {m["email"]: m for m in doc["members"] if m["id"] in people}

    signal_groups = {kind: [] for kind in SIGNAL_ORDER}
    for member in by_email.values():
        for signal in member["signals"]:
            if signal["kind"] in signal_groups:
                signal_groups[signal["kind"]].append(
                    {"person": people[member["id"]], "member": member, "signal": signal}
                )
    signals = [
        {
            "kind": kind,
            "heading": signal_heading(kind),
            "intro": signal_intro(kind),
            "items": sorted(items, key=lambda i: (i["signal"]["since"] or "", i["member"]["name"])),
        }
        for kind, items in signal_groups.items()
    ]

    ids = selectors.suggestion_ids_open(
        community=community, keys=[s["key"] for s in doc["suggestions"]]
    )
    suggestions = [
        {
            **s,
            "pk": ids.get(s["key"]),
            "people": [people[by_email[e]["id"]] for e in s["members"] if e in by_email],
        }
        for s in doc["suggestions"]
        # About someone who has left since the snapshot: no longer anything to do.
        if s["key"] in ids and all(e in by_email for e in s["members"])
    ]
    names = {m["email"]: m["name"] for m in doc["members"]}
    perspective_names = doc["coverage"].get("names", {})
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

    coverage = doc["coverage"]
    coverage_rows = [
        {**row, "name": perspective_names.get(row["perspective"], row["perspective"])}
        for row in coverage["rows"]
    ]
    groups = []
    for number, emails in enumerate(doc.get("groups", []), start=1):
        shown = [people[by_email[e]["id"]] for e in emails if e in by_email]
        groups.append(
            {
                "number": number,
                "size": len(shown),
                "people": shown[:GROUP_NAMES_SHOWN],
                "more": max(0, len(shown) - GROUP_NAMES_SHOWN),
            }
        )
    drawn, total = charts.network_members(doc, people)
    network = doc.get("network", {})
    context.update(
        {
            "doc": doc,
            "signals": signals,
            "signal_count": sum(len(g["items"]) for g in signals if g["kind"] != "lurker"),
            "suggestions": suggestions,
            "suggestion_log": log,
            "coverage": coverage,
            "coverage_rows": coverage_rows,
            "groups": groups,
            "modularity_sentence": modularity_sentence(len(groups), doc.get("modularity", 0.0)),
            "network_svg": charts.network_svg(
                doc,
                people=people,
                perspectives=perspectives,
                cache_key=f"insights:layout:{snapshot.pk}:{len(drawn)}",
            ),
            "network_drawn": len(drawn),
            "network_total": total,
            "network_density": network.get("density", 0.0),
            "network_legend": charts.network_legend(drawn, perspectives),
            "network_marks": charts.legend_marks(),
            "trends": charts.trend_charts(doc.get("trends", {})),
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
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
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
