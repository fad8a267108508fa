"""Input the API must answer in its own error format, never with a 500: integers beyond what
the database stores, NUL characters (PostgreSQL can't store them; SQLite could), methods a path
does not have. And authenticated answers are private to the caller."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.conversations.services import threads as thread_services
from kring.core.testing import assert_error
from kring.meetings import services as meetings

pytestmark = pytest.mark.django_db

BIG = 10**25  # far beyond 64 bits
JUST_OVER = 2**63  # one past the largest 64-bit integer


@pytest.fixture
def world(make_community, make_member, make_user, bearer):
    """A community with facilitator Fenna (and her token), member Anna, a past session and
    Anna's question."""
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
    thread = thread_services.thread_create(
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


# --- NUL characters: refused the same way on SQLite and PostgreSQL ----------------------------


def nul_cases() -> dict[str, tuple]:
    return {
        "thread title": (
            "post",
            "/threads",
            {"kind": "question", "title": "Wie\x00weet", "body": "x"},
            "title",
        ),
        "reply body": ("post", "/threads/{thread}/replies", {"body": "Ja\x00"}, "body"),
        "attendance status": (
            "put",
            "/sessions/{past}/attendance",
            [{"user_id": 1, "status": "attended\x00"}],
            "0.status",
        ),
        "members q": ("get", "/members", {"q": "An\x00na"}, "q"),
        "knowledge theme": ("get", "/knowledge", {"theme": "\x00"}, "theme"),
    }


@pytest.mark.parametrize("case", list(nul_cases()))
def test_nul_characters_in_the_api_answer_422(client, world, case):
    """A NUL character in a query or body is invalid input (422) on every database; nothing
    is saved."""
    from kring.conversations.models import Reply, Thread

    method, path, data, field = nul_cases()[case]
    path = path.format(thread=world["thread"].pk, past=world["past"].pk)
    counts = (Thread.objects.count(), Reply.objects.count())
    body = assert_error(send(client, world, method, path, data), 422, "invalid")
    assert body["errors"] == {field: ["Null characters are not allowed."]}
    assert (Thread.objects.count(), Reply.objects.count()) == counts


def test_escaped_backslash_zero_is_ordinary_text(client, world):
    """The text `\\u0000` written out (not a NUL character) is saved as it is."""
    response = send(
        client,
        world,
        "post",
        f"/threads/{world['thread'].pk}/replies",
        {"body": "Type \\u0000 to see"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "Type \\u0000 to see"


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("member-list", {"q": "An\x00na"}),
        ("mention-search", {"q": "\x00"}),
        ("thread-list", {"theme": "a\x00"}),
    ],
)
def test_nul_characters_in_a_web_query_answer_400(make_client, world, name, query):
    """A NUL character in a page's query string (a search box) answers 400, on every database."""
    from django.urls import reverse

    url = reverse(name, kwargs={"slug": world["thread"].community.slug})
    response = make_client(world["facilitator"]).get(url, query)
    assert response.status_code == 400


def test_nul_character_in_a_web_form_is_a_form_error(make_client, world):
    """A NUL character typed into a form is refused by the form, on every database."""
    from django.urls import reverse

    from kring.conversations.models import Thread

    url = reverse("thread-create", kwargs={"slug": world["thread"].community.slug})
    before = Thread.objects.count()
    response = make_client(world["facilitator"]).post(
        url, {"kind": "question", "title": "Wie\x00weet het?", "body": "Vraag"}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Thread.objects.count() == before


# --- Every answer in the API's format; private answers --------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "/api/v1/communities"), ("put", "/members"), ("post", "/threads/{thread}")],
)
def test_method_not_allowed_answers_json(client, world, method, path):
    """A method a path does not have answers 405 in the API's error format, with Allow."""
    path = path.format(thread=world["thread"].pk)
    response = send(client, world, method, path, {})
    body = assert_error(response, 405, "method_not_allowed")
    assert method.upper() in body["detail"]
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/communities", "/members", "/threads/{thread}"])
def test_authenticated_answers_are_private(client, make_client, world, path):
    """An answer to a token or a logged-in browser is marked Cache-Control: private."""
    path = path.format(thread=world["thread"].pk)
    response = send(client, world, "get", path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    url = path if path.startswith("/api/") else world["base"] + path
    response = make_client(world["facilitator"]).get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_unauthenticated_answer_is_not_marked_private(client):
    """A refused anonymous call is the same for everyone: no private marking needed."""
    response = client.get("/api/v1/communities")
    assert_error(response, 401, "unauthenticated")
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    [
        "/threads/{n}",
        "/threads/{thread}/replies/{n}/useful",
        "/sessions/{n}",
        "/knowledge/{n}",
        "/api/v1/notifications/{n}/read",
    ],
)
def test_huge_id_in_the_address_is_not_found(client, world, path):
    """An id beyond 64 bits in the address answers 404 in the API's format, not 500."""
    method = "post" if path.endswith(("/read", "/useful")) else "get"
    path = path.format(n=BIG, thread=world["thread"].pk)
    assert_error(
        send(client, world, method, path, {} if method == "post" else None), 404, "not_found"
    )


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("member-list", {"page": BIG}),
        ("thread-list", {"page": BIG}),
        ("item-list", {"page": BIG}),
        ("session-list", {"page": BIG}),
        ("action-point-list", {"page": BIG, "owner": BIG}),
    ],
)
def test_huge_integers_on_web_pages_are_harmless(make_client, world, name, query):
    """A page number or id beyond 64 bits in a page's query string shows a normal page."""
    from django.urls import reverse

    url = reverse(name, kwargs={"slug": world["thread"].community.slug})
    assert make_client(world["facilitator"]).get(url, query).status_code == 200


