"""The ground-rules API: who may do what (every endpoint, every role), the document it
answers, and bad input that saves nothing."""

import json

import pytest

from kring.communities.models import GroundRulesVersion
from kring.communities.services import ground_rules_set
from kring.decisions import services_rules
from kring.decisions.models import ProposalStatus, RulesAgreement, RulesComment, RulesProposal

pytestmark = pytest.mark.django_db

START = ["We listen to each other", "What is said here stays here"]
NEW = ["We listen to each other", "We speak from our own practice", "Phones away"]

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


@pytest.fixture
def ruled(cast):
    """The cast's community with two ground rules set by the facilitator (version 1)."""
    community, people = cast
    ground_rules_set(community=community, by=people["facilitator"], rules=START)
    return community, people


def url(community, rest: str = "") -> str:
    return f"/api/v1/communities/{community.slug}/ground-rules{rest}"


def headers_for(bearer, people, who) -> dict:
    return {} if people[who] is None else bearer(people[who])


def post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def propose(community, people, rules=NEW, by="facilitator", **kwargs):
    return services_rules.rules_propose(community=community, by=people[by], rules=rules, **kwargs)


# --- who may do what -------------------------------------------------------------------------

# role -> (read, propose)
READ_AND_PROPOSE = {
    "anonymous": (401, 401),
    "outsider": (404, 404),
    "other facilitator": (404, 404),
    "guest": (200, 403),
    "member": (200, 403),
    "core": (200, 201),
    "facilitator": (200, 201),
    "platform admin": (200, 201),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_reads_and_proposes(ruled, client, bearer, who):
    """Everyone inside reads; facilitators, the core group and platform admins propose."""
    community, people = ruled
    headers = headers_for(bearer, people, who)
    got = (
        client.get(url(community), **headers).status_code,
        post(client, url(community, "/proposals"), {"rules": NEW}, headers).status_code,
    )
    assert got == READ_AND_PROPOSE[who]
    assert RulesProposal.objects.exists() == (got[1] == 201)


# role -> (comment, agree, take agreement back)
TAKE_PART = {
    "anonymous": (401, 401, 401),
    "outsider": (404, 404, 404),
    "other facilitator": (404, 404, 404),
    "guest": (403, 403, 403),
    "member": (201, 200, 200),
    "core": (201, 200, 200),
    "facilitator": (201, 200, 200),
    "platform admin": (403, 403, 403),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_comments_and_agrees(ruled, client, bearer, who):
    """Members, the core group and facilitators comment and agree; guests and platform
    admins from outside do not."""
    community, people = ruled
    proposal = propose(community, people)
    headers = headers_for(bearer, people, who)
    base = url(community, f"/proposals/{proposal.pk}")
    comment = post(client, f"{base}/comments", {"body": "Good idea"}, headers)
    agree = post(client, f"{base}/agreement", {}, headers)
    agreed = RulesAgreement.objects.exists()
    back = client.delete(f"{base}/agreement", **headers)
    assert (comment.status_code, agree.status_code, back.status_code) == TAKE_PART[who]
    assert RulesComment.objects.exists() == (comment.status_code == 201)
    assert agreed == (agree.status_code == 200)
    assert not RulesAgreement.objects.exists()


# role -> (withdraw, adopt)
DECIDE = {
    "anonymous": (401, 401),
    "outsider": (404, 404),
    "other facilitator": (404, 404),
    "guest": (403, 403),
    "member": (403, 403),
    "core": (403, 403),
    "facilitator": (200, 200),
    "platform admin": (200, 200),
}


@pytest.mark.parametrize("who", ROLES)
def test_who_withdraws_and_puts_into_effect(ruled, client, bearer, who):
    """Facilitators and platform admins withdraw a proposal and put one into effect."""
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=people["member"])
    headers = headers_for(bearer, people, who)
    withdraw = post(client, url(community, f"/proposals/{proposal.pk}/withdraw"), {}, headers)
    if withdraw.status_code == 200:
        proposal = propose(community, people, rules=["Phones away"])
        services_rules.rules_agree(proposal=proposal, by=people["member"])
    adopt = post(client, url(community, f"/proposals/{proposal.pk}/adopt"), {}, headers)
    assert (withdraw.status_code, adopt.status_code) == DECIDE[who]
    expected = ["Phones away"] if adopt.status_code == 200 else START
    assert [r.text for r in community.ground_rules.all()] == expected


def test_the_core_member_who_proposed_may_withdraw(ruled, client, bearer):
    """A core member withdraws their own proposal; the rules in effect stay."""
    community, people = ruled
    proposal = propose(community, people, by="core")
    response = post(
        client, url(community, f"/proposals/{proposal.pk}/withdraw"), {}, bearer(people["core"])
    )
    assert response.status_code == 200
    assert response.json()["proposal"] is None
    assert RulesProposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_a_proposal_of_another_community_is_not_found(ruled, client, bearer, make_community):
    """A facilitator of two communities names the other's proposal: 404, nothing changes."""
    community, people = ruled
    proposal = propose(community, people)
    elsewhere = make_community(by=people["facilitator"], name="Elders")
    headers = bearer(people["facilitator"])
    base = url(elsewhere, f"/proposals/{proposal.pk}")
    for rest in ("/comments", "/agreement", "/adopt", "/withdraw"):
        assert post(client, base + rest, {"body": "Hi"}, headers).status_code == 404, rest
    assert client.delete(f"{base}/agreement", **headers).status_code == 404
    assert not RulesComment.objects.exists() and not RulesAgreement.objects.exists()
    assert RulesProposal.objects.get().status == ProposalStatus.OPEN


# --- what it answers -------------------------------------------------------------------------


def test_the_whole_round(ruled, voters, client, bearer):
    """Propose (201), comment (201), agree, take it back, agree again, put into effect: the
    document says at each step what is in effect and what is open."""
    community, people = ruled
    headers = bearer(people["facilitator"])
    first = client.get(url(community), **bearer(people["member"])).json()
    assert first["rules"] == START and first["proposal"] is None
    assert first["version"]["number"] == 1 and first["version"]["origin"] == "set"
    assert first["version"]["agreed_count"] == 0
    assert first["can_propose"] is False and first["can_take_part"] is True

    created = post(
        client, url(community, "/proposals"), {"rules": NEW, "reason": "Phones distract"}, headers
    )
    assert created.status_code == 201, created.content
    proposal = created.json()
    assert proposal["rules"] == NEW and proposal["reason"] == "Phones distract"
    assert proposal["proposed_by"] == {"id": people["facilitator"].pk, "name": "Fenna Facilitator"}
    assert proposal["agreements"] == 0 and proposal["you_agree"] is False
    assert proposal["can_adopt"] is True and proposal["can_withdraw"] is True
    base = url(community, f"/proposals/{proposal['id']}")

    member = bearer(people["member"])
    comment = post(client, f"{base}/comments", {"body": "  Phones off, yes.  "}, member)
    assert comment.status_code == 201
    assert comment.json()["body"] == "Phones off, yes."
    assert comment.json()["author"] == {"id": people["member"].pk, "name": "Mo Member"}
    agreed = post(client, f"{base}/agreement", {}, member).json()
    assert agreed["you_agree"] is True and agreed["agreements"] == 1
    assert agreed["members_agreeing"] == 1
    assert post(client, f"{base}/agreement", {}, member).json()["agreements"] == 1
    assert client.delete(f"{base}/agreement", **member).json()["you_agree"] is False
    post(client, f"{base}/agreement", {}, member)
    post(client, f"{base}/agreement", {}, bearer(voters[0]))

    seen = client.get(url(community), **bearer(people["guest"])).json()
    assert seen["proposal"]["agreements"] == 2 and seen["proposal"]["you_agree"] is False
    assert [c["body"] for c in seen["proposal"]["comments"]] == ["Phones off, yes."]
    assert seen["proposal"]["can_adopt"] is False and seen["can_take_part"] is False

    adopted = post(client, f"{base}/adopt", {}, headers)
    assert adopted.status_code == 200, adopted.content
    body = adopted.json()
    assert body["rules"] == NEW and body["proposal"] is None and body["can_propose"] is True
    assert body["version"]["number"] == 2 and body["version"]["origin"] == "agreed"
    assert body["version"]["agreed_count"] == 2
    late = post(client, f"{base}/comments", {"body": "Too late?"}, member)
    assert late.status_code == 422
    assert late.json()["detail"] == "This proposal is no longer open."


# --- bad input -------------------------------------------------------------------------------

BAD_PROPOSALS = [
    ({"rules": []}, "rules", "Write at least one ground rule."),
    ({"rules": ["  ", ""]}, "rules", "Write at least one ground rule."),
    ({"rules": ["x" * 301]}, "rules", "Keep each ground rule to 300 characters."),
    ({"rules": ["x" * 1001]}, "rules.0", "at most 1000 characters"),
    ({"rules": [f"Rule {n}" for n in range(31)]}, "rules", "30 ground rules at most"),
    ({"rules": ["A"] * 101}, "rules", "at most 100 items"),
    ({"rules": "Be kind"}, "rules", "valid list"),
    ({"rules": NEW, "reason": "x" * 2001}, "reason", "Keep the explanation to 2000 characters."),
    ({"reason": "Why"}, "rules", "Field required"),
]


@pytest.mark.parametrize(("body", "field", "message"), BAD_PROPOSALS)
def test_a_bad_proposal_is_422_and_saves_nothing(ruled, client, bearer, body, field, message):
    """Every wrong field answers 422 with the message next to it, under the API's own field
    names; nothing is saved."""
    community, people = ruled
    response = post(client, url(community, "/proposals"), body, bearer(people["facilitator"]))
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert any(message in m for m in data["errors"][field]), data
    assert not RulesProposal.objects.exists()


def test_proposing_the_agreed_rules_again_is_422(ruled, client, bearer):
    """Once agreed, the same list is no proposal."""
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=people["member"])
    services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])
    response = post(
        client, url(community, "/proposals"), {"rules": NEW}, bearer(people["facilitator"])
    )
    assert response.status_code == 422
    assert response.json()["errors"]["rules"] == [
        "These are the ground rules in effect already. Change something to propose it."
    ]
    assert RulesProposal.objects.count() == 1


