"""A community's insights over HTTP: the same document as `kring insights SLUG --json`.

Facilitators (and platform admins) only: a member gets 403, anyone else 404. Read tokens may
read it.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from kring.communities.models import Community
from kring.core.api_types import SaneDate
from kring.insights import permissions
from kring.insights.compute import compute
from kring.insights.document import day_end, render
from kring.insights.models import Snapshot
from kring.insights.schemas import InsightsOut

router = Router(tags=["insights"])

# Without as_of, a snapshot younger than this is served instead of computing anew.
SNAPSHOT_FRESH = timedelta(hours=1)


def _community_to_facilitate(slug: str, user) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404
    if permissions.can_facilitate(user, community):
        return community
    if permissions.can_see_own(user, community):
        raise PermissionDenied
    raise Http404


@router.get(
    "/{slug}/insights",
    response=InsightsOut,
    summary="A community's insights (facilitators)",
    description=(
        "Signals per member with their reasons, the relations network, perspective coverage, "
        "trends and suggestions (docs/insights.md). `as_of` (YYYY-MM-DD) computes the document "
        "as it was at the end of that day, Europe/Amsterdam. Without `as_of`, the latest "
        "snapshot is served when it is less than an hour old and made for the same period "
        "(header `X-Kring-Insights: snapshot`); otherwise it is computed now "
        "(`X-Kring-Insights: computed`)."
    ),
)
def insights_get(
    request,
    response: HttpResponse,
    slug: str,
    as_of: SaneDate | None = None,
    period_days: int | None = Query(None, ge=1, le=3660),
):
    community = _community_to_facilitate(slug, request.user)
    if as_of is not None and as_of > timezone.localdate():
        raise ValidationError({"as_of": ["as_of is in the future."]})
    if as_of is None:
        snapshot = (
            Snapshot.objects.filter(
                community=community,
                computed_at__gte=timezone.now() - SNAPSHOT_FRESH,
                as_of__gte=timezone.now() - SNAPSHOT_FRESH,
            )
            .order_by("-computed_at", "-id")
            .first()
        )
        if snapshot is not None and period_days in (None, snapshot.period_days):
            response["X-Kring-Insights"] = "snapshot"
            return render(snapshot.data, community=community)
    response["X-Kring-Insights"] = "computed"
    raw = compute(
        community=community,
        as_of=day_end(as_of) if as_of is not None else None,
        period_days=period_days,
    )
    return render(raw, community=community)
