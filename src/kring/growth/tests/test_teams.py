"""Teams, the inner circle: who sees and changes them, the discussion kept to the team and
the facilitators, bad input refused with nothing saved, the tab, the profile, the directory
filter, the activity events and query counts that do not grow with the team."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import User
from kring.communities.services import membership_remove
from kring.core.models import ActivityEvent
from kring.growth import permissions, selectors_teams, services_teams
from kring.growth.models import Team, TeamMember, TeamPost, TeamTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(make_community, make_user, make_member, make_admin):
    """A private community with a team (a lead and a member), a member outside the team,
    an outsider, another community's facilitator and a platform admin."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis")
    lead = make_member(community, full_name="Lotte Lead").user
    teammate = make_member(community, full_name="Tim Teammate").user
    member = make_member(community, full_name="Mia Member").user
    team = services_teams.team_create(
        community=community,
        by=facilitator,
        name="Communication team",
        purpose="Tell the world what we learn",
        members=[lead, teammate],
        lead=lead,
    )
    services_teams.team_post_add(team=team, by=teammate, text="Secret plan for the newsletter")
    other = make_community(name="Elsewhere")
    people = {
        "facilitator": facilitator,
        "lead": lead,
        "team member": teammate,
        "member": member,
        "outsider": make_user(full_name="Otto Outsider"),
        "other facilitator": other.created_by,
        "platform admin": make_admin(full_name="Petra Platform"),
    }
    return community, team, people


def url(community, rest: str = "") -> str:
    return f"/communities/{community.slug}/teams/{rest}"


def form_data(people, *names, lead=None, name="Support team") -> dict:
    data = {"name": name, "purpose": "Help new members", "members": [people[n].pk for n in names]}
    if lead:
        data["lead"] = people[lead].pk
    return data


EVERYONE_INSIDE = [
    ("facilitator", 200),
    ("lead", 200),
    ("team member", 200),
    ("member", 200),
    ("platform admin", 200),
    ("outsider", 404),
    ("other facilitator", 404),
]


@pytest.mark.parametrize(("who", "status"), EVERYONE_INSIDE)
def test_who_sees_the_list_and_the_team(make_client, crew, who, status):
    """Everyone inside the community sees its teams; outsiders do not learn they exist."""
    community, team, people = crew
    client = make_client(people[who])
    assert client.get(url(community)).status_code == status
    assert client.get(url(community, f"{team.pk}/")).status_code == status


@pytest.mark.parametrize("rest", ["", "create/", "{pk}/", "{pk}/update/", "{pk}/discussion/"])
def test_anonymous_is_sent_to_log_in(client, crew, rest):
    """A visitor is asked to log in first, on every teams page."""
    community, team, _people = crew
    response = client.get(url(community, rest.format(pk=team.pk)))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 302),
        ("platform admin", 302),
        ("lead", 403),
        ("team member", 403),
        ("member", 403),
        ("outsider", 404),
        ("other facilitator", 404),
    ],
)
def test_who_starts_a_team(make_client, crew, who, status):
    """Only the facilitators (and platform admins) start a team."""
    community, _team, people = crew
    client = make_client(people[who])
    get_status = 200 if status == 302 else status
    assert client.get(url(community, "create/")).status_code == get_status
    response = client.post(url(community, "create/"), form_data(people, "member", lead="member"))
    assert response.status_code == status
    assert Team.objects.filter(name="Support team").exists() == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 302),
        ("platform admin", 302),
        ("lead", 302),
        ("team member", 403),
        ("member", 403),
        ("outsider", 404),
        ("other facilitator", 404),
    ],
)
def test_who_changes_a_team(make_client, crew, who, status):
    """The facilitators and the team's lead change its members and lead; no one else."""
    community, team, people = crew
    client = make_client(people[who])
    get_status = 200 if status == 302 else status
    assert client.get(url(community, f"{team.pk}/update/")).status_code == get_status
    data = form_data(people, "lead", "team member", "member", lead="lead", name=team.name)
    response = client.post(url(community, f"{team.pk}/update/"), data)
    assert response.status_code == status
    joined = TeamMember.objects.filter(team=team, user=people["member"]).exists()
    assert joined == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("platform admin", 200),
        ("lead", 200),
        ("team member", 200),
        ("member", 404),
        ("outsider", 404),
        ("other facilitator", 404),
    ],
)
def test_who_reads_the_discussion(make_client, crew, who, status):
    """The team and the facilitators read the discussion; for everyone else it is not there."""
    community, team, people = crew
    response = make_client(people[who]).get(url(community, f"{team.pk}/discussion/"))
    assert response.status_code == status
    assert ("Secret plan for the newsletter" in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("lead", 302)])
