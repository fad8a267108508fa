"""Ground rules set together: propose, comment, agree, put into effect, and what moderation
judges against; the permission tables of every page and action; bad input answered clearly."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kring.communities.models import GroundRule, GroundRulesVersion, RulesOrigin
from kring.communities.services import community_create_with_rules, ground_rules_set
from kring.conversations import selectors as conversation_selectors
from kring.conversations.models import Notification, NotificationKind
from kring.decisions import services_rules
from kring.decisions.models import ProposalStatus, RulesAgreement, RulesComment, RulesProposal
from kring.decisions.selectors_rules import rules_diff
from kring.privacy.erasure import account_erase
from kring.privacy.erasure_policy import Contributions
from kring.privacy.export_sections_decisions import rules_agreed, rules_comments

START = ["We listen to each other", "What is said here stays here"]
NEW = ["We listen to each other", "We speak from our own practice", "Phones away"]


@pytest.fixture
def ruled(cast):
    """The cast's community with two ground rules set by the facilitator (version 1)."""
    community, people = cast
    ground_rules_set(community=community, by=people["facilitator"], rules=START)
    return community, people


def propose(community, people, rules=NEW, **kwargs):
    return services_rules.rules_propose(
        community=community, by=people["facilitator"], rules=rules, **kwargs
    )


# --- the services --------------------------------------------------------------------------


def test_rules_set_at_the_start_are_version_one_not_yet_agreed(make_user):
    founder = make_user(can_create=True)
    community = community_create_with_rules(
        by=founder, name="Samen", slug="samen", ground_rules=START
    )
    version = GroundRulesVersion.objects.get(community=community)
    assert (version.number, version.rules, version.origin) == (1, START, RulesOrigin.SET)
    assert (version.agreed_count, list(version.agreed_by.all())) == (0, [])


def test_a_proposal_changes_nothing_until_it_takes_effect(ruled):
    """Moderation keeps judging against the rules in effect while a proposal is open."""
    community, people = ruled
    propose(community, people)
    in_effect = [r.text for r in conversation_selectors.ground_rules(community=community)]
    assert in_effect == START
    assert GroundRulesVersion.objects.filter(community=community).count() == 1


def test_the_agreed_version_is_recorded_with_its_date_and_who_agreed(ruled, voters):
    community, people = ruled
    kept = GroundRule.objects.get(community=community, text=START[0])
    proposal = propose(community, people, reason="Phones distract us.")
    for person in (voters[0], voters[1], people["facilitator"]):
        services_rules.rules_agree(proposal=proposal, by=person)
    services_rules.rules_agree(proposal=proposal, by=voters[2])
    services_rules.rules_agree(proposal=proposal, by=voters[2], agree=False)  # took it back

    services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])

    proposal.refresh_from_db()
    version = GroundRulesVersion.objects.get(community=community, number=2)
    assert proposal.status == ProposalStatus.ADOPTED and proposal.version == version
    assert (version.rules, version.origin, version.agreed_count) == (NEW, RulesOrigin.AGREED, 3)
    assert set(version.agreed_by.all()) == {voters[0], voters[1], people["facilitator"]}
    assert version.recorded_by == people["facilitator"]
    assert abs(proposal.decided_at - version.took_effect_at).total_seconds() < 5
    # Moderation now judges against the agreed version; a rule that stayed kept its row, so
    # flags made against it still point at it.
    in_effect = list(conversation_selectors.ground_rules(community=community))
    assert [r.text for r in in_effect] == NEW
    assert in_effect[0].pk == kept.pk


def test_agreeing_with_the_same_rules_records_them_as_agreed(ruled, voters):
    """Rules set by the facilitators may be agreed as they are: a new version, now agreed."""
    community, people = ruled
    proposal = propose(community, people, rules=START)
    services_rules.rules_agree(proposal=proposal, by=voters[0])
    services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])
    version = GroundRulesVersion.objects.get(community=community, number=2)
    assert (version.rules, version.origin) == (START, RulesOrigin.AGREED)
    with pytest.raises(ValidationError) as error:
        propose(community, people, rules=START)
    assert "in effect already" in error.value.message_dict["ground_rules"][0]


