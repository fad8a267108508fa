"""What the coordinators' insights page shows of the network insights document: names for
keys, the development path and the pulse in words, the picture, the strongest bridges."""

from collections import defaultdict

from django.utils.translation import gettext as _

from kring.communities.models import Stage
from kring.growth.models import StepKey
from kring.networks.charts import network_map_svg

# The bridges listed by name on the page, the strongest first; the picture's table has all.
LINKS_SHOWN = 12
# Per community in the picture's table: the communities it shares most with; the rest counted.
TIES_SHOWN = 5
# The suggestions shown at once; the rest fold out.
SUGGESTIONS_SHOWN = 5


def _development(summary: dict | None) -> dict | None:
    if not summary:
        return None
    text = _("%(done)s of %(steps)s steps done, %(partial)s partly") % summary
    following = StepKey(summary["next"]).label if summary.get("next") else None
    return {**summary, "text": text, "next": following}


def _ties(document: dict, names: dict[str, str]) -> dict[str, list[tuple[str, int]]]:
    """Per community the communities it shares members with (name, how many), most first."""
    ties: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for link in document["links"]:
        ties[link["a"]].append((names[link["b"]], link["shared_members"]))
        ties[link["b"]].append((names[link["a"]], link["shared_members"]))
    for slug in ties:
        ties[slug].sort(key=lambda t: (-t[1], t[0]))
    return ties


def _perspectives_overall(document: dict, perspective_names: dict[str, str]) -> list[dict]:
    """Per perspective in use: in how many communities it is present, and how many
    memberships bring it (a person in two communities counts in both)."""
    present: dict[str, int] = defaultdict(int)
    members: dict[str, int] = defaultdict(int)
    for community in document["communities"]:
        for row in community["perspectives"]:
            if row["members"]:
                present[row["perspective"]] += 1
                members[row["perspective"]] += row["members"]
    return [
        {"name": name, "communities": present[key], "members": members[key]}
        for key, name in perspective_names.items()
    ]


def insights_context(document: dict) -> dict:
    names = {c["slug"]: c["name"] for c in document["communities"]}
    perspective_names = document["perspective_names"]
    ties = _ties(document, names)
    communities = []
    for c in document["communities"]:
        communities.append(
            {
                **c,
                "stage_label": Stage(c["stage"]).label if c["stage"] in Stage.values else "",
                "path": _development(c["development"]),
                "missing": [perspective_names.get(k, k) for k in c["missing_perspectives"]],
                "ties": ties.get(c["slug"], [])[:TIES_SHOWN],
                "ties_more": max(0, len(ties.get(c["slug"], [])) - TIES_SHOWN),
            }
        )
    links = sorted(document["links"], key=lambda x: (-x["shared_members"], x["a"], x["b"]))
    shown = [
        {**link, "a_name": names[link["a"]], "b_name": names[link["b"]]}
        for link in links[:LINKS_SHOWN]
    ]
    return {
        "doc": document,
        "suggestions_first": document["suggestions"][:SUGGESTIONS_SHOWN],
        "suggestions_more": document["suggestions"][SUGGESTIONS_SHOWN:],
        "communities": communities,
        "links": shown,
        "links_more": max(0, len(links) - LINKS_SHOWN),
        "isolated": [names[slug] for slug in document["isolated_communities"]],
        "missing": [perspective_names[k] for k in document["missing_perspectives"]],
        "perspectives": _perspectives_overall(document, perspective_names),
        "picture": network_map_svg(document),
    }
