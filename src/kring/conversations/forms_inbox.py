"""Forms for direct messages and notification settings. They parse input; the services decide
what is valid and say so under the field names used here."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kring.conversations.models import DigestFrequency, NotificationPreference
from kring.conversations.services.direct_messages import MAX_MESSAGE
from kring.conversations.services.preferences import IN_APP_FIELDS, PREFERENCE_FIELDS


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the two of you can read this conversation."),
        error_messages={
            "required": _("Write a message first."),
            "max_length": _("Keep the message to %(limit_value)s characters."),
        },
    )


DIGEST_HELP = _(
    "A digest is one e-mail with what happened in your communities: new questions that are "
    "still waiting for an answer, new library items and upcoming sessions. It is off unless "
    "you switch it on."
)


class PreferenceForm(forms.Form):
    """The four e-mail switches and the digest, labelled as the model names them."""

    digest = forms.ChoiceField(
        label=_("Digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=DIGEST_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        switches = {
            name: forms.BooleanField(
                label=capfirst(NotificationPreference._meta.get_field(name).verbose_name),
                required=False,
            )
            for name in (*PREFERENCE_FIELDS, *IN_APP_FIELDS)
        }
        # The switches come first, as on the page.
        self.fields = {**switches, "digest": self.fields["digest"]}

    @property
    def switch_fields(self):
        return [self[name] for name in PREFERENCE_FIELDS]

    @property
    def in_app_fields(self):
        return [self[name] for name in IN_APP_FIELDS]
