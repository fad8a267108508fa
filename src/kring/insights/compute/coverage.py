"""Perspective coverage (who is present and active, against the community's target mix) and
the trends per month."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from kring.accounts.models import Perspective
from kring.communities.models import Community
from kring.insights.compute.base import ACTIVE_DAYS
from kring.insights.models import Suggestion, SuggestionStatus
from kring.meetings.models import Attendance, AttendanceStatus


def coverage(
    community: Community,
    members: list[dict],
    pace: dict[int, dict],
    attendance: dict,
    as_of: datetime,
) -> dict:
    """Per perspective: members, active members and their shares, against the target mix;
    and the gaps (a target perspective with nobody active, or active far below target)."""
    names = {p.key: p for p in Perspective.objects.all()}
    active_since = as_of - timedelta(days=ACTIVE_DAYS)
    total = len(members)
    active_ids = {
        m["id"]
        for m in members
        if (pace.get(m["id"], {}).get("last") or datetime.min.replace(tzinfo=as_of.tzinfo))
        >= active_since
        or m["id"] in attendance["recent_attenders"]
    }
    all_counts: dict[str, int] = defaultdict(int)
    active_counts: dict[str, int] = defaultdict(int)
    for m in members:
        for key in m["perspectives"]:
            all_counts[key] += 1
            if m["id"] in active_ids:
                active_counts[key] += 1
    target = {k: v for k, v in (community.target_mix or {}).items() if v}
    keys = sorted(set(all_counts) | set(target), key=lambda k: (-target.get(k, 0), k))
    rows = []
    gaps = []
    for key in keys:
        share = round(100 * all_counts[key] / total) if total else 0
        active_share = round(100 * active_counts[key] / len(active_ids)) if active_ids else 0
        rows.append(
            {
                "perspective": key,
                "members": all_counts[key],
                "active": active_counts[key],
                "share": share,
                "active_share": active_share,
                "target": target.get(key),
            }
        )
        if target.get(key):
            if active_counts[key] == 0:
                gaps.append({"perspective": key, "kind": "none_active", "days": ACTIVE_DAYS})
            elif active_share < target[key] / 2:
                gaps.append(
                    {
                        "perspective": key,
                        "kind": "below_target",
                        "active_share": active_share,
                        "target": target[key],
                    }
                )
    return {
        "members": total,
        "active_members": len(active_ids),
        "active_days": ACTIVE_DAYS,
        "rows": rows,
        "gaps": gaps,
        "names": {k: str(names[k].name) if k in names else k for k in keys},
    }


def trends(
    community: Community,
    as_of: datetime,
    months: list[str],
    bounds: list[datetime],
    activity: dict[str, dict[str, int]],
    first_ties: dict[int, int],
) -> dict:
    """Per month: active members and contributions (from passes.activity), attendance, and new
    ties (pairs whose first interaction fell in it, from passes.tie_pairs)."""
    attendance = _per_month(
        Attendance.objects.filter(
            session__community=community,
            status=AttendanceStatus.ATTENDED,
            session__starts_at__gte=bounds[0],
            session__starts_at__lt=as_of,
        ),
        "session__starts_at",
    )
    # The facilitators' follow-ups feed back into the trend: suggestions marked done.
    follow_ups = _per_month(
        Suggestion.objects.filter(
            community=community,
            status=SuggestionStatus.DONE,
            decided_at__gte=bounds[0],
            decided_at__lt=as_of,
        ),
        "decided_at",
    )
    return {
        "months": months,
        "active_members": [activity["active"].get(m, 0) for m in months],
        "contributions": [activity["contributions"].get(m, 0) for m in months],
        "attendance": [attendance.get(m, 0) for m in months],
        "new_ties": [first_ties.get(k, 0) for k in range(len(months))],
        "follow_ups": [follow_ups.get(m, 0) for m in months],
    }


def _per_month(rows: QuerySet, moment: str) -> dict[str, int]:
    """How many of `rows` fall in each month (YYYY-MM) of their `moment` field."""
    return {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in rows.annotate(month=TruncMonth(moment)).values("month").annotate(n=Count("id"))
    }
