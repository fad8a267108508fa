"""Network insights for coordinators: per linked community its members, active members,
sessions held, perspectives (and the target-mix perspectives nobody brings), life stage,
development path in a few numbers and the latest climate pulse (only from
PULSE_MIN_ANSWERS answers); the bridges between communities (people in more than one: the
critical relations), the communities no one bridges to, the perspectives missing in the
whole network, and suggestions (kring.networks.suggestions).

Queries are flat in the number of communities: a handful of grouped queries for the whole
network. The one exception is the development path, which kring.growth reads per community
(about 20 queries): its summary is cached per community (one cache read for all; read when a
community is linked, and anew by the periodic stages_refresh task), so only a community whose
summary is not cached costs those queries, once, and at most DEVELOPMENT_READS of them per
request (the others are null: not read yet). The command line reads them all.

A bridge is named only between two communities the viewer may see inside; otherwise it is
counted. No per-person signals at network level: every other figure is a count or a mean.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import Perspective, User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Membership
from kring.core.models import ActivityEvent
from kring.growth.selectors import development_summaries
from kring.insights.compute.passes import ACTIVE_VERBS
from kring.insights.models import PULSE_MIN_ANSWERS, Pulse, PulseResponse
from kring.insights.selectors import safety_score
from kring.meetings.models import Attendance, AttendanceStatus, Session
from kring.networks import permissions
from kring.networks.models import Network
from kring.networks.selectors import linked_communities
from kring.networks.suggestions import suggestions

# Active: did something or attended a session in the last 90 days (as the insights count).
ACTIVE_DAYS = 90
# Development paths read per request when their summaries are not cached (about 20 queries
# each); the others show as not read yet, and the next request reads the next ones.
DEVELOPMENT_READS = 10


def _members(ids: list[int]) -> dict[int, set[int]]:
    """{community id: ids of its active accounts}: one query."""
    members: dict[int, set[int]] = defaultdict(set)
    # No ordering: with the model's own, SQLite scans every account and probes the
    # memberships per community (1.6 s instead of 0.1 s at 20,000 members).
    rows = (
        Membership.objects.filter(community_id__in=ids, user__is_active=True)
        .order_by()
        .values_list("community_id", "user_id")
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
        .order_by()
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
        .order_by()
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


def _perspective_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """{community id: {perspective key: active members with it}} for the perspectives in
    use: one grouped query over every linked community (what communities.selectors
    .perspective_mix counts for one)."""
    rows = (
        Membership.objects.filter(
            community_id__in=ids, user__is_active=True, user__perspectives__is_active=True
        )
        .order_by()
        .values_list("community_id", "user__perspectives__key")
        .annotate(n=Count("user_id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for community_id, key, n in rows:
        counts[community_id][key] = n
    return counts


def _perspective_rows(
    community: Community, counts: dict[str, int], total: int, keys: list[str]
) -> tuple[list[dict], list[str]]:
    """The community's members per perspective against its target mix (as perspective_mix:
    a perspective with members or a target), and the target perspectives nobody brings."""
    target = {k: v for k, v in (community.target_mix or {}).items() if v}
    rows = []
    for key in keys:
        count = counts.get(key, 0)
        if not count and not target.get(key):
            continue
        rows.append(
            {
                "perspective": key,
                "members": count,
                "share": round(100 * count / total) if total else 0,
                "target": target.get(key),
            }
        )
    missing = [key for key in keys if target.get(key) and not counts.get(key)]
    return rows, missing


def _pulses(ids: list[int], now: datetime) -> dict[int, dict | None]:
    """{community id: its latest closed climate pulse in a few means}, only where at least
    PULSE_MIN_ANSWERS answered (fewer could point at a person); two queries."""
    closed = Q(closed_at__lte=now) | Q(closed_at__isnull=True, closes_at__lte=now)
    latest = (
        Pulse.objects.filter(community_id=OuterRef("pk"), opened_at__lte=now)
        .filter(closed)
        .order_by("-opened_at", "-id")
    )
    chosen = {
        pulse_id: (community_id, ended)
        for community_id, pulse_id, ended in Community.objects.filter(pk__in=ids)
        .annotate(
            pulse_id=Subquery(latest.values("pk")[:1]),
            ended=Subquery(
                latest.annotate(end=Coalesce("closed_at", "closes_at")).values("end")[:1]
            ),
        )
        .filter(pulse_id__isnull=False)
        .values_list("pk", "pulse_id", "ended")
    }
    answers: dict[int, list[dict]] = defaultdict(list)
    rows = PulseResponse.objects.filter(pulse_id__in=list(chosen)).values_list(
        "pulse_id", "answers"
    )
    for pulse_id, given in rows.iterator(chunk_size=5000):
        answers[pulse_id].append(given)

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 2)

    out: dict[int, dict | None] = dict.fromkeys(ids)
    for pulse_id, given in answers.items():
        if len(given) < PULSE_MIN_ANSWERS:
            continue
        community_id, ended = chosen[pulse_id]
        out[community_id] = {
            "closed_at": ended.isoformat(),
            "answers": len(given),
            "safety": mean([safety_score(a) for a in given]),
            "learn": mean([a["learn"] for a in given]),
            "trust": mean([a["trust"] for a in given]),
        }
    return out


def _inside(viewer, ids: list[int]) -> set[int]:
    """The communities the viewer may see inside (members, guests included; platform
    admins all; the command line all): one query, remembered for can_view_inside."""
    if viewer is None or community_permissions.is_platform_admin(viewer):
        return set(ids)
    mine = {m.community_id: m for m in Membership.objects.filter(user=viewer, community_id__in=ids)}
    community_permissions.remember_memberships(viewer, {cid: mine.get(cid) for cid in ids})
    return set(mine)


def network_insights(*, network: Network, viewer, now: datetime | None = None) -> dict:
    """The document of GET /networks/{slug}/insights and `kring network-insights --json`.
    Coordinators and platform admins; 404 for everyone else (viewer None: the command line,
    which names every bridge)."""
    if viewer is not None and not permissions.can_view_network_insights(viewer, network):
        raise Http404
    # The development path's summaries come from the cache only for now, not for a moment
    # given (a past one is read anew per community).
    moment = now
    now = now or timezone.now()
    communities = linked_communities(network=network)
    ids = [c.pk for c in communities]
    by_id = {c.pk: c for c in communities}
    members = _members(ids)
    active = _active(ids, members, now)
    held = _sessions_held(ids, now)
    in_use = list(Perspective.objects.filter(is_active=True).order_by("position", "key"))
    keys = [p.key for p in in_use]
    perspective_counts = _perspective_counts(ids)
    pulses = _pulses(ids, now)
    development = development_summaries(
        communities=communities,
        moment=moment,
        limit=None if viewer is None else DEVELOPMENT_READS,
    )

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

    inside = _inside(viewer, ids)
    seen = [(a, b) for a, b in shared if a in inside and b in inside]
    named_ids = {uid for pair in seen for uid in shared[pair]}
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
                "bridges": sorted(names[u] for u in uids) if a in inside and b in inside else None,
            }
        )
    rows = []
    for c in communities:
        total = len(members.get(c.pk, ()))
        perspectives, missing = _perspective_rows(c, perspective_counts.get(c.pk, {}), total, keys)
        rows.append(
            {
                "slug": c.slug,
                "name": c.name,
                "members": total,
                "active_members": active.get(c.pk, 0),
                "sessions_held": held.get(c.pk, 0),
                "stage": c.stage,
                "perspectives": perspectives,
                "missing_perspectives": missing,
                "development": development.get(c.pk),
                "pulse": pulses.get(c.pk),
            }
        )
    present = {key for counts in perspective_counts.values() for key, n in counts.items() if n}
    missing_network = [key for key in keys if key not in present] if communities else []
    isolated = [c.slug for c in communities if c.pk not in bridged]
    names_of = {p.key: str(p.name) for p in in_use}
    return {
        "network": network.slug,
        "as_of": now.isoformat(),
        "communities": rows,
        "links": links,
        "isolated_communities": isolated,
        "bridges": sum(1 for cids in in_communities.values() if len(cids) > 1),
        "people": len(in_communities),
        "missing_perspectives": missing_network,
        "perspective_names": names_of,
        "suggestions": suggestions(
            communities=communities,
            linked_pairs={(by_id[a].slug, by_id[b].slug) for a, b in shared},
            isolated=isolated,
            missing_perspectives=[names_of[key] for key in missing_network],
        ),
    }
