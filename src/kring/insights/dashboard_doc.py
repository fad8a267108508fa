"""The dashboard part of a snapshot: what the facilitator's dashboard shows, cut from the raw
document (compute.py) once, when the snapshot is made, so a request never reads the whole
document (12 MB of JSON at 10,000 members).

Raw facts and parameters only, like the raw document: the reasons are written when the page is
rendered, in the reader's language (document.signal_reason, suggestion_reason, gap_reason).

    {"version", "member_count",
     "people": [{"id", "email", "name", "perspectives", "degree", "betweenness"}],  # named below
     "signals": {kind: {"count", "items": [{"id", "rule", "since", "params"}]}},  # capped
     "suggestions": [{"kind", "key", "members", "params", "priority"}],  # ranked, capped
     "coverage": {...}, "trends": {...},                                            # as in raw
     "groups": {"count", "modularity", "shown": [{"number", "size", "ids"}]},
     "network": {"density", "total", "ties_total", "ids": [...],
                 "edges": [[a, b, weight, strong]],  # the strongest TIES_DRAWN
                 "brokers": [id], "isolates": [id], "positions": [[id, x, y]]}}
"""

from kring.insights import charts

VERSION = 1
SIGNAL_KINDS = ("core_silent", "drifting", "unconnected", "rising", "lurker")
SIGNALS_SHOWN = 50
# Open suggestions are picked at view time (a facilitator may decide some after the snapshot):
# keep more than the page shows.
SUGGESTIONS_KEPT = 100
SUGGESTIONS_SHOWN = 30
GROUPS_SHOWN = 20
GROUP_NAMES_SHOWN = 12
TIES_DRAWN = 800
# role, strong_degree and group: the network's labels, shapes and list (network_section).
PERSON_KEYS = (
    "id",
    "email",
    "name",
    "perspectives",
    "degree",
    "betweenness",
    "role",
    "strong_degree",
    "group",
)


class _Named:
    """The people the dashboard part names, in the order they are first named."""

    def __init__(self) -> None:
        self.people: dict[int, dict] = {}

    def __call__(self, member: dict) -> int:
        self.people.setdefault(member["id"], {k: member.get(k) for k in PERSON_KEYS})
        return member["id"]


def build(raw: dict) -> dict:
    """The dashboard part of the raw document `raw`."""
    members = raw.get("members", [])
    by_email = {m["email"]: m for m in members}
    name = _Named()
    signal_part = _signals(members, name)
    suggestions = _suggestions(raw, by_email, name)
    groups = raw.get("groups", [])
    shown_groups = _groups(groups, by_email, name)
    network_part = _network(raw.get("network", {}), members, by_email, name)
    group_signals = _group_signals(raw.get("community_signals", []), by_email, name)
    return {
        "version": VERSION,
        "member_count": len(members),
        "people": list(name.people.values()),
        "signals": signal_part,
        "suggestions": suggestions,
        "coverage": raw.get("coverage", {}),
        "trends": raw.get("trends", {}),
        "groups": {
            "count": len(groups),
            "modularity": raw.get("modularity", 0.0),
            "shown": shown_groups,
        },
        "network": network_part,
        "group_signals": group_signals,
        "tide": raw.get("tide"),
    }


def _group_signals(signals: list[dict], by_email: dict[str, dict], name: _Named) -> list[dict]:
    """The feelers for the group without their (possibly long) member lists; the people their
    sentences name (the groups' anchors, the bridges, the dominant voice) are named here."""
    out = []
    for signal in signals:
        params = signal.get("params", {})
        named = [
            *(e for anchors in params.get("anchors", []) for e in anchors),
            *params.get("bridges", [])[:3],
            *signal.get("people", [])[:3],
        ]
        for email in named:
            if email in by_email:
                name(by_email[email])
        out.append({k: v for k, v in signal.items() if k != "groups"})
    return out


def _signals(members: list[dict], name: _Named) -> dict:
    """Per kind: how many, and the first SIGNALS_SHOWN (oldest first, then by name)."""
    signals: dict[str, list] = {kind: [] for kind in SIGNAL_KINDS}
    for m in members:
        for s in m.get("signals", []):
            if s["kind"] in signals:
                signals[s["kind"]].append((s.get("since") or "", m["name"], m, s))
    signal_part = {}
    for kind, found in signals.items():
        found.sort(key=lambda t: (t[0], t[1]))
        signal_part[kind] = {
            "count": len(found),
            "items": [
                {
                    "id": name(m),
                    "rule": s.get("rule"),
                    "since": s.get("since"),
                    "params": s.get("params", {}),
                }
                for _since, _name, m, s in found[:SIGNALS_SHOWN]
            ],
        }
    return signal_part