def test_who_writes_in_the_discussion(make_client, crew, who, status):
    """A member outside the team cannot post in it (404, nothing saved)."""
    community, team, people = crew
    before = TeamPost.objects.count()
    response = make_client(people[who]).post(
        url(community, f"{team.pk}/discussion/"), {"text": "Hello team"}
    )
    assert response.status_code == status
    assert TeamPost.objects.count() == before + (1 if status == 302 else 0)


def test_the_team_page_hides_the_discussion_from_other_members(make_client, crew):
    """A member outside the team sees the team, but no link to its discussion or its text."""
    community, team, people = crew
    content = make_client(people["member"]).get(url(community, f"{team.pk}/")).content.decode()
    assert "Tell the world what we learn" in content and "Lotte Lead" in content
    assert f"{team.pk}/discussion/" not in content
    assert "Secret plan" not in content


@pytest.mark.parametrize(
    ("who", "status"),
    [("team member", 302), ("facilitator", 302), ("member", 404), ("outsider", 404)],
)
def test_who_keeps_the_task_list(make_client, crew, who, status):
    """The team and the facilitators add tasks and tick them off; others get 404."""
    community, team, people = crew
    client = make_client(people[who])
    response = client.post(
        url(community, f"{team.pk}/tasks/"),
        {"what": "Write the newsletter", "owner": people["lead"].pk, "due_date": "2027-01-10"},
    )
    assert response.status_code == status
    assert TeamTask.objects.filter(team=team).exists() == (status == 302)


def test_a_task_is_ticked_off(make_client, crew):
    """A team member ticks a task off and opens it again."""
    community, team, people = crew
    task = services_teams.team_task_add(team=team, by=people["lead"], what="Call the paper")
    client = make_client(people["team member"])
    client.post(url(community, f"{team.pk}/tasks/{task.pk}/done/"), {"done": "yes"})
    task.refresh_from_db()
    assert task.done_at is not None
    client.post(url(community, f"{team.pk}/tasks/{task.pk}/done/"), {"done": "no"})
    task.refresh_from_db()
    assert task.done_at is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "   "}, "name", "Give the team a name."),
        ({"name": "x" * 81}, "name", "Ensure this value has at most 80 characters"),
        ({"name": "communication TEAM"}, "name", "already has a team with this name"),
        ({"lead": "member"}, "lead", "The lead must be one of the team&#x27;s members."),
        ({"members": ["outsider"]}, "members", "Only members of this community can join a team"),
        ({"members": ["other facilitator"]}, "members", "Otto"),
    ],
)
def test_bad_input_saves_nothing(make_client, crew, data, field, message):
    """An empty or taken name, a lead who is not a member, or an outsider as member: the
    form comes back with the message and nothing is saved."""
    community, _team, people = crew
    names = data.get("members", ["lead"])
    post = form_data(people, *names, name=data.get("name", "Support team"))
    if "lead" in data:
        post["lead"] = people[data["lead"]].pk
    if message == "Otto":  # another community's facilitator is named in the message
        message = people["other facilitator"].full_name
    teams, joined = Team.objects.count(), TeamMember.objects.count()
    response = make_client(people["facilitator"]).post(url(community, "create/"), post)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (Team.objects.count(), TeamMember.objects.count()) == (teams, joined)


def test_hostile_input_is_shown_as_text(make_client, crew):
    """A script in a name or a post is shown as text, not run."""
    community, team, people = crew
    client = make_client(people["facilitator"])
    client.post(url(community, "create/"), {"name": "<script>alert(1)</script>", "purpose": ""})
    client.post(url(community, f"{team.pk}/discussion/"), {"text": "<img src=x onerror=alert(1)>"})
    listing = client.get(url(community)).content.decode()
    talk = client.get(url(community, f"{team.pk}/discussion/")).content.decode()
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing
    assert "<img src=x" not in talk


def test_bad_task_and_post_save_nothing(make_client, crew):
    """An empty task, an owner outside the team, an empty or oversized post: refused."""
    community, team, people = crew
    client = make_client(people["lead"])
    for data in ({"what": ""}, {"what": "Call", "owner": people["member"].pk}):
        assert client.post(url(community, f"{team.pk}/tasks/"), data).status_code == 422
    for text in ("   ", "x" * 4001):
        response = client.post(url(community, f"{team.pk}/discussion/"), {"text": text})
        assert response.status_code == 422
    assert not TeamTask.objects.exists()
    assert TeamPost.objects.count() == 1


