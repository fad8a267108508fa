"""Input the API must answer in its own error format, never with a 500: integers beyond what
the database stores, NUL characters (PostgreSQL can't store them; SQLite could), methods a path
does not have. And authenticated answers are private to the caller."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.conversations import services as conversations
from kring.meetings import services as meetings

pytestmark = pytest.mark.django_db

BIG = 10**25  # far beyond 64 bits
JUST_OVER = 2**63  # one past the largest 64-bit integer


@pytest.fixture
def world(make_community, make_member, make_user, bearer):
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    anna = make_member(community, full_name="Anna Member", language="en").user
    start = timezone.now() - timedelta(days=7)
    past = meetings.session_create(
        community=community,
        by=facilitator,
        title="Vorige keer",
        location="Buurthuis",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    thread = conversations.thread_create(
        community=community, by=anna, kind="question", title="Wie weet het?", body="Vraag"
    )
    return {
        "base": f"/api/v1/communities/{community.slug}",
        "headers": bearer(facilitator),
        "past": past,
        "thread": thread,
        "facilitator": facilitator,
    }


def send(client, world, method, path, data=None):
    url = path if path.startswith("/api/") else world["base"] + path
    if method == "get":
        return client.get(url, data or {}, **world["headers"])
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **world["headers"]
    )


def assert_error(response, status, code) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def _start(days=30) -> str:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def huge_integer_cases(n: int) -> dict[str, tuple]:
    later = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    session = {
        "title": "Extra",
        "location": "Stadhuis",
        "starts_at": later.isoformat(),
        "ends_at": (later + timedelta(hours=2)).isoformat(),
    }
    return {
        "members page": ("get", "/members", {"page": n}),
        "knowledge page": ("get", "/knowledge", {"page": n}),
        "knowledge page size": ("get", "/knowledge", {"page_size": n}),
        "knowledge author": ("get", "/knowledge", {"author": n}),
        "sessions page": ("get", "/sessions", {"page": n}),
        "action points page": ("get", "/action-points", {"page": n}),
        "threads offset": ("get", "/threads", {"offset": n}),
        "threads limit": ("get", "/threads", {"limit": n}),
        "notifications offset": ("get", "/api/v1/notifications", {"offset": n}),
        "session facilitator": ("post", "/sessions", {**session, "facilitator_ids": [n]}),
        "session capacity": ("post", "/sessions", {**session, "capacity": n}),
        "action point owner": ("post", "/action-points", {"what": "Bellen", "owner_id": n}),
        "action point session": ("post", "/action-points", {"what": "Bellen", "session_id": n}),
        "reply parent": ("post", "/threads/{thread}/replies", {"body": "Ja", "parent_id": n}),
        "accept reply": ("post", "/threads/{thread}/accept", {"reply_id": n}),
        "attendance person": (
            "put",
            "/sessions/{past}/attendance",
            [{"user_id": n, "status": "attended"}],
        ),
    }


@pytest.mark.parametrize("n", [BIG, JUST_OVER, -JUST_OVER - 1])
@pytest.mark.parametrize("case", list(huge_integer_cases(1)))
def test_huge_integers_answer_422(client, world, case, n):
    """An integer beyond 64 bits in a query or body is invalid input (422), not a server error."""
    method, path, data = huge_integer_cases(n)[case]
    path = path.format(thread=world["thread"].pk, past=world["past"].pk)
    response = send(client, world, method, path, data)
    body = assert_error(response, 422, "invalid")
    assert body["errors"]


@pytest.mark.parametrize(
    ("path", "query"), [("/knowledge", {"page_size": 10**6}), ("/threads", {"limit": 10**6})]
)
def test_too_large_a_page_size_is_capped(client, world, path, query):
    """A page size or limit within 64 bits but above the maximum is capped, not refused."""
    response = send(client, world, "get", path, query)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("path", ["/members", "/knowledge", "/sessions", "/action-points"])
def test_last_possible_page_is_empty_not_an_error(client, world, path):
    """The largest page number allowed answers an empty page."""
    response = send(client, world, "get", path, {"page": 10**13})
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []
