"""Network insights for coordinators: per linked community its members, active members and
sessions held, the bridges between communities (people in more than one: the critical
relations) and the communities no one bridges to.

Queries are flat in the number of communities: a handful of grouped queries for the whole
network. A bridge is named only between two communities the viewer may see inside; otherwise
it is counted. No per-person signals at network level.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Membership
from kring.core.models import ActivityEvent
from kring.insights.compute.passes import ACTIVE_VERBS
from kring.meetings.models import Attendance, AttendanceStatus, Session
from kring.networks import permissions
from kring.networks.models import Network
from kring.networks.selectors import linked_communities

# Active: did something or attended a session in the last 90 days (as the insights count).
ACTIVE_DAYS = 90


def _members(ids: list[int]) -> dict[int, set[int]]:
    """{community id: ids of its active accounts}: one query."""
    members: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(community_id__in=ids, user__is_active=True).values_list(
        "community_id", "user_id"
    )
    for community_id, user_id in rows.iterator(chunk_size=5000):
        members[community_id].add(user_id)
    return members


def _active(ids: list[int], members: dict[int, set[int]], now: datetime) -> dict[int, int]:
    """{community id: members who took part in the last ACTIVE_DAYS}: two queries."""
    since = now - timedelta(days=ACTIVE_DAYS)
    took_part: dict[int, set[int]] = defaultdict(set)
    acted = (
        ActivityEvent.objects.filter(
            community_id__in=ids, verb__in=ACTIVE_VERBS, created_at__gte=since, created_at__lt=now
        )
        .values_list("community_id", "actor_id")
        .distinct()
    )
    attended = (
        Attendance.objects.filter(
            session__community_id__in=ids,
            status=AttendanceStatus.ATTENDED,
            session__starts_at__gte=since,
            session__starts_at__lt=now,
        )
        .values_list("session__community_id", "user_id")
        .distinct()
    )
    for community_id, user_id in [*acted.iterator(chunk_size=5000), *attended.iterator()]:
        took_part[community_id].add(user_id)
    return {cid: len(took_part[cid] & members.get(cid, set())) for cid in ids}


def _sessions_held(ids: list[int], now: datetime) -> dict[int, int]:
    rows = (
        Session.objects.filter(community_id__in=ids, starts_at__lt=now)
        .scheduled()
        .values("community_id")
        .annotate(n=Count("id"))
    )
    return {row["community_id"]: row["n"] for row in rows}


def network_insights(*, network: Network, viewer, now: datetime | None = None) -> dict:
    """The document of GET /networks/{slug}/insights and `kring network-insights --json`.
    Coordinators and platform admins; 404 for everyone else (viewer None: the command line,
    which names every bridge)."""
    if viewer is not None and not permissions.can_view_network_insights(viewer, network):
        raise Http404
    now = now or timezone.now()
    communities = linked_communities(network=network)
    ids = [c.pk for c in communities]
    by_id = {c.pk: c for c in communities}
    members = _members(ids)
    active = _active(ids, members, now)
    held = _sessions_held(ids, now)

    in_communities: dict[int, list[int]] = defaultdict(list)
    for cid in ids:
        for user_id in members.get(cid, ()):
            in_communities[user_id].append(cid)
    shared: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user_id, cids in in_communities.items():
        if len(cids) > 1:
            for a, b in combinations(sorted(cids, key=lambda c: by_id[c].slug), 2):
                shared[(a, b)].append(user_id)
    bridged = {cid for pair in shared for cid in pair}

    def sees(cid: int) -> bool:
        return viewer is None or community_permissions.can_view_inside(viewer, by_id[cid])

    named_ids = {uid for (a, b), uids in shared.items() if sees(a) and sees(b) for uid in uids}
    names = dict(User.objects.filter(pk__in=named_ids).values_list("pk", "full_name"))
    links = []
    for (a, b), uids in sorted(
        shared.items(), key=lambda item: (by_id[item[0][0]].slug, by_id[item[0][1]].slug)
    ):
        links.append(
            {
                "a": by_id[a].slug,
                "b": by_id[b].slug,
                "shared_members": len(uids),
                "bridges": sorted(names[u] for u in uids) if sees(a) and sees(b) else None,
            }
        )
    return {
        "network": network.slug,
        "as_of": now.isoformat(),
        "communities": [
            {
                "slug": c.slug,
                "name": c.name,
                "members": len(members.get(c.pk, ())),
                "active_members": active.get(c.pk, 0),
                "sessions_held": held.get(c.pk, 0),
                "stage": c.stage,
            }
            for c in communities
        ],
        "links": links,
        "isolated_communities": [c.slug for c in communities if c.pk not in bridged],
        "bridges": sum(1 for cids in in_communities.values() if len(cids) > 1),
    }
