"""Forms for the library. They parse and shape input; the services decide what is valid."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kring.accounts.forms import TagField
from kring.accounts.models import User
from kring.core.uploads import sniff_attachment
from kring.knowledge.models import (
    EXPLICIT_KINDS,
    IMPLICIT_KINDS,
    KINDS_WITH_URL,
    LESSON_SECTIONS,
    Kind,
)

MAX_FILES = 20
SECTION_HINTS = {
    "tried": _("The situation and the approach: what did you set out to do, and how?"),
    "went_wrong": _("Be honest: what did not work out, and when did you notice?"),
    "learned": _("The insight you would pass on to a colleague."),
    "differently": _("Next time, what would you do first, or not at all?"),
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; always a list (empty when nothing was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        clean_one = super().clean
        return [clean_one(f, initial) for f in files if f]


class ItemForm(forms.Form):
    """Share or edit a library item. A lesson learned has four parts instead of one text."""

    kind = forms.ChoiceField(
        label=_("What are you sharing?"),
        choices=[
            ("", _("Choose a kind…")),
            (_("Explicit knowledge"), [(k.value, k.label) for k in EXPLICIT_KINDS]),
            (_("Experience"), [(k.value, k.label) for k in IMPLICIT_KINDS]),
        ],
        error_messages={"required": _("Choose what kind of knowledge you are sharing.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the item a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "You can use Markdown: **bold**, *italic*, - lists, [a link](https://…) and "
            "## headings. An empty line starts a new paragraph."
        ),
    )
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Where the webinar, course or page can be found."),
    )
    tags = TagField(
        label=_("Themes"),
        help_text=_("Separate with commas, e.g. mantelzorg, wijkteams, subsidies."),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Who made this? Hold Ctrl (or Cmd on a Mac) to choose more than one. "
            "Left empty, you are the author."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        widget=MultipleFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,"
                ".jpg,.jpeg,.png,.gif,.webp"
            }
        ),
    )

    def __init__(self, *args, community, existing_attachments: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_attachments = existing_attachments
        self.fields["attachments"].help_text = _(
            "PDF, Office or OpenDocument files, or images; at most %(max)s MB each."
        ) % {"max": settings.KRING_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        self.fields["authors"].queryset = User.objects.filter(
            memberships__community=community, is_active=True
        ).order_by("full_name")
        self.fields["authors"].label_from_instance = lambda user: user.full_name
        for key, label in LESSON_SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=SECTION_HINTS.get(key, ""),
            )

    @property
    def section_fields(self):
        return [self[key] for key, _label in LESSON_SECTIONS]

    @property
    def is_lesson(self) -> bool:
        value = self["kind"].value()
        return value == Kind.LESSON_LEARNED

    @property
    def shows_url(self) -> bool:
        return self["kind"].value() in KINDS_WITH_URL or bool(self["url"].value())

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) + self.existing_attachments > MAX_FILES:
            raise ValidationError(
                _("An item can have at most %(max)s attachments.") % {"max": MAX_FILES}
            )
        # Checked here as well as when saving, so a bad file stops the form before any
        # file is written, and the message can name the file.
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

    def item_fields(self) -> dict:
        """The cleaned values as the item services take them."""
        data = self.cleaned_data
        kind = data["kind"]
        sections = {}
        if kind == Kind.LESSON_LEARNED:
            sections = {key: data.get(key, "") for key, _label in LESSON_SECTIONS}
        return {
            "kind": kind,
            "title": data["title"],
            "body": data["body"],
            "sections": sections,
            "url": data["url"],
            "tags": data["tags"],
            "authors": list(data["authors"]),
        }


class ItemUpdateForm(ItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].help_text = _(
            "Hold Ctrl (or Cmd on a Mac) to choose more than one. Left empty, the authors "
            "stay as they are."
        )
        self.fields["attachments"].label = _("Add attachments")

    note = forms.CharField(
        label=_("What changed?"),
        required=False,
        max_length=200,
        help_text=_("A few words for the history, e.g. “added the step about funding”."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        error_messages={"required": _("Write a comment first.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown works here too."),
    )