def test_facilitators_alone_cannot_put_rules_into_effect(ruled):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=people["facilitator"])
    with pytest.raises(ValidationError) as error:
        services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])
    assert "besides the facilitators" in error.value.messages[0]
    assert RulesProposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN
    assert [r.text for r in community.ground_rules.all()] == START


def test_someone_who_left_no_longer_counts(ruled, voters):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=voters[0])
    community.memberships.filter(user=voters[0]).delete()
    with pytest.raises(ValidationError):
        services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])


@pytest.mark.parametrize(
    ("rules", "reason", "field", "message"),
    [
        ([], "", "ground_rules", "Write at least one ground rule."),
        (["  ", ""], "", "ground_rules", "Write at least one ground rule."),
        (["x" * 301], "", "ground_rules", "Keep each ground rule to 300 characters."),
        ([f"rule {n}" for n in range(31)], "", "ground_rules", "Keep the list to 30"),
        (["Be kind"], "x" * 2001, "reason", "Keep the explanation to 2000 characters."),
    ],
)
def test_bad_proposals_are_refused_and_save_nothing(ruled, rules, reason, field, message):
    community, people = ruled
    with pytest.raises(ValidationError) as error:
        propose(community, people, rules=rules, reason=reason)
    assert error.value.message_dict[field][0].startswith(message)
    assert not RulesProposal.objects.exists()


def test_one_proposal_at_a_time(ruled):
    community, people = ruled
    propose(community, people)
    with pytest.raises(ValidationError) as error:
        propose(community, people, rules=["Something else"])
    assert "open already" in error.value.message_dict["ground_rules"][0]
    assert RulesProposal.objects.count() == 1


def test_comments_and_agreement_end_when_the_proposal_does(ruled, voters):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_withdraw(proposal=proposal, by=people["facilitator"])
    for act in (
        lambda: services_rules.rules_comment(proposal=proposal, by=voters[0], body="Hmm"),
        lambda: services_rules.rules_agree(proposal=proposal, by=voters[0]),
        lambda: services_rules.rules_adopt(proposal=proposal, by=people["facilitator"]),
        lambda: services_rules.rules_withdraw(proposal=proposal, by=people["facilitator"]),
    ):
        with pytest.raises(ValidationError):
            act()
    assert not RulesComment.objects.exists() and not RulesAgreement.objects.exists()
    assert [r.text for r in community.ground_rules.all()] == START


@pytest.mark.parametrize(
    ("body", "message"), [("   ", "Write your comment."), ("x" * 2001, "Keep your comment")]
)
def test_bad_comments_are_refused(ruled, voters, body, message):
    community, people = ruled
    proposal = propose(community, people)
    with pytest.raises(ValidationError) as error:
        services_rules.rules_comment(proposal=proposal, by=voters[0], body=body)
    assert error.value.message_dict["body"][0].startswith(message)


@pytest.mark.parametrize("who", ["guest", "outsider", "other facilitator"])
def test_guests_and_outsiders_neither_comment_nor_agree(ruled, who):
    community, people = ruled
    proposal = propose(community, people)
    with pytest.raises(PermissionDenied):
        services_rules.rules_comment(proposal=proposal, by=people[who], body="Hi")
    with pytest.raises(PermissionDenied):
        services_rules.rules_agree(proposal=proposal, by=people[who])


def test_every_member_hears_of_a_proposal_in_kring_only(ruled, voters):
    community, people = ruled
    mail.outbox.clear()
    propose(community, people)
    told = Notification.objects.filter(kind=NotificationKind.RULES_PROPOSED)
    assert set(told.values_list("recipient", flat=True)) >= {v.pk for v in voters}
    assert people["facilitator"].pk not in set(told.values_list("recipient", flat=True))
    notification = told.filter(recipient=voters[0]).get()
    assert notification.get_absolute_url() == (
        reverse("ground-rules", args=[community.slug]) + "#proposal"
    )
    assert mail.outbox == []


