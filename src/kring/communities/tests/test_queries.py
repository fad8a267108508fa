"""List pages and endpoints use a fixed number of queries, however many members there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import Perspective
from kring.accounts.services import profile_update


@pytest.fixture
def viewer(make_user):
    return make_user(full_name="Vera Viewer", can_create=True)


@pytest.fixture
def community_of(make_community, make_member, viewer):
    """A community led by the viewer with `size` members who filled in their profiles."""
    perspectives = list(Perspective.objects.all()[:3])

    def make(size: int, slug: str):
        community = make_community(by=viewer, name=slug, slug=slug)
        for n in range(size - 1):
            person = make_member(community, organisation=f"Org {n % 4}").user
            profile_update(
                user=person,
                by=person,
                perspectives=perspectives[: 1 + n % 3],
                help_tags=[f"topic {n}", "care"],
                seeking_tags=[f"question {n}"],
            )
        return community

    return make


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("/communities/{slug}/members/", {}),
        (
            "/communities/{slug}/members/",
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "directory-results"},
        ),
        ("/api/v1/communities/{slug}/members", {}),
        ("/communities/{slug}/", {}),
    ],
    ids=["directory", "directory-htmx", "api-members", "community-page"],
)
def test_query_count_does_not_grow(make_client, community_of, viewer, url, extra):
    """The same number of queries for 3 members as for 30."""
    small, large = community_of(3, "small"), community_of(30, "large")
    client = make_client(viewer)
    client.get("/")  # settle the session before measuring
    few = count_queries(client, url.format(slug=small.slug), **extra)
    many = count_queries(client, url.format(slug=large.slug), **extra)
    assert few == many


@pytest.mark.parametrize("params", [{"perspective": "FIRST"}, {"tag": "care"}], ids=str)
def test_filtered_directory_lists_each_member_once_in_equal_queries(
    make_client, community_of, viewer, params
):
    """A filter that matches a person twice (help and seeking tag, several perspectives)
    still lists them once; 5 or 60 members cost the same queries."""
    if params.get("perspective"):
        params = {"perspective": Perspective.objects.first().key}
    small, large = community_of(5, "small"), community_of(60, "large")
    client = make_client(viewer)
    client.get("/")
    few = count_queries(client, f"/communities/{small.slug}/members/", data=params)
    many = count_queries(client, f"/communities/{large.slug}/members/", data=params)
    assert few == many
    html = client.get(f"/communities/{small.slug}/members/", params).content.decode()
    members = small.memberships.exclude(user=viewer).select_related("user")
    for membership in members:
        assert html.count(f'href="/people/{membership.user_id}/"') <= 1


def test_organisation_filter_lists_the_most_common(make_client, make_community, make_member):
    """The organisation filter lists at most DIRECTORY_ORGANISATIONS, most common first
    chosen, and always the one chosen."""
    from kring.communities.selectors import DIRECTORY_ORGANISATIONS, directory_facets

    community = make_community(name="Orgs")
    for n in range(DIRECTORY_ORGANISATIONS + 3):
        make_member(community, organisation=f"Org {n:02}")
    make_member(community, organisation="Org 00")
    facets = directory_facets(community=community)
    assert len(facets["organisations"]) == DIRECTORY_ORGANISATIONS
    assert "Org 00" in facets["organisations"]
    rare = f"Org {DIRECTORY_ORGANISATIONS + 2:02}"
    assert rare not in facets["organisations"]
    assert rare in directory_facets(community=community, organisation=rare)["organisations"]


def test_directory_facets_are_cached_and_follow_changes(
    make_community, make_member, django_capture_on_commit_callbacks
):
    """The filter options are read once, then come from the cache until a member joins or
    leaves or a profile changes."""
    from django.db import connection as conn

    from kring.communities.selectors import directory_facets

    community = make_community(name="Cached")
    member = make_member(community, organisation="Org A").user
    first = directory_facets(community=community)
    with CaptureQueriesContext(conn) as queries:
        assert directory_facets(community=community) == first
    assert len(queries) == 1  # only the membership fingerprint
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=member, by=member, organisation="Org B", help_tags=["buurt"])
    facets = directory_facets(community=community)
    assert "Org B" in facets["organisations"]
    assert [t["slug"] for t in facets["tags"]] == ["buurt"]
    make_member(community, organisation="Org C")
    assert "Org C" in directory_facets(community=community)["organisations"]
