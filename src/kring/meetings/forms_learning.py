"""Forms for looking back on a session (a reflection) and turning it into action points."""

import functools

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.communities.selectors import members_of
from kring.core import daterange
from kring.core.forms import Picker
from kring.meetings.models import LEARNING_LEVELS
from kring.meetings.selectors import action_point_owner_choices

MAX_PART = 5000
# How many members a typed name that fits several people offers to choose from.
NAME_MATCHES = 20

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


# Longest name that may be typed to find a member (User.full_name is 150).
MAX_NAME = 150


class ActionPointForm(forms.Form):
    """Who does what before when.

    The owner is any active member of the community, yet the list shows only a few people
    (you, the current owner, those at the session and the facilitators): with JavaScript the
    picker searches everyone else by name on the server; without, a member's name typed in
    `owner_name` is looked up when the form is sent."""

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
    owner_name = forms.CharField(
        label=_("Someone else? Type their name"),
        required=False,
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Keep the name to %(limit_value)s characters.")},
    )
    due_date = forms.DateField(
        label=_("Before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 2027-03-01.")},
        validators=[daterange.validate],
    )

    def __init__(self, *args, community, original_due=None, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_due = original_due
        self.community = community
        self.session = session
        # Whoever the owner may be: checked when the form is sent, never listed whole.
        self.fields["owner"].queryset = members_of(community=community)
        self.fields["owner"].widget.attrs["data-picker-url"] = reverse(
            "member-lookup", kwargs={"slug": community.slug}
        )
        # People found by a typed name that was not clear enough: offered in the list.
        self.found: list[User] = []
        if self.is_bound and self._typed_name():
            # A typed name stands in for the list.
            self.fields["owner"].required = False
        self.fields["owner"].widget.choices = functools.cache(self._owner_choices)

    def _typed_name(self) -> str:
        return " ".join(str(self.data.get(self.add_prefix("owner_name")) or "").split())

    def _owner_choices(self) -> list[tuple]:
        chosen = self.data.get(self.add_prefix("owner")) if self.is_bound else None
        include = [
            int(pk)
            for pk in (chosen, self.initial.get("owner"))
            if pk is not None and str(pk).isdigit() and len(str(pk)) <= 10
        ]
        people = action_point_owner_choices(
            community=self.community, session=self.session, include=include
        )
        known = {person.pk for person in people}
        people += [person for person in self.found if person.pk not in known]
        return [("", self.fields["owner"].empty_label)] + [
            (person.pk, self._label(person)) for person in people
        ]

    @staticmethod
    def _label(person: User) -> str:
        if person.organisation:
            return f"{person.full_name} ({person.organisation})"
        return person.full_name

    def clean(self):
        data = super().clean()
        # The services take the owner; the typed name only finds them.
        data.pop("owner_name", None)
        name = self._typed_name()
        if not name or "owner_name" in self.errors:
            return data
        found = list(
            members_of(community=self.community)
            .filter(Q(full_name__istartswith=name) | Q(full_name__icontains=f" {name}"))
            .order_by("full_name", "pk")[:NAME_MATCHES]
        )
        exact = [person for person in found if person.full_name.casefold() == name.casefold()]
        chosen = data.get("owner")
        if len(exact) == 1 or (chosen is not None and chosen in (exact or found)):
            # One member has this name, or the list names one of those who fit it.
            data["owner"] = exact[0] if len(exact) == 1 else chosen
            return data
        self.found = exact or found
        if self.found:
            # Nobody is chosen in the list until the person picks one of those found.
            self.data = self.data.copy()
            self.data[self.add_prefix("owner")] = ""
        if len(exact) > 1:
            message = _("More than one member has this name. Choose the right person in the list.")
        elif found:
            message = _("Choose the person you mean in the list, or type their full name.")
        else:
            message = _("No member of this community has that name.")
        self.add_error("owner_name", message)
        return data

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        # A date already passed is refused when chosen, but an old one may stay as it was.
        if due is not None and due != self.original_due and due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due
