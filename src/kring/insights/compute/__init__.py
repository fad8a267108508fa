"""The insights computation: signals per member, the relations network, perspective coverage,
trends and suggestions for one community at one moment.

Everything is aggregated in the database (GROUP BY queries over the activity events and the
attendance table); Python sees counts per member or per pair, never one row per event.
The result is a plain dict (the "raw" document): facts and parameters, no sentences. The
sentences (reasons) are made when the document is shown or exported, in the reader's language
(kring.insights.document). Formulas: docs/insights.md.

The parts: `passes` (the reads), `network`, `signals`, `coverage` (and trends),
`suggestions`; `base` holds what they share. `compute` below puts them together.
"""

from datetime import datetime, timedelta
from functools import partial

from django.db.models import QuerySet
from django.utils import timezone

from kring.communities.models import Community, FormerMembership, Membership
from kring.core import daterange
from kring.insights.compute import (
    coverage,
    groups,
    network,
    passes,
    passes_groups,
    rhythm,
    signals,
    suggestions,
)
from kring.insights.compute.base import Thresholds, iso_day, month_keys, rfc3339


def compute(
    *, community: Community, as_of: datetime | None = None, period_days: int | None = None
) -> dict:
    """The raw insights document (see docs/insights.md)."""
    daterange.check(as_of, "as_of")
    # Local time: months (trends) and "since" dates are the community's calendar.
    as_of = timezone.localtime(as_of or timezone.now())
    limits = Thresholds.for_community(community)
    period_days = period_days or limits.period_days
    months = month_keys(as_of)
    # Local month boundaries: bucket k is [bounds[k], bounds[k + 1]).
    bounds = [datetime.fromisoformat(m + "-01").replace(tzinfo=as_of.tzinfo) for m in months]
    member_ids, counted = _counted(community, as_of)
    # The two passes over the events (nearly all of the time) run side by side, each in a
    # thread with a database connection of its own, while this thread reads the rest.
    running = passes.side_by_side(
        activity=partial(
            passes.activity, community, counted, member_ids, as_of, limits, months, bounds
        ),
        ties=partial(
            passes.tie_pairs, counted, community, as_of, as_of - timedelta(days=period_days), bounds
        ),
        days=partial(passes.active_days, community, member_ids, as_of, rhythm.RHYTHM_DAYS),
        groups=partial(passes_groups.group_pass, community, member_ids, as_of),
    )
    members = passes.members_at(community, as_of)
    index = {m["id"]: i for i, m in enumerate(members)}
    attendance = passes.attendance_runs(community, as_of, limits)
    done = running()
    pace, contributions, activity_trend = done["activity"]
    pair_counts, first_ties, new_ties = done["ties"]
    days = {uid: d for uid, d in done["days"].items() if uid in index}
    if len(counted) > 1:
        pace = {uid: p for uid, p in pace.items() if uid in index}
        contributions = {uid: n for uid, n in contributions.items() if uid in index}
        pair_counts = {p: n for p, n in pair_counts.items() if p[0] in index and p[1] in index}
    graph_data = network.network(community, members, index, pair_counts, as_of, period_days)

    the_clock = rhythm.clock(days, [(as_of - m["joined"]).days for m in members])
    found = signals.signals(
        members, pace, contributions, attendance, graph_data, as_of, limits, days, the_clock
    )
    mix = coverage.coverage(community, members, pace, attendance, as_of)
    feelers = groups.community_signals(members, done["groups"], as_of)
    return {
        "community": community.slug,
        "as_of": rfc3339(as_of),
        "period_days": period_days,
        "thresholds": limits.__dict__,
        "members": [_member_row(i, m, found, graph_data, pace) for i, m in enumerate(members)],
        "groups": graph_data["groups"],
        "modularity": graph_data["modularity"],
        "network": {
            "edges": graph_data["edges"],
            "density": graph_data["density"],
            "isolates": graph_data["isolates"],
            "brokers": graph_data["brokers"],
            "perspective_ties": graph_data["perspective_ties"],
            "new_ties": new_ties,
        },
        "coverage": mix,
        "community_signals": feelers,
        # How busy the community was lately against its usual level (1: as usual).
        "tide": {"days": rhythm.TIDE_RECENT_DAYS, "level": round(the_clock.recent(), 2)},
        "suggestions": suggestions.suggestions(
            members, member_ids, found, graph_data, mix, as_of, community_signals=feelers
        ),
        "trends": coverage.trends(community, as_of, months, bounds, activity_trend, first_ties),
    }


def _counted(community: Community, as_of: datetime) -> tuple[QuerySet, list[QuerySet]]:
    """The ids of the members at `as_of` (a subquery), and of everyone whose events count."""
    # History: only the people who were members at that moment.
    member_ids = Membership.objects.filter(community=community, joined_at__lt=as_of).values(
        "user_id"
    )
    # Whose events count: the members, and the "former members" that stand in for people who
    # erased their account while a member (kring.privacy.erasure), so the trends of the past
    # stay as they were. Only the trends see the former members; signals and the network are
    # about the members of now.
    former_ids = FormerMembership.objects.filter(community=community, joined_at__lt=as_of).values(
        "user_id"
    )
    return member_ids, [member_ids, former_ids] if former_ids.exists() else [member_ids]


def _member_row(
    i: int, m: dict, found: dict[int, list[dict]], graph_data: dict, pace: dict[int, dict]
) -> dict:
    """One member in the document: who they are, their signals and their place in the
    network."""
    return {
        "id": m["id"],
        "email": m["email"],
        "name": m["name"],
        "role": m["role"],
        "perspectives": m["perspectives"],
        "joined": iso_day(m["joined"]),
        "signals": found.get(m["id"], []),
        "degree": graph_data["degree"][i],
        "strong_degree": graph_data["strong_degree"][i],
        "betweenness": round(graph_data["betweenness"][i], 6),
        "group": graph_data["group"][i],
        "recent": pace.get(m["id"], {}).get("recent", 0),
        "baseline": pace.get(m["id"], {}).get("baseline", 0),
        "last_active": iso_day(pace.get(m["id"], {}).get("last")),
    }
