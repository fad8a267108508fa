"""The relations network on small graphs whose answers are known: betweenness on a path, two
groups joined by a bridge, isolates, session ties, perspective ties, growth per month, and the
coverage of perspectives."""

import pytest

from kring.accounts.models import Perspective
from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.insights.compute import compute
from kring.insights.compute.network import SESSION_TIE_WEIGHT
from kring.insights.tests.histories import act, backdate_everyone, join, local, member_of, session
from kring.knowledge.verbs import KnowledgeVerb

pytestmark = pytest.mark.django_db

AS_OF = local(2026, 6, 30, 12)


@pytest.fixture
def net(make_community, make_user):
    """A community with its facilitator (who interacts with no one: an isolate) and a
    `person(name)` factory for members who joined long before AS_OF."""
    facilitator = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=facilitator, name="Netwerk")
    backdate_everyone(community, local(2025, 1, 1))

    def person(name: str, perspectives=(), role=Role.MEMBER):
        user = join(
            community,
            make_user,
            at=local(2025, 2, 1),
            role=role,
            full_name=name,
            email=f"{name.lower()}@example.org",
        )
        if perspectives:
            user.perspectives.set(Perspective.objects.filter(key__in=perspectives))
        return user

    def tie(a, b, at=None, verb=ConversationVerb.REPLIED):
        act(a, community, at or local(2026, 6, 1, 10), verb, other=b)

    def doc(**kw):
        return compute(community=community, as_of=AS_OF, **kw)

    net = type("Net", (), {})()
    net.community, net.facilitator, net.person, net.tie, net.doc = (
        community,
        facilitator,
        person,
        tie,
        doc,
    )
    return net


def test_path_middle_has_highest_betweenness(net):
    """On a path a–b–c, b lies on the only shortest path between a and c: the highest
    betweenness, the broker; the facilitator, with no ties, is an isolate."""
    a, b, c = net.person("Ada"), net.person("Bob"), net.person("Cas")
    net.tie(a, b)
    net.tie(b, c)
    doc = net.doc()
    between = {m["email"]: m["betweenness"] for m in doc["members"]}
    assert between[b.email] > 0
    assert between[a.email] == between[c.email] == 0
    # Normalised by the (n-1)(n-2)/2 pairs of the other people; n = 4 with the facilitator.
    assert between[b.email] == pytest.approx(1 / 3)
    assert doc["network"]["brokers"] == [b.email]
    assert doc["network"]["isolates"] == [net.facilitator.email]
    assert member_of(doc, b.email)["degree"] == 2
    assert member_of(doc, a.email)["degree"] == 1
    assert member_of(doc, net.facilitator.email)["group"] is None
    assert doc["groups"] == [[a.email, b.email, c.email]]


def test_two_triangles_and_a_bridge(net):
    """Two triangles joined by one tie: two groups, the two bridge people are the brokers,
    modularity above 0.3."""
    a1, a2, a3 = net.person("Ann"), net.person("Aart"), net.person("Aisha")
    b1, b2, b3 = net.person("Bea"), net.person("Bart"), net.person("Bilal")
    for x, y in ((a1, a2), (a2, a3), (a1, a3), (b1, b2), (b2, b3), (b1, b3), (a1, b1)):
        net.tie(x, y)
    doc = net.doc()
    groups = sorted(sorted(g) for g in doc["groups"])
    assert groups == [
        sorted([a1.email, a2.email, a3.email]),
        sorted([b1.email, b2.email, b3.email]),
    ]
    assert member_of(doc, a2.email)["group"] == member_of(doc, a3.email)["group"]
    assert member_of(doc, a1.email)["group"] != member_of(doc, b1.email)["group"]
    assert sorted(doc["network"]["brokers"]) == sorted([a1.email, b1.email])
    assert doc["modularity"] > 0.3
    assert doc["network"]["isolates"] == [net.facilitator.email]
    # 7 ties among 7 people: 7 / 21.
    assert doc["network"]["density"] == pytest.approx(7 / 21, abs=1e-6)


