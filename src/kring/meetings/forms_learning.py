"""Forms for looking back on a session (a reflection) and turning it into action points."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.communities.selectors import members_of
from kring.core import daterange
from kring.core.forms import Picker
from kring.meetings.models import LEARNING_LEVELS

MAX_PART = 5000

# A short, friendly explanation of each level of learning, shown folded under its question.
LEVEL_HINTS = {
    "single_loop": _(
        "Single-loop learning: we keep our goals and improve how we work towards them. "
        "What could we do better or more carefully next time?"
    ),
    "double_loop": _(
        "Double-loop learning: we question the goals and assumptions behind what we do. "
        "Are we still working on what matters most?"
    ),
    "triple_loop": _(
        "Triple-loop learning: we look at who we are as a group, what we value and how we "
        "make choices together. Has something changed in how we decide what is right?"
    ),
}
LEVEL_NAMES = {
    "single_loop": _("Single loop"),
    "double_loop": _("Double loop"),
    "triple_loop": _("Triple loop"),
}


def _part(label, help_text="", rows=4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_PART,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"max_length": _("Keep each part to %(limit_value)s characters.")},
    )


class ReflectionForm(forms.Form):
    """What we did, noticed and learned; the three levels are invitations, never required."""

    did = _part(_("What did we do?"))
    noticed = _part(_("What did we notice?"))
    learned = _part(_("What did we learn?"))
    single_loop = _part(LEARNING_LEVELS[0][1], LEVEL_HINTS["single_loop"], rows=3)
    double_loop = _part(LEARNING_LEVELS[1][1], LEVEL_HINTS["double_loop"], rows=3)
    triple_loop = _part(LEARNING_LEVELS[2][1], LEVEL_HINTS["triple_loop"], rows=3)

    def clean(self):
        data = super().clean()
        if not self.errors and not any((v or "").strip() for v in data.values()):
            raise forms.ValidationError(_("Write at least one part of your reflection."))
        return data

    @property
    def story_fields(self):
        return [self["did"], self["noticed"], self["learned"]]

    @property
    def level_fields(self):
        return [
            {"field": self[key], "name": LEVEL_NAMES[key], "hint": LEVEL_HINTS[key]}
            for key, _question in LEARNING_LEVELS
        ]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ActionPointForm(forms.Form):
    """Who does what before when."""

    what = forms.CharField(
        label=_("What"),
        max_length=300,
        error_messages={
            "required": _("Say what will be done."),
            "max_length": _("Keep it to 300 characters."),
        },
    )
    owner = MemberChoiceField(
        label=_("Who"),
        queryset=User.objects.none(),
        empty_label=_("Choose a member…"),
        widget=Picker(placeholder=_("Type a name…")),
        error_messages={
            "required": _("Choose who takes this on."),
            "invalid_choice": _("Choose a member of this community."),
        },
    )
    due_date = forms.DateField(
        label=_("Before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 2027-03-01.")},
        validators=[daterange.validate],
    )

    def __init__(self, *args, community, original_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_due = original_due
        self.fields["owner"].queryset = members_of(community=community).order_by("full_name")

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        # A date already passed is refused when chosen, but an old one may stay as it was.
        if due is not None and due != self.original_due and due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due
