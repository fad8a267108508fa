"""Forms for the library. They parse and shape input; the services decide what is valid."""

import re

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kring.accounts.forms import TagField
from kring.accounts.models import User
from kring.communities.selectors import members_of
from kring.core.attachments import AttachmentsField
from kring.core.forms import WRITING_HINT, PickerMultiple, WritingBox
from kring.knowledge.models import (
    EXPLICIT_KINDS,
    IMPLICIT_KINDS,
    KINDS_WITH_URL,
    LESSON_SECTIONS,
    Attachment,
    Kind,
)

SECTION_HINTS = {
    "tried": _("The situation and the approach: what did you set out to do, and how?"),
    "went_wrong": _("Be honest: what did not work out, and when did you notice?"),
    "learned": _("The insight you would pass on to a colleague."),
    "differently": _("Next time, what would you do first, or not at all?"),
}

# A practice story is told in four parts and stored as one text with a heading per part, so
# it reads well anywhere and can be split again for editing.
STORY_PARTS = (
    (
        "story_situation",
        _("The situation"),
        _("What was the situation?"),
        _("Where, with whom, and what was the question or the problem?"),
    ),
    ("story_did", _("What we did"), _("What did you do?"), _("The steps you took, and why.")),
    (
        "story_happened",
        _("What happened"),
        _("What happened?"),
        _("What changed, for whom? What went well and what did not?"),
    ),
    (
        "story_learned",
        _("What we learned"),
        _("What did you learn?"),
        _("What would you pass on to someone in the same situation?"),
    ),
)
HEADING_RE = re.compile(r"^## +(.+?) *$", re.MULTILINE)


def story_body(parts: dict) -> str:
    """The four parts of a practice story as one Markdown text with a heading for each part
    that was filled in."""
    blocks = []
    for key, heading, _question, _hint in STORY_PARTS:
        text = (parts.get(key) or "").strip()
        if text:
            blocks.append(f"## {heading}\n\n{text}")
    return "\n\n".join(blocks)


def _headings() -> dict[str, str]:
    """Each part's heading, in every language the site speaks, to the part's key."""
    known = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, heading, _question, _hint in STORY_PARTS:
                known[str(heading).casefold()] = key
    return known


def story_parts(body: str) -> dict | None:
    """The parts of a practice story written with this form; None when the text is not made of
    those parts only (an imported or older story is then edited as one text)."""
    body = (body or "").strip()
    if not body:
        return {}
    pieces = HEADING_RE.split(body)
    if pieces[0].strip():
        return None
    known = _headings()
    parts: dict[str, str] = {}
    for heading, text in zip(pieces[1::2], pieces[2::2], strict=True):
        key = known.get(heading.strip().casefold())
        if key is None or key in parts:
            return None
        parts[key] = text.strip()
    return parts


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
        widget=WritingBox(attrs={"rows": 12}),
        help_text=WRITING_HINT,
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
        widget=PickerMultiple(attrs={"size": 6}, placeholder=_("Type a name…")),
        help_text=_("Who made this? Left empty, you are the author."),
    )
    attachments = AttachmentsField(model=Attachment, label=_("Attachments"))

    def __init__(self, *args, community, existing_attachments: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].existing = existing_attachments
        self.fields["authors"].queryset = members_of(community=community).order_by("full_name")
        self.fields["authors"].label_from_instance = lambda user: user.full_name
        for key, label in LESSON_SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=10000,
                widget=WritingBox(attrs={"rows": 4}),
                help_text=SECTION_HINTS.get(key, ""),
            )
        for key, _heading, question, hint in STORY_PARTS:
            self.fields[key] = forms.CharField(
                label=question,
                required=False,
                max_length=10000,
                widget=WritingBox(attrs={"rows": 4}),
                help_text=hint,
            )
        # A story that was not written in these parts is edited as one text, as it is.
        self.story_plain = False
        if self.initial.get("kind") == Kind.PRACTICE_STORY:
            parts = story_parts(self.initial.get("body", ""))
            if parts is None:
                self.story_plain = True
            else:
                self.initial = {**self.initial, **parts}

    @property
    def section_fields(self):
        return [self[key] for key, _label in LESSON_SECTIONS]

    @property
    def story_fields(self):
        return [self[key] for key, *_rest in STORY_PARTS]

    @property
    def is_story(self) -> bool:
        return self["kind"].value() == Kind.PRACTICE_STORY

    @property
    def is_lesson(self) -> bool:
        value = self["kind"].value()
        return value == Kind.LESSON_LEARNED

    @property
    def shows_url(self) -> bool:
        return self["kind"].value() in KINDS_WITH_URL or bool(self["url"].value())

    def item_fields(self) -> dict:
        """The cleaned values as the item services take them."""
        data = self.cleaned_data
        kind = data["kind"]
        sections = {}
        body = data["body"]
        if kind == Kind.LESSON_LEARNED:
            sections = {key: data.get(key, "") for key, _label in LESSON_SECTIONS}
        elif kind == Kind.PRACTICE_STORY and not self.story_plain:
            # Switched to a story from another kind: the one text that was there stays, in
            # front of the parts (a text made of story parts is the old version: replaced).
            story = story_body(data)
            if story and (body or "").strip() and story_parts(body) is None:
                body = f"{body.strip()}\n\n{story}"
            else:
                body = story or body
        return {
            "kind": kind,
            "title": data["title"],
            "body": body,
            "sections": sections,
            "url": data["url"],
            "tags": data["tags"],
            "authors": list(data["authors"]),
        }


class ItemUpdateForm(ItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].help_text = _("Left empty, the authors stay as they are.")
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
        widget=WritingBox(attrs={"rows": 3}),
        help_text=WRITING_HINT,
    )
