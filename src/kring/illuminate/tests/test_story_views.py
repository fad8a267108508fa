"""Value story pages: who gets which page, what members read, bad and hostile input."""

import pytest
from django.urls import reverse

from kring.communities.models import Visibility
from kring.illuminate.models import Consent, ValueStory
from kring.illuminate.services import value_story_feature
from kring.knowledge.models import Kind
from kring.knowledge.services import item_create

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "guest", "member", "teller", "facilitator", "admin"]
LOGIN = 302

# page name, method, expected status per role (in ROLES order).
TABLE = [
    ("value-story-list", "get", [LOGIN, 404, 200, 200, 200, 200, 200]),
    ("value-overview", "get", [LOGIN, 404, 200, 200, 200, 200, 200]),
    ("value-story-create", "get", [LOGIN, 404, 200, 200, 200, 200, 403]),
    ("value-story-detail", "get", [LOGIN, 404, 200, 200, 200, 200, 200]),
    ("value-story-update", "get", [LOGIN, 404, 403, 403, 200, 403, 403]),
    ("value-story-delete", "get", [LOGIN, 404, 403, 403, 200, 200, 200]),
    ("value-story-feature", "post", [LOGIN, 404, 403, 403, 403, 302, 302]),
    ("value-story-practice", "post", [LOGIN, 404, 403, 403, 403, 302, 302]),
]


def _url(name, story):
    kwargs = {"slug": story.community.slug}
    if name not in ("value-story-list", "value-overview", "value-story-create"):
        kwargs["pk"] = story.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "method", "expected"), TABLE)
@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.PUBLIC])
def test_permission_table(circle, make_story, make_client, name, method, expected, visibility):
    """Members read and tell; the teller edits; facilitators feature; outsiders get 404, also
    for a public community."""
    circle.community.visibility = visibility
    circle.community.save()
    story = make_story()
    for role, status in zip(ROLES, expected, strict=True):
        client = make_client(None if role == "anonymous" else getattr(circle, role))
        response = getattr(client, method)(_url(name, story))
        assert response.status_code == status, (role, name, response.status_code)


@pytest.mark.parametrize("consent", Consent.values)
def test_members_read_every_consent(circle, make_story, make_client, consent):
    """A story of any consent level is on the list and readable for every member."""
    story = make_story(title=f"Told with {consent}", consent=consent)
    client = make_client(circle.guest)
    listing = client.get(reverse("value-story-list", kwargs={"slug": circle.community.slug}))
    assert f"Told with {consent}" in listing.content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_list_featured_first_and_filters(circle, make_story, make_client):
    """Featured stories come first; the cycle filter keeps the stories that tell it."""
    old = make_story(title="Older, featured")
    make_story(title="Newer", cycles={"applied": "I did it differently."})
    value_story_feature(story=old, by=circle.facilitator)
    client = make_client(circle.member)
    url = reverse("value-story-list", kwargs={"slug": circle.community.slug})
    html = client.get(url).content.decode()
    assert html.index("Older, featured") < html.index("Newer")
    html = client.get(url, {"cycle": "applied"}).content.decode()
    assert "Newer" in html and "Older, featured" not in html


def test_create_from_a_library_item(circle, make_client):
    """Coming from an item, the form names it; sending it makes a story about that item."""
    item = item_create(
        community=circle.community, by=circle.facilitator, kind=Kind.TOOLKIT, title="Signal list"
    )
    client = make_client(circle.teller)
    url = reverse("value-story-create", kwargs={"slug": circle.community.slug})
    form = client.get(url, {"item": item.pk}).content.decode()
    assert "Signal list" in form
    response = client.post(
        url,
        {
            "title": "Shorter lists",
            "potential": "A list that fits on one page.",
            "consent": "report",
            "items": [item.pk],
            "people": [circle.member.pk],
        },
    )
    story = ValueStory.objects.get()
    assert response.status_code == 302 and response.url == story.get_absolute_url()
    assert list(story.items.all()) == [item]
    assert list(story.people.all()) == [circle.member]
    assert story.consent == "report"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Empty"}, "Tell at least one part of your story"),
        ({"title": "", "immediate": "x"}, "Give your story a title."),
        ({"title": "Who", "immediate": "x", "consent": "world"}, "Choose who may read"),
        ({"title": "Long", "immediate": "x" * 2001}, "2000"),
    ],
)
def test_create_bad_input(circle, make_client, data, message):
    """The form shows a clear message, keeps what was typed and saves nothing."""
    client = make_client(circle.teller)
    url = reverse("value-story-create", kwargs={"slug": circle.community.slug})
    response = client.post(url, {"consent": "community", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ValueStory.objects.exists()


def test_create_refuses_evidence_and_people_from_elsewhere(circle, make_client, make_community):
    """An item of another community or an outsider as person is refused; nothing saved."""
    other = make_community()
    foreign = item_create(community=other, by=other.created_by, kind=Kind.TOOLKIT, title="Far")
    client = make_client(circle.teller)
    url = reverse("value-story-create", kwargs={"slug": circle.community.slug})
    for extra in ({"items": [foreign.pk]}, {"people": [circle.outsider.pk]}):
        response = client.post(
            url, {"title": "T", "immediate": "x", "consent": "community", **extra}
        )
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    assert not ValueStory.objects.exists()


def test_hostile_html_is_escaped(circle, make_story, make_client):
    """Script in a title or cycle is shown as text."""
    story = make_story(
        title="<script>alert(1)</script>", cycles={"applied": "<img src=x onerror=alert(2)>"}
    )
    client = make_client(circle.member)
    for url in (
        story.get_absolute_url(),
        reverse("value-story-list", kwargs={"slug": circle.community.slug}),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)" in html


def test_feature_bad_quote_shows_message(circle, make_story, make_client):
    """A quote that is too long is refused next to the field; the story is not featured."""
    story = make_story()
    client = make_client(circle.facilitator)
    url = reverse("value-story-feature", kwargs={"slug": circle.community.slug, "pk": story.pk})
    response = client.post(url, {"quote": "x" * 700})
    assert response.status_code == 400
    assert "600" in response.content.decode()
    story.refresh_from_db()
    assert not story.is_featured


def test_delete_confirms_then_deletes(circle, make_story, make_client):
    """Deleting asks first; the POST deletes and goes back to the list."""
    story = make_story()
    client = make_client(circle.teller)
    url = reverse("value-story-delete", kwargs={"slug": circle.community.slug, "pk": story.pk})
    assert "Yes, delete it" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not ValueStory.objects.exists()


def test_overview_bad_period(circle, make_client):
    """A period that ends before it starts, or of over five years, gets a clear message."""
    client = make_client(circle.member)
    url = reverse("value-overview", kwargs={"slug": circle.community.slug})
    response = client.get(url, {"from": "2026-05-01", "to": "2026-04-01"})
    assert response.status_code == 400
    assert "comes before its start" in response.content.decode()
    response = client.get(url, {"from": "2016-01-01", "to": "2026-01-01"})
    assert "at most five years" in response.content.decode()


@pytest.mark.parametrize("name", ["value-story-list", "value-overview"])
def test_query_count_does_not_grow(
    circle, make_story, make_client, name, django_assert_max_num_queries
):
    """The list and the overview cost the same for 3 stories as for 25."""
    client = make_client(circle.member)
    url = reverse(name, kwargs={"slug": circle.community.slug})
    for n in range(3):
        make_story(title=f"Story {n}")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(22):
        make_story(title=f"More {n}")
    with django_assert_max_num_queries(len(few)):
        client.get(url)
