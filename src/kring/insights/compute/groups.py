"""Feelers for the group: raw signals about the community as a whole, not one member
(docs/insights.md, "Feelers for the group").

- `drifting_apart`: two sub-groups (as they were before) whose share of the interactions
  that cross between them fell clearly in the last weeks;
- `dominant_voice`: one person (or one perspective) fills the room while the others make less;
- `unheard_perspective`: a perspective among the members that seldom takes part in the
  conversations, or whose posts seldom get a reply.

Pure functions over the aggregated counts of passes_groups (per pair and week, per member);
the sentences are made by kring.insights.document.community_signal_reason.
"""

import random
from collections import defaultdict
from datetime import datetime, timedelta

import igraph

from kring.insights.compute.base import iso_day
from kring.insights.compute.network import GROUPS_SEED, IGRAPH_RANDOM_LOCK

Pair = tuple[int, int]

# The two periods compared: "now" (the last NOW_WEEKS weeks) and "before" (the BEFORE_WEEKS
# weeks before it). Weeks are blocks of 7 days counted back from the moment of the document.
NOW_WEEKS = 4
BEFORE_WEEKS = 12
SPAN_WEEKS = NOW_WEEKS + BEFORE_WEEKS

# drifting_apart
GROUP_MIN_SIZE = 3  # a sub-group of fewer people is a pair or a trio's edge, not a group
MIN_CROSS_BEFORE = 8  # tie events between the two groups before: they clearly talked
MIN_EXPECTED_NOW = 6  # cross ties expected now at the old share: enough activity to judge
DROP_RATIO = 0.5  # flagged when the share now is below half the share before
MIN_GROUP_TIES_NOW = 3  # each group still interacts now (else it went quiet, not apart)
MAX_DRIFTING_PAIRS = 3
ANCHORS_PER_GROUP = 2

# dominant_voice
MIN_ACTIVE_CONTRIBUTORS = 5
DOMINANT_MIN_CONTRIBUTIONS = 10
DOMINANT_MIN_SHARE = 0.25
DOMINANT_FAIR_MULTIPLE = 4.0  # share × active contributors: four times a fair share
PERSPECTIVE_MIN_SHARE = 0.5
PERSPECTIVE_FAIR_MULTIPLE = 2.0  # contribution share against its share of the contributors
PERSPECTIVE_MIN_PEOPLE = 2  # one person is the person-level signal
OTHERS_MIN_BEFORE = 12  # the others' contributions before: a pace to shrink from
OTHERS_SHRINK = 0.75  # the others' weekly pace now below three quarters of before
TOP_PEOPLE = 3

# unheard_perspective
PERSPECTIVE_MIN_MEMBERS = 3
PERSPECTIVE_MIN_MEMBER_SHARE = 0.05
MIN_POSTS = 20  # conversation posts in the community in the period
QUIET_RATIO = 0.25  # their share of the posts below a quarter of their share of members
MIN_OWN_POSTS = 5  # their own posts before "seldom get a reply" can be judged
UNANSWERED_RATIO = 1 / 3  # replies per post below a third of the others' rate
INVITE_PEOPLE = 2


def community_signals(members: list[dict], data: dict, as_of: datetime) -> list[dict]:
    """All community-level signals: drifting apart, then dominant voices, then unheard
    perspectives. `data` is passes_groups.group_pass's result."""
    voices = data["voices"]
    return [
        *drifting_apart(members, data["weekly"], as_of),
        *dominant_voices(members, voices, as_of),
        *unheard_perspectives(members, voices),
    ]


def _since(as_of: datetime, weeks_back: int) -> str | None:
    return iso_day(as_of - timedelta(weeks=weeks_back))


# --- drifting apart ---------------------------------------------------------------------


