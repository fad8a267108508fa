"""The relations network: ties in the period (acts between two members, and shared sessions
as weaker ties) and its igraph metrics: degree, betweenness, groups (Louvain), brokers,
isolates and the ties between perspectives."""

import random
import threading
from collections import defaultdict
from datetime import datetime, timedelta

import igraph

from kring.communities.models import Community
from kring.meetings.models import Attendance, AttendanceStatus

Pair = tuple[int, int]

# A shared session is a weaker tie than a reply; sessions bigger than this make no ties.
SESSION_TIE_WEIGHT = 0.25
SESSION_TIE_MAX_ATTENDEES = 40
# Exact betweenness costs O(V·E): one shortest-path pass from every person (≈ 1 s at 2,000
# people, 30 s at 10,000 with 100,000 ties). Above this many people it is estimated from
# BETWEENNESS_PIVOTS sources drawn with a fixed seed, scaled by n / pivots (Brandes & Pich
# 2007): at 10,000 people and 128 pivots, 97 % of the top 5 % (the brokers) are the exact
# ones, in 0.4 s. (A path-length cutoff does not help: heavy ties are very short distances.)
BETWEENNESS_EXACT_UP_TO = 2000
BETWEENNESS_PIVOTS = 128
# Louvain (community_multilevel) visits the vertices in a random order drawn from igraph's
# generator, by default Python's global `random`: a seeded generator of its own, set under a
# lock and put back afterwards, gives the same groups for the same data every time.
GROUPS_SEED = 20240601
IGRAPH_RANDOM_LOCK = threading.Lock()


def network(
    community: Community,
    members: list[dict],
    index: dict[int, int],
    pair_counts: dict[Pair, int],
    as_of: datetime,
    period_days: int,
) -> dict:
    """The ties in the period (`pair_counts`: acts per pair of user ids, from passes.tie_pairs,
    plus shared sessions) and the igraph metrics."""
    strong: dict[Pair, float] = {}
    for (low, high), n in pair_counts.items():
        a, b = index[low], index[high]
        strong[(min(a, b), max(a, b))] = float(n)
    weak = _session_ties(community, index, as_of - timedelta(days=period_days), as_of)

    n = len(members)
    weights = dict(weak)
    for pair, w in strong.items():
        weights[pair] = weights.get(pair, 0.0) + w
    # Sorted: the vertex and edge order is part of what Louvain sees.
    edges = sorted(weights)
    graph = igraph.Graph(n=n, edges=edges, directed=False)
    graph.es["weight"] = [weights[e] for e in edges]
    degree = graph.degree() if n else []
    strong_degree = [0] * n
    for a, b in strong:
        strong_degree[a] += 1
        strong_degree[b] += 1
    betweenness, membership, modularity = _metrics(graph, n)
    # One definition of "not connected" for the network, the groups and the signals: no
    # direct interaction in the period (shared sessions alone do not count). The not
    # connected are the isolates; they belong to no group and are never brokers, even when
    # shared sessions place them in a Louvain community or on a shortest path.
    connected = [strong_degree[i] > 0 for i in range(n)]
    group, groups = _groups(members, membership, connected)
    possible = n * (n - 1) / 2
    return {
        "degree": degree,
        "strong_degree": strong_degree,
        "betweenness": betweenness,
        "group": group,
        "groups": groups,
        "modularity": modularity,
        "isolates": [members[i]["email"] for i in range(n) if not connected[i]],
        "brokers": _brokers(members, betweenness, connected),
        "density": round(len(strong) / possible, 6) if possible else 0.0,
        "edges": [
            {
                "a": members[a]["email"],
                "b": members[b]["email"],
                "weight": round(w, 2),
                "strong": (a, b) in strong,
            }
            for (a, b), w in sorted(weights.items())
        ],
        "perspective_ties": _perspective_ties(members, strong),
        "strong_pairs": set(strong),
    }


