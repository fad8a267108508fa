"""GET /api/v1/communities/{slug}/insights: who may read it, the same document as the CLI,
the snapshot when it is fresh, and bad parameters."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.communities.models import Role, Visibility
from kring.conversations.verbs import ConversationVerb
from kring.insights.models import Snapshot
from kring.insights.services import snapshot_create
from kring.insights.tests.histories import act, backdate_everyone, join, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def kring(make_community, make_user, make_member, make_admin):
    """A public community (its existence is no secret) with people in every role."""
    facilitator = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=facilitator, name="Zorg thuis", visibility=Visibility.PUBLIC)
    backdate_everyone(community, local(2025, 1, 1))
    anna = join(community, make_user, at=local(2025, 2, 1), full_name="Anna Ånström")
    bram = join(community, make_user, at=local(2025, 2, 1), full_name="Bram")
    for week in range(20):
        moment = local(2026, 1, 5, 10) + timedelta(days=7 * week)
        act(anna, community, moment, ConversationVerb.ASKED)
        act(bram, community, moment, ConversationVerb.ANSWERED, other=anna)
    people = {
        "facilitator": facilitator,
        "second facilitator": make_member(community, role=Role.FACILITATOR).user,
        "core": make_member(community, role=Role.CORE).user,
        "member": anna,
        "guest": make_member(community, role=Role.GUEST).user,
        "outsider": make_user(),
        "platform admin": make_admin(),
    }
    return community, people


def url(community, **query) -> str:
    base = f"/api/v1/communities/{community.slug}/insights"
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("second facilitator", 200),
        ("platform admin", 200),
        ("core", 403),
        ("member", 403),
        ("guest", 403),
        ("outsider", 404),
    ],
)
def test_access(kring, make_client, who, status):
    """Facilitators and platform admins read the insights; members (any role) get 403, anyone
    else 404."""
    community, people = kring
    response = make_client(people[who]).get(url(community, as_of="2026-06-30"))
    assert response.status_code == status, response.content
    if status != 200:
        assert "coverage" not in response.json()


def test_anonymous_gets_401(kring, client):
    """Without a login or token: 401."""
    community, _people = kring
    response = client.get(url(community))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_unknown_community_is_404(kring, make_client):
    """A slug that does not exist: 404, also for a platform admin."""
    _community, people = kring
    response = make_client(people["platform admin"]).get("/api/v1/communities/nope/insights")
    assert response.status_code == 404


def test_private_community_outsider_404(make_community, make_user, make_client):
    """A private community's insights do not exist for outsiders."""
    community = make_community(visibility=Visibility.PRIVATE)
    response = make_client(make_user()).get(url(community))
    assert response.status_code == 404


def test_read_token_may_read(kring, client, bearer):
    """A facilitator's read-only token is enough; a member's token still gets 403."""
    community, people = kring
    response = client.get(
        url(community, as_of="2026-06-30"), **bearer(people["facilitator"], "read")
    )
    assert response.status_code == 200
    response = client.get(url(community, as_of="2026-06-30"), **bearer(people["member"], "read"))
    assert response.status_code == 403


def _all_pages(client, path: str) -> list[dict]:
    items, page = [], 1
    while True:
        response = client.get(path + ("&" if "?" in path else "?") + f"page={page}")
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if len(items) >= body["count"]:
            return items
        page += 1


