"""The spotlight: a community's public page, shown to outsiders at its own address once its
facilitators publish it; only what members made public appears on it."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from kring.communities.models import Community, Visibility
from kring.communities.tests.access import LOGIN, ROLES, assert_outcome, table
from kring.communities.tests.conftest import cast  # noqa: F401 (a fixture)
from kring.conversations.services import threads as thread_services
from kring.core.testing import assert_error
from kring.illuminate.models import Consent
from kring.illuminate.services import value_story_create
from kring.knowledge import services as knowledge_services
from kring.meetings import services as meeting_services

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SPOTLIGHT = "illuminate/spotlight.html"


@pytest.fixture
def clients(cast, make_client):  # noqa: F811
    """A logged-in client per role of the access table (None: anonymous)."""

    def as_(who):
        person = cast[who]
        return make_client(person) if person is not None else make_client()

    return as_


def _story(community, by, title, consent, **cycles):
    return value_story_create(
        community=community,
        by=by,
        title=title,
        cycles=cycles or {"realised": f"{title}: it made a difference."},
        consent=consent,
    )


def _session(community, by, title, *, days, is_open):
    start = timezone.now() + timedelta(days=days)
    return meeting_services.session_create(
        community=community,
        by=by,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Buurthuis",
        is_open=is_open,
    )


def _publish(cast):  # noqa: F811
    cast.make_public()
    cast.community.refresh_from_db()


def _uses_spotlight(response) -> bool:
    return SPOTLIGHT in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=200,
        outsider=200,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=200,
        admin=200,
    ),
)
def test_published_community_shows_outsiders_the_spotlight(cast, clients, who, expected):  # noqa: F811
    """Once published, outsiders get the spotlight at the community's address; members get
    the community's inside as before."""
    _publish(cast)
    response = clients(who).get(cast.community.get_absolute_url())
    assert response.status_code == expected
    outsider = who in {"anonymous", "outsider", "other_facilitator"}
    assert _uses_spotlight(response) is outsider


@pytest.mark.parametrize("who", [w for w in ROLES if w not in {"facilitator", "admin"}])
def test_unpublished_spotlight_preview_is_refused(cast, clients, who):  # noqa: F811
    """Before publishing, only the facilitators and platform admins can open the preview."""
    response = clients(who).get(f"/communities/{cast.community.slug}/spotlight/")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["facilitator", "admin"])
def test_facilitators_preview_an_unpublished_spotlight(cast, clients, who):  # noqa: F811
    """The preview is marked noindex and offers to publish it."""
    response = clients(who).get(f"/communities/{cast.community.slug}/spotlight/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert b"Publish the spotlight" in response.content


def test_an_unpublished_community_shows_outsiders_nothing(cast, make_client):  # noqa: F811
    """A private community's address, its spotlight, feed and stories are 404 for outsiders."""
    story = _story(cast.community, cast["member"], "Verborgen", Consent.PUBLIC)
    base = f"/communities/{cast.community.slug}"
    for client in (make_client(), make_client(cast["outsider"])):
        for path in (
            f"{base}/",
            f"{base}/spotlight/",
            f"{base}/spotlight/feed/",
            f"{base}/spotlight/stories/{story.pk}/",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert b"Verborgen" not in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=302,
        other_facilitator=404,
        admin=302,
    ),
)
def test_who_may_publish(cast, clients, who, expected):  # noqa: F811
    """Only the facilitators (and platform admins) switch the spotlight on."""
    response = clients(who).post(
        f"/communities/{cast.community.slug}/spotlight/publish/", {"publish": "1"}
    )
    assert_outcome(response, expected)
    published = Community.objects.get(pk=cast.community.pk).spotlight_published
    assert published is (expected == 302)


def test_taking_the_spotlight_down_hides_it_at_once(cast, make_client):  # noqa: F811
    """After unpublishing, the next visitor gets 404; publishing again brings it back."""
    facilitator = make_client(cast["facilitator"])
    visitor = make_client()
    path = cast.community.get_absolute_url()
    publish = f"/communities/{cast.community.slug}/spotlight/publish/"
    facilitator.post(publish, {"publish": "1"})
    assert visitor.get(path).status_code == 200
    facilitator.post(publish, {"publish": "0"})
    assert visitor.get(path).status_code == 404
    assert visitor.get(f"/communities/{cast.community.slug}/spotlight/feed/").status_code == 404


