"""The report page's forms: the period picker and what the facilitators write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.illuminate.services_report import TEXT_MAX_LENGTH


class ReportPeriodForm(forms.Form):
    """From and to as typed: kring.illuminate.report.period_parse checks them, so the page,
    the API and the CLI give the same messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_input = {"type": "date"}
        self.fields["from"] = forms.CharField(
            label=_("From"),
            required=False,
            widget=forms.DateInput(attrs=date_input, format="%Y-%m-%d"),
        )
        self.fields["to"] = forms.CharField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(attrs=date_input, format="%Y-%m-%d"),
        )


class ReportTextForm(forms.Form):
    foreword = forms.CharField(
        label=_("Foreword"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines from you, the facilitators, at the start of the report."),
    )
    next_steps = forms.CharField(
        label=_("What's next"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you plan for the coming period."),
    )


class OrganisationForm(forms.Form):
    org = forms.ChoiceField(label=_("Organisation"), choices=())

    def __init__(self, *args, organisations: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(name, name) for name in organisations]