def _suggestions(raw: dict, by_email: dict[str, dict], name: _Named) -> list[dict]:
    """The first SUGGESTIONS_KEPT suggestions (ranked already), naming their people."""
    suggestions = []
    for s in raw.get("suggestions", [])[:SUGGESTIONS_KEPT]:
        for email in s["members"]:
            if email in by_email:
                name(by_email[email])
        suggestions.append(
            {
                "kind": s["kind"],
                "key": s["key"],
                "members": s["members"],
                "params": s.get("params", {}),
                "priority": s.get("priority", 0),
            }
        )
    return suggestions


def _groups(groups: list[list[str]], by_email: dict[str, dict], name: _Named) -> list[dict]:
    """The GROUPS_SHOWN biggest groups with the first GROUP_NAMES_SHOWN of their people."""
    ranked = sorted(enumerate(groups, start=1), key=lambda g: (-len(g[1]), g[0]))
    shown_groups = []
    for number, emails in ranked[:GROUPS_SHOWN]:
        ids = [name(by_email[e]) for e in emails[:GROUP_NAMES_SHOWN] if e in by_email]
        shown_groups.append({"number": number, "size": len(emails), "ids": ids})
    return shown_groups


def _network(network: dict, members: list[dict], by_email: dict[str, dict], name: _Named) -> dict:
    """The drawn part of the network (charts.network_members) with its layout, by id."""
    drawn, total = charts.network_members({"members": members}, {m["id"] for m in members})
    drawn_emails = {m["email"] for m in drawn}
    edges = [
        e for e in network.get("edges", []) if e["a"] in drawn_emails and e["b"] in drawn_emails
    ]
    ties_total = len(edges)
    sub = {
        "edges": edges,
        "isolates": [e for e in network.get("isolates", []) if e in drawn_emails],
        "brokers": [e for e in network.get("brokers", []) if e in drawn_emails],
    }
    positions = charts.network_positions(drawn, sub)
    # The layout uses every tie; the picture the strongest (thousands of lines among 400
    # people are a blot, and megabytes of page).
    if len(edges) > TIES_DRAWN:
        edges = _strongest(edges, TIES_DRAWN)
    ids = [name(m) for m in drawn]
    return {
        "density": network.get("density", 0.0),
        "total": total,
        "ties_total": ties_total,
        "ids": ids,
        "edges": [
            [
                by_email[e["a"]]["id"],
                by_email[e["b"]]["id"],
                float(e.get("weight", 1.0)),
                bool(e.get("strong")),
            ]
            for e in edges
        ],
        "brokers": [by_email[e]["id"] for e in sub["brokers"]],
        "isolates": [by_email[e]["id"] for e in sub["isolates"]],
        "positions": [[by_email[e]["id"], x, y] for e, (x, y) in positions.items()],
    }


def network_document(dashboard: dict) -> tuple[dict, dict]:
    """The drawn network in the shape charts.network_svg reads (members with emails, ties by
    email), and the stored layout by email."""
    people = {p["id"]: p for p in dashboard.get("people", [])}
    network = dashboard.get("network", {})
    email = {i: people[i]["email"] for i in network.get("ids", []) if i in people}
    doc = {
        "members": [people[i] for i in network.get("ids", []) if i in people],
        "network": {
            "edges": [
                {"a": email[a], "b": email[b], "weight": w, "strong": s}
                for a, b, w, s in network.get("edges", [])
                if a in email and b in email
            ],
            "brokers": [email[i] for i in network.get("brokers", []) if i in email],
            "isolates": [email[i] for i in network.get("isolates", []) if i in email],
        },
    }
    positions = {email[i]: (x, y) for i, x, y in network.get("positions", []) if i in email}
    return doc, positions


def _strongest(edges: list[dict], limit: int) -> list[dict]:
    """The `limit` strongest ties, direct before shared sessions, but first everyone's own
    strongest tie: no one in the web is drawn as if they had none."""
    ranked = sorted(edges, key=lambda e: (not e.get("strong"), -e.get("weight", 1.0)))
    kept, covered = [], set()
    for n, e in enumerate(ranked):
        if e["a"] not in covered or e["b"] not in covered:
            kept.append(n)
            covered.update((e["a"], e["b"]))
    chosen = set(kept)
    for n in range(len(ranked)):
        if len(chosen) >= limit:
            break
        chosen.add(n)
    return [ranked[n] for n in sorted(chosen)]