def test_rules_diff_marks_new_kept_and_dropped():
    lines = rules_diff(["a", "b"], ["b", "c"])
    assert [(line.text, line.change) for line in lines] == [
        ("b", "kept"),
        ("c", "added"),
        ("a", "removed"),
    ]


def test_erasing_someone_keeps_the_count_and_drops_their_name(ruled, voters):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_comment(proposal=proposal, by=voters[0], body="Agreed, and thanks.")
    services_rules.rules_agree(proposal=proposal, by=voters[0])
    services_rules.rules_agree(proposal=proposal, by=voters[1])
    services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])
    exported = list(rules_agreed(voters[0]))
    assert {"version": 2} in [{"version": row.get("version")} for row in exported]
    assert [row["body"] for row in rules_comments(voters[0])] == ["Agreed, and thanks."]

    account_erase(user=voters[0], contributions=Contributions.REMOVE, by=voters[0])

    version = GroundRulesVersion.objects.get(community=community, number=2)
    assert version.agreed_count == 2
    assert list(version.agreed_by.all()) == [voters[1]]
    assert not RulesComment.objects.exists()


# --- the pages -----------------------------------------------------------------------------

# Anonymous people are sent to log in (a redirect, but nothing done).
LOGIN = "login"


def status_of(response) -> int | str:
    if response.status_code == 302 and "/login" in response["Location"]:
        return LOGIN
    return response.status_code


READERS = [
    ("anonymous", 302),
    ("outsider", 404),
    ("other facilitator", 404),
    ("guest", 200),
    ("member", 200),
    ("core", 200),
    ("facilitator", 200),
    ("platform admin", 200),
]


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_reads_the_ground_rules_page(ruled, make_client, who, status):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_comment(proposal=proposal, by=people["member"], body="Phones: yes!")
    response = make_client(people[who]).get(reverse("ground-rules", args=[community.slug]))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Phones away" in text and "Phones: yes!" in text
        assert "We listen to each other" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN),
        ("outsider", 404),
        ("other facilitator", 404),
        ("guest", 403),
        ("member", 403),
        ("core", 302),
        ("facilitator", 302),
        ("platform admin", 302),
    ],
)
def test_who_proposes(ruled, make_client, who, status):
    """Facilitators and the core group propose; members comment and agree."""
    community, people = ruled
    url = reverse("ground-rules-propose", args=[community.slug])
    client = make_client(people[who])
    response = client.post(url, {"ground_rules": "\n".join(NEW), "reason": "Try it"})
    assert status_of(response) == status
    assert RulesProposal.objects.filter(community=community).exists() == (status == 302)
    if status == 302:
        assert client.get(url).status_code == 200


def test_a_bad_proposal_from_the_page_is_answered_on_the_page(ruled, make_client):
    community, people = ruled
    response = make_client(people["facilitator"]).post(
        reverse("ground-rules-propose", args=[community.slug]),
        {"ground_rules": "Be kind\n" + "x" * 301},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ground_rules"] == [
        "Keep each ground rule to 300 characters."
    ]
    assert not RulesProposal.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN),
        ("outsider", 404),
        ("other facilitator", 404),
        ("guest", 403),
        ("member", 302),
        ("core", 302),
        ("facilitator", 302),
        ("platform admin", 403),
    ],
)
def test_who_comments_and_agrees(ruled, make_client, who, status):
    community, people = ruled
    proposal = propose(community, people)
    client = make_client(people[who])
    args = [community.slug, proposal.pk]
    comment = client.post(reverse("ground-rules-comment", args=args), {"body": "Good idea"})
    agree = client.post(reverse("ground-rules-agree", args=args))
    assert (status_of(comment), status_of(agree)) == (status, status)
    assert RulesComment.objects.exists() == (status == 302)
    assert RulesAgreement.objects.exists() == (status == 302)
    if status == 302:
        client.post(reverse("ground-rules-agree", args=args), {"agree": "no"})
        assert not RulesAgreement.objects.exists()


