"""The network report: the linked communities' figures over one period, side by side, summed,
and for the network as a whole (issue 16). The document that the page, the PDF, the CSV and
GET /api/v1/networks/{slug}/report show. docs/report.md, "The network report".

Every figure is the community report's own (kring.illuminate.report, read through
report_figures and report_people): nothing is defined again here. The period follows the same
rules (period_parse); without one, the last twelve months, the same for every community (a
community's own report starts at its founding when it is younger; here the columns must cover
one period to stand side by side).

Two totals. `sum` adds the communities' figures. `network_total` counts the network as a whole: a
person in two communities is one member of the network (members, took part, attendees, per
perspective too) and an organisation named in two is one; sessions, items, questions, action
points and value stories each belong to one community, so there it equals the sum. Ties are
pairs within one community (a pair tied in two communities is two ties in the sum) and a median
does not add up: their `network_total` is None, and a median has no `sum` either.

Queries: per linked community one query and a cache read for its figures (computed, with the
insights computation over the period, when the community report's cache does not hold them:
seconds for a large community) and six for the people behind them, plus a few for the network.
So the count grows with the number of communities, as the community report's does with none.
"""

from datetime import date

from kring.accounts.models import Perspective
from kring.communities.models import Community
from kring.illuminate.report import (
    Period,
    last_twelve_months,
    period_parse,
    report_figures,
    report_people,
)
from kring.networks.models import Network
from kring.networks.selectors import linked_communities

# People (and organisations) counted once in the network column.
PEOPLE = ("members", "members_without_perspective", "took_part", "attendees", "organisations")
PEOPLE_GROUPS = ("members_by_perspective", "took_part_by_perspective")
# Things that belong to one community each: the network's figure is the sum.
THINGS = (
    "sessions_held",
    "attendances",
    "items_shared",
    "questions_asked",
    "questions_responded",
    "questions_answered",
    "action_points_done",
    "value_stories",
)
THING_GROUPS = ("items_by_kind", "value_stories_by_cycle")
# Pairs within one community: summed, but not counted for the network as a whole.
PAIRS = ("ties", "new_ties", "ties_across_perspectives")
# Neither summed nor counted for the network.
MEDIANS = ("median_hours_to_first_response",)

SCALARS = (*PEOPLE, *THINGS, *PAIRS, *MEDIANS)
GROUPS = (*PEOPLE_GROUPS, *THING_GROUPS)


def network_period_parse(*, period_from: str | date | None, period_to: str | date | None) -> Period:
    """The period asked for, by the community report's rules and messages; a missing date
    takes the last twelve months' (ValidationError on bad input)."""
    return period_parse(period_from=period_from, period_to=period_to, default=last_twelve_months())


def _community_column(community: Community, period: Period) -> tuple[dict, list[str]]:
    figures, perspective_keys = report_figures(community=community, period=period)
    shown = {key: figures[key] for key in (*SCALARS, *GROUPS)}
    return shown, perspective_keys


def _sum_groups(columns: list[dict], key: str) -> dict[str, int]:
    """The parts in the community report's order: the cycles in the order a story tells
    them, perspectives and kinds by their keys."""
    total: dict[str, int] = {}
    for figures in columns:
        for part, n in figures[key].items():
            total[part] = total.get(part, 0) + n
    return total if key == "value_stories_by_cycle" else dict(sorted(total.items()))


def _union_groups(people: list[dict], key: str) -> dict[str, int]:
    union: dict[str, set] = {}
    for sets in people:
        for part, ids in sets[key].items():
            union.setdefault(part, set()).update(ids)
    return {part: len(ids) for part, ids in sorted(union.items())}


def _totals(columns: list[dict], people: list[dict]) -> tuple[dict, dict]:
    summed: dict = {}
    network: dict = {}
    for key in (*PEOPLE, *THINGS, *PAIRS):
        summed[key] = sum(figures[key] for figures in columns)
    for key in MEDIANS:
        summed[key] = None
    for key in PEOPLE:
        network[key] = len(set().union(*(sets[key] for sets in people)))
    for key in THINGS:
        network[key] = summed[key]
    for key in (*PAIRS, *MEDIANS):
        network[key] = None
    for key in GROUPS:
        summed[key] = _sum_groups(columns, key)
    for key in PEOPLE_GROUPS:
        network[key] = _union_groups(people, key)
    for key in THING_GROUPS:
        network[key] = summed[key]
    return summed, network


def network_report_build(*, network: Network, period: Period) -> dict:
    """The network report over the period (the caller has checked that the reader may see
    it: kring.networks.selectors.network_get_managed). Only counts: no person, story or
    quote."""
    communities = linked_communities(network=network)
    columns: list[dict] = []
    people: list[dict] = []
    perspective_keys: set[str] = set()
    for community in communities:
        figures, keys = _community_column(community, period)
        columns.append(figures)
        perspective_keys.update(keys)
        people.append(report_people(community=community, period=period))
    summed, whole = _totals(columns, people)
    names = (
        {p.key: str(p.name) for p in Perspective.objects.filter(key__in=perspective_keys)}
        if perspective_keys
        else {}
    )
    return {
        "network": network.slug,
        "network_name": network.name,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "days": period.days,
        "communities": [
            {"slug": c.slug, "name": c.name, "figures": figures}
            for c, figures in zip(communities, columns, strict=True)
        ],
        "sum": summed,
        "network_total": whole,
        "perspectives": names,
    }
