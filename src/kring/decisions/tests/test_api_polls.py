"""The polls API: who may do what (every endpoint, every role), what a poll's answer shows
and when, an anonymous poll that names nobody, and bad input that saves nothing."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.conversations.services import moderation as moderation_services
from kring.conversations.services.threads import thread_create
from kring.decisions import services
from kring.decisions.models import (
    AnonymousChoice,
    Poll,
    PollOption,
    PollParticipation,
    PollVote,
    ShowResults,
)
from kring.decisions.tests.conftest import make_date_poll, make_poll, soon
from kring.meetings.models import Session

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "other facilitator",
    "guest",
    "member",
    "core",
    "facilitator",
    "platform admin",
)


def base(community) -> str:
    return f"/api/v1/communities/{community.slug}"


def headers_for(bearer, people, who) -> dict:
    return {} if people[who] is None else bearer(people[who])


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def poll_body(**fields) -> dict:
    return {
        "question": "Where do we meet?",
        "options": ["Library", "Town hall"],
        "closes_at": soon().isoformat(),
        **fields,
    }


def date_poll_body(**fields) -> dict:
    start = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return {
        "question": "When do we meet next?",
        "starts": [start.isoformat(), (start + timedelta(days=1)).isoformat()],
        "closes_at": soon().isoformat(),
        "session_title": "Leerkring in spring",
        "session_location": "Stadhuisplein 1",
        **fields,
    }


def first_yes(poll) -> dict:
    return {str(poll.options.first().pk): "yes"}


# --- who may do what -------------------------------------------------------------------------

# role -> (list, detail, start a poll, start a date poll)
READ_AND_START = {
    "anonymous": (401, 401, 401, 401),
    "outsider": (404, 404, 404, 404),
    "other facilitator": (404, 404, 404, 404),
    "guest": (200, 200, 403, 403),
    "member": (200, 200, 201, 403),
    "core": (200, 200, 201, 403),
    "facilitator": (200, 200, 201, 201),
    "platform admin": (200, 200, 201, 201),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_reads_and_starts_polls(cast, client, bearer, who):
    """Everyone inside reads; members start polls; facilitators and platform admins start
    date polls; outsiders and other communities' facilitators get 404, nobody logged in 401."""
    community, people = cast
    poll = make_poll(community, people["member"])
    headers = headers_for(bearer, people, who)
    got = (
        client.get(f"{base(community)}/polls", **headers).status_code,
        client.get(f"{base(community)}/polls/{poll.pk}", **headers).status_code,
        post(client, f"{base(community)}/polls", poll_body(), headers).status_code,
        post(client, f"{base(community)}/date-polls", date_poll_body(), headers).status_code,
    )
    assert got == READ_AND_START[who]
    made = {"simple": got[2] == 201, "date": got[3] == 201}
    assert Poll.objects.filter(kind="simple").count() == 1 + made["simple"]
    assert Poll.objects.filter(kind="date").count() == made["date"]