def test_private_content_never_appears_on_the_spotlight(cast, make_client):  # noqa: F811
    """A visitor sees the public story, the open session and the facilitators, never a thread,
    a library item, a member's name or a story kept for the community or for reports."""
    community, member = cast.community, cast["member"]
    _publish(cast)
    thread_services.thread_create(
        community=community, by=member, kind="question", title="Geheime vraag over Jansen"
    )
    knowledge_services.item_create(
        community=community, by=member, kind="toolkit", title="Interne toolkit"
    )
    _story(community, member, "Alleen voor ons", Consent.COMMUNITY)
    kept = _story(community, member, "Voor het verslag", Consent.REPORT)
    public = _story(community, member, "Wat de kring ons bracht", Consent.PUBLIC)
    _session(community, cast["facilitator"], "Open avond", days=10, is_open=True)
    _session(community, cast["facilitator"], "Besloten overleg", days=12, is_open=False)
    _session(community, cast["facilitator"], "Open avond vorig jaar", days=-300, is_open=True)

    html = make_client().get(community.get_absolute_url()).content.decode()
    for hidden in (
        "Geheime vraag",
        "Interne toolkit",
        "Alleen voor ons",
        "Voor het verslag",
        "Besloten overleg",
        "Open avond vorig jaar",
        member.full_name,
        cast["outsider"].full_name,
        cast.target.full_name,
    ):
        assert hidden not in html, hidden
    for shown in ("Wat de kring ons bracht", "Open avond", cast["facilitator"].full_name):
        assert shown in html, shown
    # The teller is named by first name only, with no link to the profile.
    assert f"/people/{member.pk}/" not in html
    visitor = make_client()
    base = f"/communities/{community.slug}/spotlight/stories"
    assert visitor.get(f"{base}/{public.pk}/").status_code == 200
    assert visitor.get(f"{base}/{kept.pk}/").status_code == 404


def test_numbers_count_without_naming(cast, make_client):  # noqa: F811
    """The numbers: members, sessions held, public stories shared and action points done; a
    cancelled or future session is not "held", a story kept for the community or for reports
    is not counted."""
    community, facilitator = cast.community, cast["facilitator"]
    _publish(cast)
    _session(community, facilitator, "Gehouden", days=-20, is_open=False)
    cancelled = _session(community, facilitator, "Afgezegd", days=-10, is_open=False)
    meeting_services.session_cancel(
        session=cancelled, by=facilitator, reason="Ziek", at=cancelled.starts_at - timedelta(days=1)
    )
    _session(community, facilitator, "Straks", days=20, is_open=False)
    _story(community, cast["member"], "Een", Consent.COMMUNITY)
    _story(community, cast["member"], "Twee", Consent.REPORT)
    _story(community, cast["member"], "Drie", Consent.PUBLIC)
    numbers = make_client().get(community.get_absolute_url()).context["numbers"]
    assert numbers.sessions_held == 1
    assert numbers.stories_shared == 1
    assert numbers.members == community.memberships.count()


def test_published_page_is_indexable_and_has_open_graph_tags(cast, make_client):  # noqa: F811
    """No noindex once published; Open Graph tags name the community and its address."""
    _publish(cast)
    response = make_client().get(cast.community.get_absolute_url())
    html = response.content.decode()
    assert "noindex" not in html and "X-Robots-Tag" not in response
    assert f'<meta property="og:title" content="{cast.community.name}">' in html
    assert f'content="http://testserver/communities/{cast.community.slug}/"' in html
    assert 'type="application/atom+xml"' in html


def test_the_atom_feed_holds_only_public_stories(cast, make_client):  # noqa: F811
    """The feed is valid Atom with one entry per public story, newest first."""
    community, member = cast.community, cast["member"]
    _publish(cast)
    _story(community, member, "Niet in de feed", Consent.REPORT)
    _story(community, member, "Eerste verhaal", Consent.PUBLIC)
    _story(community, member, "Tweede verhaal", Consent.PUBLIC)
    response = make_client().get(f"/communities/{community.slug}/spotlight/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Tweede verhaal", "Eerste verhaal"]