def test_every_tie_verb_makes_a_tie_and_other_verbs_do_not(net):
    """Replies, answers, accepted answers, mentions, 'useful', comments and direct messages
    tie two people; asking a question does not."""
    hub = net.person("Hub")
    tie_verbs = [
        ConversationVerb.REPLIED,
        ConversationVerb.ANSWERED,
        ConversationVerb.ANSWER_ACCEPTED,
        ConversationVerb.MENTIONED,
        ConversationVerb.REACTED,
        KnowledgeVerb.MARKED_USEFUL,
        KnowledgeVerb.COMMENTED,
    ]
    spokes = [net.person(f"Spoke{i}") for i in range(len(tie_verbs) + 2)]
    for spoke, verb in zip(spokes, tie_verbs, strict=False):
        net.tie(spoke, hub, verb=verb)
    messenger, asker = spokes[-2], spokes[-1]
    # A direct message has no community, as the conversations app records it.
    from kring.core.services import activity_record

    activity_record(
        actor=messenger, verb=ConversationVerb.MESSAGED, other=hub, at=local(2026, 6, 2)
    )
    act(asker, net.community, local(2026, 6, 2), ConversationVerb.ASKED, other=hub)
    doc = net.doc()
    assert member_of(doc, hub.email)["strong_degree"] == len(tie_verbs) + 1
    assert asker.email in doc["network"]["isolates"]
    assert messenger.email not in doc["network"]["isolates"]


def test_ties_outside_the_period_do_not_count(net):
    """A reply from before the network period is no tie now; with a longer period it is."""
    a, b = net.person("Old"), net.person("Tie")
    net.tie(a, b, at=local(2026, 1, 10))
    assert sorted(net.doc()["network"]["isolates"]) == sorted(
        [a.email, b.email, "fenna@example.org"]
    )
    assert a.email not in net.doc(period_days=365)["network"]["isolates"]


def test_shared_session_is_a_weaker_tie(net):
    """People in the same session get a tie of weight 0.25, marked not strong."""
    a, b = net.person("Sam"), net.person("Sara")
    session(net.community, net.facilitator, local(2026, 6, 10, 19), attended=[a, b])
    edges = net.doc()["network"]["edges"]
    assert edges == [
        {"a": a.email, "b": b.email, "weight": SESSION_TIE_WEIGHT, "strong": False},
    ]


def test_session_tie_adds_to_a_reply(net):
    """A reply and a shared session between the same two people: one tie, weight 1.25."""
    a, b = net.person("Sam"), net.person("Sara")
    net.tie(a, b)
    session(net.community, net.facilitator, local(2026, 6, 10, 19), attended=[a, b])
    edges = net.doc()["network"]["edges"]
    assert edges == [{"a": a.email, "b": b.email, "weight": 1.25, "strong": True}]


def test_perspective_ties(net):
    """A tie between an experience expert and someone from the municipality counts for that
    pair of perspectives; active perspectives that never talk are suggested to pair."""
    expert = net.person("Erik", perspectives=["experience-expert"])
    official = net.person("Gemma", perspectives=["municipality"])
    carer = net.person("Pim", perspectives=["professional"])
    net.tie(expert, official)
    act(carer, net.community, local(2026, 6, 5), ConversationVerb.ASKED)
    act(official, net.community, local(2026, 6, 5), ConversationVerb.ASKED)
    doc = net.doc()
    assert doc["network"]["perspective_ties"] == {"experience-expert|municipality": 1}
    pairs = [
        tuple(sorted((s["params"]["a"], s["params"]["b"])))
        for s in doc["suggestions"]
        if s["kind"] == "pair_perspectives"
    ]
    assert ("experience-expert", "professional") in pairs
    assert ("municipality", "professional") in pairs
    assert ("experience-expert", "municipality") not in pairs


def test_new_ties_per_month(net):
    """Growth: each pair counts once, in the month of its first interaction."""
    a, b, c, d = net.person("Ada"), net.person("Bob"), net.person("Cas"), net.person("Dirk")
    net.tie(a, b, at=local(2026, 4, 15))
    net.tie(b, a, at=local(2026, 5, 15))
    net.tie(c, d, at=local(2026, 5, 20))
    net.tie(a, c, at=local(2026, 6, 2))
    trends = net.doc()["trends"]
    months = trends["months"]
    assert months[-1] == "2026-06" and len(months) == 12
    by_month = dict(zip(months, trends["new_ties"], strict=True))
    assert (by_month["2026-04"], by_month["2026-05"], by_month["2026-06"]) == (1, 1, 1)
    assert sum(trends["new_ties"]) == 3
    contributions = dict(zip(months, trends["contributions"], strict=True))
    assert contributions["2026-05"] == 2