def test_same_document_as_the_cli(kring, make_client):
    """For the same as_of and period, the summary, the members and the ties hold exactly what
    `kring insights --json` prints at once."""
    community, people = kring
    client = make_client(people["facilitator"])
    query = {"as_of": "2026-06-30", "period_days": 120}
    response = client.get(url(community, **query))
    assert response.status_code == 200
    assert response["X-Kring-Insights"] == "computed"
    summary = response.json()
    members = _all_pages(
        client, url(community, **query).replace("/insights?", "/insights/members?")
    )
    ties = _all_pages(client, url(community, **query).replace("/insights?", "/insights/ties?"))
    out = StringIO()
    call_command(
        "insights",
        community.slug,
        "--as-of",
        "2026-06-30",
        "--period-days",
        "120",
        "--json",
        stdout=out,
    )
    from_cli = json.loads(out.getvalue())
    assert from_cli["as_of"] == "2026-06-30T23:59:59.999999+02:00"
    assert from_cli["network"]["edges"]
    for key in ("community", "as_of", "period_days", "thresholds", "modularity", "coverage"):
        assert summary[key] == from_cli[key], key
    assert summary["suggestions"] == from_cli["suggestions"]
    assert summary["trends"] == from_cli["trends"]
    assert summary["group_sizes"] == [len(g) for g in from_cli["groups"]]
    assert summary["member_count"] == len(from_cli["members"])
    network = from_cli["network"]
    assert summary["network"] == {
        "density": network["density"],
        "tie_count": len(network["edges"]),
        "isolate_count": len(network["isolates"]),
        "brokers": network["brokers"],
        "perspective_ties": network["perspective_ties"],
        "new_ties": network["new_ties"],
    }
    assert [{k: v for k, v in m.items() if k not in ("broker", "isolate")} for m in members] == (
        from_cli["members"]
    )
    assert {m["email"] for m in members if m["isolate"]} == set(network["isolates"])
    assert {m["email"] for m in members if m["broker"]} == set(network["brokers"])
    pairs = {
        (frozenset((t["email"], m["email"])), t["weight"], t["strong"])
        for m in ties
        for t in m["ties"]
    }
    assert pairs == {
        (frozenset((e["a"], e["b"])), e["weight"], e["strong"]) for e in network["edges"]
    }
    assert sum(len(m["ties"]) for m in ties) == len(network["edges"])
    anna = next(m for m in members if m["name"] == "Anna Ånström")
    assert [s["kind"] for s in anna["signals"]] == ["drifting"]


def test_snapshot_parts_are_the_computed_document(kring, make_client):
    """Served from a fresh snapshot, the parts are what computing gives for the same moment."""
    community, people = kring
    snapshot = snapshot_create(community=community)
    client = make_client(people["facilitator"])
    from_snapshot = {
        "summary": client.get(url(community)).json(),
        "members": _all_pages(client, url(community).replace("/insights", "/insights/members")),
        "ties": _all_pages(client, url(community).replace("/insights", "/insights/ties")),
    }
    Snapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(hours=2), as_of=timezone.now() - timedelta(hours=2)
    )
    computed = {
        "summary": client.get(url(community)).json(),
        "members": _all_pages(client, url(community).replace("/insights", "/insights/members")),
        "ties": _all_pages(client, url(community).replace("/insights", "/insights/ties")),
    }
    for doc in (from_snapshot, computed):
        doc["summary"].pop("as_of")
    assert from_snapshot == computed
    assert len(computed["members"]) == computed["summary"]["member_count"] == 6


@pytest.mark.parametrize("part", ["/members", "/ties"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("platform admin", 200),
        ("core", 403),
        ("member", 403),
        ("guest", 403),
        ("outsider", 404),
    ],
)
def test_access_to_the_pages(kring, make_client, part, who, status):
    """The members and ties pages: the same people as the summary, from the snapshot."""
    community, people = kring
    snapshot_create(community=community)
    response = make_client(people[who]).get(url(community).replace("/insights", "/insights" + part))
    assert response.status_code == status, response.content
    if status != 200:
        assert "items" not in response.json()
    else:
        assert response["X-Kring-Insights"] == "snapshot"


def _community_of(make_community, make_user, size: int):
    facilitator = make_user()
    community = make_community(by=facilitator, visibility=Visibility.PUBLIC)
    backdate_everyone(community, local(2025, 1, 1))
    people = [join(community, make_user, at=local(2025, 2, 1)) for _ in range(size)]
    for i, person in enumerate(people):
        other = people[(i + 1) % len(people)]
        act(
            person,
            community,
            timezone.now() - timedelta(days=3),
            ConversationVerb.ANSWERED,
            other=other,
        )
    snapshot_create(community=community)
    return community, facilitator


