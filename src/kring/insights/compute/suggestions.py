"""The suggestions for the facilitators: calls to members drifting away, introductions of
someone looking for a topic to someone who helps with it, welcomes for newcomers without
ties, and perspectives that never talk to each other; ranked (docs/insights.md)."""

from collections import defaultdict
from datetime import date, datetime

from django.db.models import QuerySet

from kring.accounts.models import User
from kring.insights.compute.groups import group_suggestions

MAX_SUGGESTIONS = 25
# The rank of a suggestion (docs/insights.md, "Ranking"): its kind first, then how long the
# situation has been going on, one point a week up to PRIORITY_MAX_WEEKS. The steps between
# kinds are smaller than the cap on purpose: a drift of eleven weeks comes before a core-group
# silence that began this week.
PRIORITY_BASE = {
    "core_silent": 40,
    "drifting": 30,
    "bring_together": 25,
    "welcome": 20,
    "make_room": 15,
    "invite_perspective": 15,
    "introduce": 10,
    "pair_perspectives": 0,
}
PRIORITY_MAX_WEEKS = 12


def suggestion_priority(kind: str, params: dict) -> int:
    """The rank of a suggestion: higher comes first (PRIORITY_BASE, PRIORITY_MAX_WEEKS)."""
    base = PRIORITY_BASE.get(params.get("signal", "") if kind == "call" else kind, 0)
    weeks = params.get("weeks") or 0
    return base + min(max(int(weeks), 0), PRIORITY_MAX_WEEKS)


def suggestions(
    members: list[dict],
    member_ids: QuerySet,
    signals: dict[int, list[dict]],
    graph_data: dict,
    coverage: dict,
    as_of: datetime,
    community_signals: list[dict] | None = None,
) -> list[dict]:
    """The MAX_SUGGESTIONS highest ranked suggestions."""
    by_id = {m["id"]: m for m in members}
    out = [
        *_calls(by_id, signals, as_of),
        *_introductions(members, by_id, member_ids, graph_data),
        *_welcomes(members, by_id, signals, graph_data),
        *_perspective_pairs(coverage, graph_data),
        *group_suggestions(community_signals or [], as_of),
    ]
    for suggestion in out:
        suggestion["priority"] = suggestion_priority(suggestion["kind"], suggestion["params"])
    # Stable: equal ranks keep the order they were found in (members in joining order).
    out.sort(key=lambda s: -s["priority"])
    return out[:MAX_SUGGESTIONS]


