"""The share form for everyone: a practice story told in four parts, the writing box and the
people picker, and nothing typed lost when the form comes back with a question."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.knowledge import services
from kring.knowledge.forms import story_body, story_parts
from kring.knowledge.models import Kind, KnowledgeItem

PARTS = {
    "story_situation": "Ouderen in de wijk waren eenzaam.",
    "story_did": "We begonnen een **koffieochtend**.",
    "story_happened": "Twaalf mensen kwamen elke week.",
    "story_learned": "Begin klein.",
}


@pytest.fixture
def wijk(make_community, make_member, make_user):
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Wijkzorg")
    member = make_member(community, full_name="Mo Member", language="en").user
    return community, member


def _toolbars(html: str) -> list[str]:
    return re.findall(r'<div class="writing-tools"[^>]*', html)


def create_url(community, kind=""):
    url = reverse("item-create", kwargs={"slug": community.slug})
    return f"{url}?kind={kind}" if kind else url


def update_url(item):
    return reverse("item-update", kwargs={"slug": item.community.slug, "pk": item.pk})


def test_a_story_link_opens_the_four_questions(wijk, make_client):
    """?kind=practice_story shows the story's four questions and its own heading."""
    community, member = wijk
    html = make_client(member).get(create_url(community, "practice_story")).content.decode()
    assert "Share a practice story" in html
    for name in PARTS:
        assert f'name="{name}"' in html
    assert 'class="show-for-story story-fields"' in html


def test_a_story_is_stored_as_one_text_with_headings(wijk, make_client):
    """The four parts become one Markdown text with a heading per part."""
    community, member = wijk
    response = make_client(member).post(
        create_url(community), {"kind": Kind.PRACTICE_STORY, "title": "Koffie", **PARTS}
    )
    item = KnowledgeItem.objects.get(title="Koffie")
    assert response.status_code == 302
    assert item.body.startswith("## The situation\n\nOuderen in de wijk waren eenzaam.")
    assert "## What we learned\n\nBegin klein." in item.body
    assert item.sections == {}


def test_editing_a_story_splits_it_into_its_parts_again(wijk, make_client):
    """The edit form fills the four questions from the stored text; saved as is, the text
    stays the same."""
    community, member = wijk
    item = services.item_create(
        community=community,
        by=member,
        kind=Kind.PRACTICE_STORY,
        title="Koffie",
        body=story_body(PARTS),
    )
    client = make_client(member)
    form = client.get(update_url(item)).context["form"]
    assert not form.story_plain
    assert {name: form[name].value() for name in PARTS} == PARTS
    client.post(
        update_url(item),
        {"kind": Kind.PRACTICE_STORY, "title": "Koffie", **PARTS, "story_learned": "Klein."},
    )
    item.refresh_from_db()
    assert story_parts(item.body) == {**PARTS, "story_learned": "Klein."}


def test_a_story_written_otherwise_is_edited_as_one_text(wijk, make_client):
    """A story not made of the four parts (e.g. imported) keeps its one text box."""
    community, member = wijk
    item = services.item_create(
        community=community,
        by=member,
        kind=Kind.PRACTICE_STORY,
        title="Oud verhaal",
        body="Een verhaal in één stuk.\n\n## Eigen kopje\n\nMeer.",
    )
    client = make_client(member)
    response = client.get(update_url(item))
    assert response.context["form"].story_plain
    assert 'name="story_situation"' not in response.content.decode()
    client.post(
        update_url(item),
        {"kind": Kind.PRACTICE_STORY, "title": "Oud verhaal", "body": item.body + " Extra."},
    )
    item.refresh_from_db()
    assert item.body.endswith("Meer. Extra.")


def test_a_toolkit_keeps_the_plain_form_with_a_writing_box(wijk, make_client):
    """Other kinds get one text, in a writing box with a plain hint instead of syntax."""
    community, member = wijk
    html = make_client(member).get(create_url(community, "toolkit")).content.decode()
    assert "data-writing-box" in html and 'role="toolbar"' in html
    # Without JavaScript the toolbar stays hidden and the textarea is all there is.
    assert 'class="writing-tools" role="toolbar"' in html
    assert all(tools.endswith(" hidden") for tools in _toolbars(html))
    assert "Markdown" not in html
    assert "data-picker" in html and "Hold Ctrl" in html
    assert "data-primary-action" in html


def test_an_error_keeps_everything_typed(wijk, make_client):
    """Sent back for a missing title, the form shows every typed value again and says the
    chosen files must be chosen again."""
    community, member = wijk
    response = make_client(member).post(
        create_url(community),
        {
            "kind": Kind.PRACTICE_STORY,
            "title": "",
            "tags": "koffie, buurt",
            "authors": [member.pk],
            "attachments": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
            **PARTS,
        },
    )
    html = response.content.decode()
    assert "Give the item a title." in html
    for text in PARTS.values():
        assert text.replace("*", "") in html.replace("*", "")
    assert "koffie, buurt" in html
    assert f'<option value="{member.pk}" selected>' in html
    assert "Please choose your attachments again." in html
    assert 'value="practice_story" selected' in html
    assert not KnowledgeItem.objects.exists()


def test_an_error_keeps_a_toolkit_text_and_address(wijk, make_client):
    """A webinar without a valid address comes back with its title, text and address."""
    community, member = wijk
    response = make_client(member).post(
        create_url(community),
        {
            "kind": Kind.WEBINAR,
            "title": "Webinar",
            "body": "Over <b>eenzaamheid</b>.",
            "url": "javascript:alert(1)",
        },
    )
    html = response.content.decode()
    assert "Enter a web address starting with http:// or https://." in html
    assert "Over &lt;b&gt;eenzaamheid&lt;/b&gt;." in html
    assert 'value="javascript:alert(1)"' in html
    assert not KnowledgeItem.objects.exists()


def test_a_prefilled_story_text_is_offered_as_one_text(wijk, make_client):
    """A link that brings a text along (e.g. a session reflection) shows that text, not four
    empty questions."""
    community, member = wijk
    url = create_url(community, "practice_story") + "&body=Uit+de+reflectie."
    response = make_client(member).get(url)
    assert response.context["form"].story_plain
    html = response.content.decode()
    assert "Uit de reflectie." in html and 'name="story_situation"' not in html


def test_switching_to_a_story_keeps_the_text_already_written(wijk, make_client):
    """Text typed in the one box before choosing "practice story" stays, before the parts."""
    community, member = wijk
    make_client(member).post(
        create_url(community),
        {
            "kind": Kind.PRACTICE_STORY,
            "title": "Wissel",
            "body": "Eerst schreef ik dit.",
            "story_learned": "Begin klein.",
        },
    )
    body = KnowledgeItem.objects.get(title="Wissel").body
    assert body.startswith("Eerst schreef ik dit.\n\n## What we learned\n\nBegin klein.")
