from django import forms
from django.utils.translation import gettext_lazy as _

from kring.networks.models import Level


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_("For the address: lowercase letters, digits and hyphens."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("What connects these communities"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["slug"]


class LinkForm(forms.Form):
    community = forms.ChoiceField(label=_("Community"))
    note = forms.CharField(
        label=_("A word for the other side"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.slug, c.name) for c in communities]