def test_an_empty_comment_is_answered_on_the_page(ruled, make_client):
    community, people = ruled
    proposal = propose(community, people)
    response = make_client(people["member"]).post(
        reverse("ground-rules-comment", args=[community.slug, proposal.pk]), {"body": "  "}
    )
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"]
    assert not RulesComment.objects.exists()


@pytest.mark.parametrize(
    ("who", "adopt", "withdraw"),
    [
        ("anonymous", LOGIN, LOGIN),
        ("outsider", 404, 404),
        ("other facilitator", 404, 404),
        ("guest", 403, 403),
        ("member", 403, 403),
        ("core", 403, 403),
        ("facilitator", 302, 302),
        ("platform admin", 302, 302),
    ],
)
def test_who_puts_into_effect_and_withdraws(ruled, make_client, who, adopt, withdraw):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=people["member"])
    client = make_client(people[who])
    args = [community.slug, proposal.pk]
    assert status_of(client.post(reverse("ground-rules-withdraw", args=args))) == withdraw
    if withdraw == 302:
        proposal = propose(community, people, rules=["Phones away"])
        services_rules.rules_agree(proposal=proposal, by=people["member"])
        args = [community.slug, proposal.pk]
    assert status_of(client.post(reverse("ground-rules-adopt", args=args))) == adopt
    expected = ["Phones away"] if adopt == 302 else START
    assert [r.text for r in community.ground_rules.all()] == expected


def test_the_core_member_who_proposed_may_withdraw(ruled, make_client):
    community, people = ruled
    proposal = services_rules.rules_propose(community=community, by=people["core"], rules=NEW)
    response = make_client(people["core"]).post(
        reverse("ground-rules-withdraw", args=[community.slug, proposal.pk])
    )
    assert response.status_code == 302
    assert RulesProposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_adopting_without_the_group_is_answered_on_the_page(ruled, make_client):
    community, people = ruled
    proposal = propose(community, people)
    response = make_client(people["facilitator"]).post(
        reverse("ground-rules-adopt", args=[community.slug, proposal.pk])
    )
    assert response.status_code == 400
    assert "besides the facilitators" in response.content.decode()


def test_a_proposal_of_another_community_is_not_found(ruled, make_client, make_community):
    community, people = ruled
    proposal = propose(community, people)
    elsewhere = make_community(by=people["facilitator"], name="Elders")
    response = make_client(people["facilitator"]).post(
        reverse("ground-rules-agree", args=[elsewhere.slug, proposal.pk])
    )
    assert response.status_code == 404


def test_the_community_page_says_how_the_rules_were_agreed(ruled, voters, make_client):
    community, people = ruled
    proposal = propose(community, people)
    services_rules.rules_agree(proposal=proposal, by=voters[0])
    services_rules.rules_adopt(proposal=proposal, by=people["facilitator"])
    text = make_client(people["member"]).get(community.get_absolute_url()).content.decode()
    assert "agreed together on" in text and "by 1 member" in text
    assert reverse("ground-rules", args=[community.slug]) in text


def test_the_community_page_shows_what_is_open_to_decide(ruled, make_client):
    """Beside the feed: the open proposal and polls, until the viewer has had their say."""
    from kring.decisions import services as poll_services
    from kring.decisions.tests.conftest import make_poll

    community, people = ruled
    proposal = propose(community, people)
    poll = make_poll(community, people["facilitator"], question="Where shall we meet?")
    client = make_client(people["member"])
    text = client.get(community.get_absolute_url()).content.decode()
    assert "To decide together" in text and "Where shall we meet?" in text
    assert "New ground rules are proposed" in text

    services_rules.rules_agree(proposal=proposal, by=people["member"])
    option = poll.options.first()
    poll_services.poll_vote(poll=poll, by=people["member"], answers={option.pk: "yes"})
    text = client.get(community.get_absolute_url()).content.decode()
    assert "To decide together" not in text
    outsider = make_client(people["outsider"]).get(community.get_absolute_url())
    assert "To decide together" not in outsider.content.decode()
