"""Forms for the climate pulse: starting one, and answering its nine statements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.insights.models import PULSE_ITEMS
from kring.insights.services import PULSE_DEFAULT_DAYS, PULSE_MAX_DAYS

SCALE_LABELS = {
    1: _("strongly disagree"),
    4: _("neutral"),
    7: _("strongly agree"),
}


class PulseStartForm(forms.Form):
    days = forms.IntegerField(
        label=_("Open for (days)"),
        min_value=1,
        max_value=PULSE_MAX_DAYS,
        initial=PULSE_DEFAULT_DAYS,
        help_text=_("Members can answer until then; you can close it earlier."),
    )


def _choices():
    return [
        (point, f"{point} ({SCALE_LABELS[point]})" if point in SCALE_LABELS else str(point))
        for point in range(1, 8)
    ]


class PulseAnswerForm(forms.Form):
    """Nine statements, each on 1 (strongly disagree) to 7 (strongly agree); all required.
    Only the seven integers are accepted: anything else is an invalid choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (key, _reverse, text) in enumerate(PULSE_ITEMS, start=1):
            self.fields[key] = forms.TypedChoiceField(
                label=f"{number}. {text}",
                choices=_choices(),
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "pulse-scale"}),
                error_messages={
                    "required": _("Choose how much you agree, from 1 to 7."),
                    "invalid_choice": _("Choose a number from 1 to 7."),
                },
            )
