"""Transparency: "what Kring sees about me", and the privacy page.

A member sees, from the latest snapshot of each of their communities, exactly what the
facilitators see about them: their signals with the same reasons (document.render), their ties,
their place in the network, and the suggestions that name them with what the facilitators
decided and noted. There is no person in the URL: the page is always about the viewer."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.header import header_context
from kring.communities.models import Community, Membership, Role
from kring.insights import document, permissions
from kring.insights import pulse as pulses
from kring.insights.models import PULSE_MIN_ANSWERS, Snapshot, Suggestion, SuggestionStatus
from kring.insights.services import KEEP_SNAPSHOTS

SUGGESTION_KIND_LABELS = {
    "call": lambda: _("Get in touch with you"),
    "introduce": lambda: _("Introduce you to someone"),
    "welcome": lambda: _("Welcome you and introduce you to someone"),
    "pair_perspectives": lambda: _("Pair perspectives in a session"),
}


def _latest_snapshot(community) -> Snapshot | None:
    return Snapshot.objects.filter(community=community).order_by("-computed_at", "-id").first()


def own_insights(*, user, community: Community) -> dict:
    """What the latest snapshot of `community` says about `user` (a member), in the words the
    facilitators read. Never about anyone else: other people appear only as the user's ties."""
    permissions.check_see_own(user, community)
    out = {"community": community, "snapshot": None, "me": None}
    snapshot = _latest_snapshot(community)
    if snapshot is None:
        return out
    raw = snapshot.data
    out["snapshot"] = snapshot
    mine = next((m for m in raw.get("members", []) if m.get("id") == user.pk), None)
    if mine is None:
        return out
    # The same rendering the dashboard, the CLI and the API use, for this one member.
    me = document.render({**raw, "members": [mine], "suggestions": []})["members"][0]
    out["me"] = me
    out["ties"] = _ties(raw, mine)
    out["strong_count"] = sum(1 for t in out["ties"] if t["strong"])
    out["session_count"] = len(out["ties"]) - out["strong_count"]
    network = raw.get("network", {})
    groups = raw.get("groups", [])
    out["group_size"] = len(groups[me["group"] - 1]) if me.get("group") else 0
    out["group_count"] = len(groups)
    out["is_broker"] = mine["email"] in network.get("brokers", [])
    out["is_isolate"] = mine["email"] in network.get("isolates", [])
    out["suggestions"] = _suggestions(raw, mine, community, user)
    out["thresholds"] = raw.get("thresholds", {})
    out["role_label"] = Role(me["role"]).label if me["role"] in Role.values else me["role"]
    names = raw.get("coverage", {}).get("names", {})
    out["perspective_names"] = [names.get(p, p) for p in me.get("perspectives", [])]
    return out


def _ties(raw: dict, mine: dict) -> list[dict]:
    email = mine["email"]
    by_email = {m["email"]: m for m in raw.get("members", [])}
    found = []
    for edge in raw.get("network", {}).get("edges", []):
        if email not in (edge["a"], edge["b"]):
            continue
        other = by_email.get(edge["b"] if edge["a"] == email else edge["a"])
        if other is not None:
            found.append({"id": other["id"], "strong": edge["strong"], "weight": edge["weight"]})
    people = User.objects.in_bulk([t["id"] for t in found])
    ties = [{**t, "person": people[t["id"]]} for t in found if t["id"] in people]
    ties.sort(key=lambda t: (not t["strong"], -t["weight"], t["person"].full_name))
    return ties


def _suggestions(raw: dict, mine: dict, community, user) -> list[dict]:
    """The suggestions that name the member: open ones as the facilitators read them, and
    decided ones with the decision and the facilitator's note."""
    email = mine["email"]
    names = {m["email"]: m["name"] for m in raw.get("members", [])}
    perspectives = raw.get("coverage", {}).get("names", {})
    in_snapshot = {s["key"]: s for s in raw.get("suggestions", []) if email in s["members"]}
    decided = {
        s.key: s
        for s in Suggestion.objects.filter(community=community)
        .filter(key__in=list(in_snapshot))
        .select_related("decided_by")
    }
    earlier = (
        Suggestion.objects.filter(community=community, members=user)
        .exclude(key__in=list(in_snapshot))
        .exclude(status=SuggestionStatus.OPEN)
        .select_related("decided_by")
    )
    items = []
    for key, s in in_snapshot.items():
        row = decided.get(key)
        items.append(
            {
                "reason": document.suggestion_reason(s, names, perspectives),
                "status": row.status if row else SuggestionStatus.OPEN,
                "status_label": row.get_status_display() if row else _("Open"),
                "decided_at": row.decided_at if row else None,
                "note": row.note if row else "",
            }
        )
    for row in earlier:
        label = SUGGESTION_KIND_LABELS.get(row.kind)
        items.append(
            {
                "reason": label() if label else row.kind,
                "status": row.status,
                "status_label": row.get_status_display(),
                "decided_at": row.decided_at,
                "note": row.note,
            }
        )
    return items


def _frame(request, community) -> dict:
    return header_context(request, community, "insights-me")


def _pulse_for(request, community) -> dict:
    current = pulses.pulse_open(community=community)
    return {
        "open_pulse": current,
        "pulse_answered": current is not None
        and pulses.pulse_has_answered(pulse=current, user=request.user),
    }


@login_required
def insights_me_all_view(request):
    """What Kring sees about me in every community I belong to."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("community")
        .order_by("community__name")
    )
    sections = []
    for membership in memberships:
        section = own_insights(user=request.user, community=membership.community)
        section.update(_pulse_for(request, membership.community))
        sections.append(section)
    return render(
        request,
        "insights/me_all.html",
        {"sections": sections, "nav": "me", "min_answers": PULSE_MIN_ANSWERS},
    )


@login_required
def insights_me_view(request, slug: str):
    """What Kring sees about me in one community; 404 for anyone who is not a member."""
    community = get_object_or_404(Community, slug=slug)
    if not permissions.can_see_own(request.user, community):
        raise Http404
    section = own_insights(user=request.user, community=community)
    section.update(_pulse_for(request, community))
    return render(
        request,
        "insights/me.html",
        {**_frame(request, community), "section": section, "min_answers": PULSE_MIN_ANSWERS},
    )


def privacy_view(request):
    """What Kring records, what insights compute and who sees them: public, no login."""
    return render(
        request,
        "insights/privacy.html",
        {"keep_snapshots": KEEP_SNAPSHOTS, "min_answers": PULSE_MIN_ANSWERS},
    )
