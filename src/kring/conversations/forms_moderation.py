"""Forms for moderation. They parse input; the moderation services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.conversations.services.moderation import MAX_MODERATION_MESSAGE, MAX_REASON

OTHER = "other"


class _RuleChoiceMixin:
    """A choice of the community's ground rules, cleaned to the rule itself (or None)."""

    def _setup_rules(self, rules, *, empty_label) -> None:
        self.rules = {str(rule.pk): rule for rule in rules}
        choices = [(pk, rule.text) for pk, rule in self.rules.items()]
        field = self.fields["ground_rule"]
        field.choices = [*choices, (OTHER, empty_label)]

    def clean_ground_rule(self):
        value = self.cleaned_data.get("ground_rule") or ""
        return self.rules.get(value)


class FlagForm(_RuleChoiceMixin, forms.Form):
    ground_rule = forms.ChoiceField(
        label=_("Which ground rule does it go against?"),
        widget=forms.RadioSelect,
        required=False,
        initial=OTHER,
        error_messages={
            "invalid_choice": _("Choose one of the ground rules, or 'Something else'.")
        },
    )
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        help_text=_("Only the facilitators see your report and your name."),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell the facilitators what is wrong with this post.")},
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_rules(rules, empty_label=_("Something else"))


class ModerationActionForm(_RuleChoiceMixin, forms.Form):
    """Hide, restore, lock, unlock or dismiss, with the reason the author will read."""

    reason = forms.CharField(
        label=_("Reason (the author reads this)"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ground_rule = forms.ChoiceField(
        label=_("Ground rule"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of this community's ground rules.")},
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_rules(rules, empty_label=_("No particular rule"))
        self.fields["ground_rule"].choices = [
            ("", _("No particular rule")),
            *self.fields["ground_rule"].choices[:-1],
        ]


class ModerationMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_MODERATION_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message first.")},
    )