def test_services_check_access_and_lead(crew, make_member):
    """The services refuse the wrong people and a lead outside the members on their own."""
    community, team, people = crew
    with pytest.raises(PermissionDenied):
        services_teams.team_create(community=community, by=people["lead"], name="Builders")
    with pytest.raises(PermissionDenied):
        services_teams.team_post_add(team=team, by=people["member"], text="Hi")
    with pytest.raises(ValidationError):
        services_teams.team_update(
            team=team,
            by=people["lead"],
            name=team.name,
            purpose="",
            members=[people["lead"]],
            lead=people["team member"],
        )
    assert TeamMember.objects.get(team=team, is_lead=True).user == people["lead"]


def test_the_lead_hands_over(crew):
    """Changing the lead moves the flag; the new lead is the only one."""
    _community, team, people = crew
    services_teams.team_update(
        team=team,
        by=people["lead"],
        name=team.name,
        purpose=team.purpose,
        members=[people["lead"], people["team member"]],
        lead=people["team member"],
    )
    assert list(
        TeamMember.objects.filter(team=team, is_lead=True).values_list("user", flat=True)
    ) == [people["team member"].pk]


def test_events_for_created_and_joined(crew):
    """Starting a team records one event; each member joining records one."""
    _community, team, people = crew
    assert (
        ActivityEvent.objects.filter(verb="team_created", actor=people["facilitator"]).count() == 1
    )
    joined = set(ActivityEvent.objects.filter(verb="team_joined").values_list("actor", flat=True))
    assert joined == {people["lead"].pk, people["team member"].pk}


def test_a_member_who_leaves_the_community_leaves_the_team_view(crew):
    """Someone no longer in the community is not shown and cannot read the discussion."""
    community, team, people = crew
    membership = community.memberships.get(user=people["team member"])
    membership_remove(membership=membership, by=people["facilitator"])
    gone = User.objects.get(pk=people["team member"].pk)
    team = Team.objects.get(pk=team.pk)
    assert gone.pk not in [m.user_id for m in selectors_teams.team_members(team=team)]
    assert not permissions.can_join_talk(gone, team)


def test_the_header_has_a_teams_tab(make_client, crew):
    """Members see the Teams tab in the community header."""
    community, _team, people = crew
    content = make_client(people["member"]).get(url(community)).content.decode()
    assert f'href="/communities/{community.slug}/teams/" aria-current="page"' in content


def test_profile_shows_the_persons_teams(make_client, crew):
    """A profile lists the person's teams in communities the viewer shares; not others'."""
    community, team, people = crew
    page = f"/people/{people['lead'].pk}/"
    content = make_client(people["member"]).get(page).content.decode()
    assert f"/communities/{community.slug}/teams/{team.pk}/" in content
    assert "Communication team" in content


def test_the_directory_filters_by_team(make_client, crew):
    """The member directory offers the teams and shows only the chosen team's people."""
    community, team, people = crew
    client = make_client(people["member"])
    directory = f"/communities/{community.slug}/members/"
    content = client.get(f"{directory}?team={team.pk}").content.decode()
    assert 'name="team"' in content
    results = content[content.index('id="directory-results"') :]
    assert "Lotte Lead" in results and "Tim Teammate" in results
    assert "Fenna Facilitator" not in results
    unknown = client.get(f"{directory}?team=abc").content.decode()
    assert "Fenna Facilitator" not in unknown[unknown.index('id="directory-results"') :]


def _grow(community, team, people, make_member, n: int):
    more = [make_member(community).user for _ in range(n)]
    services_teams.team_update(
        team=team,
        by=people["facilitator"],
        name=team.name,
        purpose=team.purpose,
        members=[people["lead"], *more],
        lead=people["lead"],
    )
    for i in range(n):
        services_teams.team_task_add(team=team, by=people["lead"], what=f"Task {i}", owner=more[0])
        services_teams.team_post_add(team=team, by=people["lead"], text=f"Post {i}")
        services_teams.team_create(
            community=community, by=people["facilitator"], name=f"Team {len(more)} {i}"
        )


@pytest.mark.parametrize("rest", ["", "{pk}/", "{pk}/discussion/"])
def test_query_counts_stay_flat(make_client, crew, make_member, rest):
    """Team pages ask the database as often with many teams, members, tasks and posts."""
    community, team, people = crew
    client = make_client(people["facilitator"])
    path = url(community, rest.format(pk=team.pk))
    _grow(community, team, people, make_member, 2)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    _grow(community, team, people, make_member, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)