# role -> (vote, close a member's poll, plan a date poll)
ACT = {
    "anonymous": (401, 401, 401),
    "outsider": (404, 404, 404),
    "other facilitator": (404, 404, 404),
    "guest": (201, 403, 403),
    "member": (201, 200, 403),
    "core": (201, 403, 403),
    "facilitator": (201, 200, 201),
    "platform admin": (403, 200, 201),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_votes_closes_and_plans(cast, client, bearer, who):
    """Everyone in the community votes (a platform admin from outside does not); the one who
    started a poll and the facilitators close it; facilitators and platform admins plan."""
    community, people = cast
    poll = make_poll(community, people["member"])
    date_poll = make_date_poll(community, people["facilitator"])
    services.poll_vote(
        poll=date_poll, by=people["core"], answers={o.pk: "yes" for o in date_poll.options.all()}
    )
    headers = headers_for(bearer, people, who)
    url = f"{base(community)}/polls"
    got = (
        post(client, f"{url}/{poll.pk}/vote", {"answers": first_yes(poll)}, headers).status_code,
        post(client, f"{url}/{poll.pk}/close", {}, headers).status_code,
        post(client, f"{url}/{date_poll.pk}/plan", {}, headers).status_code,
    )
    assert got == ACT[who]
    assert PollParticipation.objects.filter(poll=poll).count() == (got[0] == 201)
    poll.refresh_from_db()
    assert (poll.closed_at is not None) == (got[1] == 200)
    assert Session.objects.count() == (got[2] == 201)


def test_a_poll_of_another_community_is_not_found(cast, client, bearer, make_community):
    """A facilitator of two communities asks one of them for the other's poll: 404."""
    community, people = cast
    poll = make_poll(community, people["member"])
    elsewhere = make_community(by=people["facilitator"], name="Elders")
    headers = bearer(people["facilitator"])
    for method, rest in (("get", ""), ("post", "/vote"), ("post", "/close"), ("post", "/plan")):
        url = f"{base(elsewhere)}/polls/{poll.pk}{rest}"
        if method == "get":
            response = client.get(url, **headers)
        else:
            response = post(client, url, {"answers": first_yes(poll)}, headers)
        assert response.status_code == 404, rest
    assert not PollParticipation.objects.exists()


# --- what a poll shows -----------------------------------------------------------------------


def test_start_list_vote_and_see_the_results(cast, client, bearer):
    """A member starts a poll (201), finds it in the list, votes (201) and then sees the
    counts and their own choice."""
    community, people = cast
    headers = bearer(people["member"])
    created = post(client, f"{base(community)}/polls", poll_body(multiple=True), headers)
    assert created.status_code == 201, created.content
    poll = created.json()
    assert [o["label"] for o in poll["options"]] == ["Library", "Town hall"]
    assert poll["kind"] == "simple" and poll["multiple"] is True
    assert poll["results"] is None and poll["you_voted"] is False and poll["can_vote"] is True
    assert poll["created_by"] == {"id": people["member"].pk, "name": "Mo Member"}
    assert poll["url"].endswith(f"/communities/{community.slug}/polls/{poll['id']}/")
    listed = client.get(f"{base(community)}/polls", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == poll["id"]
    library, town_hall = (o["id"] for o in poll["options"])
    voted = post(
        client,
        f"{base(community)}/polls/{poll['id']}/vote",
        {"answers": {str(library): "yes", str(town_hall): "yes"}},
        headers,
    )
    assert voted.status_code == 201, voted.content
    body = voted.json()
    assert body["you_voted"] is True and body["can_vote"] is False and body["voters"] == 1
    assert [o["your_answer"] for o in body["options"]] == ["yes", "yes"]
    assert body["results"]["voters"] == 1
    assert [r["yes"] for r in body["results"]["options"]] == [1, 1]
    assert body["results"]["best_option_id"] is None
    again = post(
        client,
        f"{base(community)}/polls/{poll['id']}/vote",
        {"answers": {str(library): "yes"}},
        headers,
    )
    assert again.status_code == 422
    assert again.json()["detail"] == "You already voted in this poll."
    assert PollVote.objects.count() == 2


def test_results_wait_for_the_close_when_the_creator_chose_so(cast, client, bearer):
    """Results after closing: a voter sees none until the poll closes; then everyone does."""
    community, people = cast
    poll = make_poll(community, people["member"], show_results=ShowResults.AFTER_CLOSE)
    url = f"{base(community)}/polls/{poll.pk}"
    voted = post(client, f"{url}/vote", {"answers": first_yes(poll)}, bearer(people["core"]))
    assert voted.status_code == 201
    assert voted.json()["results"] is None
    assert client.get(url, **bearer(people["guest"])).json()["results"] is None
    closed = post(client, f"{url}/close", {}, bearer(people["member"]))
    assert closed.status_code == 200
    assert closed.json()["closed"] is True and closed.json()["closed_at"] is not None
    for who in ("guest", "core", "platform admin"):
        assert client.get(url, **bearer(people[who])).json()["results"]["voters"] == 1


def test_a_date_poll_is_answered_and_planned(cast, client, bearer):
    """A facilitator starts a date poll with local times, members answer yes, maybe or no,
    and planning makes the session on the best date."""
    community, people = cast
    headers = bearer(people["facilitator"])
    created = post(
        client,
        f"{base(community)}/date-polls",
        date_poll_body(
            starts=["2030-03-09T19:30", "2030-03-10T19:30"], session_minutes=90, anonymous=True
        ),
        headers,
    )
    assert created.status_code == 201, created.content
    poll = created.json()
    assert poll["kind"] == "date" and poll["session_minutes"] == 90
    assert poll["session_location"] == "Stadhuisplein 1"
    assert [o["starts_at"] for o in poll["options"]] == [
        "2030-03-09T19:30:00+01:00",
        "2030-03-10T19:30:00+01:00",
    ]
    first, second = (o["id"] for o in poll["options"])
    url = f"{base(community)}/polls/{poll['id']}"
    for who, answers in (("member", ("no", "yes")), ("core", ("maybe", "yes"))):
        body = {"answers": {str(first): answers[0], str(second): answers[1]}}
        assert post(client, f"{url}/vote", body, bearer(people[who])).status_code == 201
    seen = client.get(url, **bearer(people["member"])).json()["results"]
    assert seen["best_option_id"] == second
    assert seen["options"][0] == {"option_id": first, "yes": 0, "maybe": 1, "no": 1}
    planned = post(client, f"{url}/plan", {}, headers)
    assert planned.status_code == 201, planned.content
    session = Session.objects.get()
    assert planned.json()["session_id"] == session.pk
    assert session.starts_at == PollOption.objects.get(pk=second).starts_at
    after = client.get(url, **headers).json()
    assert after["planned_session_id"] == session.pk and after["closed"] is True
    assert after["can_plan"] is False
    again = post(client, f"{url}/plan", {}, headers)
    assert again.status_code == 422
    assert again.json()["detail"] == "This poll has already planned its session."
    assert Session.objects.count() == 1


NAMES = ["Voter 0", "Voter 1", "Voter 2", "Voter 3", "Voter 4"]


@pytest.mark.parametrize("closed", [False, True])
def test_an_anonymous_poll_names_nobody(cast, voters, client, bearer, closed):
    """An anonymous poll's answer, in the list and alone, holds counts only: no voter's
    name or id anywhere, no choice tied to anyone, not even the reader's own."""
    community, people = cast
    poll = make_poll(community, people["facilitator"], anonymous=True)
    options = list(poll.options.all())
    for n, person in enumerate(voters):
        services.poll_vote(poll=poll, by=person, answers={options[n % 2].pk: "yes"})
    if closed:
        services.poll_close(poll=poll, by=people["facilitator"])
    for reader in (voters[0], people["member"], people["facilitator"]):
        headers = bearer(reader)
        detail = client.get(f"{base(community)}/polls/{poll.pk}", **headers)
        listed = client.get(f"{base(community)}/polls", **headers)
        for response in (detail, listed):
            assert response.status_code == 200
            text = response.content.decode()
            for person in voters:
                assert person.full_name not in text
            assert not _person_ids(response.json()) & {p.pk for p in voters}
        body = detail.json()
        assert all(o["your_answer"] is None for o in body["options"])
        if reader == voters[0] or closed:
            assert body["results"]["voters"] == 5
            assert [r["yes"] for r in body["results"]["options"]] == [3, 2, 0]
            assert set(body["results"]["options"][0]) == {"option_id", "yes", "maybe", "no"}
        else:
            assert body["results"] is None
    assert not PollVote.objects.exists()
    assert AnonymousChoice.objects.count() == 5


def _person_ids(data) -> set[int]:
    """The ids of every person-like object in an answer: whatever has an `id` and a
    `name`."""
    found: set[int] = set()
    if isinstance(data, dict):
        if "id" in data and "name" in data:
            found.add(data["id"])
        for value in data.values():
            found |= _person_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _person_ids(value)
    return found


def _discussion(community, by, title="Shall we meet in the evening?"):
    return thread_create(
        community=community, by=by, kind="discussion", title=title, body="Evenings suit me."
    )


def test_a_poll_about_a_session_and_one_in_a_discussion(cast, client, bearer):
    """A poll may be about a session or in a discussion of the community; the ids come
    back in the poll and the list."""
    community, people = cast
    headers = bearer(people["member"])
    thread = _discussion(community, people["member"])
    date_poll = make_date_poll(community, people["facilitator"])
    answers = {o.pk: "yes" for o in date_poll.options.all()}
    services.poll_vote(poll=date_poll, by=people["core"], answers=answers)
    session = services.poll_session_plan(poll=date_poll, by=people["facilitator"])
    in_thread = post(client, f"{base(community)}/polls", poll_body(thread=thread.pk), headers)
    about_session = post(client, f"{base(community)}/polls", poll_body(session=session.pk), headers)
    assert in_thread.status_code == about_session.status_code == 201
    assert (in_thread.json()["thread_id"], in_thread.json()["session_id"]) == (thread.pk, None)
    assert (about_session.json()["thread_id"], about_session.json()["session_id"]) == (
        None,
        session.pk,
    )
    listed = client.get(f"{base(community)}/polls", **headers).json()["items"]
    assert [(p["session_id"], p["thread_id"]) for p in listed[:2]] == [
        (session.pk, None),
        (None, thread.pk),
    ]


def test_a_hidden_discussion_is_not_named_on_its_polls(cast, client, bearer):
    """A poll in a discussion a facilitator hid does not name it to members who may not
    read it (in the list and alone); the facilitator still sees it; a new poll in it: 422."""
    community, people = cast
    thread = _discussion(community, people["core"], title="Heated matter")
    poll = make_poll(community, people["facilitator"], thread_id=thread.pk)
    moderation_services.post_hide(by=people["facilitator"], thread=thread, reason="Too heated")
    for who, expected in (("member", None), ("facilitator", thread.pk)):
        headers = bearer(people[who])
        detail = client.get(f"{base(community)}/polls/{poll.pk}", **headers).json()
        listed = client.get(f"{base(community)}/polls", **headers).json()["items"]
        assert detail["thread_id"] == listed[0]["thread_id"] == expected, who
    response = post(
        client, f"{base(community)}/polls", poll_body(thread=thread.pk), bearer(people["member"])
    )
    assert response.status_code == 422
    assert response.json()["errors"]["thread"] == ["That discussion is not in this community."]
    assert Poll.objects.count() == 1


def test_the_list_takes_the_same_queries_for_more_polls(cast, client, bearer):
    """A page of one poll and a page of twenty take the same number of queries."""
    community, people = cast
    headers = bearer(people["member"])
    url = f"{base(community)}/polls"
    make_poll(community, people["member"])
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **headers)
    for _n in range(20):
        make_poll(community, people["core"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **headers)
    assert len(response.json()["items"]) == 20
    assert len(many) == len(few)


# --- bad input -------------------------------------------------------------------------------

BAD_POLLS = [
    ({"question": "  "}, "question", "Write the question."),
    ({"question": "x" * 201}, "question", "Keep the question to 200 characters."),
    ({"question": "x" * 1001}, "question", "at most 1000 characters"),
    ({"options": ["Only one"]}, "options", "Give at least two options."),
    ({"options": ["Same", "same"]}, "options", "Give each option only once."),
    ({"options": [f"O{n}" for n in range(21)]}, "options", "Give at most 20 options."),
    ({"options": ["A", "x" * 201]}, "options", "Keep each option to 200 characters."),
    ({"options": ["A"] * 101}, "options", "at most 100 items"),
    ({"options": "A\nB"}, "options", "valid list"),
    ({"closes_at": "2020-01-01T10:00:00Z"}, "closes_at", "The poll must close in the future."),
    ({"closes_at": "tomorrow"}, "closes_at", "YYYY-MM-DD"),
    ({"show_results": "never"}, "show_results", "Choose when the results show."),
    ({"session": 999_999}, "session", "That session is not in this community."),
    ({"thread": 0}, "thread", "greater than or equal to 1"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_POLLS)
def test_a_bad_poll_is_422_and_saves_nothing(cast, client, bearer, change, field, message):
    """Every wrong field answers 422 with a clear message next to it; nothing is saved."""
    community, people = cast
    response = post(
        client, f"{base(community)}/polls", poll_body(**change), bearer(people["member"])
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert any(message in m for m in body["errors"][field]), body
    assert not Poll.objects.exists() and not PollOption.objects.exists()


@pytest.mark.parametrize("body", [None, [], "poll", 1])
def test_a_body_that_is_no_object_is_422(cast, client, bearer, body):
    """A body of null, a list, text or a number is 422; no poll is made."""
    community, people = cast
    response = post(client, f"{base(community)}/polls", body, bearer(people["member"]))
    assert response.status_code == 422
    assert not Poll.objects.exists()


BAD_DATE_POLLS = [
    ({"starts": ["2030-03-09T19:30"]}, "starts", "Give at least two different dates."),
    ({"starts": ["2030-03-09T19:30"] * 2}, "starts", "Give at least two different dates."),
    ({"starts": ["2020-03-09T19:30", "2020-03-10T19:30"]}, "starts", "Give dates in the future."),
    ({"session_location": ""}, "session_location", "A session in person needs an address."),
    ({"session_title": ""}, "session_title", "title"),
    ({"session_minutes": 0}, "session_minutes", "A session lasts between 1 minute and a day."),
    ({"session_minutes": 2**64}, "session_minutes", "less than or equal to"),
    ({"closes_at": "2099-01-01T10:00:00Z"}, "closes_at", "Close the poll within a year."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_DATE_POLLS)
def test_a_bad_date_poll_is_422_and_saves_nothing(cast, client, bearer, change, field, message):
    """Every wrong field of a date poll answers 422 next to that field; nothing is saved."""
    community, people = cast
    response = post(
        client,
        f"{base(community)}/date-polls",
        date_poll_body(**change),
        bearer(people["facilitator"]),
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert any(message in m for m in body["errors"][field]), body
    assert not Poll.objects.exists() and not PollOption.objects.exists()


def test_a_date_poll_missing_fields_is_422(cast, client, bearer):
    """Leaving out what a date poll needs names each missing field; nothing is saved."""
    community, people = cast
    response = post(
        client,
        f"{base(community)}/date-polls",
        {"question": "When?"},
        bearer(people["facilitator"]),
    )
    assert response.status_code == 422
    assert {"starts", "closes_at", "session_title", "session_location"} <= set(
        response.json()["errors"]
    )
    assert not Poll.objects.exists()


def _bad_votes(poll, date_poll, other) -> list[tuple[object, object, str]]:
    one, two, _three = poll.options.all()
    first, second, third = date_poll.options.all()
    return [
        (poll, {}, "Choose an option."),
        (poll, {one.pk: "no"}, "Choose an option."),
        (poll, {one.pk: "yes", two.pk: "yes"}, "Choose one option."),
        (poll, {other.options.first().pk: "yes"}, "Choose from the options of this poll."),
        (poll, {one.pk: "perhaps"}, "Input should be 'yes', 'maybe' or 'no'"),
        (poll, {"first": "yes"}, "valid integer"),
        (poll, {"0": "yes"}, "greater than or equal to 1"),
        (date_poll, {first.pk: "yes", second.pk: "no"}, "Answer yes, maybe or no for each date."),
        (
            date_poll,
            {first.pk: "yes", second.pk: "no", third.pk: "no", one.pk: "yes"},
            "Choose from the options of this poll.",
        ),
    ]


@pytest.mark.parametrize("case", range(9))
def test_a_bad_vote_is_422_and_saves_nothing(cast, client, bearer, make_community, case):
    """Answers that do not fit the poll: 422 with a clear message, no vote kept."""
    community, people = cast
    poll = make_poll(community, people["member"])
    date_poll = make_date_poll(community, people["facilitator"])
    other = make_poll(community, people["core"], question="Another")
    target, answers, message = _bad_votes(poll, date_poll, other)[case]
    response = post(
        client,
        f"{base(community)}/polls/{target.pk}/vote",
        {"answers": {str(k): v for k, v in answers.items()}},
        bearer(people["core"]),
    )
    assert response.status_code == 422, response.content
    assert message in json.dumps(response.json()["errors"])
    assert not PollParticipation.objects.exists()
    assert not PollVote.objects.exists()


def test_a_vote_in_a_closed_poll_is_422(cast, client, bearer):
    """A closed poll takes no more votes: 422, no vote kept."""
    community, people = cast
    poll = make_poll(community, people["member"])
    services.poll_close(poll=poll, by=people["member"])
    response = post(
        client,
        f"{base(community)}/polls/{poll.pk}/vote",
        {"answers": first_yes(poll)},
        bearer(people["core"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "This poll is closed."
    assert not PollParticipation.objects.exists()


def test_planning_without_a_yes_is_422_and_a_simple_poll_403(cast, client, bearer):
    """A date poll nobody said yes to plans nothing (422); a poll without dates is not
    planned at all (403)."""
    community, people = cast
    date_poll = make_date_poll(community, people["facilitator"])
    poll = make_poll(community, people["member"])
    headers = bearer(people["facilitator"])
    response = post(client, f"{base(community)}/polls/{date_poll.pk}/plan", {}, headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "No date has a yes yet."
    assert post(client, f"{base(community)}/polls/{poll.pk}/plan", {}, headers).status_code == 403
    assert not Session.objects.exists()
    date_poll.refresh_from_db()
    assert date_poll.closed_at is None


def test_a_read_token_reads_but_does_not_vote(cast, client, bearer):
    """A read token reads a poll but cannot vote (403 read_only_token)."""
    community, people = cast
    poll = make_poll(community, people["member"])
    headers = bearer(people["core"], scope="read")
    assert client.get(f"{base(community)}/polls/{poll.pk}", **headers).status_code == 200
    response = post(
        client, f"{base(community)}/polls/{poll.pk}/vote", {"answers": first_yes(poll)}, headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert not PollParticipation.objects.exists()
