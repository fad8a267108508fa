"""Forms for questions, discussions and replies. They parse and shape input; the services
decide what is valid and say so under the field names used here."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kring.accounts.forms import TagField
from kring.conversations import mention_text, selectors
from kring.conversations.models import PostAttachment, ThreadKind
from kring.conversations.services import MAX_BODY, MAX_TITLE
from kring.core.attachments import AttachmentsField
from kring.core.forms import WRITING_HINT, WritingBox

MENTION_HINT = _("Type @ and a name to mention someone.")
BODY_ERRORS = {
    "max_length": _("The text is too long (at most %(limit_value)s characters)."),
}


def _body_field(label, *, required: bool, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_BODY,
        error_messages={**BODY_ERRORS, "required": _("Write something first.")},
        widget=MentionBox(attrs={"rows": rows}),
        help_text=WRITING_HINT,
    )


class MentionBox(WritingBox):
    """A writing box that shows mentions as names (``@Mehmet Kaya``) and carries the ids of
    the people chosen in a hidden field next to it (see mention_text)."""

    template_name = "conversations/widgets/mention_box.html"
    posted_ids = ""

    def format_value(self, value):
        return super().format_value(mention_text.as_names(value) if value else value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = mention_text.parse_ids(self.posted_ids) + mention_text.stored_ids(value or "")
        context["widget"]["mention_ids"] = " ".join(str(pk) for pk in dict.fromkeys(ids))
        return context


class MentionsMixin:
    """The body is written with mentions as names; cleaned, it holds them as stored."""

    community = None

    def _setup_mentions(self, mention_url: str | None, community) -> None:
        self.community = community
        field = self.fields["body"]
        if mention_url:
            field.widget.attrs["data-mention-url"] = mention_url
            field.widget.attrs["data-mention-label"] = _("People to mention")
            field.help_text = format_lazy("{} {}", WRITING_HINT, MENTION_HINT)
        if self.is_bound:
            field.widget.posted_ids = self.data.get(self.add_prefix("body") + "_mentions", "")

    def clean_body(self):
        text = self.cleaned_data.get("body") or ""
        if self.community is None or "@" not in text:
            return text
        chosen = mention_text.parse_ids(self["body"].field.widget.posted_ids)
        people = selectors.mention_people(
            community=self.community, ids=chosen, names=mention_text.typed_names(text)
        )
        return mention_text.as_stored(
            text, people=people, initial=self.initial.get("body", ""), chosen=chosen
        )


class ThreadForm(MentionsMixin, forms.Form):
    """Ask a question or start a discussion."""

    kind = forms.ChoiceField(
        label=_("What do you want to start?"),
        choices=ThreadKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a question or a discussion.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={
            "required": _("Give it a title."),
            "max_length": _("Keep the title to %(limit_value)s characters."),
        },
    )
    body = _body_field(_("Text"), required=False, rows=10)
    tags = TagField(
        label=_("Themes"),
        help_text=_("Separate with commas, e.g. mantelzorg, wijkteams, subsidies."),
    )
    attachments = AttachmentsField(model=PostAttachment, label=_("Attachments"))

    def __init__(
        self, *args, mention_url: str | None = None, community=None, existing_attachments=0, **kw
    ):
        super().__init__(*args, **kw)
        self.fields["attachments"].existing = existing_attachments
        self._setup_mentions(mention_url, community)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ThreadKind.DISCUSSION and not data.get("body"):
            self.add_error("body", _("Write something to start the discussion with."))
        return data


class ThreadUpdateForm(ThreadForm):
    """Edit the opening post: the kind stays what it was."""

    def __init__(self, *args, kind: str, **kw):
        super().__init__(*args, **kw)
        del self.fields["kind"]
        self.kind = kind
        self.fields["attachments"].label = _("Add attachments")

    def clean(self):
        data = forms.Form.clean(self)
        if self.kind == ThreadKind.DISCUSSION and not data.get("body"):
            self.add_error("body", _("Write something to start the discussion with."))
        return data


class ReplyForm(MentionsMixin, forms.Form):
    body = _body_field(_("Your reply"), required=True, rows=5)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = AttachmentsField(model=PostAttachment, label=_("Attachments"))

    def __init__(self, *args, mention_url: str | None = None, community=None, **kw):
        super().__init__(*args, **kw)
        self._setup_mentions(mention_url, community)


class ReplyUpdateForm(MentionsMixin, forms.Form):
    body = _body_field(_("Your reply"), required=True, rows=8)

    def __init__(self, *args, mention_url: str | None = None, community=None, **kw):
        super().__init__(*args, **kw)
        self._setup_mentions(mention_url, community)
