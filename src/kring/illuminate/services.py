"""Writes for value stories: one function per change, each checking who may make it."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import Perspective, User
from kring.communities.models import Community
from kring.core.services import activity_record
from kring.illuminate import permissions
from kring.illuminate.models import CYCLE_MAX_LENGTH, CYCLES, Consent, ValueStory
from kring.illuminate.verbs import IlluminateVerb

TITLE_MAX_LENGTH = 160


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
    """A member tells a story. The evidence (sessions, items, threads, people) must belong to
    the same community; callers pass objects they found through selectors that check access."""
    permissions.check_tell_story(by, community)
    story = ValueStory(
        community=community,
        author=by,
        title=_clean_title(title),
        consent=_clean_consent(consent),
        perspective=perspective,
        **_clean_cycles(cycles),
    )
    story.save()
    for field, objects in (("sessions", sessions), ("items", items), ("threads", threads)):
        objects = list(objects)
        if any(obj.community_id != community.pk for obj in objects):
            raise ValidationError({field: _("That is not part of this community.")})
        getattr(story, field).set(objects)
    story.people.set(list(people))
    activity_record(actor=by, verb=IlluminateVerb.STORY_TOLD, community=community, target=story)
    return story
