"""GET /api/v1/communities/{slug}/development and the facilitators' decisions over HTTP:
who may read and write, the member's view without names, the same document as the CLI,
bad input."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kring.core.testing import assert_error
from kring.growth.models import Mandate, StageCorrection, StepOverride
from kring.growth.tests.conftest import NAMES, READERS

pytestmark = pytest.mark.django_db


def url(community, rest: str = "", **query) -> str:
    base = f"/api/v1/communities/{community.slug}/development{rest}"
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_reads_the_path(client, bearer, cast, who, status):
    """Members and facilitators read the path; outsiders of a public community get 404."""
    community, people = cast
    response = client.get(url(community), **bearer(people[who], scope="read"))
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert list(body) == ["stage", "steps"]
        assert [s["key"] for s in body["steps"]] == [
            "theme",
            "urgency",
            "perspectives",
            "mandate",
            "facilitators",
            "ownership",
            "act_reflect",
            "rhythm",
            "results",
        ]


def test_anonymous_gets_401(client, cast):
    """Without a token or session the API asks for one."""
    community, _people = cast
    assert_error(client.get(url(community)), 401, "unauthenticated")


@pytest.mark.parametrize("who", ["member", "guest", "core"])
def test_members_read_no_names(client, bearer, cast, who):
    """A member's document names nobody: no evidence per person, no notes, no authors."""
    community, people = cast
    body = client.get(url(community), **bearer(people[who])).json()
    text = json.dumps(body, ensure_ascii=False)
    for name in NAMES:
        assert name not in text
    urgency = next(s for s in body["steps"] if s["key"] == "urgency")
    assert urgency["override"]["kind"] == "overridden"
    assert urgency["override"]["note"] is None and urgency["override"]["by"] is None


def test_facilitators_read_the_names(client, bearer, cast):
    """The facilitators' document names who leads, who decided and why."""
    community, people = cast
    body = client.get(url(community), **bearer(people["facilitator"])).json()
    text = json.dumps(body, ensure_ascii=False)
    for name in NAMES:
        assert name in text


def test_the_api_and_the_cli_give_the_same_document(client, bearer, cast):
    """`kring development SLUG --json` prints what the API answers a facilitator."""
    community, people = cast
    out = StringIO()
    call_command("development", community.slug, "--json", stdout=out)
    assert (
        json.loads(out.getvalue())
        == client.get(url(community), **bearer(people["facilitator"])).json()
    )
    day = (timezone.localdate() - timedelta(days=100)).isoformat()
    out = StringIO()
    call_command("development", community.slug, "--as-of", day, "--json", stdout=out)
    answer = client.get(url(community, as_of=day), **bearer(people["facilitator"])).json()
    assert json.loads(out.getvalue()) == answer


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("yesterday", "as_of"),
        ("2026-02-30", "as_of"),
        ("9999-01-01", "Choose a date between 1900 and 2200."),
        ("1950-01-01", "The community did not exist yet on that day"),
    ],
)
def test_bad_as_of_is_refused_clearly(client, bearer, cast, as_of, message):
    """A date that is no date, outside Kring's years or before the community began: 422."""
    community, people = cast
    body = assert_error(
        client.get(url(community, as_of=as_of), **bearer(people["facilitator"])), 422, "invalid"
    )
    assert message in json.dumps(body)


def test_a_future_as_of_is_refused(client, bearer, cast):
    """A day still to come: 422 saying so."""
    community, people = cast
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = assert_error(
        client.get(url(community, as_of=tomorrow), **bearer(people["facilitator"])), 422, "invalid"
    )
    assert body["errors"]["as_of"] == ["Choose a day that has passed, not one in the future."]