def test_coverage_counts_active_members_and_names_gaps(net):
    """Active members (active in the last 90 days) per perspective against the target mix;
    a perspective in the target with no one active is a gap."""
    net.community.target_mix = {"experience-expert": 30, "municipality": 30}
    net.community.save()
    active = net.person("Erik", perspectives=["municipality"])
    net.person("Ella", perspectives=["experience-expert"])
    act(active, net.community, local(2026, 6, 1), ConversationVerb.ASKED)
    coverage = net.doc()["coverage"]
    rows = {row["perspective"]: row for row in coverage["rows"]}
    assert rows["municipality"]["active"] == 1
    assert rows["experience-expert"]["members"] == 1
    assert rows["experience-expert"]["active"] == 0
    assert coverage["gaps"] == [
        {"perspective": "experience-expert", "kind": "none_active", "days": 90}
    ]


def test_suggestions_followed_up_feed_the_trend(net):
    """Suggestions a facilitator marked done are counted per month in the trends; dismissed
    ones are not."""
    from kring.insights.models import Suggestion, SuggestionStatus

    for key, status, month in (
        ("call:a", SuggestionStatus.DONE, 5),
        ("call:b", SuggestionStatus.DONE, 6),
        ("call:c", SuggestionStatus.DISMISSED, 6),
    ):
        Suggestion.objects.create(
            community=net.community,
            key=key,
            kind="call",
            status=status,
            decided_by=net.facilitator,
            decided_at=local(2026, month, 10),
        )
    trends = net.doc()["trends"]
    by_month = dict(zip(trends["months"], trends["follow_ups"], strict=True))
    assert (by_month["2026-05"], by_month["2026-06"]) == (1, 1)
    assert sum(trends["follow_ups"]) == 2


def test_signals_groups_and_network_agree_on_who_is_not_connected(net, make_user):
    """One definition of "not connected" (no direct interaction in the period): the network's
    not connected are exactly the members without a direct tie, none of them is in a group or
    a broker (even when shared sessions tie them to a group), and the "not yet connected"
    signal names exactly the newcomers among them."""
    a1, a2, a3 = net.person("Ann"), net.person("Aart"), net.person("Anouk")
    b1, b2, b3 = net.person("Bea"), net.person("Bert"), net.person("Bo")
    for x, y in ((a1, a2), (a2, a3), (a1, a3), (b1, b2), (b2, b3), (b1, b3), (a1, b1)):
        net.tie(x, y)
    # Old hands who only met the A-group at a session: no direct tie.
    quiet_old = net.person("Quinten")
    # Newcomers of five weeks: one talked to Bea, one only came to a session, one did nothing.
    newcomers = {
        name: join(
            net.community,
            make_user,
            at=local(2026, 5, 26, 10),
            full_name=name,
            email=f"{name.lower()}@example.org",
        )
        for name in ("Nina", "Noor", "Nils")
    }
    net.tie(newcomers["Nina"], b1)
    session(
        net.community,
        net.facilitator,
        local(2026, 6, 10, 19),
        attended=[a1, a2, a3, quiet_old, newcomers["Noor"]],
    )
    doc = net.doc()

    without_direct_tie = {m["email"] for m in doc["members"] if m["strong_degree"] == 0}
    not_connected = set(doc["network"]["isolates"])
    assert (
        not_connected
        == without_direct_tie
        == {
            "fenna@example.org",
            quiet_old.email,
            newcomers["Noor"].email,
            newcomers["Nils"].email,
        }
    )
    in_groups = {email for group in doc["groups"] for email in group}
    assert not (not_connected & in_groups)
    assert not (not_connected & set(doc["network"]["brokers"]))
    assert all(member_of(doc, e)["group"] is None for e in not_connected)
    # Shared sessions are still ties (weak ones), and Quinten still has his session ties.
    assert member_of(doc, quiet_old.email)["degree"] > 0
    signalled = {
        m["email"] for m in doc["members"] if any(s["kind"] == "unconnected" for s in m["signals"])
    }
    assert signalled == {newcomers["Noor"].email, newcomers["Nils"].email}
    assert signalled <= not_connected


def test_new_ties_in_the_period(net):
    """`new_ties` counts the pairs whose first interaction ever fell in the period: an old
    pair that talks again is a tie in the period but not a new one."""
    a, b, c = net.person("Ada"), net.person("Bo"), net.person("Cas")
    net.tie(a, b, at=local(2025, 3, 1, 10))
    net.tie(a, b)
    net.tie(b, c)
    net.tie(a, c, at=local(2025, 3, 1, 10))
    network = net.doc()["network"]
    assert len([e for e in network["edges"] if e["strong"]]) == 2
    assert network["new_ties"] == 1
