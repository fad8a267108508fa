"""A raw insights document (compute.compute) cut into a summary and one part per member, so
that a request reads only what it shows (docs/insights.md, "Snapshots").

The summary does not grow with the number of members but for the suggestions and brokers
(a few per hundred members); the members' own facts, their ties and the suggestions that name
them go to one part per member (`SnapshotMember.data`). Nothing of the raw document is lost:
the members' parts hold their group, whether they are isolates or brokers, and their ties.

    summary: {"format": 2, "community", "as_of", "period_days", "thresholds",
              "member_count", "group_count", "group_sizes", "modularity",
              "network": {"density", "tie_count", "isolate_count", "brokers",
                          "perspective_ties", "new_ties"},
              "coverage", "suggestions", "trends", "community_signals",
              "people": {email: name}}   # everyone the suggestions, brokers and reasons name
    member:  the raw member (id, email, name, role, perspectives, joined, signals, degree,
             strong_degree, betweenness, group, recent, baseline, last_active) and
             "broker", "isolate", "group_size",
             "ties": [[other_id, weight, strong]]    # strongest first
             "suggestions": [raw suggestion + "names": {email: name}]   # those naming them
             "community_signals": [community signal without the other people, + "part"]
"""

FORMAT = 2


def split(raw: dict) -> tuple[dict, list[dict]]:
    """The summary and the member parts (in the document's order) of a raw document."""
    members = raw.get("members", [])
    network = raw.get("network", {})
    groups = raw.get("groups", [])
    by_email = {m["email"]: m for m in members}
    names = {m["email"]: m["name"] for m in members}
    brokers = set(network.get("brokers", []))
    isolates = set(network.get("isolates", []))
    ties: dict[str, list[list]] = {m["email"]: [] for m in members}
    for edge in network.get("edges", []):
        a, b = by_email.get(edge["a"]), by_email.get(edge["b"])
        if a is None or b is None:
            continue
        weight, strong = edge.get("weight", 1.0), bool(edge.get("strong"))
        ties[a["email"]].append([b["id"], weight, strong])
        ties[b["email"]].append([a["id"], weight, strong])
    naming: dict[str, list[dict]] = {}
    for s in raw.get("suggestions", []):
        named = {e: names[e] for e in s["members"] if e in names}
        for email in s["members"]:
            naming.setdefault(email, []).append({**s, "names": named})
    about = _signals_about(raw.get("community_signals", []))
    parts = []
    for m in members:
        mine = ties[m["email"]]
        mine.sort(key=lambda t: (not t[2], -t[1], t[0]))
        group = m.get("group")
        parts.append(
            {
                **m,
                "broker": m["email"] in brokers,
                "isolate": m["email"] in isolates,
                "group_size": len(groups[group - 1]) if group and group <= len(groups) else 0,
                "ties": mine,
                "suggestions": naming.get(m["email"], []),
                "community_signals": about.get(m["email"], []),
            }
        )
    named_people = {e for s in raw.get("suggestions", []) for e in s["members"]} | brokers
    named_people |= _signal_people(raw.get("community_signals", []))
    summary = {
        "format": FORMAT,
        **{
            k: v
            for k, v in raw.items()
            if k not in ("members", "groups", "network", "format", "people")
        },
        "member_count": len(members),
        "group_count": len(groups),
        "group_sizes": [len(g) for g in groups],
        "network": {
            "density": network.get("density", 0.0),
            "tie_count": len(network.get("edges", [])),
            "isolate_count": len(isolates),
            "brokers": list(network.get("brokers", [])),
            "perspective_ties": network.get("perspective_ties", {}),
            "new_ties": network.get("new_ties", 0),
        },
        "people": {e: names[e] for e in sorted(named_people) if e in names},
    }
    return summary, parts


def _signal_people(signals: list[dict]) -> set[str]:
    """The people the reasons of the community signals name (not every member of a group)."""
    named: set[str] = set()
    for s in signals:
        p = s.get("params", {})
        named.update(s.get("people", []))
        named.update(p.get("bridges", [])[:3])
        for anchors in p.get("anchors", []):
            named.update(anchors)
    return named


def _signals_about(signals: list[dict]) -> dict[str, list[dict]]:
    """Per e-mail, the community signals that concern them, so that they can read what the
    facilitators read about them: `part` says how (`group`: in one of the groups drifting
    apart; `bridge`: still in touch with both; `voice`: the one filling the room). The other
    people are left out; the numbers stay."""
    about: dict[str, list[dict]] = {}
    for s in signals:
        bare = {k: v for k, v in s.items() if k not in ("groups", "people")}
        bare["params"] = {
            k: v for k, v in s.get("params", {}).items() if k not in ("anchors", "bridges")
        }
        concerned: dict[str, str] = {}
        for group in s.get("groups", []):
            for email in group:
                concerned[email] = "group"
        for email in s.get("params", {}).get("bridges", []):
            concerned[email] = "bridge"
        for email in s.get("people", []):
            concerned[email] = "voice"
        for email, how in concerned.items():
            about.setdefault(email, []).append({**bare, "part": how})
    return about


def member_of(part: dict) -> dict:
    """The raw document's member (with "broker" and "isolate") of a member part."""
    leave = ("group_size", "ties", "suggestions", "community_signals")
    return {k: v for k, v in part.items() if k not in leave}


def ties_once(part: dict) -> list[list]:
    """The member's ties to people with a higher id: over all members, every tie once."""
    return [t for t in part.get("ties", []) if t[0] > part["id"]]
