"""A community's insights over HTTP: the same document as `kring insights SLUG --json`.

Facilitators (and platform admins) only: a member gets 403, anyone else 404. Read tokens may
read it.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router

from kring.core.api_types import SaneDate
from kring.insights import selectors
from kring.insights.document import day_end, render
from kring.insights.schemas import InsightsOut

router = Router(tags=["insights"])


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
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    if as_of is not None and as_of > timezone.localdate():
        raise ValidationError({"as_of": ["as_of is in the future."]})
    raw, source = selectors.insights_raw(
        community=community,
        as_of=day_end(as_of) if as_of is not None else None,
        period_days=period_days,
    )
    response["X-Kring-Insights"] = source
    return render(raw, community=community)