def drifting_apart(
    members: list[dict], weekly: dict[Pair, list[int]], as_of: datetime
) -> list[dict]:
    """Pairs of sub-groups of the before period whose share of all tie events that cross
    between them fell below DROP_RATIO of its level before. `weekly`: per pair of user ids,
    tie events per week, index 0 the most recent week, SPAN_WEEKS weeks."""
    order = {m["id"]: i for i, m in enumerate(members)}
    weekly = {p: w for p, w in weekly.items() if p[0] in order and p[1] in order}
    before = {p: sum(w[NOW_WEEKS:]) for p, w in weekly.items()}
    before = {p: n for p, n in before.items() if n}
    group_of = _groups_before(before, order)
    if len(set(group_of.values())) < 2:
        return []
    total_before = sum(before.values())
    total_now = sum(sum(w[:NOW_WEEKS]) for w in weekly.values())
    week_totals = [sum(w[k] for w in weekly.values()) for k in range(SPAN_WEEKS)]
    cross_weeks: dict[Pair, list[int]] = defaultdict(lambda: [0] * SPAN_WEEKS)
    bridges: dict[Pair, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    involving_now: dict[int, int] = defaultdict(int)
    inner_strength: dict[int, int] = defaultdict(int)
    for (a, b), w in weekly.items():
        ga, gb = group_of.get(a), group_of.get(b)
        now = sum(w[:NOW_WEEKS])
        for g in {ga, gb}:
            if g is not None:
                involving_now[g] += now
        if ga is not None and ga == gb:
            inner_strength[a] += before.get((a, b), 0)
            inner_strength[b] += before.get((a, b), 0)
        if ga is None or gb is None or ga == gb:
            continue
        key = (min(ga, gb), max(ga, gb))
        for k in range(SPAN_WEEKS):
            cross_weeks[key][k] += w[k]
        if now:
            bridges[key][a] += now
            bridges[key][b] += now
    found = []
    for key, w in cross_weeks.items():
        cross_before, cross_now = sum(w[NOW_WEEKS:]), sum(w[:NOW_WEEKS])
        share_before = cross_before / total_before
        expected = share_before * total_now
        if (
            cross_before >= MIN_CROSS_BEFORE
            and expected >= MIN_EXPECTED_NOW
            and cross_now < DROP_RATIO * expected
            and all(involving_now[g] >= MIN_GROUP_TIES_NOW for g in key)
        ):
            found.append((expected - cross_now, key, cross_before, cross_now))
    found.sort(key=lambda t: (-t[0], t[1]))
    out = []
    for _missing, key, cross_before, cross_now in found[:MAX_DRIFTING_PAIRS]:
        people = [
            sorted((uid for uid, g in group_of.items() if g == key_g), key=order.__getitem__)
            for key_g in key
        ]
        people.sort(key=lambda uids: (-len(uids), order[uids[0]]))
        threshold = DROP_RATIO * cross_before / total_before
        bridging = sorted(bridges[key].items(), key=lambda t: (-t[1], order[t[0]]))
        out.append(
            {
                "kind": "drifting_apart",
                "since": _drop_since(cross_weeks[key], week_totals, threshold, as_of),
                "groups": [[members[order[u]]["email"] for u in uids] for uids in people],
                "params": {
                    "now_weeks": NOW_WEEKS,
                    "before_weeks": BEFORE_WEEKS,
                    "cross_before": cross_before,
                    "total_before": total_before,
                    "cross_now": cross_now,
                    "total_now": total_now,
                    "share_before": round(100 * cross_before / total_before, 1),
                    "share_now": round(100 * cross_now / total_now, 1) if total_now else 0.0,
                    "sizes": [len(uids) for uids in people],
                    "anchors": [
                        [
                            members[order[u]]["email"]
                            for u in sorted(uids, key=lambda u: (-inner_strength[u], order[u]))[
                                :ANCHORS_PER_GROUP
                            ]
                        ]
                        for uids in people
                    ],
                    "bridges": [members[order[u]]["email"] for u, _n in bridging],
                },
            }
        )
    return out


def _groups_before(before: dict[Pair, int], order: dict[int, int]) -> dict[int, int]:
    """Louvain on the before period's ties (seeded, as network.py): per user id in a group of
    at least GROUP_MIN_SIZE people, the group's label."""
    people = sorted({u for pair in before for u in pair}, key=order.__getitem__)
    if len(people) < 2 * GROUP_MIN_SIZE:
        return {}
    at = {u: i for i, u in enumerate(people)}
    edges = sorted((min(at[a], at[b]), max(at[a], at[b])) for a, b in before)
    weight = {(min(at[a], at[b]), max(at[a], at[b])): n for (a, b), n in before.items()}
    graph = igraph.Graph(n=len(people), edges=edges, directed=False)
    graph.es["weight"] = [float(weight[e]) for e in edges]
    with IGRAPH_RANDOM_LOCK:
        igraph.set_random_number_generator(random.Random(GROUPS_SEED))
        try:
            membership = graph.community_multilevel(weights="weight").membership
        finally:
            igraph.set_random_number_generator(random)
    sizes: dict[int, int] = defaultdict(int)
    for g in membership:
        sizes[g] += 1
    return {u: membership[at[u]] for u in people if sizes[membership[at[u]]] >= GROUP_MIN_SIZE}


def _drop_since(
    cross: list[int], totals: list[int], threshold: float, as_of: datetime
) -> str | None:
    """The first day of the run of low weeks (a cross share below `threshold`) up to now;
    weeks without any tie event neither break nor start the run. When the latest week is not
    low (the drop is in the now window as a whole), the start of the now window."""
    start = None
    for k in range(SPAN_WEEKS):
        if totals[k] == 0:
            continue
        if cross[k] < threshold * totals[k]:
            start = k
        else:
            break
    if start is None:
        return _since(as_of, NOW_WEEKS)
    return _since(as_of, start + 1)


# --- dominant voice ---------------------------------------------------------------------


def _others_shrink(others_now: int, others_before: int) -> bool:
    """The others' weekly pace now is clearly below their pace before."""
    return (
        others_before >= OTHERS_MIN_BEFORE
        and others_now / NOW_WEEKS < OTHERS_SHRINK * others_before / BEFORE_WEEKS
    )


def dominant_voices(members: list[dict], voices: dict[int, dict], as_of: datetime) -> list[dict]:
    """A person, or a perspective, whose share of the contributions in the now window is far
    above their share of the people who contributed, while the others' contributions shrink.
    `voices`: per user id {"now", "before", "posts", "replies"} (contributions in the now
    and before windows; conversation posts and replies received in both)."""
    order = {m["id"]: i for i, m in enumerate(members)}
    now = {u: v["now"] for u, v in voices.items() if u in order and v["now"]}
    before = {u: v["before"] for u, v in voices.items() if u in order}
    total_now, total_before = sum(now.values()), sum(before.values())
    active = len(now)
    if active < MIN_ACTIVE_CONTRIBUTORS:
        return []
    ranked = sorted(now, key=lambda u: (-now[u], order[u]))
    since = _since(as_of, NOW_WEEKS)
    common = {
        "now_weeks": NOW_WEEKS,
        "before_weeks": BEFORE_WEEKS,
        "total": total_now,
        "active": active,
    }
    out = []
    named: set[int] = set()
    for u in ranked:
        share = now[u] / total_now
        others_now, others_before = total_now - now[u], total_before - before.get(u, 0)
        if (
            now[u] >= DOMINANT_MIN_CONTRIBUTIONS
            and share >= DOMINANT_MIN_SHARE
            and share * active >= DOMINANT_FAIR_MULTIPLE
            and _others_shrink(others_now, others_before)
        ):
            named.add(u)
            out.append(
                {
                    "kind": "dominant_voice",
                    "since": since,
                    "people": [members[order[u]]["email"]],
                    "perspective": None,
                    "params": {
                        **common,
                        "count": now[u],
                        "share": round(100 * share),
                        "fair_share": round(100 / active, 1),
                        "others_now": others_now,
                        "others_before": others_before,
                    },
                }
            )
    by_key: dict[str, list[int]] = defaultdict(list)
    for u in ranked:
        for key in members[order[u]]["perspectives"]:
            by_key[key].append(u)
    for key in sorted(by_key):
        people = by_key[key]
        count = sum(now[u] for u in people)
        share, people_share = count / total_now, len(people) / active
        # Already said by a person-level signal when one named person made most of it.
        if any(now[u] * 2 >= count for u in people if u in named):
            continue
        without = [u for u in order if key not in members[order[u]]["perspectives"]]
        others_now = sum(now.get(u, 0) for u in without)
        others_before = sum(before.get(u, 0) for u in without)
        if (
            len(people) >= PERSPECTIVE_MIN_PEOPLE
            and share >= PERSPECTIVE_MIN_SHARE
            and share >= PERSPECTIVE_FAIR_MULTIPLE * people_share
            and _others_shrink(others_now, others_before)
        ):
            out.append(
                {
                    "kind": "dominant_voice",
                    "since": since,
                    "people": [members[order[u]]["email"] for u in people[:TOP_PEOPLE]],
                    "perspective": key,
                    "params": {
                        **common,
                        "count": count,
                        "share": round(100 * share),
                        "people": len(people),
                        "people_share": round(100 * people_share),
                        "others_now": others_now,
                        "others_before": others_before,
                    },
                }
            )
    return out


# --- unheard perspective ----------------------------------------------------------------


def unheard_perspectives(members: list[dict], voices: dict[int, dict]) -> list[dict]:
    """Perspectives of at least PERSPECTIVE_MIN_MEMBERS members (and that share of them) whose
    people seldom post in the conversations (asked, discussion started, answered, replied) in
    the SPAN_WEEKS weeks, or whose posts seldom get a reply or answer, against the others."""
    n = len(members)
    if not n:
        return []
    order = {m["id"]: i for i, m in enumerate(members)}
    posts = {u: voices.get(u, {}).get("posts", 0) for u in order}
    replies = {u: voices.get(u, {}).get("replies", 0) for u in order}
    total_posts, total_replies = sum(posts.values()), sum(replies.values())
    by_key: dict[str, list[int]] = defaultdict(list)
    for m in members:
        for key in m["perspectives"]:
            by_key[key].append(m["id"])
    out = []
    for key in sorted(by_key):
        people = by_key[key]
        member_share = len(people) / n
        if len(people) < PERSPECTIVE_MIN_MEMBERS or member_share < PERSPECTIVE_MIN_MEMBER_SHARE:
            continue
        own_posts = sum(posts[u] for u in people)
        own_replies = sum(replies[u] for u in people)
        others_posts, others_replies = total_posts - own_posts, total_replies - own_replies
        post_share = own_posts / total_posts if total_posts else 0.0
        quiet = total_posts >= MIN_POSTS and post_share < QUIET_RATIO * member_share
        rate = own_replies / own_posts if own_posts else 0.0
        others_rate = others_replies / others_posts if others_posts else 0.0
        unanswered = (
            own_posts >= MIN_OWN_POSTS
            and others_posts >= MIN_OWN_POSTS
            and others_rate > 0
            and rate < UNANSWERED_RATIO * others_rate
        )
        if not (quiet or unanswered):
            continue
        # The people to invite: who posted most, then the earliest members.
        invite = sorted(people, key=lambda u: (-posts[u], order[u]))[:INVITE_PEOPLE]
        out.append(
            {
                "kind": "unheard_perspective",
                "since": None,
                "perspective": key,
                "params": {
                    "period_weeks": SPAN_WEEKS,
                    "quiet": quiet,
                    "unanswered": unanswered,
                    "members": len(people),
                    "member_share": round(100 * member_share),
                    "posts": own_posts,
                    "total_posts": total_posts,
                    "post_share": round(100 * post_share),
                    "replies": own_replies,
                    "replies_per_10": round(10 * rate),
                    "others_per_10": round(10 * others_rate),
                    "invite": [members[order[u]]["email"] for u in invite],
                },
            }
        )
    return out


# --- suggestions ------------------------------------------------------------------------


def _weeks_since(day: str | None, as_of: datetime) -> int:
    if not day:
        return 0
    return max(0, (as_of.date() - datetime.fromisoformat(day).date()).days // 7)


def group_suggestions(signals: list[dict], as_of: datetime) -> list[dict]:
    """One suggestion per community signal: bring two groups together, make room for other
    voices, invite a perspective into the conversation. Keys stay the same while the
    situation does (the anchors, the person, the perspective)."""
    out = []
    for s in signals:
        p = s["params"]
        if s["kind"] == "drifting_apart":
            group_a, group_b = p["anchors"]
            bridge = p["bridges"][0] if p["bridges"] else ""
            members = list(dict.fromkeys([*group_a, *group_b, *([bridge] if bridge else [])]))
            out.append(
                {
                    "kind": "bring_together",
                    "key": "bring_together:" + ":".join(sorted((group_a[0], group_b[0]))),
                    "members": members,
                    "params": {
                        "group_a": group_a,
                        "group_b": group_b,
                        "bridge": bridge,
                        "sizes": p["sizes"],
                        "weeks": _weeks_since(s["since"], as_of),
                    },
                }
            )
        elif s["kind"] == "dominant_voice":
            perspective = s.get("perspective") or ""
            out.append(
                {
                    "kind": "make_room",
                    "key": "make_room:"
                    + (f"perspective:{perspective}" if perspective else s["people"][0]),
                    "members": list(s["people"]),
                    "params": {
                        "perspective": perspective,
                        "share": p["share"],
                        "now_weeks": p["now_weeks"],
                        "weeks": 0,
                    },
                }
            )
        elif s["kind"] == "unheard_perspective":
            out.append(
                {
                    "kind": "invite_perspective",
                    "key": f"invite_perspective:{s['perspective']}",
                    "members": list(p["invite"]),
                    "params": {**p, "perspective": s["perspective"], "weeks": 0},
                }
            )
    return out
