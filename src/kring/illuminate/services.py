"""Writes for value stories: one function per change, each checking who may make it."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Perspective, User
from kring.communities.models import Community
from kring.communities.selectors import non_members
from kring.core.services import activity_record
from kring.illuminate import permissions
from kring.illuminate.models import (
    CYCLE_MAX_LENGTH,
    CYCLES,
    Consent,
    Cycle,
    PromptKind,
    StoryPrompt,
    ValueStory,
)
from kring.illuminate.verbs import IlluminateVerb
from kring.knowledge.models import Kind, KnowledgeItem
from kring.knowledge.services import item_create

TITLE_MAX_LENGTH = 160
QUOTE_MAX_LENGTH = 600
# A story points at a handful of things; more is a list, not evidence.
EVIDENCE_MAX = 20
EVIDENCE_FIELDS = ("sessions", "items", "threads")


def _clean_cycles(cycles: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(cycles) - set(CYCLES))
    if unknown:
        raise ValidationError(
            {"cycles": _("Unknown cycle: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    cleaned = {cycle: (cycles.get(cycle) or "").strip() for cycle in CYCLES}
    too_long = [cycle for cycle, text in cleaned.items() if len(text) > CYCLE_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            {
                too_long[0]: _("Keep it under %(max)d characters.") % {"max": CYCLE_MAX_LENGTH},
            }
        )
    if not any(cleaned.values()):
        raise ValidationError(
            {"cycles": _("Tell at least one part of your story: what happened, for example.")}
        )
    return cleaned


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give your story a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH}}
        )
    return title


def _clean_consent(consent: str) -> str:
    if consent not in Consent.values:
        raise ValidationError(
            {
                "consent": _("Choose who may read the story: %(choices)s.")
                % {"choices": ", ".join(Consent.values)}
            }
        )
    return consent


def _clean_evidence(community: Community, evidence: dict[str, Iterable]) -> dict[str, list]:
    """The sessions, items and threads of this community, and people who are its members."""
    cleaned: dict[str, list] = {}
    for field, objects in evidence.items():
        objects = list(dict.fromkeys(objects))
        if len(objects) > EVIDENCE_MAX:
            raise ValidationError({field: _("Choose at most %(max)d.") % {"max": EVIDENCE_MAX}})
        if field == "people":
            outsiders = non_members(community=community, people=objects)
            if outsiders:
                raise ValidationError(
                    {
                        "people": _("Only members of this community: %(names)s is not one.")
                        % {"names": ", ".join(p.display_name for p in outsiders)}
                    }
                )
        elif any(obj.community_id != community.pk for obj in objects):
            raise ValidationError({field: _("That is not part of this community.")})
        cleaned[field] = objects
    return cleaned


def _evidence_set(story: ValueStory, evidence: dict[str, list]) -> None:
    for field, objects in evidence.items():
        getattr(story, field).set(objects)


@transaction.atomic
def value_story_create(
    *,
    community: Community,
    by: User,
    title: str,
    cycles: dict[str, str],
    consent: str = Consent.COMMUNITY,
    perspective: Perspective | None = None,
    sessions: Iterable = (),
    items: Iterable = (),
    threads: Iterable = (),
    people: Iterable[User] = (),
) -> ValueStory:
    """A member tells a story. The evidence (sessions, items, threads) must belong to the same
    community and the people involved must be its members; callers pass objects they found
    through selectors that check access. Nothing is saved unless all of it is fine."""
    permissions.check_tell_story(by, community)
    story = ValueStory(
        community=community,
        author=by,
        title=_clean_title(title),
        consent=_clean_consent(consent),
        perspective=perspective,
        **_clean_cycles(cycles),
    )
    evidence = _clean_evidence(
        community, {"sessions": sessions, "items": items, "threads": threads, "people": people}
    )
    story.save()
    _evidence_set(story, evidence)
    activity_record(actor=by, verb=IlluminateVerb.STORY_TOLD, community=community, target=story)
    _prompts_answered(story, evidence)
    return story


def _prompts_answered(story: ValueStory, evidence: dict[str, list]) -> None:
    """The prompts this story answers (the teller's, about its evidence) point at it."""
    about = (
        (PromptKind.SESSION, evidence["sessions"]),
        (PromptKind.USEFUL, evidence["items"]),
        (PromptKind.ANSWER, evidence["threads"]),
    )
    for kind, objects in about:
        if objects:
            StoryPrompt.objects.filter(
                user=story.author, kind=kind, target_id__in=[o.pk for o in objects], story=None
            ).update(story=story)


@transaction.atomic
def value_story_update(
    *,
    story: ValueStory,
    by: User,
    title: str | None = None,
    cycles: dict[str, str] | None = None,
    consent: str | None = None,
    perspective: Perspective | None | Any = ...,
    sessions: Iterable | None = None,
    items: Iterable | None = None,
    threads: Iterable | None = None,
    people: Iterable[User] | None = None,
) -> ValueStory:
    """The teller changes their story. What is left out (None; `...` for the perspective)
    stays as it is; `cycles` changes the cycles it names."""
    permissions.check_edit_story(by, story)
    if title is not None:
        story.title = _clean_title(title)
    if consent is not None:
        story.consent = _clean_consent(consent)
    quoted_words = bool(story.quote) and story.tells(story.quote)
    if cycles is not None:
        # Unknown names are refused before they are merged with the story's own.
        _clean_cycles({**dict.fromkeys(CYCLES, "x"), **cycles})
        for cycle, text in _clean_cycles({**story.cycles, **cycles}).items():
            setattr(story, cycle, text)
    if quoted_words and not story.tells(story.quote):
        # The teller took back the words the facilitators quoted: the quote goes with them.
        story.quote = ""
    if perspective is not ...:
        story.perspective = perspective
    given = {"sessions": sessions, "items": items, "threads": threads, "people": people}
    evidence = _clean_evidence(
        story.community, {field: objects for field, objects in given.items() if objects is not None}
    )
    story.save()
    _evidence_set(story, evidence)
    return story


@transaction.atomic
def value_story_delete(*, story: ValueStory, by: User) -> None:
    """The teller, or a facilitator, removes a story. A practice story made of it stays."""
    permissions.check_delete_story(by, story)
    story.delete()


def _clean_quote(story: ValueStory, quote: str) -> str:
    quote = (quote or "").strip()
    if len(quote) > QUOTE_MAX_LENGTH:
        raise ValidationError(
            {"quote": _("Keep the quote under %(max)d characters.") % {"max": QUOTE_MAX_LENGTH}}
        )
    told = "\n".join([story.title, *story.cycles.values()])
    if "\n" in quote and quote not in told:
        # Text from the story may keep its lines; a line of your own is one line.
        raise ValidationError(
            {"quote": _("Copy a passage from the story, or write one short line.")}
        )
    return quote


@transaction.atomic
def value_story_feature(*, story: ValueStory, by: User, quote: str = "") -> ValueStory:
    """A facilitator puts a story forward (first in the list, and for reports and the
    spotlight, as its teller consented), with the line a report quotes."""
    permissions.check_facilitate(by, story.community)
    story.quote = _clean_quote(story, quote)
    first_time = story.featured_at is None
    if first_time:
        story.featured_at = timezone.now()
        story.featured_by = by
    story.save(update_fields=["quote", "featured_at", "featured_by", "updated_at"])
    if first_time:
        activity_record(
            actor=by,
            verb=IlluminateVerb.STORY_FEATURED,
            community=story.community,
            target=story,
            other=story.author if story.author_id != by.pk else None,
        )
    return story


@transaction.atomic
def value_story_unfeature(*, story: ValueStory, by: User) -> ValueStory:
    permissions.check_facilitate(by, story.community)
    story.featured_at = None
    story.featured_by = None
    story.quote = ""
    story.save(update_fields=["quote", "featured_at", "featured_by", "updated_at"])
    return story


def practice_story_body(story: ValueStory) -> str:
    """The story's cycles as one Markdown text, a heading for each cycle it tells."""
    return "\n\n".join(
        f"## {Cycle(cycle).label}\n\n{text}" for cycle, text in story.cycles.items() if text
    )


@transaction.atomic
def value_story_to_practice_story(*, story: ValueStory, by: User) -> KnowledgeItem:
    """A facilitator turns a story into a practice story in the library, with the teller as
    its author; once per story."""
    permissions.check_facilitate(by, story.community)
    story = ValueStory.objects.select_for_update().get(pk=story.pk)
    if story.practice_item_id is not None:
        raise ValidationError(_("This story is in the library already, as a practice story."))
    item = item_create(
        community=story.community,
        by=by,
        kind=Kind.PRACTICE_STORY,
        title=story.title,
        body=practice_story_body(story),
        authors=[story.author],
    )
    story.practice_item = item
    story.save(update_fields=["practice_item", "updated_at"])
    return item