def test_a_second_open_proposal_is_422(ruled, client, bearer):
    """While one proposal is open, a second is 422 and not saved."""
    community, people = ruled
    propose(community, people)
    response = post(
        client, url(community, "/proposals"), {"rules": ["Phones away"]}, bearer(people["core"])
    )
    assert response.status_code == 422
    assert "A proposal is open already" in response.json()["errors"]["rules"][0]
    assert RulesProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"body": "   "}, "Write your comment."),
        ({"body": "x" * 2001}, "Keep your comment to 2000 characters."),
        ({"body": "x" * 10_001}, "at most 10000 characters"),
        ({}, "Field required"),
        ({"body": None}, "valid string"),
    ],
)
def test_a_bad_comment_is_422_and_saves_nothing(ruled, client, bearer, body, message):
    """An empty, oversized or missing comment is 422 next to `body`; nothing is saved."""
    community, people = ruled
    proposal = propose(community, people)
    response = post(
        client,
        url(community, f"/proposals/{proposal.pk}/comments"),
        body,
        bearer(people["member"]),
    )
    assert response.status_code == 422, response.content
    assert any(message in m for m in response.json()["errors"]["body"])
    assert not RulesComment.objects.exists()


def test_putting_into_effect_without_the_group_is_422(ruled, client, bearer):
    """Only facilitators agreed: the rules stay as they are, the proposal stays open."""
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=people["facilitator"])
    response = post(
        client,
        url(community, f"/proposals/{proposal.pk}/adopt"),
        {},
        bearer(people["facilitator"]),
    )
    assert response.status_code == 422
    assert "besides the facilitators" in response.json()["detail"]
    assert [r.text for r in community.ground_rules.all()] == START
    assert GroundRulesVersion.objects.count() == 1
    assert RulesProposal.objects.get().status == ProposalStatus.OPEN


def test_agreeing_with_a_withdrawn_proposal_is_422(ruled, client, bearer):
    """Agreeing with a withdrawn proposal is 422 and records nothing."""
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_withdraw(proposal=proposal, by=people["facilitator"])
    response = post(
        client,
        url(community, f"/proposals/{proposal.pk}/agreement"),
        {},
        bearer(people["member"]),
    )
    assert response.status_code == 422
    assert not RulesAgreement.objects.exists()
