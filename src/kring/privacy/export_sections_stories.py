"""The data export's section about value stories: the stories you told, the stories of
others that name you as involved, and when Kring asked you for a story."""

from collections.abc import Iterator

from kring.accounts.models import User
from kring.illuminate.models import StoryPrompt, ValueStory
from kring.privacy.export_rows import CHUNK, community_ref, iso


def stories_told(user: User) -> Iterator[dict]:
    rows = (
        ValueStory.objects.filter(author=user)
        .select_related("community", "perspective")
        .prefetch_related("sessions", "items", "threads", "people")
        .order_by("created_at", "id")
    )
    for story in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": story.pk,
            "community": community_ref(story.community),
            "title": story.title,
            "cycles": story.cycles,
            "consent": story.consent,
            "perspective": story.perspective.key if story.perspective else None,
            "sessions": sorted(s.pk for s in story.sessions.all()),
            "library_items": sorted(i.pk for i in story.items.all()),
            "threads": sorted(t.pk for t in story.threads.all()),
            "people_involved": sorted(p.pk for p in story.people.all()),
            "featured_at": iso(story.featured_at),
            "quote": story.quote,
            "created_at": iso(story.created_at),
            "updated_at": iso(story.updated_at),
        }


def stories_naming_you(user: User) -> Iterator[dict]:
    """Others' stories name you; their text is theirs, so only which story it is."""
    rows = (
        ValueStory.objects.filter(people=user)
        .exclude(author=user)
        .select_related("community")
        .order_by("created_at", "id")
    )
    for story in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": story.pk,
            "community": community_ref(story.community),
            "title": story.title,
            "created_at": iso(story.created_at),
        }


def story_prompts(user: User) -> Iterator[dict]:
    rows = StoryPrompt.objects.filter(user=user).order_by("sent_at", "id")
    for prompt in rows.iterator(chunk_size=CHUNK):
        yield {
            "kind": prompt.kind,
            "about_id": prompt.target_id,
            "community_id": prompt.community_id,
            "sent_at": iso(prompt.sent_at),
            "story_id": prompt.story_id,
        }
