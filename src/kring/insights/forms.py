"""Forms of the facilitator's dashboard: the thresholds and a decision on a suggestion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.insights.models import InsightSettings, SuggestionStatus

# Sensible ranges: outside them a signal either fires for everyone or never.
RANGES = {
    "window_days": (7, 365),
    "baseline_days": (14, 730),
    "drift_ratio": (0.05, 0.95),
    "rising_ratio": (1.1, 10.0),
    "min_baseline": (1, 100),
    "missed_sessions": (1, 10),
    "newcomer_days": (7, 120),
    "period_days": (14, 730),
}


class InsightSettingsForm(forms.ModelForm):
    class Meta:
        model = InsightSettings
        fields = list(RANGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in RANGES.items():
            field = self.fields[name]
            field.widget.attrs.update({"min": low, "max": high})
            if isinstance(field, forms.FloatField):
                field.widget.attrs["step"] = "0.05"

    def clean(self):
        data = super().clean()
        for name, (low, high) in RANGES.items():
            value = data.get(name)
            if value is not None and not (low <= value <= high):
                self.add_error(
                    name,
                    _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high},
                )
        window, baseline = data.get("window_days"), data.get("baseline_days")
        if window and baseline and baseline < window:
            self.add_error(
                "baseline_days", _("The baseline should be at least as long as the recent window.")
            )
        return data


class SuggestionDecideForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (SuggestionStatus.DONE, _("Done")),
            ("later", _("Later")),
            (SuggestionStatus.DISMISSED, _("Dismiss")),
            (SuggestionStatus.OPEN, _("Open again")),
        ]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Optional: what you did, or why it does not apply."),
    )