def _session_ties(
    community: Community, index: dict[int, int], start: datetime, as_of: datetime
) -> dict[Pair, float]:
    """The weak ties: SESSION_TIE_WEIGHT for every session two members attended in the period
    (sessions of more than SESSION_TIE_MAX_ATTENDEES make none)."""
    weak: dict[Pair, float] = defaultdict(float)
    by_session: dict[int, list[int]] = defaultdict(list)
    for session_id, user_id in Attendance.objects.filter(
        session__community=community,
        status=AttendanceStatus.ATTENDED,
        session__starts_at__gte=start,
        session__starts_at__lt=as_of,
    ).values_list("session_id", "user_id"):
        if user_id in index:
            by_session[session_id].append(index[user_id])
    for people in by_session.values():
        if len(people) > SESSION_TIE_MAX_ATTENDEES:
            continue
        people.sort()
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                weak[(a, b)] += SESSION_TIE_WEIGHT
    return weak


def _metrics(graph: igraph.Graph, n: int) -> tuple[list[float], list[int], float]:
    """Betweenness (normalised), the Louvain membership and its modularity."""
    if n <= 2 or not graph.ecount():
        return [0.0] * n, list(range(n)), 0.0
    # Distances: a heavier tie is a shorter path.
    distances = [1.0 / w for w in graph.es["weight"]]
    if n <= BETWEENNESS_EXACT_UP_TO:
        raw = graph.betweenness(weights=distances)
    else:
        pivots = sorted(random.Random(0).sample(range(n), BETWEENNESS_PIVOTS))
        sampled = graph.betweenness(weights=distances, sources=pivots)
        raw = [b * n / BETWEENNESS_PIVOTS for b in sampled]
    scale = (n - 1) * (n - 2) / 2
    betweenness = [b / scale for b in raw]
    with IGRAPH_RANDOM_LOCK:
        igraph.set_random_number_generator(random.Random(GROUPS_SEED))
        try:
            membership = graph.community_multilevel(weights="weight").membership
        finally:
            igraph.set_random_number_generator(random)
    modularity = round(graph.modularity(membership, weights="weight"), 4)
    return betweenness, membership, modularity


def _groups(
    members: list[dict], membership: list[int], connected: list[bool]
) -> tuple[list[int | None], list[list[str]]]:
    """Groups: communities of two or more connected people, biggest first, numbered from 1.
    Per member their group number (None outside any), and per group its members' e-mails."""
    n = len(members)
    sizes: dict[int, int] = defaultdict(int)
    for i, g in enumerate(membership):
        if connected[i]:
            sizes[g] += 1
    ordered = sorted((g for g in sizes if sizes[g] >= 2), key=lambda g: -sizes[g])
    renumber = {g: i + 1 for i, g in enumerate(ordered)}
    group = [renumber.get(membership[i]) if connected[i] else None for i in range(n)]
    groups = [
        [members[i]["email"] for i in range(n) if group[i] == g] for g in range(1, len(ordered) + 1)
    ]
    return group, groups


def _brokers(members: list[dict], betweenness: list[float], connected: list[bool]) -> list[str]:
    """The top 5% by betweenness (at least one), and everyone as high as the last of them: of
    two people who bridge the same gap, neither is more of a broker than the other."""
    n = len(members)
    ranked = sorted((i for i in range(n) if connected[i]), key=lambda i: -betweenness[i])
    top = ranked[: max(1, n // 20)]
    floor = betweenness[top[-1]] - 1e-9 if top else 0.0
    return [members[i]["email"] for i in ranked if betweenness[i] > 0 and betweenness[i] >= floor]


def _perspective_ties(members: list[dict], strong: dict[Pair, float]) -> dict[str, int]:
    """Direct ties per pair of perspectives ("a|b", sorted)."""
    perspective_ties: dict[str, int] = defaultdict(int)
    for a, b in strong:
        for pa in members[a]["perspectives"]:
            for pb in members[b]["perspectives"]:
                key = "|".join(sorted((pa, pb)))
                perspective_ties[key] += 1
    return dict(sorted(perspective_ties.items()))
