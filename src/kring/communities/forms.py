from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Perspective
from kring.communities.models import Community, Role, Visibility


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.CharField(
        label=_("Short name in the web address"),
        max_length=60,
        required=False,
        help_text=_("Lowercase letters, digits and hyphens. Left empty, it is made from the name."),
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Community._meta.get_field("theme").help_text,
    )
    urgency = forms.CharField(
        label=_("Urgency"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Community._meta.get_field("urgency").help_text,
    )
    shared_goal = forms.CharField(
        label=_("Shared goal"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Community._meta.get_field("shared_goal").help_text,
    )
    signature = forms.CharField(
        label=_("Signature"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Community._meta.get_field("signature").help_text,
    )
    ground_rules = forms.CharField(
        label=_("Ground rules"),
        required=False,
        max_length=9000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One agreement per line, in the group's own words."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            # After the start the ground rules change only as the group agrees
            # (kring.decisions: a proposal, comments, agreement).
            del self.fields["ground_rules"]
        self.perspectives = list(Perspective.objects.filter(is_active=True))
        for perspective in self.perspectives:
            self.fields[f"mix_{perspective.key}"] = forms.IntegerField(
                label=perspective.name,
                min_value=0,
                max_value=100,
                required=False,
            )

    @property
    def mix_fields(self):
        return [self[f"mix_{p.key}"] for p in self.perspectives]

    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("mix_")]

    def clean(self):
        cleaned = super().clean()
        mix = {}
        for perspective in self.perspectives:
            value = cleaned.get(f"mix_{perspective.key}")
            if value:
                mix[perspective.key] = value
        if sum(mix.values()) > 100:
            raise forms.ValidationError(_("The target shares add up to more than 100%."))
        cleaned["target_mix"] = mix
        if "ground_rules" in self.fields:
            cleaned["ground_rules"] = [
                line.strip()
                for line in (cleaned.get("ground_rules") or "").splitlines()
                if line.strip()
            ]
        return cleaned

    @classmethod
    def initial_for(cls, community: Community) -> dict:
        initial = {
            field: getattr(community, field)
            for field in (
                "name",
                "slug",
                "theme",
                "urgency",
                "shared_goal",
                "signature",
                "visibility",
            )
        }
        for key, share in (community.target_mix or {}).items():
            initial[f"mix_{key}"] = share
        return initial


class InvitationForm(forms.Form):
    KIND_EMAIL = "email"
    KIND_LINK = "link"
    kind = forms.ChoiceField(
        label=_("How do you want to invite?"),
        choices=[(KIND_EMAIL, _("By e-mail")), (KIND_LINK, _("With a link I share myself"))],
        widget=forms.RadioSelect,
        initial=KIND_EMAIL,
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more addresses, separated by commas or new lines."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you are inviting them; it is added to the e-mail."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=90,
        initial=14,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == self.KIND_EMAIL:
            raw = (cleaned.get("emails") or "").replace(";", ",").replace("\n", ",")
            addresses = list(dict.fromkeys(a.strip().lower() for a in raw.split(",") if a.strip()))
            if not addresses:
                self.add_error("emails", _("Enter at least one e-mail address."))
            bad = []
            for address in addresses:
                try:
                    validate_email(address)
                except forms.ValidationError:
                    bad.append(address)
            if bad:
                self.add_error(
                    "emails",
                    _("Not a valid e-mail address: %(addresses)s") % {"addresses": ", ".join(bad)},
                )
            if len(addresses) > 50:
                self.add_error("emails", _("Invite at most 50 people at once."))
            cleaned["addresses"] = addresses
        elif cleaned.get("role") == Role.FACILITATOR:
            self.add_error("role", _("A link cannot make people facilitators."))
        return cleaned


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=120,
        help_text=_("Your real name: people here know each other by name."),
    )
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    def __init__(self, *args, fixed_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_email:
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("This invitation was sent to this address.")


class JoinRequestForm(forms.Form):
    """Ask the facilitators of a public community to join. A signed-in person only writes the
    message: their name and address come from their account."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "The facilitators answer you at this address. We don't show it to anyone else."
        ),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who are you, and why do you want to take part? At most 1000 characters."),
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["name"]
            del self.fields["email"]
        self.fields["message"].widget.attrs["maxlength"] = 1000
