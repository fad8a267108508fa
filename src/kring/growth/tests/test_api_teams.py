"""The teams API (read-only): who reads the teams, their members and tasks; the team's
discussion only for the team and the facilitators, as on the web page; query counts that do
not grow with the teams."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.communities.models import Role
from kring.communities.services import membership_remove
from kring.growth import services_teams

pytestmark = pytest.mark.django_db

SECRET = "Secret plan for the newsletter"


@pytest.fixture
def crew(make_community, make_user, make_member, make_admin):
    """A private community with a team (a lead and a member) and people in every role
    around it: a member, a core member and a guest outside the team, an outsider, another
    community's facilitator and a platform admin."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis")
    lead = make_member(community, full_name="Lotte Lead").user
    teammate = make_member(community, full_name="Tim Teammate").user
    team = services_teams.team_create(
        community=community,
        by=facilitator,
        name="Communication team",
        purpose="Tell the world what we learn",
        members=[teammate, lead],
        lead=lead,
    )
    services_teams.team_post_add(team=team, by=teammate, text=SECRET)
    services_teams.team_task_add(
        team=team,
        by=lead,
        what="Write the newsletter",
        owner=teammate,
        due_date=timezone.localdate() + timedelta(days=7),
    )
    done = services_teams.team_task_add(team=team, by=lead, what="Make a logo")
    services_teams.team_task_done(task=done, by=lead)
    other = make_community(name="Elsewhere")
    people = {
        "anonymous": None,
        "outsider": make_user(full_name="Otto Outsider"),
        "other facilitator": other.created_by,
        "guest": make_member(community, role=Role.GUEST, full_name="Gus Guest").user,
        "member": make_member(community, full_name="Mia Member").user,
        "core": make_member(community, role=Role.CORE, full_name="Cor Core").user,
        "team member": teammate,
        "lead": lead,
        "facilitator": facilitator,
        "platform admin": make_admin(full_name="Petra Platform"),
    }
    return community, team, people


def url(community, rest: str = "") -> str:
    return f"/api/v1/communities/{community.slug}/teams{rest}"


def headers_for(bearer, people, who) -> dict:
    return {} if people[who] is None else bearer(people[who])


# role -> (list, team, tasks, discussion)
TABLE = {
    "anonymous": (401, 401, 401, 401),
    "outsider": (404, 404, 404, 404),
    "other facilitator": (404, 404, 404, 404),
    "guest": (200, 200, 200, 404),
    "member": (200, 200, 200, 404),
    "core": (200, 200, 200, 404),
    "team member": (200, 200, 200, 200),
    "lead": (200, 200, 200, 200),
    "facilitator": (200, 200, 200, 200),
    "platform admin": (200, 200, 200, 200),
}


@pytest.mark.parametrize("who", TABLE)
def test_who_reads_what(crew, client, bearer, who):
    """Everyone inside sees the teams, their members and tasks; the discussion is the team's
    and the facilitators' (anyone else 404, as on its page); outsiders do not learn of it."""
    community, team, people = crew
    headers = headers_for(bearer, people, who)
    responses = (
        client.get(url(community), **headers),
        client.get(url(community, f"/{team.pk}"), **headers),
        client.get(url(community, f"/{team.pk}/tasks"), **headers),
        client.get(url(community, f"/{team.pk}/posts"), **headers),
    )
    assert tuple(r.status_code for r in responses) == TABLE[who]
    readable = TABLE[who][3] == 200
    for response in responses[:3]:
        assert SECRET not in response.content.decode()
    if TABLE[who][1] == 200:
        assert responses[1].json()["can_read_discussion"] is readable
    if readable:
        assert [p["text"] for p in responses[3].json()["items"]] == [SECRET]


def test_a_team_of_another_community_is_not_found(crew, client, bearer, make_community):
    """A facilitator of two communities names the other's team: 404."""
    community, team, people = crew
    elsewhere = make_community(by=people["facilitator"], name="Elders")
    headers = bearer(people["facilitator"])
    for rest in ("", "/tasks", "/posts"):
        assert client.get(url(elsewhere, f"/{team.pk}{rest}"), **headers).status_code == 404


def test_what_the_list_and_a_team_say(crew, client, bearer):
    """Name, purpose, members with the lead first, the open tasks; all tasks page apart."""
    community, team, people = crew
    headers = bearer(people["member"])
    listed = client.get(url(community), **headers).json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert row["name"] == "Communication team"
    assert row["purpose"] == "Tell the world what we learn"
    assert row["members"] == [
        {"id": people["lead"].pk, "name": "Lotte Lead", "lead": True},
        {"id": people["team member"].pk, "name": "Tim Teammate", "lead": False},
    ]
    assert row["open_tasks"] == 1
    assert row["url"].endswith(f"/communities/{community.slug}/teams/{team.pk}/")
    detail = client.get(url(community, f"/{team.pk}"), **headers).json()
    assert {k: detail[k] for k in row} == row
    assert [t["what"] for t in detail["tasks"]] == ["Write the newsletter"]
    task = detail["tasks"][0]
    assert task["owner"] == {"id": people["team member"].pk, "name": "Tim Teammate"}
    assert task["done"] is False and task["due_date"]
    tasks = client.get(url(community, f"/{team.pk}/tasks"), **headers).json()
    assert tasks["count"] == 2
    assert [(t["what"], t["done"]) for t in tasks["items"]] == [
        ("Write the newsletter", False),
        ("Make a logo", True),
    ]


def test_someone_who_left_the_community_leaves_the_team_and_its_discussion(crew, client, bearer):
    """A team member who left the community is no longer listed, nor reads the talk."""
    community, team, people = crew
    membership_remove(
        membership=community.memberships.get(user=people["team member"]),
        by=people["facilitator"],
    )
    members = client.get(url(community, f"/{team.pk}"), **bearer(people["member"])).json()
    assert [m["name"] for m in members["members"]] == ["Lotte Lead"]
    response = client.get(url(community, f"/{team.pk}/posts"), **bearer(people["team member"]))
    assert response.status_code == 404


def test_the_list_takes_the_same_queries_for_more_teams(crew, client, bearer, make_member):
    """A page of one team and a page of many, each with members and tasks: the same number
    of queries."""
    community, _team, people = crew
    headers = bearer(people["member"])
    client.get(url(community), **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(url(community), **headers)
    for n in range(8):
        person = make_member(community, full_name=f"Helper {n}").user
        team = services_teams.team_create(
            community=community,
            by=people["facilitator"],
            name=f"Team {n}",
            purpose="",
            members=[person, people["member"]],
            lead=person,
        )
        services_teams.team_task_add(team=team, by=person, what="Something")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(community), **headers)
    assert response.json()["count"] == 9
    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page_size=0"])
def test_bad_paging_is_422(crew, client, bearer, query):
    """A page or page size that is no positive number is 422."""
    community, team, people = crew
    response = client.get(url(community) + "?" + query, **bearer(people["member"]))
    assert response.status_code == 422
    assert json.loads(response.content)["code"] == "invalid"


def test_the_api_only_reads(crew, client, bearer):
    """Teams are made and changed on the web pages: the API has no method for it (405)."""
    community, team, people = crew
    headers = bearer(people["facilitator"])
    response = client.post(url(community), "{}", content_type="application/json", **headers)
    assert response.status_code == 405
    response = client.post(
        url(community, f"/{team.pk}/posts"), "{}", content_type="application/json", **headers
    )
    assert response.status_code == 405
