"""The facilitators' forms on the development page. The services check everything again."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.communities.models import Stage
from kring.core import daterange
from kring.core.forms import PickerMultiple
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


class _PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class TeamForm(forms.Form):
    """A team's name, purpose, members and lead. The members' list shows only the people
    already in the team (and those just chosen); the picker searches the community by name.
    Whether everyone chosen is a member of the community is the service's check."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("For example: communication team, support team, community builders."),
        widget=forms.TextInput(attrs={"list": "team-names", "autocomplete": "off"}),
        error_messages={"required": _("Give the team a name.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the team does for the community."),
    )
    members = _PersonChoices(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=PickerMultiple(placeholder=_("Type a name…")),
        error_messages={"invalid_choice": _("Choose members of this community.")},
    )
    lead = _PersonChoice(
        label=_("Lead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No lead yet"),
        help_text=_("One of the members above."),
    )

    def __init__(self, *args, community, team_people=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone may be sent; the service says who is not a member of the community.
        self.fields["members"].queryset = User.objects.all()
        self.fields["lead"].queryset = User.objects.all()
        self.fields["members"].widget.attrs["data-picker-url"] = reverse(
            "member-lookup", kwargs={"slug": community.slug}
        )
        people = {p.pk: p for p in team_people}
        if self.is_bound:
            chosen = [v for v in self.data.getlist("members") if v.isdigit() and len(v) <= 10]
            for person in User.objects.filter(pk__in=chosen[:MEMBERS_LISTED]):
                people.setdefault(person.pk, person)
        listed = [(p.pk, p.full_name) for p in people.values()]
        self.fields["members"].widget.choices = listed
        self.fields["lead"].widget.choices = [("", _("No lead yet")), *listed]


# The most people a sent form lists back (a team has at most 30).
MEMBERS_LISTED = 40


class TeamTaskForm(forms.Form):
    what = forms.CharField(
        label=_("What"),
        max_length=300,
        error_messages={"required": _("Say what will be done.")},
    )
    owner = _PersonChoice(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    due_date = forms.DateField(
        label=_("Before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[daterange.validate],
    )

    def __init__(self, *args, team_people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[p.pk for p in team_people])
        self.fields["owner"].widget.choices = [
            ("", _("Nobody yet")),
            *[(p.pk, p.full_name) for p in team_people],
        ]


class TeamPostForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message first.")},
    )
