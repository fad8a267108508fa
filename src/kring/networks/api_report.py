"""The network report: GET /networks/{slug}/report?from=&to= (docs/report.md, "The network
report"). The same document as the page, its PDF and its CSV. Coordinators and platform
admins; anyone else 404 (401 without a login). A bad period answers 422 in the API's error
format, with the community report's messages."""

from ninja import Query, Router

from kring.networks.report import network_period_parse, network_report_build
from kring.networks.selectors import network_get_managed

router = Router(tags=["networks"])


@router.get(
    "/{slug}/report",
    response=dict,
    summary="A network's report over a period (coordinators)",
    description=(
        "Per linked community the figures of its own report (GET /communities/{slug}/report, "
        "same definitions), their `sum`, and `network_total`: the network as a whole, where a "
        "person or organisation in several communities counts once (members, took part, "
        "attendees, organisations, and per perspective), things that belong to one community "
        "(sessions, items, questions, action points, value stories) are summed, and ties and "
        "the median are null. Counts only: nobody is named. `from` and `to` are whole days "
        "(YYYY-MM-DD, Europe/Amsterdam), at most five years; without them, the last twelve "
        "months."
    ),
)
def network_report_get(
    request,
    slug: str,
    period_from: str | None = Query(None, alias="from"),
    period_to: str | None = Query(None, alias="to"),
):
    network = network_get_managed(slug=slug, viewer=request.user)
    period = network_period_parse(period_from=period_from, period_to=period_to)
    return network_report_build(network=network, period=period)
