"""The report pages: the community's report with a period picker, the facilitators' texts
and downloads (PDF, CSV); and the back-home version per organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.core.forms import apply_service_errors
from kring.illuminate import permissions
from kring.illuminate.forms_report import OrganisationForm, ReportPeriodForm, ReportTextForm
from kring.illuminate.report import (
    Period,
    community_for_report,
    default_period,
    organisation_report_build,
    organisations_of,
    period_parse,
    report_build,
    report_text_for,
)
from kring.illuminate.report_output import report_context, report_csv, report_pdf
from kring.illuminate.services_report import report_text_save


def _period(request, community) -> tuple[ReportPeriodForm, Period]:
    """The period asked for; on bad input the errors stand on the form and the default
    period is shown."""
    form = ReportPeriodForm(request.GET or None)
    if form.is_valid():
        try:
            return form, period_parse(
                community=community,
                period_from=form.cleaned_data["from"],
                period_to=form.cleaned_data["to"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    period = default_period(community)
    if not request.GET:
        form = ReportPeriodForm(initial={"from": period.first, "to": period.last})
    return form, period


def _query(period: Period) -> str:
    return urlencode({"from": period.first.isoformat(), "to": period.last.isoformat()})


@login_required
def report_view(request, slug: str):
    """Facilitators (and platform admins): members get 403, people outside 404."""
    community = community_for_report(user=request.user, slug=slug)
    period_form, period = _period(request, community)
    url = f"{reverse('report', kwargs={'slug': slug})}?{_query(period)}"
    text = report_text_for(community, period)
    text_form = ReportTextForm(
        request.POST or None,
        initial={"foreword": text.foreword, "next_steps": text.next_steps} if text else None,
    )
    # A foreword belongs to the period asked for: with a period that could not be read, the
    # page shows the default one and saves nothing.
    period_ok = not request.GET or period_form.is_bound and not period_form.errors
    if request.method == "POST" and not period_ok:
        text_form.add_error(None, _("Choose a valid period first: your text was not saved."))
    elif request.method == "POST" and text_form.is_valid():
        try:
            report_text_save(
                community=community, period=period, by=request.user, **text_form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(text_form, exc)
        else:
            messages.success(request, _("Saved. The report shows your text."))
            return redirect(url)
    document = report_build(community=community, period=period)
    return render(
        request,
        "illuminate/report.html",
        {
            **header_context(request, community, "report"),
            **report_context(document),
            "period_form": period_form,
            "text_form": text_form,
            "query": _query(period),
        },
    )


def _download(body: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(slug: str, period: Period, ext: str) -> str:
    return f"report-{slug}-{period.first.isoformat()}-{period.last.isoformat()}.{ext}"


@login_required
def report_pdf_view(request, slug: str):
    community = community_for_report(user=request.user, slug=slug)
    _form, period = _period(request, community)
    document = report_build(community=community, period=period)
    return _download(report_pdf(document), "application/pdf", _file_name(slug, period, "pdf"))


@login_required
def report_csv_view(request, slug: str):
    community = community_for_report(user=request.user, slug=slug)
    _form, period = _period(request, community)
    document = report_build(community=community, period=period)
    return _download(
        report_csv(document), "text/csv; charset=utf-8", _file_name(slug, period, "csv")
    )


@login_required
def organisation_report_view(request, slug: str):
    """The back-home version for one organisation: facilitators choose any; a member sees
    their own organisation's (another one is 403); people outside the community get 404."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    facilitates = permissions.can_view_report(request.user, community)
    organisations = organisations_of(community) if facilitates else []
    own = request.user.organisation.strip()
    organisation = request.GET.get("org", "").strip() or own or next(iter(organisations), "")
    if organisation:
        permissions.check_view_organisation_report(request.user, community, organisation)
    elif not facilitates:
        permissions.check_view_organisation_report(request.user, community, own)
    period_form, period = _period(request, community)
    document = (
        organisation_report_build(community=community, period=period, organisation=organisation)
        if organisation
        else None
    )
    return render(
        request,
        "illuminate/report_organisation.html",
        {
            **header_context(request, community, "report"),
            "can_view_report": facilitates,
            "org_form": OrganisationForm(
                initial={"org": organisation}, organisations=organisations
            ),
            "period_form": period_form,
            "period": period,
            "back_home": document,
        },
    )