# --- Found by fuzzing (tests/test_api_fuzz.py) -------------------------------------------------


@pytest.mark.parametrize("body", ["null", "[]", "1", '"cancel"', "true"])
def test_a_body_that_is_not_an_object_answers_422(client, world, body):
    """A JSON body must be an object. `null`, a list or a bare value used to pass as "every
    field left out": `null` cancelled a session."""
    start = timezone.now() + timedelta(days=7)
    future = meetings.session_create(
        community=world["past"].community,
        by=world["facilitator"],
        title="Volgende keer",
        location="Buurthuis",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    url = f"{world['base']}/sessions/{future.pk}/cancel"
    response = client.post(url, body, content_type="application/json", **world["headers"])
    body = assert_error(response, 422, "invalid")
    assert body["errors"] == {"__all__": ["Value error, Send a JSON object."]}
    future.refresh_from_db()
    assert future.status != "cancelled"


def test_a_list_of_objects_is_still_read_where_the_body_is_a_list(client, world):
    """Attendance takes a list of objects; each must be an object."""
    url = f"/sessions/{world['past'].pk}/attendance"
    response = send(client, world, "put", url, ["attended"])
    body = assert_error(response, 422, "invalid")
    assert body["errors"] == {"0": ["Value error, Send a JSON object."]}


@pytest.mark.parametrize("value", ["0", "1700000000", "1.5", "yesterday"])
def test_a_date_must_be_written_in_iso_8601(client, world, value):
    """`as_of=0` used to mean 1 January 1970: pydantic reads numbers as Unix time. Dates are
    documented as ISO 8601 (`format: date`) and only that is read."""
    response = send(client, world, "get", "/insights", {"as_of": value})
    body = assert_error(response, 422, "invalid")
    assert body["errors"] == {"as_of": ["Value error, Write the date as YYYY-MM-DD (ISO 8601)."]}


def test_a_date_time_given_as_a_number_answers_422(client, world):
    later = timezone.now() + timedelta(days=30)
    data = {
        "title": "Extra",
        "location": "Stadhuis",
        "starts_at": int(later.timestamp()),
        "ends_at": (later + timedelta(hours=2)).isoformat(),
    }
    body = assert_error(send(client, world, "post", "/sessions", data), 422, "invalid")
    assert list(body["errors"]) == ["starts_at"]


def test_iso_dates_are_still_read(client, world):
    today = timezone.localdate().isoformat()
    assert send(client, world, "get", "/insights", {"as_of": today}).status_code == 200
