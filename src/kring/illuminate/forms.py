"""The form for telling a value story, and the facilitator's feature form."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Perspective, User
from kring.communities.models import Community
from kring.communities.selectors import members_of
from kring.conversations.models import Thread
from kring.core.forms import PickerMultiple
from kring.illuminate.models import CYCLE_MAX_LENGTH, Consent, Cycle
from kring.illuminate.services import EVIDENCE_MAX, QUOTE_MAX_LENGTH, TITLE_MAX_LENGTH
from kring.knowledge.models import KnowledgeItem
from kring.meetings.models import Session

# Each cycle as a question to the teller, with a nudge underneath.
CYCLE_PROMPTS = {
    Cycle.IMMEDIATE: (
        _("What happened?"),
        _("A session, a conversation, something you read. What did you take part in?"),
    ),
    Cycle.POTENTIAL: (
        _("What did it give you?"),
        _("An idea, a new contact, a tool, or the courage to try something."),
    ),
    Cycle.APPLIED: (
        _("What did you do differently?"),
        _("In your work or at home: what did you try or change because of it?"),
    ),
    Cycle.REALISED: (
        _("What difference did it make?"),
        _("For whom? And how do you know?"),
    ),
    Cycle.REFRAMING: (
        _("Did it change what you call success?"),
        _("For you or your organisation: what do you now find important that you did not before?"),
    ),
}

# What each consent level means, in plain words, under its choice.
CONSENT_HELP = {
    Consent.COMMUNITY: _("Only members of this community can read it."),
    Consent.REPORT: _(
        "Members can read it. The facilitators may also use it in reports for funders and "
        "partner organisations."
    ),
    Consent.PUBLIC: _(
        "Members can read it, it may be used in reports, and anyone can read it on the "
        "community's public page."
    ),
}

EVIDENCE_HELP = _("Untick what your story is not about.")


class _Evidence(forms.ModelMultipleChoiceField):
    """Sessions, items or threads of the community, offered only as the few already chosen
    (the link the member came from, or the story's own): never the whole list."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=None, required=False, help_text=EVIDENCE_HELP, **kwargs)


class StoryForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Give your story a title.")},
        help_text=_("In a few words, e.g. “A new contact at the GP practice”."),
    )
    consent = forms.ChoiceField(
        label=_("Who may read your story?"),
        choices=Consent.choices,
        initial=Consent.COMMUNITY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who may read your story.")},
    )
    perspective = forms.ModelChoiceField(
        label=_("From which perspective do you tell it?"),
        queryset=Perspective.objects.filter(is_active=True),
        required=False,
        empty_label=_("No perspective"),
    )
    sessions = _Evidence(label=_("Sessions"))
    items = _Evidence(label=_("Library items"))
    threads = _Evidence(label=_("Questions and discussions"))
    people = forms.ModelMultipleChoiceField(
        label=_("Who else was involved?"),
        queryset=User.objects.none(),
        required=False,
        widget=PickerMultiple(attrs={"size": 4}, placeholder=_("Type a name…")),
        help_text=_("Members of this community who played a part. They can read your story."),
        error_messages={"invalid_choice": _("Choose members of this community.")},
    )

    def __init__(self, *args, community: Community, evidence: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        for key, (question, hint) in CYCLE_PROMPTS.items():
            self.fields[key] = forms.CharField(
                label=question,
                required=False,
                max_length=CYCLE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=hint,
            )
        self.order_fields(["title", *CYCLE_PROMPTS])
        querysets = {
            "sessions": Session.objects.filter(community=community),
            "items": KnowledgeItem.objects.filter(community=community),
            "threads": Thread.objects.filter(community=community, hidden=False),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            field.queryset = queryset
            field.widget.choices = [(obj.pk, str(obj)) for obj in evidence.get(name, [])]
        people = self.fields["people"]
        people.queryset = members_of(community=community)
        people.widget.attrs["data-picker-url"] = reverse(
            "member-lookup", kwargs={"slug": community.slug}
        )
        people.widget.choices = [(p.pk, p.full_name) for p in evidence.get("people", [])]

    @property
    def cycle_fields(self):
        return [self[key] for key in CYCLE_PROMPTS]

    @property
    def evidence_fields(self):
        return [
            self[name]
            for name in ("sessions", "items", "threads")
            if self[name].field.widget.choices or self[name].errors
        ]

    def clean(self):
        data = super().clean()
        for name in ("sessions", "items", "threads", "people"):
            if len(data.get(name) or []) > EVIDENCE_MAX:
                self.add_error(name, _("Choose at most %(max)d.") % {"max": EVIDENCE_MAX})
        if not any((data.get(key) or "").strip() for key in CYCLE_PROMPTS):
            self.add_error(
                Cycle.IMMEDIATE,
                _("Tell at least one part of your story: what happened, for example."),
            )
        return data

    def story_fields(self) -> dict:
        """The cleaned values as the story services take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "cycles": {key: data.get(key, "") for key in CYCLE_PROMPTS},
            "consent": data["consent"],
            "perspective": data["perspective"],
            "sessions": list(data["sessions"]),
            "items": list(data["items"]),
            "threads": list(data["threads"]),
            "people": list(data["people"]),
        }


class FeatureForm(forms.Form):
    quote = forms.CharField(
        label=_("Quote for reports"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copy a passage from the story, or write one short line. Optional."),
    )
