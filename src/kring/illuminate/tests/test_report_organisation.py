"""The back-home version of the report per organisation: who may see which, and what it
holds."""

import pytest

from kring.illuminate.tests.report_history import SECRET, assert_queries_flat, build

pytestmark = pytest.mark.django_db

QUERY = "from=2026-03-01&to=2026-05-31"


@pytest.fixture
def history(make_community, make_user):
    return build(make_community, make_user)


def _get(client, community, org=""):
    url = f"/communities/{community.slug}/report/organisations/?{QUERY}"
    return client.get(url + (f"&org={org}" if org else ""))


@pytest.mark.parametrize(
    ("who", "org", "status"),
    [
        ("fenna", "Zorg BV", 200),
        ("fenna", "", 200),
        ("ada", "", 200),
        ("ada", "GEMEENTE UTRECHT", 200),
        ("ada", "Zorg BV", 403),
        ("dirk", "", 403),
        ("outsider", "Zorg BV", 404),
    ],
)
def test_who_sees_which_organisation(history, make_user, make_client, who, org, status):
    """Facilitators see every organisation's version; a member only their own (403 for
    another, or without one); people outside the community 404."""
    community, people = history
    user = people.get(who) or make_user()
    assert _get(make_client(user), community, org).status_code == status


def test_the_back_home_version_holds_its_people_only(history, make_client):
    """Gemeente Utrecht's version: ada and bo's sessions, the action points ada owns, bo's
    story for reports, and never ada's story only for the community; no names."""
    community, people = history
    response = _get(make_client(people["ada"]), community)
    html = response.content.decode()
    back_home = response.context["back_home"]
    assert back_home["people"] == 2
    assert (back_home["attendances"], back_home["sessions_attended"]) == (3, 2)
    assert (back_home["action_points_done"], back_home["action_points_open"]) == (1, 1)
    assert back_home["value_stories"] == 1
    assert "Bewoners weten de wijkagent nu te vinden." in html
    assert SECRET not in html
    card = html.split('<div class="card report">', 1)[1]
    for person in people.values():
        assert person.full_name not in card


def test_queries_do_not_grow_with_the_data(
    make_community, make_user, make_member, make_client, django_assert_max_num_queries
):
    """The back-home page's queries are the same for 2 and 12 people of the organisation."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    client = make_client(facilitator)
    url = f"/communities/{community.slug}/report/organisations/?org=Zorg"

    def add(n):
        for _ in range(n):
            make_member(community, organisation="Zorg")

    assert_queries_flat(client, url, add, django_assert_max_num_queries)