@pytest.mark.parametrize("part", ["", "/members", "/ties"])
def test_queries_do_not_grow_with_the_community(
    make_community, make_user, make_client, django_assert_num_queries, part
):
    """The summary and a page of members or ties take as many queries for 3 members as for
    120 (more than a page)."""
    counts = []
    for size in (3, 120):
        community, facilitator = _community_of(make_community, make_user, size)
        client = make_client(facilitator)
        path = url(community).replace("/insights", "/insights" + part)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert response["X-Kring-Insights"] == "snapshot"
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_fresh_snapshot_is_served_without_as_of(kring, make_client):
    """Without as_of, a snapshot of less than an hour is served as it is (no new computation);
    an older one is not."""
    community, people = kring
    snapshot = snapshot_create(community=community)
    client = make_client(people["facilitator"])
    response = client.get(url(community))
    assert response["X-Kring-Insights"] == "snapshot"
    assert response.json()["as_of"] == snapshot.data["as_of"]

    Snapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(hours=2), as_of=timezone.now() - timedelta(hours=2)
    )
    response = client.get(url(community))
    assert response["X-Kring-Insights"] == "computed"
    assert response.json()["as_of"] != snapshot.data["as_of"]


def test_snapshot_of_another_period_is_not_served(kring, make_client):
    """Asking for another period than the snapshot's computes anew."""
    community, people = kring
    snapshot_create(community=community)
    response = make_client(people["facilitator"]).get(url(community, period_days=30))
    assert response["X-Kring-Insights"] == "computed"
    assert response.json()["period_days"] == 30


def test_reasons_follow_the_reader_language(kring, make_client):
    """The sentences are made for the reader: the snapshot stores facts, not text."""
    community, people = kring
    snapshot_create(community=community)
    client = make_client(people["facilitator"])
    doc = client.get(url(community).replace("/insights", "/insights/members")).json()
    assert all(isinstance(s["reason"], str) for m in doc["items"] for s in m["signals"])
    assert "reason" not in json.dumps(Snapshot.objects.get(community=community).data)


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "30-06-2026"},
        {"as_of": "2026-02-30"},
        {"as_of": "<script>alert(1)</script>"},
        {"period_days": 0},
        {"period_days": 99999},
        {"period_days": "many"},
    ],
)
def test_bad_parameters_are_422(kring, make_client, query):
    """A malformed date or period: 422 with the field named, nothing computed."""
    community, people = kring
    response = make_client(people["facilitator"]).get(url(community, **query))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == set(query)
    assert not Snapshot.objects.exists()


def test_as_of_in_the_future_is_422(kring, make_client):
    """The future has no insights yet."""
    community, people = kring
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = make_client(people["facilitator"]).get(url(community, as_of=tomorrow))
    assert response.status_code == 422
    assert "future" in response.json()["detail"]
    assert response.json()["code"] == "invalid"
    assert "as_of" in response.json()["errors"]


def test_as_of_before_1937_is_valid_rfc3339(kring, make_client):
    """Amsterdam's old offset (+00:19:32) has seconds, which RFC 3339 has not: such an
    as_of is written in UTC, the same moment."""
    community, people = kring
    response = make_client(people["facilitator"]).get(url(community, as_of="1920-06-30"))
    assert response.status_code == 200, response.content
    # Summer time then: +01:19:32.
    assert response.json()["as_of"] == "1920-06-30T22:40:27.999999+00:00"


def test_openapi_lists_the_parts(client):
    """The API's schema documents the summary and both paged parts."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for part in ("", "/members", "/ties"):
        operation = paths[f"/api/v1/communities/{{slug}}/insights{part}"]["get"]
        assert "facilitators" in operation["summary"]
    assert {
        p["name"] for p in paths["/api/v1/communities/{slug}/insights/ties"]["get"]["parameters"]
    } >= {
        "page",
        "as_of",
        "period_days",
    }


def test_a_page_past_any_table_is_empty(kring, make_client):
    """Found by the API fuzzing: a page whose offset is beyond what SQLite's integers hold was
    a server error; it is an empty page."""
    community, people = kring
    client = make_client(people["facilitator"])
    snapshot_create(community=community)
    members = url(community).replace("/insights", "/insights/members")
    response = client.get(f"{members}?page={10**18}")
    assert response.status_code == 200
    assert response.json()["items"] == []