WRITERS = [
    ("facilitator", 201),
    ("platform admin", 201),
    ("core", 403),
    ("member", 403),
    ("guest", 403),
    ("outsider", 404),
    ("other facilitator", 404),
]


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_overrides_a_step(client, bearer, cast, who, status):
    """Facilitators and platform admins confirm or override a step; nobody else."""
    community, people = cast
    before = StepOverride.objects.count()
    response = post(
        client,
        url(community, "/steps/rhythm"),
        {"status": "done", "note": "We meet monthly, offline too"},
        bearer(people[who]),
    )
    assert response.status_code == status
    assert StepOverride.objects.count() == before + (status == 201)
    if status == 201:
        body = response.json()
        assert body["key"] == "rhythm" and body["status"] == "done"
        assert body["override"]["kind"] == "overridden"


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_records_the_mandate(client, bearer, cast, who, status):
    """Facilitators and platform admins record the mandate; nobody else."""
    community, people = cast
    before = Mandate.objects.count()
    response = post(
        client,
        url(community, "/mandate"),
        {"given_by": "The care insurer", "scope": "New home visits", "on": "2026-01-10"},
        bearer(people[who]),
    )
    assert response.status_code == status
    assert Mandate.objects.count() == before + (status == 201)


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_corrects_the_stage(client, bearer, cast, who, status):
    """Facilitators and platform admins correct the stage; the community shows it."""
    community, people = cast
    response = post(
        client,
        url(community, "/stage"),
        {"stage": "maturing", "note": "We know our focus"},
        bearer(people[who]),
    )
    assert response.status_code == status
    community.refresh_from_db()
    assert (community.stage == "maturing") is (status == 201)
    if status == 201:
        assert response.json()["key"] == "maturing"


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "/steps/rhythm",
            {"status": "great", "note": "x"},
            "status",
            "Choose done, partly or open.",
        ),
        ("/steps/rhythm", {"status": "done", "note": "  "}, "note", "Write a short note"),
        ("/steps/rhythm", {"status": "done", "note": "x" * 1001}, "note", "1000"),
        (
            "/steps/nonsense",
            {"status": "done", "note": "x"},
            "step",
            "Choose one of the nine steps.",
        ),
        (
            "/steps/rhythm",
            {"status": "done", "note": "x", "on": "2199-01-01"},
            "on",
            "Choose today",
        ),
        ("/steps/rhythm", {"status": "done"}, "note", "required"),
        ("/mandate", {"given_by": "", "scope": "x"}, "given_by", "Say who gave the room"),
        ("/mandate", {"given_by": "x", "scope": " "}, "scope", "Say what the participants"),
        ("/stage", {"stage": "dead", "note": "x"}, "stage", "Choose one of the life stages."),
        ("/stage", {"stage": "maturing", "note": "<script>" * 200}, "note", "1000"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_saved(
    client, bearer, cast, path, body, field, message
):
    """Unknown statuses, stages or steps, empty or oversized notes, future dates: 422 with
    the field's message; nothing is saved."""
    community, people = cast
    counts = (
        StepOverride.objects.count(),
        Mandate.objects.count(),
        StageCorrection.objects.count(),
    )
    answer = assert_error(
        post(client, url(community, path), body, bearer(people["facilitator"])), 422, "invalid"
    )
    assert message in " ".join(answer["errors"][field])
    after = (StepOverride.objects.count(), Mandate.objects.count(), StageCorrection.objects.count())
    assert after == counts


def test_the_communities_api_refuses_to_set_the_stage(client, bearer, cast):
    """PATCH /communities/{slug} with a stage: 422 pointing to the development path; the
    stage it reads is one of the life stages."""
    community, people = cast
    headers = bearer(people["facilitator"])
    response = client.patch(
        f"/api/v1/communities/{community.slug}",
        json.dumps({"stage": "maturing"}),
        content_type="application/json",
        **headers,
    )
    body = assert_error(response, 422, "invalid")
    assert "/development/stage" in body["errors"]["stage"][0]
    stage = client.get(f"/api/v1/communities/{community.slug}", **headers).json()["stage"]
    assert stage in ("potential", "coalescing", "maturing", "stewardship", "transformation")
