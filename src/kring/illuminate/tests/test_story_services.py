"""Value story services: who may change what, and bad input that saves nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kring.core.models import ActivityEvent
from kring.illuminate import services
from kring.illuminate.models import Consent, ValueStory
from kring.knowledge.models import Kind, KnowledgeItem
from kring.knowledge.services import item_create

pytestmark = pytest.mark.django_db


def test_create_records_an_event(circle, make_story):
    """Telling a story records a story_told event by the teller."""
    story = make_story(consent=Consent.REPORT)
    assert story.consent == "report"
    assert ActivityEvent.objects.filter(verb="story_told", actor=circle.teller).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cycles": {"immediate": " ", "applied": ""}}, "Tell at least one part"),
        ({"cycles": {"wishful": "more"}}, "Unknown cycle: wishful"),
        ({"consent": "everyone"}, "Choose who may read the story"),
        ({"title": "  "}, "Give your story a title"),
        ({"title": "x" * 161}, "Keep the title under 160"),
        ({"cycles": {"applied": "x" * 2001}}, "Keep it under 2000"),
    ],
)
def test_bad_input_saves_nothing(circle, make_story, fields, message):
    """Empty, unknown, oversized: a clear message and no story."""
    with pytest.raises(ValidationError) as exc:
        make_story(**fields)
    assert message in str(exc.value)
    assert not ValueStory.objects.exists()
    assert not ActivityEvent.objects.filter(verb="story_told").exists()


def test_evidence_from_another_community_is_refused(circle, make_story, make_community):
    """An item of another community is no evidence here; nothing is saved."""
    other = make_community()
    item = item_create(community=other, by=other.created_by, kind=Kind.TOOLKIT, title="Elsewhere")
    with pytest.raises(ValidationError) as exc:
        make_story(items=[item])
    assert "not part of this community" in str(exc.value)
    assert not ValueStory.objects.exists()


def test_people_must_be_members(circle, make_story):
    """Someone outside the community cannot be named as involved."""
    with pytest.raises(ValidationError) as exc:
        make_story(people=[circle.outsider])
    assert "Otto Outsider" in str(exc.value)
    assert not ValueStory.objects.exists()


def test_outsider_cannot_tell(circle, make_story):
    """Only members tell a community's stories."""
    with pytest.raises(PermissionDenied):
        make_story(by=circle.outsider)


def test_update_by_teller_only(circle, make_story):
    """The teller changes their story; a facilitator may not."""
    story = make_story()
    services.value_story_update(
        story=story, by=circle.teller, title="Better title", cycles={"applied": "I tried it."}
    )
    story.refresh_from_db()
    assert story.title == "Better title"
    assert story.applied == "I tried it."
    assert story.immediate == "We met at the session."
    with pytest.raises(PermissionDenied):
        services.value_story_update(story=story, by=circle.facilitator, title="Mine")


def test_update_bad_input_changes_nothing(circle, make_story):
    """Emptying every cycle or an unknown consent leaves the story as it was."""
    story = make_story()
    empty = dict.fromkeys(["immediate", "potential"], "")
    for values in ({"cycles": empty}, {"consent": "world"}, {"cycles": {"nope": "x"}}):
        with pytest.raises(ValidationError):
            services.value_story_update(story=story, by=circle.teller, **values)
    story.refresh_from_db()
    assert story.immediate == "We met at the session."
    assert story.consent == Consent.COMMUNITY


@pytest.mark.parametrize("who", ["teller", "facilitator", "admin"])
def test_delete_by_teller_or_facilitator(circle, make_story, who):
    """The teller or a facilitator (or platform admin) deletes a story."""
    story = make_story()
    services.value_story_delete(story=story, by=getattr(circle, who))
    assert not ValueStory.objects.exists()


@pytest.mark.parametrize("who", ["member", "guest", "outsider"])
def test_delete_refused_to_others(circle, make_story, who):
    """Another member may not delete someone's story."""
    story = make_story()
    with pytest.raises(PermissionDenied):
        services.value_story_delete(story=story, by=getattr(circle, who))
    assert ValueStory.objects.exists()


def test_feature_with_quote(circle, make_story):
    """A facilitator features a story with a passage from it; once recorded as an event."""
    story = make_story()
    services.value_story_feature(story=story, by=circle.facilitator, quote="A contact.")
    services.value_story_feature(story=story, by=circle.facilitator, quote="A short line")
    story.refresh_from_db()
    assert story.is_featured and story.quote == "A short line"
    event = ActivityEvent.objects.get(verb="story_featured")
    assert event.other == circle.teller
    services.value_story_unfeature(story=story, by=circle.facilitator)
    story.refresh_from_db()
    assert not story.is_featured and story.quote == ""


def test_feature_refused_to_members_and_bad_quotes(circle, make_story):
    """Members cannot feature; a quote too long, or several lines not from the story, is
    refused and nothing changes."""
    story = make_story()
    with pytest.raises(PermissionDenied):
        services.value_story_feature(story=story, by=circle.teller)
    for quote in ("x" * 601, "two\nlines of my own"):
        with pytest.raises(ValidationError):
            services.value_story_feature(story=story, by=circle.facilitator, quote=quote)
    story.refresh_from_db()
    assert not story.is_featured


def test_practice_story_once(circle, make_story):
    """A facilitator turns a story into a practice story by the teller, once."""
    story = make_story()
    item = services.value_story_to_practice_story(story=story, by=circle.facilitator)
    assert item.kind == Kind.PRACTICE_STORY
    assert [a.user for a in item.item_authors.all()] == [circle.teller]
    assert "We met at the session." in item.body
    story.refresh_from_db()
    assert story.practice_item == item
    with pytest.raises(ValidationError) as exc:
        services.value_story_to_practice_story(story=story, by=circle.facilitator)
    assert "already" in str(exc.value)
    assert KnowledgeItem.objects.filter(kind=Kind.PRACTICE_STORY).count() == 1
    with pytest.raises(PermissionDenied):
        services.value_story_to_practice_story(story=story, by=circle.teller)
