"""The value stories API: the contract, who may do what, bad input that saves nothing."""

import json

import pytest

from kring.illuminate.models import ValueStory
from kring.knowledge.models import Kind
from kring.knowledge.services import item_create

pytestmark = pytest.mark.django_db

CYCLE_KEYS = {"immediate", "potential", "applied", "realised", "reframing"}


def _base(circle):
    return f"/api/v1/communities/{circle.community.slug}/value-stories"


def _send(client, method, url, body, headers):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **headers
    )


def test_create_get_list_patch_delete(circle, client, bearer):
    """The whole round: create (201), get, list (paged), change, delete (204)."""
    item = item_create(
        community=circle.community, by=circle.facilitator, kind=Kind.TOOLKIT, title="Toolkit"
    )
    headers = bearer(circle.teller)
    body = {
        "title": "A tool that helped",
        "cycles": {"immediate": "I read the toolkit.", "applied": "I used step 2."},
        "consent": "public",
        "items": [item.pk],
        "people": [circle.member.pk],
    }
    created = _send(client, "post", _base(circle), body, headers)
    assert created.status_code == 201, created.content
    story = created.json()
    assert set(story["cycles"]) == CYCLE_KEYS
    assert story["cycles"]["applied"] == "I used step 2."
    assert story["cycles"]["realised"] == ""
    assert story["consent"] == "public"
    assert story["items"] == [item.pk]
    assert story["people"] == [{"id": circle.member.pk, "name": "Mo Member"}]
    assert story["author"]["id"] == circle.teller.pk
    url = f"{_base(circle)}/{story['id']}"
    assert client.get(url, **headers).json()["title"] == "A tool that helped"
    listed = client.get(_base(circle), **bearer(circle.member)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == story["id"]
    changed = _send(
        client, "patch", url, {"cycles": {"realised": "Fewer calls."}, "consent": "report"}, headers
    )
    assert changed.status_code == 200
    assert changed.json()["cycles"]["realised"] == "Fewer calls."
    assert changed.json()["cycles"]["immediate"] == "I read the toolkit."
    assert changed.json()["consent"] == "report"
    assert client.delete(url, **headers).status_code == 204
    assert not ValueStory.objects.exists()


# role -> (list, get, create, patch, delete)
TABLE = {
    "outsider": (404, 404, 404, 404, 404),
    "guest": (200, 200, 201, 403, 403),
    "member": (200, 200, 201, 403, 403),
    "teller": (200, 200, 201, 200, 204),
    "facilitator": (200, 200, 201, 403, 204),
    "admin": (200, 200, 403, 403, 204),
}


@pytest.mark.parametrize("role", TABLE)
def test_permission_table(circle, client, bearer, make_story, role):
    """Members read and tell; the teller changes; teller and facilitators delete; outsiders
    get 404."""
    story = make_story()
    headers = bearer(getattr(circle, role))
    url = f"{_base(circle)}/{story.pk}"
    got = (
        client.get(_base(circle), **headers).status_code,
        client.get(url, **headers).status_code,
        _send(
            client, "post", _base(circle), {"title": "T", "cycles": {"potential": "x"}}, headers
        ).status_code,
        _send(client, "patch", url, {"title": "Changed"}, headers).status_code,
        client.delete(url, **headers).status_code,
    )
    assert got == TABLE[role]


def test_anonymous_gets_401(circle, client, make_story):
    """Without a token the API answers 401."""
    story = make_story()
    assert client.get(_base(circle)).status_code == 401
    assert client.get(f"{_base(circle)}/{story.pk}").status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"consent": "everyone"}, "consent", "Choose who may read the story"),
        ({"cycles": {"hope": "x"}}, "cycles", "Unknown cycle: hope"),
        ({"cycles": {"immediate": ""}}, "cycles", "Tell at least one part"),
        ({"cycles": {"immediate": "x" * 2001}}, "immediate", "2000"),
        ({"title": ""}, "title", "Give your story a title"),
        ({"perspective": "martian"}, "perspective", "No perspective"),
        ({"people": [999999]}, "people", "not a member"),
    ],
)
def test_bad_input_is_422_and_saves_nothing(circle, client, bearer, body, field, message):
    """Unknown consent or cycle, an empty or oversized story: 422 with a clear message."""
    payload = {"title": "T", "cycles": {"immediate": "x"}, **body}
    response = _send(client, "post", _base(circle), payload, bearer(circle.teller))
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert any(message in m for m in data["errors"][field]), data
    assert not ValueStory.objects.exists()


def test_evidence_from_another_community_is_422(circle, client, bearer, make_community):
    """An item of another community is refused by id."""
    other = make_community()
    item = item_create(community=other, by=other.created_by, kind=Kind.TOOLKIT, title="Far")
    payload = {"title": "T", "cycles": {"immediate": "x"}, "items": [item.pk]}
    response = _send(client, "post", _base(circle), payload, bearer(circle.teller))
    assert response.status_code == 422
    assert "No library item" in response.json()["detail"]
    assert not ValueStory.objects.exists()


def test_list_filters_and_bad_cycle(circle, client, bearer, make_story):
    """?cycle= keeps the stories telling that cycle; an unknown one is 422."""
    make_story(title="Only immediate", cycles={"immediate": "x"})
    make_story(title="Applied too", cycles={"immediate": "x", "applied": "y"})
    headers = bearer(circle.member)
    titles = [
        s["title"]
        for s in client.get(_base(circle), {"cycle": "applied"}, **headers).json()["items"]
    ]
    assert titles == ["Applied too"]
    assert client.get(_base(circle), {"cycle": "dreams"}, **headers).status_code == 422


def test_list_query_count_does_not_grow(
    circle, client, bearer, make_story, django_assert_num_queries
):
    """A page of 3 stories and a page of 20 take the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(circle.member)
    for n in range(3):
        make_story(title=f"S{n}", people=[circle.member])
    client.get(_base(circle), **headers)  # warm: what is looked up once per process
    with CaptureQueriesContext(connection) as few:
        client.get(_base(circle), **headers)
    for n in range(20):
        make_story(title=f"M{n}", people=[circle.member])
    with django_assert_num_queries(len(few)):
        client.get(_base(circle), **headers)
