"""The forms to start a poll and a date poll; the services check everything again."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.decisions.models import ShowResults
from kring.meetings.models import DEFAULT_TIMEZONE

_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _PollBase(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=400)
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody can see who voted for what"), required=False
    )
    show_results = forms.ChoiceField(
        label=_("Show the results"),
        choices=ShowResults.choices,
        initial=ShowResults.AFTER_VOTE,
        widget=forms.RadioSelect,
    )
    closes_at = forms.DateTimeField(label=_("The poll closes at"), widget=_MOMENT)


class PollForm(_PollBase):
    options = forms.CharField(
        label=_("Options"),
        help_text=_("One option on each line."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    multiple = forms.BooleanField(label=_("People may choose more than one option"), required=False)
    session = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("That session is not in this community.")},
    )
    thread = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("That discussion is not in this community.")},
    )
    field_order = ["question", "options", "multiple", "anonymous", "show_results", "closes_at"]

    def clean_options(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()

    def clean(self):
        # A hidden field has no place to show its message: it goes on top of the form.
        for name in ("session", "thread"):
            if name in self._errors:
                self.add_error(None, self._errors.pop(name))
        return super().clean()


class DatePollForm(_PollBase):
    starts = forms.CharField(
        label=_("Dates and times to choose from"),
        help_text=_("One on each line, for example 2027-03-09 19:30."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    session_title = forms.CharField(label=_("Title of the session"), max_length=400)
    session_location = forms.CharField(label=_("Address"), max_length=600)
    session_minutes = forms.IntegerField(label=_("Length in minutes"), initial=120)
    field_order = [
        "question",
        "starts",
        "session_title",
        "session_location",
        "session_minutes",
        "anonymous",
        "show_results",
        "closes_at",
    ]

    def clean_starts(self) -> list[datetime]:
        zone = ZoneInfo(DEFAULT_TIMEZONE)
        moments = []
        for line in self.cleaned_data["starts"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                moment = datetime.fromisoformat(line.replace("T", " "))
            except ValueError:
                raise forms.ValidationError(
                    _("We cannot read “%(line)s”. Write it like 2027-03-09 19:30."),
                    params={"line": line[:40]},
                ) from None
            moments.append(moment if moment.tzinfo else moment.replace(tzinfo=zone))
        return moments


class RulesProposalForm(forms.Form):
    ground_rules = forms.CharField(
        label=_("Ground rules"),
        max_length=9000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One agreement per line, in the group's own words."),
    )
    reason = forms.CharField(
        label=_("Why this proposal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changes, and why. The members read this before they agree."),
    )

    def clean_ground_rules(self) -> list[str]:
        return [line for line in self.cleaned_data["ground_rules"].splitlines() if line.strip()]


class RulesCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A question, a doubt, a better wording: say it before the rules take effect."),
    )
