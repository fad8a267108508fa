"""Forms for questions, discussions and replies. They parse and shape input; the services
decide what is valid and say so under the field names used here."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kring.accounts.forms import TagField
from kring.conversations.models import ThreadKind
from kring.conversations.services import MAX_ATTACHMENTS, MAX_BODY, MAX_TITLE
from kring.core.uploads import sniff_attachment

ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.jpg,.jpeg,.png,.gif,.webp"
MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, - lists and [a link](https://…). "
    "Type @ and a name to mention someone."
)
BODY_ERRORS = {
    "max_length": _("The text is too long (at most %(limit_value)s characters)."),
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; always a list (empty when nothing was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        clean_one = super().clean
        return [clean_one(f, initial) for f in files if f]


def _body_field(label, *, required: bool, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_BODY,
        error_messages={**BODY_ERRORS, "required": _("Write something first.")},
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=MARKDOWN_HELP,
    )


class AttachmentsMixin:
    existing_attachments = 0

    def _setup_attachments(self) -> None:
        self.fields["attachments"].help_text = _(
            "PDF, Office or OpenDocument files, or images; at most %(max)s MB each."
        ) % {"max": settings.KRING_ATTACHMENT_MAX_BYTES // (1024 * 1024)}

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) + self.existing_attachments > MAX_ATTACHMENTS:
            raise ValidationError(
                _("A post can have at most %(max)s attachments.") % {"max": MAX_ATTACHMENTS}
            )
        # Checked before anything is saved, so the message can name the file and no
        # thread or reply is made with a file that will be refused.
        problems = []
        for upload in files:
            try:
                sniff_attachment(upload)
            except ValidationError as exc:
                problems.append(
                    _("%(name)s: %(problem)s")
                    % {"name": upload.name, "problem": " ".join(exc.messages)}
                )
        if problems:
            raise ValidationError(problems)
        return files


def _mention_attrs(widget, mention_url: str | None) -> None:
    if mention_url:
        widget.attrs["data-mention-url"] = mention_url
        widget.attrs["data-mention-label"] = _("People to mention")


class ThreadForm(AttachmentsMixin, forms.Form):
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
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, mention_url: str | None = None, existing_attachments=0, **kw):
        super().__init__(*args, **kw)
        self.existing_attachments = existing_attachments
        self._setup_attachments()
        _mention_attrs(self.fields["body"].widget, mention_url)

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


class ReplyForm(AttachmentsMixin, forms.Form):
    body = _body_field(_("Your reply"), required=True, rows=5)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, mention_url: str | None = None, **kw):
        super().__init__(*args, **kw)
        self._setup_attachments()
        _mention_attrs(self.fields["body"].widget, mention_url)


class ReplyUpdateForm(forms.Form):
    body = _body_field(_("Your reply"), required=True, rows=8)

    def __init__(self, *args, mention_url: str | None = None, **kw):
        super().__init__(*args, **kw)
        _mention_attrs(self.fields["body"].widget, mention_url)
