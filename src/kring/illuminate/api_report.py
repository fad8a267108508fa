"""The report for funders: GET /communities/{slug}/report?from=&to= (docs/report.md).

The same JSON document as `kring report SLUG --format json`. Facilitators and platform
admins; a member gets 403, anyone else 404. A bad period answers 422 in the API's error
format."""

from ninja import Query, Router

from kring.illuminate.report import community_for_report, period_parse, report_build

router = Router(tags=["report"])


@router.get(
    "/{slug}/report",
    response=dict,
    summary="A community's report over a period (facilitators)",
    description=(
        "Who took part, sessions and attendance, knowledge shared, questions, the network's "
        "growth (the insights document's figures for the same period), action points done, "
        "value stories by cycle (only those shared in reports) with the featured quotes, the "
        "climate pulse from five answers, and the facilitators' foreword and what's next. "
        "`from` and `to` are whole days (YYYY-MM-DD, Europe/Amsterdam), at most five years; "
        "without them, the last twelve months."
    ),
)
def report_get(
    request,
    slug: str,
    period_from: str | None = Query(None, alias="from"),
    period_to: str | None = Query(None, alias="to"),
):
    community = community_for_report(user=request.user, slug=slug)
    period = period_parse(community=community, period_from=period_from, period_to=period_to)
    return report_build(community=community, period=period)
