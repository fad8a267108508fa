"""What Kring sees about me: from the latest snapshot of each of a member's communities,
exactly what the facilitators see about them (kring.insights.views.people shows it)."""

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Role
from kring.communities.selectors import memberships_of_user
from kring.insights import document, permissions, snapshot_split
from kring.insights.document_groups import own_signal_reason
from kring.insights.models import Suggestion, SuggestionStatus
from kring.insights.selectors import (
    pulse_has_answered,
    pulse_open,
    snapshot_facts,
    snapshot_latest,
    snapshot_member,
)

SUGGESTION_KIND_LABELS = {
    "call": lambda: _("Get in touch with you"),
    "introduce": lambda: _("Introduce you to someone"),
    "welcome": lambda: _("Welcome you and introduce you to someone"),
    "pair_perspectives": lambda: _("Pair perspectives in a session"),
    "bring_together": lambda: _("Bring two groups together"),
    "make_room": lambda: _("Make room for other voices"),
    "invite_perspective": lambda: _("Invite your perspective into the conversations"),
}


GROUP_KINDS = {"bring_together", "make_room", "invite_perspective"}

# The strongest ties shown on the page; the rest are paged on their own page.
TIES_SHOWN = 12
TIES_PER_PAGE = 50


def own_insights(*, user: User, community: Community) -> dict:
    """What the latest snapshot of `community` says about `user` (a member), in the words the
    facilitators read. Never about anyone else: other people appear only as the user's ties.
    Reads the user's own part of the snapshot, never the whole document; the ties shown are
    the TIES_SHOWN strongest (own_ties pages through all of them)."""
    permissions.check_see_own(user, community)
    out: dict[str, Any] = {"community": community, "snapshot": None, "me": None}
    snapshot = snapshot_latest(community=community)
    if snapshot is None:
        return out
    out["snapshot"] = snapshot
    part = snapshot_member(snapshot=snapshot, user_id=user.pk)
    if part is None:
        return out
    facts = snapshot_facts(snapshot=snapshot)
    # The same rendering the dashboard, the CLI and the API use, for this one member.
    me = document.render_member(snapshot_split.member_of(part))
    out["me"] = me
    ties = part.get("ties", [])
    out["tie_count"] = len(ties)
    out["strong_count"] = sum(1 for t in ties if t[2])
    out["session_count"] = len(ties) - out["strong_count"]
    out["ties"] = _tie_people(ties[:TIES_SHOWN])
    out["ties_more"] = max(0, len(ties) - TIES_SHOWN)
    out["group_size"] = part.get("group_size", 0)
    out["group_count"] = facts["group_count"]
    out["is_broker"] = bool(part.get("broker"))
    out["is_isolate"] = bool(part.get("isolate"))
    out["suggestions"] = _suggestions(part, community, user, facts["names"])
    # The feelers for the group that concern them (a split they are part of, a voice filling
    # the room), as they concern them: facilitators see these too.
    out["group_signals"] = [own_signal_reason(s) for s in part.get("community_signals", [])]
    out["thresholds"] = facts["thresholds"]
    out["role_label"] = Role(me["role"]).label if me["role"] in Role.values else me["role"]
    out["perspective_names"] = [facts["names"].get(p, p) for p in me.get("perspectives", [])]
    return out


def own_ties(*, user: User, community: Community, page: int | str = 1) -> dict:
    """All of the user's ties in the latest snapshot, strongest first, a page at a time
    (TIES_PER_PAGE, with the people of that page only)."""
    permissions.check_see_own(user, community)
    snapshot = snapshot_latest(community=community)
    part = snapshot_member(snapshot=snapshot, user_id=user.pk) if snapshot else None
    ties = part.get("ties", []) if part else []
    page_obj = Paginator(ties, TIES_PER_PAGE).get_page(page)
    page_obj.object_list = _tie_people(list(page_obj.object_list))
    return {"community": community, "snapshot": snapshot, "page": page_obj, "count": len(ties)}


def _tie_people(ties: list[list]) -> list[dict]:
    """The ties ([other id, weight, strong]) with their people, in one query; people whose
    account is gone are left out."""
    people = User.objects.in_bulk([t[0] for t in ties])
    return [
        {"id": other, "strong": strong, "weight": weight, "person": people[other]}
        for other, weight, strong in ties
        if other in people
    ]


def _suggestions(part: dict, community: Community, user: User, perspectives: dict) -> list[dict]:
    """The suggestions that name the member: open ones as the facilitators read them, and
    decided ones with the decision and the facilitator's note."""
    in_snapshot = {s["key"]: s for s in part.get("suggestions", [])}
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
                "reason": (
                    # A suggestion about the group names others (the groups, a bridge, fellow
                    # members of a perspective): here only what it asks, never about others.
                    str(SUGGESTION_KIND_LABELS[s["kind"]]())
                    if s["kind"] in GROUP_KINDS
                    else document.suggestion_reason(s, s.get("names", {}), perspectives)
                ),
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
        for membership in memberships_of_user(user=user, counts=False)
    ]
