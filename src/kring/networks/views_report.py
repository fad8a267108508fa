"""The network report's page, with a period picker and its downloads: `?format=pdf` and
`?format=csv`. Coordinators and platform admins; everyone else 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from kring.core.forms import apply_service_errors
from kring.illuminate.forms_report import ReportPeriodForm
from kring.illuminate.report import Period, last_twelve_months
from kring.networks import selectors
from kring.networks.report import network_period_parse, network_report_build
from kring.networks.report_output import (
    network_report_context,
    network_report_csv,
    network_report_pdf,
)


def _period(request) -> tuple[ReportPeriodForm, Period | None]:
    """The period asked for, or None with the errors on the form."""
    if not request.GET:
        period = last_twelve_months()
        return ReportPeriodForm(initial={"from": period.first, "to": period.last}), period
    form = ReportPeriodForm(request.GET)
    if form.is_valid():
        try:
            return form, network_period_parse(
                period_from=form.cleaned_data["from"], period_to=form.cleaned_data["to"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return form, None


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def network_report_view(request, slug: str):
    """The page; with a period that cannot be read, the page (400) with the message next to
    the field and no figures, for a download too, so nobody gets another period's figures
    than they asked for."""
    network = selectors.network_get_managed(slug=slug, viewer=request.user)
    form, period = _period(request)
    context = {"network": network, "period_form": form}
    if period is None:
        return render(request, "networks/network_report.html", context, status=400)
    document = network_report_build(network=network, period=period)
    name = f"network-report-{network.slug}-{period.first.isoformat()}-{period.last.isoformat()}"
    output = request.GET.get("format", "")
    if output == "pdf":
        return _download(network_report_pdf(document), "application/pdf", f"{name}.pdf")
    if output == "csv":
        return _download(network_report_csv(document), "text/csv; charset=utf-8", f"{name}.csv")
    query = urlencode({"from": period.first.isoformat(), "to": period.last.isoformat()})
    return render(
        request,
        "networks/network_report.html",
        {**context, **network_report_context(document), "query": query},
    )