# Deleting a team: the facilitators only; what goes with it, and nothing else.


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 302),
        ("platform admin", 302),
        ("lead", 403),
        ("team member", 403),
        ("member", 403),
        ("outsider", 404),
        ("other facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_who_deletes_a_team(make_client, crew, who, status):
    """The facilitators (and platform admins) see the confirmation and delete the team; the
    lead and the others inside get 403, people outside 404, a visitor the login page."""
    community, team, people = crew
    client = make_client(people.get(who))
    path = url(community, f"{team.pk}/delete/")
    confirmation = client.get(path)
    if who == "anonymous":
        assert "/login/" in confirmation["Location"]
    else:
        assert confirmation.status_code == (200 if status == 302 else status)
    response = client.post(path)
    assert response.status_code == status
    deleted = who not in ("anonymous",) and status == 302
    assert Team.objects.filter(pk=team.pk).exists() is not deleted
    if deleted:
        assert response["Location"] == url(community)


def test_the_confirmation_says_what_goes(make_client, crew):
    """The confirmation names the team and counts its members, tasks and messages."""
    community, team, people = crew
    services_teams.team_task_add(team=team, by=people["lead"], what="Call the paper")
    services_teams.team_task_add(team=team, by=people["lead"], what="Print flyers")
    page = make_client(people["facilitator"]).get(url(community, f"{team.pk}/delete/"))
    content = page.content.decode()
    assert "Delete “Communication team”?" in content
    assert "its 2 members (they stay in the community)" in content
    assert "2 tasks on its list" in content
    assert "1 message in its discussion" in content
    assert 'method="post"' in content
    assert Team.objects.filter(pk=team.pk).exists()


def test_deleting_removes_members_tasks_and_posts_and_nothing_else(make_client, crew):
    """The team, its members, tasks and discussion go; the people, their memberships, the
    other team and the ledger stay, with one event for the deletion; a message says so."""
    community, team, people = crew
    services_teams.team_task_add(team=team, by=people["lead"], what="Call the paper")
    other = services_teams.team_create(
        community=community,
        by=people["facilitator"],
        name="Support team",
        members=[people["lead"], people["member"]],
        lead=people["member"],
    )
    services_teams.team_task_add(team=other, by=people["member"], what="Welcome newcomers")
    services_teams.team_post_add(team=other, by=people["member"], text="Hello support")
    events = ActivityEvent.objects.count()
    memberships = community.memberships.count()
    client = make_client(people["facilitator"])
    response = client.post(url(community, f"{team.pk}/delete/"), follow=True)
    assert "The team “Communication team” has been deleted." in response.content.decode()
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not TeamMember.objects.filter(team_id=team.pk).exists()
    assert not TeamTask.objects.filter(team_id=team.pk).exists()
    assert not TeamPost.objects.filter(team_id=team.pk).exists()
    assert list(Team.objects.all()) == [other]
    assert TeamMember.objects.filter(team=other).count() == 2
    assert TeamTask.objects.filter(team=other).count() == 1
    assert TeamPost.objects.filter(team=other).count() == 1
    assert community.memberships.count() == memberships
    assert User.objects.filter(pk=people["lead"].pk).exists()
    assert ActivityEvent.objects.count() == events + 1
    event = ActivityEvent.objects.get(verb="team_deleted")
    assert event.actor == people["facilitator"] and event.community == community
    assert event.data == {"name": "Communication team", "team_id": team.pk}


def test_a_team_of_another_community_is_not_found(make_client, crew, make_community):
    """A team's id under another community's address gives 404, also to that community's
    facilitator; nothing is deleted."""
    community, team, people = crew
    elsewhere = make_community(by=people["facilitator"], name="Elders")
    for path in (
        url(elsewhere, f"{team.pk}/delete/"),
        url(community, "999999/delete/"),
    ):
        client = make_client(people["facilitator"])
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert Team.objects.filter(pk=team.pk).exists()


def test_the_service_refuses_the_lead(crew):
    """The lead may change the team, not delete it; the service says no on its own."""
    _community, team, people = crew
    with pytest.raises(PermissionDenied):
        services_teams.team_delete(team=team, by=people["lead"])
    assert Team.objects.filter(pk=team.pk).exists()


@pytest.mark.parametrize(("who", "shown"), [("facilitator", True), ("lead", False)])
def test_the_edit_page_links_to_delete_for_facilitators(make_client, crew, who, shown):
    """The "Delete team" link is on the edit page for those who may delete, not the lead."""
    community, team, people = crew
    content = make_client(people[who]).get(url(community, f"{team.pk}/update/")).content.decode()
    assert (f"/teams/{team.pk}/delete/" in content) is shown
    assert ("Delete team" in content) is shown
