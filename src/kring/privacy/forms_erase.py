"""The form that erases your account: what happens to your contributions, and your e-mail
address typed again, so nobody erases an account by one click or by mistake."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.privacy.erasure_policy import Contributions


class EraseForm(forms.Form):
    contributions = forms.ChoiceField(
        label=_("What happens to what you wrote?"),
        choices=[
            (
                Contributions.KEEP.value,
                _("Keep it. It stays, under the name “Former member”."),
            ),
            (
                Contributions.REMOVE.value,
                _("Remove it. Your posts, library items, comments and reflections go."),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to what you wrote.")},
    )
    confirm_email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        error_messages={"required": _("Type your e-mail address.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the e-mail address of your account. Nothing was erased.")
            )
        return typed
