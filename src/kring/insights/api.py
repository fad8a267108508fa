"""A community's insights over HTTP, in parts (docs/insights.md): the summary, the members
page by page, and their ties page by page. Together they hold what `kring insights SLUG
--json` prints at once.

Facilitators (and platform admins) only: a member gets 403, anyone else 404. Read tokens may
read it.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from kring.core.api_kit import LazyPage
from kring.core.api_types import SaneDate
from kring.insights import selectors, snapshot_split
from kring.insights.document import day_end, render_member, render_summary
from kring.insights.schemas import InsightsMemberOut, InsightsOut, InsightsTiesOut

router = Router(tags=["insights"])

MEMBERS_PER_PAGE = 100
TIES_PER_PAGE = 100

SOURCE = (
    "`as_of` (YYYY-MM-DD) computes the document as it was at the end of that day, "
    "Europe/Amsterdam. Without `as_of`, the latest snapshot is served when it is less than an "
    "hour old and made for the same period (header `X-Kring-Insights: snapshot`); otherwise "
    "it is computed now (`X-Kring-Insights: computed`)."
)


def _source(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    as_of: SaneDate | None,
    period_days: int | None,
) -> selectors.InsightsSource:
    community = selectors.community_for_facilitator(user=request.user, slug=slug)
    if as_of is not None and as_of > timezone.localdate():
        raise ValidationError({"as_of": ["as_of is in the future."]})
    source = selectors.insights_source(
        community=community,
        as_of=day_end(as_of) if as_of is not None else None,
        period_days=period_days,
    )
    response["X-Kring-Insights"] = source.source
    return source


def _pages(parts: Any, page: Callable[[list[dict]], list[dict]]) -> LazyPage | list[dict]:
    """Rows of a snapshot are converted a page at a time; a computed document's parts are
    in memory already."""
    if isinstance(parts, list):
        return page(parts)
    return LazyPage(parts, page=page)


@router.get(
    "/{slug}/insights",
    response=InsightsOut,
    summary="A community's insights: the summary (facilitators)",
    description=(
        "Perspective coverage, trends, suggestions, the groups' sizes, the network's figures and "
        "brokers (docs/insights.md). The members are at `/insights/members`, their ties at "
        "`/insights/ties`, both paged. " + SOURCE
    ),
)
def insights_get(
    request,
    response: HttpResponse,
    slug: str,
    as_of: SaneDate | None = None,
    period_days: int | None = Query(None, ge=1, le=3660),
):
    source = _source(request, response, slug, as_of, period_days)
    return render_summary(source.summary(), community=source.community)


@router.get(
    "/{slug}/insights/members",
    response=list[InsightsMemberOut],
    summary="A community's insights: the members, paged (facilitators)",
    description=(
        f"{MEMBERS_PER_PAGE} members a page in joining order, each with their signals and "
        "reasons, place in the network (degree, betweenness, group, broker, isolate) and "
        "pace. " + SOURCE
    ),
)
@paginate(PageNumberPagination, page_size=MEMBERS_PER_PAGE)
def insights_members(
    request,
    response: HttpResponse,
    slug: str,
    as_of: SaneDate | None = None,
    period_days: int | None = Query(None, ge=1, le=3660),
    **kwargs: Any,
):
    source = _source(request, response, slug, as_of, period_days)

    def page(parts: list[dict]) -> list[dict]:
        return [render_member(snapshot_split.member_of(p)) for p in parts]

    return _pages(source.parts(), page)


@router.get(
    "/{slug}/insights/ties",
    response=list[InsightsTiesOut],
    summary="A community's insights: the ties of the network, paged (facilitators)",
    description=(
        f"The ties in the period, {TIES_PER_PAGE} members a page in joining order: each tie "
        "once, under the member with the lower id (so a member may have an empty list). "
        "`weight`: acts between the two, plus 0.25 per session both attended; `strong`: "
        "they interacted directly. " + SOURCE
    ),
)
@paginate(PageNumberPagination, page_size=TIES_PER_PAGE)
def insights_ties(
    request,
    response: HttpResponse,
    slug: str,
    as_of: SaneDate | None = None,
    period_days: int | None = Query(None, ge=1, le=3660),
    **kwargs: Any,
):
    source = _source(request, response, slug, as_of, period_days)
    parts = source.parts()

    def page(rows: list[dict]) -> list[dict]:
        if isinstance(parts, list):
            emails = {p["id"]: p["email"] for p in parts}
        else:
            others = {t[0] for p in rows for t in snapshot_split.ties_once(p)}
            names = selectors.member_names(snapshot=source.snapshot, user_ids=others)  # type: ignore[arg-type]
            emails = {pk: email for pk, (email, _name) in names.items()}
        return [
            {
                "email": p["email"],
                "ties": [
                    {"email": emails[other], "weight": weight, "strong": strong}
                    for other, weight, strong in snapshot_split.ties_once(p)
                    if other in emails
                ],
            }
            for p in rows
        ]

    return _pages(parts, page)