def test_hostile_story_text_is_escaped_on_the_spotlight(cast, make_client):  # noqa: F811
    """A story's text is shown as text, never as markup."""
    _publish(cast)
    _story(
        cast.community,
        cast["member"],
        "<script>alert(1)</script>",
        Consent.PUBLIC,
        realised="<img src=x onerror=alert(2)>",
    )
    html = make_client().get(cast.community.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_spotlight_queries_do_not_grow_with_content(
    cast,  # noqa: F811
    make_client,
    django_assert_max_num_queries,
):
    """The page reads a fixed number of stories and sessions, whatever the community holds."""
    community, facilitator = cast.community, cast["facilitator"]
    _publish(cast)
    client = make_client()

    def add(n):
        for i in range(n):
            _story(community, cast["member"], f"Verhaal {i}", Consent.PUBLIC)
            _session(community, facilitator, f"Open {i}", days=5 + i, is_open=True)

    add(2)
    client.get(community.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(community.get_absolute_url())
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(community.get_absolute_url())


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("outsider", 404),
        ("member", 403),
        ("guest", 403),
        ("other_facilitator", 404),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_api_publishes_the_spotlight(cast, make_client, bearer, who, status):  # noqa: F811
    """PATCH {"spotlight_published": true}: facilitators and platform admins only."""
    person = cast[who]
    headers = bearer(person) if person is not None else {}
    response = make_client().patch(
        f"/api/v1/communities/{cast.community.slug}",
        json.dumps({"spotlight_published": True}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status
    community = Community.objects.get(pk=cast.community.pk)
    assert community.spotlight_published is (status == 200)
    if status == 200:
        assert response.json()["spotlight_published"] is True
        assert response.json()["visibility"] == Visibility.PUBLIC


def test_api_takes_the_spotlight_down(cast, make_client, bearer):  # noqa: F811
    """false unpublishes at once; visitors get 404 on the next request."""
    _publish(cast)
    response = make_client().patch(
        f"/api/v1/communities/{cast.community.slug}",
        json.dumps({"spotlight_published": False}),
        content_type="application/json",
        **bearer(cast["facilitator"]),
    )
    assert response.json()["spotlight_published"] is False
    assert make_client().get(cast.community.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"spotlight_published": True, "visibility": "private"},
        {"spotlight_published": "misschien"},
        {"visibility": "everyone"},
        {"name": " "},
    ],
)
def test_api_patch_bad_input_changes_nothing(cast, make_client, bearer, body):  # noqa: F811
    """Contradictory or invalid input is 422 and the community stays as it was."""
    response = make_client().patch(
        f"/api/v1/communities/{cast.community.slug}",
        json.dumps(body),
        content_type="application/json",
        **bearer(cast["facilitator"]),
    )
    assert_error(response, 422, "invalid")
    community = Community.objects.get(pk=cast.community.pk)
    assert community.visibility == Visibility.PRIVATE and community.name == "Zorg thuis"


def test_a_quote_shows_on_the_spotlight_only_in_the_tellers_words(cast, make_client):  # noqa: F811
    """A facilitator's own line is for reports; the spotlight shows the teller's words, and
    when the teller takes back the quoted words, the quote goes too."""
    from kring.illuminate.services import value_story_feature, value_story_update

    _publish(cast)
    member, facilitator = cast["member"], cast["facilitator"]
    story = _story(
        cast.community,
        member,
        "Samen sterker",
        Consent.PUBLIC,
        realised="We bellen elkaar nu eerder. Dat scheelt veel zorgen.",
    )
    value_story_feature(story=story, by=facilitator, quote="Een prachtig resultaat voor de wijk")
    html = make_client().get(cast.community.get_absolute_url()).content.decode()
    assert "Een prachtig resultaat" not in html and "We bellen elkaar nu eerder" in html

    value_story_feature(story=story, by=facilitator, quote="Dat scheelt veel zorgen.")
    html = make_client().get(cast.community.get_absolute_url()).content.decode()
    assert "Dat scheelt veel zorgen." in html
    value_story_update(story=story, by=member, cycles={"realised": "We bellen elkaar eerder."})
    story.refresh_from_db()
    assert story.quote == ""
    html = make_client().get(cast.community.get_absolute_url()).content.decode()
    assert "scheelt" not in html