def _weeks_since(day: str | None, as_of: datetime) -> int:
    if not day:
        return 0
    return max(0, (as_of.date() - date.fromisoformat(day)).days // 7)


def _calls(by_id: dict[int, dict], signals: dict[int, list[dict]], as_of: datetime) -> list[dict]:
    """Get in touch with everyone drifting away or, in the core group, gone quiet."""
    out = []
    for uid, items in signals.items():
        for signal in items:
            if signal["kind"] in ("drifting", "core_silent"):
                out.append(
                    {
                        "kind": "call",
                        "key": f"call:{by_id[uid]['email']}:{signal['since']}",
                        "members": [by_id[uid]["email"]],
                        "params": {
                            "signal": signal["kind"],
                            "rule": signal["rule"],
                            **signal["params"],
                            "weeks": _weeks_since(signal["since"], as_of),
                        },
                    }
                )
    return out


def _introductions(
    members: list[dict], by_id: dict[int, dict], member_ids: QuerySet, graph_data: dict
) -> list[dict]:
    """Someone looking for a topic and someone who helps with it, not yet tied: per seeker the
    first topic (by name) that has a helper, the helper with the most ties."""
    index = {m["id"]: i for i, m in enumerate(members)}
    strong = graph_data["strong_pairs"]
    seeking, helping = _tags(member_ids)
    helpers_by_tag: dict[str, list[int]] = defaultdict(list)
    for uid, tags in helping.items():
        for tag in tags:
            helpers_by_tag[tag].append(uid)
    out = []
    for uid, tags in sorted(seeking.items()):
        for tag in sorted(tags):
            candidates = [
                h
                for h in helpers_by_tag.get(tag, [])
                if h != uid and (min(index[uid], index[h]), max(index[uid], index[h])) not in strong
            ]
            if candidates:
                helper = max(candidates, key=lambda h: graph_data["degree"][index[h]])
                out.append(
                    {
                        "kind": "introduce",
                        "key": f"introduce:{by_id[uid]['email']}:{by_id[helper]['email']}",
                        "members": [by_id[uid]["email"], by_id[helper]["email"]],
                        "params": {"topic": tag},
                    }
                )
                break
    return out


def _best_connected(members: list[dict], graph_data: dict) -> tuple[int | None, dict[str, int]]:
    """The best candidate buddy (highest degree, the earliest member on a tie) among the
    connected, overall and per perspective, found once."""
    degree = graph_data["degree"]
    best_overall: int | None = None
    best_by_perspective: dict[str, int] = {}
    for i, m in enumerate(members):
        if graph_data["strong_degree"][i] == 0:
            continue
        if best_overall is None or degree[i] > degree[best_overall]:
            best_overall = i
        for key in m["perspectives"]:
            if key not in best_by_perspective or degree[i] > degree[best_by_perspective[key]]:
                best_by_perspective[key] = i
    return best_overall, best_by_perspective


def _welcomes(
    members: list[dict], by_id: dict[int, dict], signals: dict[int, list[dict]], graph_data: dict
) -> list[dict]:
    """Newcomers without ties: introduce them to a well-connected member who shares a
    perspective; a newcomer's buddy is the best of their perspectives' bests."""
    degree = graph_data["degree"]
    best_overall, best_by_perspective = _best_connected(members, graph_data)
    out = []
    for uid, items in signals.items():
        if not any(s["kind"] == "unconnected" for s in items):
            continue
        mine = set(by_id[uid]["perspectives"])
        if best_overall is None:
            continue
        # An unconnected member has no strong ties, so is never their own candidate.
        sharing = [best_by_perspective[key] for key in mine if key in best_by_perspective]
        best = min(sharing, key=lambda i: (-degree[i], i)) if sharing else best_overall
        buddy = members[best]["id"]
        shared = sorted(mine & set(by_id[buddy]["perspectives"]))
        out.append(
            {
                "kind": "welcome",
                "key": f"welcome:{by_id[uid]['email']}",
                "members": [by_id[uid]["email"], by_id[buddy]["email"]],
                "params": {
                    "weeks": items[0]["params"].get("weeks"),
                    "perspective": shared[0] if shared else "",
                },
            }
        )
    return out


def _perspective_pairs(coverage: dict, graph_data: dict) -> list[dict]:
    """Perspectives that are present but never talk to each other (the first three pairs)."""
    present = [row["perspective"] for row in coverage["rows"] if row["active"] > 0]
    ties = graph_data["perspective_ties"]
    pairs = []
    for i, a in enumerate(present):
        for b in present[i + 1 :]:
            if ties.get("|".join(sorted((a, b))), 0) == 0:
                pairs.append((a, b))
    return [
        {
            "kind": "pair_perspectives",
            "key": f"pair:{a}:{b}",
            "members": [],
            "params": {"a": a, "b": b},
        }
        for a, b in pairs[:3]
    ]


def _tags(user_ids: QuerySet) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """What the members look for and help with; `user_ids` is a subquery (a list of 10,000
    ids would be 10,000 query parameters)."""
    seeking: dict[int, set[str]] = defaultdict(set)
    helping: dict[int, set[str]] = defaultdict(set)
    for uid, name in User.seeking_tags.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "tag__name"
    ):
        seeking[uid].add(name)
    for uid, name in User.help_tags.through.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "tag__name"
    ):
        helping[uid].add(name)
    return seeking, helping
