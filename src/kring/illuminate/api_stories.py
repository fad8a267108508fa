"""Value stories under /communities/{slug}/value-stories.

Members (and platform admins) read every story of their community; anyone else gets 404.
Members tell stories; the teller changes their own; the teller or a facilitator deletes.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from kring.core.api_kit import LazyPage, page_url, person_ref
from kring.core.api_types import PageNumberPagination
from kring.illuminate import permissions, selectors, services
from kring.illuminate.models import CYCLES, ValueStory
from kring.illuminate.schemas_stories import ValueStoryIn, ValueStoryOut, ValueStoryPatch

router = Router(tags=["value stories"])

STORIES_PER_PAGE = 20
EVIDENCE = ("sessions", "items", "threads", "people")


def _story_out(story: ValueStory) -> dict:
    perspective = story.perspective
    return {
        "id": story.pk,
        "title": story.title,
        "cycles": story.cycles,
        "consent": story.consent,
        "perspective": (
            {"key": perspective.key, "name": perspective.name} if perspective else None
        ),
        "author": person_ref(story.author),
        "featured": story.is_featured,
        "featured_at": story.featured_at,
        "quote": story.quote,
        "sessions": sorted(s.pk for s in story.sessions.all()),
        "items": sorted(i.pk for i in story.items.all()),
        "threads": sorted(t.pk for t in story.threads.all()),
        "people": [person_ref(p) for p in sorted(story.people.all(), key=lambda p: p.pk)],
        "practice_item_id": story.practice_item_id,
        "created_at": story.created_at,
        "updated_at": story.updated_at,
        "page_url": page_url(story),
    }


def _with_evidence(stories):
    return stories.prefetch_related(*EVIDENCE)


def _story(request, slug: str, story_id: int) -> ValueStory:
    community = selectors.community_for_stories(slug=slug, user=request.user)
    return selectors.story_get(community=community, pk=story_id, viewer=request.user)


def _fresh(request, story: ValueStory) -> dict:
    stories = _with_evidence(ValueStory.objects.filter(pk=story.pk)).select_related(
        "author", "perspective", "community"
    )
    return _story_out(stories.get())


def _values(request, community, payload: dict) -> dict:
    """The payload as the services take it: evidence and the perspective looked up."""
    values = dict(payload)
    evidence = {name: values.pop(name) for name in EVIDENCE if values.get(name) is not None}
    values.update(selectors.evidence_from_ids(community=community, viewer=request.user, **evidence))
    if "perspective" in values:
        key = values.pop("perspective")
        values["perspective"] = selectors.perspective_from_key(key=key)
    return values


@router.get("/{slug}/value-stories", response=list[ValueStoryOut], summary="Value stories")
@paginate(PageNumberPagination, page_size=STORIES_PER_PAGE)
def story_list(request, slug: str, cycle: str = "", perspective: str = "", **kwargs):
    """Featured first, then the newest. `cycle` keeps the stories that tell that cycle,
    `perspective` (a key) those told from it."""
    if cycle and cycle not in CYCLES:
        raise ValidationError(
            {"cycle": [_("Choose a cycle: %(cycles)s.") % {"cycles": ", ".join(CYCLES)}]}
        )
    community = selectors.community_for_stories(slug=slug, user=request.user)
    stories = selectors.stories_for_community(
        community=community, viewer=request.user, cycle=cycle, perspective=perspective[:40]
    )
    return LazyPage(_with_evidence(stories), row=_story_out)


@router.post("/{slug}/value-stories", response={201: ValueStoryOut}, summary="Tell a value story")
def story_create(request, slug: str, payload: ValueStoryIn):
    community = selectors.community_for_stories(slug=slug, user=request.user)
    permissions.check_tell_story(request.user, community)
    values = _values(request, community, payload.dict())
    if values.get("perspective") is None and payload.perspective is None:
        values["perspective"] = selectors.teller_perspective(user=request.user)
    story = services.value_story_create(community=community, by=request.user, **values)
    return Status(201, _fresh(request, story))


@router.get("/{slug}/value-stories/{story_id}", response=ValueStoryOut, summary="One value story")
def story_detail(request, slug: str, story_id: int):
    return _fresh(request, _story(request, slug, story_id))


@router.patch(
    "/{slug}/value-stories/{story_id}", response=ValueStoryOut, summary="Change your story"
)
def story_change(request, slug: str, story_id: int, payload: ValueStoryPatch):
    """Only the teller; only the fields sent change."""
    story = _story(request, slug, story_id)
    permissions.check_edit_story(request.user, story)
    sent = payload.dict(exclude_unset=True)
    nulls = sorted(k for k, v in sent.items() if v is None and k != "perspective")
    if nulls:
        raise ValidationError(
            {name: [_("Leave it out instead of sending null.")] for name in nulls}
        )
    values = _values(request, story.community, sent)
    story = services.value_story_update(story=story, by=request.user, **values)
    return _fresh(request, story)


@router.delete("/{slug}/value-stories/{story_id}", response={204: None}, summary="Delete a story")
def story_delete(request, slug: str, story_id: int):
    """The teller or a facilitator."""
    story = _story(request, slug, story_id)
    services.value_story_delete(story=story, by=request.user)
    return Status(204, None)
