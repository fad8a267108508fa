"""The facilitators' forms on the development page. The services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.communities.models import Stage
from kring.core import daterange
from kring.growth.models import StepStatus


def day_field(label: str) -> forms.DateField:
    """A day in Kring's years, today unless changed."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[daterange.validate],
        initial=timezone.localdate,
    )


class _Decision(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why, or what you saw. Other facilitators read it."),
    )
    on = day_field(_("Date"))


class StepJudgeForm(_Decision):
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
    on = day_field(_("Given on"))


class StageCorrectForm(_Decision):
    stage = forms.ChoiceField(
        label=_("The stage you see"),
        choices=[*Stage.choices, ("", _("Let Kring decide from the data"))],
        required=False,
    )
