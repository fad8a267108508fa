"""A person's value stories in their data export, and on erasure (as reflections: kept on
the former member, or removed with the contributions)."""

import io
import json
import zipfile

import pytest

from kring.illuminate.models import StoryPrompt, ValueStory
from kring.privacy.erasure import account_erase
from kring.privacy.export_zip import export_write

pytestmark = pytest.mark.django_db


def test_export_holds_the_stories(circle, make_story):
    """Stories told, stories naming you and prompts are in value_stories.json."""
    make_story(title="Mine", people=[circle.member])
    make_story(by=circle.member, title="About Tara", people=[circle.teller])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        export_write(zf=zf, user=circle.teller)
    with zipfile.ZipFile(buffer) as zf:
        data = json.loads(zf.read("value_stories.json"))
    assert [s["title"] for s in data["stories_you_told"]] == ["Mine"]
    assert data["stories_you_told"][0]["cycles"]["immediate"] == "We met at the session."
    assert [s["title"] for s in data["stories_that_name_you"]] == ["About Tara"]
    assert data["times_kring_asked_for_a_story"] == []


@pytest.mark.parametrize("contributions", ["keep", "remove"])
def test_erasure(circle, make_story, contributions):
    """Keep: the story stays on the former member. Remove: it goes. Either way others' stories
    stay without naming the person, and the prompts go."""
    make_story(title="Mine")
    other = make_story(by=circle.member, title="Theirs", people=[circle.teller])
    StoryPrompt.objects.create(
        user=circle.teller, community=circle.community, kind="session", target_id=1
    )
    tombstone = account_erase(user=circle.teller, contributions=contributions, by=circle.teller)
    mine = ValueStory.objects.filter(title="Mine")
    if contributions == "keep":
        assert mine.get().author == tombstone
    else:
        assert not mine.exists()
    assert list(other.people.all()) == []
    assert not StoryPrompt.objects.exists()
