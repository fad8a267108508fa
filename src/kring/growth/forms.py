"""The facilitators' forms on the development page. The services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.communities.models import Stage
from kring.core import daterange
from kring.growth.models import StepKey, StepStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class _Decision(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why, or what you saw. Other facilitators read it."),
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        validators=[daterange.validate],
        initial=timezone.localdate,
    )


class StepJudgeForm(_Decision):
    step = forms.ChoiceField(choices=StepKey.choices, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("What is true for this step?"),
        choices=[*StepStatus.choices, ("", _("Let Kring decide from the data"))],
        required=False,
        widget=forms.RadioSelect,
    )


class MandateForm(forms.Form):
    given_by = forms.CharField(
        label=_("Who gave the room to experiment?"),
        max_length=200,
        help_text=_("An organisation or a role, for example: the municipal board."),
    )
    scope = forms.CharField(
        label=_("Room to do what?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What participants may try in their own work."),
    )
    on = forms.DateField(
        label=_("Given on"),
        widget=DATE_WIDGET,
        validators=[daterange.validate],
        initial=timezone.localdate,
    )


class StageCorrectForm(_Decision):
    stage = forms.ChoiceField(
        label=_("The stage you see"),
        choices=[*Stage.choices, ("", _("Let Kring decide from the data"))],
        required=False,
    )
