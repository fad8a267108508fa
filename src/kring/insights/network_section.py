"""The network part of the facilitator's dashboard, from a snapshot's dashboard part: the
picture, its legend, the people per group as a list (the picture's alternative for screen
readers and phones), and the metrics in plain words with the numbers in the reader's format.

One definition of "not connected" everywhere (compute.network): no direct contact with
anyone in the period; shared sessions alone do not count. The "not yet connected" signal names
the newcomers among them.
"""

import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kring.insights import charts, dashboard_doc


class DrawnPerson(NamedTuple):
    """What the picture needs of a person: who, and their name now."""

    pk: int
    full_name: str


def drawn_people(names: dict[int, str]) -> dict[int, DrawnPerson]:
    """`people` for network_context without the list: the members' names by id."""
    return {pk: DrawnPerson(pk, name) for pk, name in names.items()}


def groups_sentence(groups: int, modularity: float) -> str:
    """What the groups mean for the facilitator, in one plain sentence."""
    if groups < 2:
        return _("The people with direct contact form one web: there are no separate groups.")
    if modularity >= 0.4:
        explain = _("The groups hardly talk to each other: most contact stays within a group.")
    elif modularity >= 0.2:
        explain = _("The groups are clear, and they also talk with each other.")
    else:
        explain = _("The groups overlap a lot: many people talk across groups.")
    return (
        ngettext(
            "The contacts fall into %(count)s group.",
            "The contacts fall into %(count)s groups.",
            groups,
        )
        % {"count": groups}
        + " "
        + explain
    )


def contact_sentence(*, average: float, days: int) -> str:
    """How much direct contact there is, per person, in words."""
    return _(
        "On average each member had direct contact with %(average)s others in the last "
        "%(days)s days."
    ) % {"average": formats.number_format(average, 1, use_l10n=True), "days": days}


def _with_groups(doc: dict, dash: dict) -> None:
    """Older snapshots stored no group per person: take it from the groups shown."""
    if all("group" in m for m in doc["members"]):
        return
    group_of = {i: g["number"] for g in dash.get("groups", {}).get("shown", []) for i in g["ids"]}
    for m in doc["members"]:
        m.setdefault("group", group_of.get(m["id"]))


def network_context(
    dash: dict,
    *,
    people: dict,
    perspectives: dict,
    snapshot,
    unconnected: int,
    with_list: bool = True,
    with_picture: bool = True,
) -> dict:
    """Everything _network.html shows. `unconnected` is how many people the "not yet
    connected" signal names (the newcomers among the not connected). Without `with_list`
    the people per group are left out (the dashboard loads them when the list is opened):
    `network_groups` and `network_not_connected` are empty, the count is there."""
    network_doc, positions = dashboard_doc.network_document(dash)
    _with_groups(network_doc, dash)
    network = dash["network"]
    isolates = set(network_doc["network"]["isolates"])
    brokers = set(network_doc["network"]["brokers"])
    for m in network_doc["members"]:
        if m["email"] in isolates:
            m["group"] = None  # one definition: no one is both not connected and in a group
    drawn, _counted = charts.network_members(network_doc, people)
    edges = network_doc["network"]["edges"]

    by_group: dict = {}
    not_connected = []
    listed = drawn if with_list else []
    for m in sorted(listed, key=lambda m: (people[m["id"]].full_name or m["name"]).lower()):
        perspective = perspectives.get(m["perspectives"][0]) if m["perspectives"] else None
        row = {
            "person": people[m["id"]],
            "ties": charts.direct_ties(m, edges),
            "role": charts.role_label(m.get("role")),
            "is_facilitator": m.get("role") == "facilitator",
            "is_broker": m["email"] in brokers,
            "perspective": perspective.name if perspective else "",
        }
        if m["email"] in isolates:
            not_connected.append(row)
        else:
            # 0: connected, but in no group an older snapshot named.
            by_group.setdefault(m.get("group") or 0, []).append(row)
    group_rows = [
        {
            "number": number,
            "swatch": charts.group_swatch(number),
            "people": rows,
        }
        for number, rows in sorted(by_group.items(), key=lambda item: item[0] or 10**6)
    ]
    group_part = dash["groups"]
    total = network["total"]
    density = network.get("density", 0.0)
    # Density is the share of all possible pairs with direct contact; times the others each
    # person could have met it is the average number of people someone talked with.
    average = density * max(0, total - 1)
    return {
        "network_svg": (
            _network_svg_cached(
                network_doc,
                drawn=drawn,
                people=people,
                perspectives=perspectives,
                snapshot=snapshot,
                positions=positions,
                total=total,
                ties_total=network.get("ties_total"),
            )
            if with_picture
            else ""
        ),
        "network_drawn": len(drawn),
        "network_total": total,
        "network_legend": charts.network_legend(drawn),
        "network_marks": charts.legend_marks(),
        "network_groups": group_rows,
        "network_not_connected": not_connected,
        "network_not_connected_count": (
            len(not_connected) if with_list else sum(1 for m in drawn if m["email"] in isolates)
        ),
        "network_unconnected_signal": unconnected,
        "network_contact_sentence": contact_sentence(
            average=average, days=getattr(snapshot, "period_days", 90)
        ),
        "network_groups_sentence": groups_sentence(
            group_part["count"], group_part.get("modularity", 0.0)
        ),
        "network_density": density,
        "network_modularity": group_part.get("modularity", 0.0),
        "network_average": average,
    }


def _network_svg_cached(
    network_doc: dict,
    *,
    drawn: list[dict],
    people: dict,
    perspectives: dict,
    snapshot,
    positions: dict | None,
    total: int,
    ties_total: int | None,
):
    """The drawn picture, cached per snapshot and language: a snapshot never changes. The key
    also holds the drawn people's names and the perspectives' names, so a renamed member or
    someone who left since is drawn anew rather than shown as they were."""
    names = "\x1f".join(
        f"{m['id']}:{people[m['id']].full_name}" for m in drawn if m["id"] in people
    )
    names += "\x1e" + "\x1f".join(f"{k}:{p.name}" for k, p in sorted(perspectives.items()))
    digest = hashlib.blake2b(names.encode(), digest_size=12).hexdigest()
    computed = getattr(snapshot, "computed_at", None)
    key = (
        f"insights:network-svg:{snapshot.pk}:{computed.timestamp() if computed else ''}:"
        f"{get_language()}:{total}:{digest}"
    )
    svg = cache.get(key)
    if svg is None:
        svg = charts.network_svg(
            network_doc,
            people=people,
            perspectives=perspectives,
            cache_key=f"insights:layout:{snapshot.pk}:{len(drawn)}",
            positions=positions,
            total=total,
            ties_total=ties_total,
        )
        cache.set(key, str(svg), charts.LAYOUT_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 (drawn by charts.network_svg, every text escaped)
