"""What Kring sees about me: from the latest snapshot of each of a member's communities,
exactly what the facilitators see about them (kring.insights.views.people shows it)."""

from typing import Any

from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Role
from kring.communities.selectors import memberships_of_user
from kring.insights import document, permissions
from kring.insights.models import Suggestion, SuggestionStatus
from kring.insights.selectors import pulse_has_answered, pulse_open, snapshot_latest

SUGGESTION_KIND_LABELS = {
    "call": lambda: _("Get in touch with you"),
    "introduce": lambda: _("Introduce you to someone"),
    "welcome": lambda: _("Welcome you and introduce you to someone"),
    "pair_perspectives": lambda: _("Pair perspectives in a session"),
}


def own_insights(*, user: User, community: Community) -> dict:
    """What the latest snapshot of `community` says about `user` (a member), in the words the
    facilitators read. Never about anyone else: other people appear only as the user's ties."""
    permissions.check_see_own(user, community)
    out: dict[str, Any] = {"community": community, "snapshot": None, "me": None}
    snapshot = snapshot_latest(community=community)
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


def _suggestions(raw: dict, mine: dict, community: Community, user: User) -> list[dict]:
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


def own_section(*, user: User, community: Community) -> dict:
    """own_insights with the community's open pulse and whether the user answered it."""
    section = own_insights(user=user, community=community)
    current = pulse_open(community=community)
    section["open_pulse"] = current
    section["pulse_answered"] = current is not None and pulse_has_answered(pulse=current, user=user)
    return section


def own_sections(*, user: User) -> list[dict]:
    """own_section for every community the user belongs to, by name."""
    return [
        own_section(user=user, community=membership.community)
        for membership in memberships_of_user(user=user)
    ]
