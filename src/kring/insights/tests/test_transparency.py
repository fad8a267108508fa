"""What Kring sees about me: only your own signals, ties and suggestions, in the same words
the facilitators read; the privacy page is public and linked."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record
from kring.insights import document, snapshot_split
from kring.insights.models import SnapshotMember, Suggestion
from kring.insights.services import KEEP_SNAPSHOTS, snapshot_create, suggestion_decide


@pytest.fixture
def history(make_community, make_member):
    """Anna replied to Bram for months and went quiet (drifting); Chris only started recently
    (rising); Bram kept his pace, talking with Chris lately; Dora never contributed (reading
    along)."""
    community = make_community(name="Mantelzorg Noord")
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    anna = make_member(community, full_name="Anna Jansen").user
    bram = make_member(community, full_name="Bram de Vries").user
    chris = make_member(community, full_name="Chris Bakker").user
    dora = make_member(community, full_name="Dora Smit").user
    start = timezone.now()
    as_of = start + timedelta(days=200)
    for day in range(40, 120, 10):
        at = start + timedelta(days=day)
        activity_record(
            actor=anna, verb=ConversationVerb.REPLIED, community=community, other=bram, at=at
        )
        activity_record(
            actor=bram, verb=ConversationVerb.REPLIED, community=community, other=anna, at=at
        )
    # Bram mentions her once more, inside the 90 days the network looks at.
    activity_record(
        actor=bram,
        verb=ConversationVerb.MENTIONED,
        community=community,
        other=anna,
        at=start + timedelta(days=150),
    )
    for day in range(170, 195, 5):
        at = start + timedelta(days=day)
        activity_record(
            actor=chris, verb=ConversationVerb.REPLIED, community=community, other=bram, at=at
        )
        activity_record(
            actor=bram, verb=ConversationVerb.REPLIED, community=community, other=chris, at=at
        )
    snapshot = snapshot_create(community=community, as_of=as_of)
    return {
        "community": community,
        "facilitator": facilitator,
        "anna": anna,
        "bram": bram,
        "chris": chris,
        "dora": dora,
        "snapshot": snapshot,
    }


def _rendered(history) -> dict:
    parts = SnapshotMember.objects.filter(snapshot=history["snapshot"]).values_list(
        "data", flat=True
    )
    members = [document.render_member(snapshot_split.member_of(p)) for p in parts]
    return {m["id"]: m for m in members}


def _main(response) -> str:
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_history_gives_the_expected_signals(history):
    """The constructed history: Anna drifting, Chris rising, Dora reading along."""
    members = _rendered(history)
    kinds = {uid: {s["kind"] for s in m["signals"]} for uid, m in members.items()}
    assert "drifting" in kinds[history["anna"].pk]
    assert "rising" in kinds[history["chris"].pk]
    assert "lurker" in kinds[history["dora"].pk]


def test_member_sees_own_signals_with_the_reasons_of_the_document(history, make_client):
    """Anna's page shows each of her signals with exactly the reason document.render gives."""
    members = _rendered(history)
    page = make_client(history["anna"]).get(
        reverse("insights-me", args=[history["community"].slug])
    )
    assert page.status_code == 200
    body = _main(page)
    anna_signals = members[history["anna"].pk]["signals"]
    assert anna_signals
    for signal in anna_signals:
        assert escape(signal["reason"]) in body
    assert "Drifting away" in body


def test_another_members_signals_never_appear(history, make_client):
    """Neither Chris's nor Dora's signal reasons appear on Anna's pages, nor their names
    (they have no tie with her)."""
    members = _rendered(history)
    client = make_client(history["anna"])
    for url in (
        reverse("insights-me", args=[history["community"].slug]),
        reverse("insights-me-all"),
    ):
        body = _main(client.get(url))
        for other in ("chris", "dora"):
            for signal in members[history[other].pk]["signals"]:
                assert escape(signal["reason"]) not in body
            assert history[other].full_name not in body
        assert "Rising" not in body and "Reading along" not in body


def test_the_page_is_always_about_the_viewer(history, make_client):
    """A user id in the query string changes nothing: Bram's page stays Bram's."""
    members = _rendered(history)
    url = reverse("insights-me", args=[history["community"].slug])
    body = _main(make_client(history["bram"]).get(url, {"user": history["anna"].pk}))
    for signal in members[history["anna"].pk]["signals"]:
        assert escape(signal["reason"]) not in body
    assert "Your ties" in body and history["anna"].full_name in body  # as his tie
    assert str(history["anna"].pk) not in url


def test_ties_are_listed_strong_first(history, make_client):
    """Bram's ties: Anna and Chris, both direct; each links to the profile."""
    body = _main(
        make_client(history["bram"]).get(reverse("insights-me", args=[history["community"].slug]))
    )
    for person in (history["anna"], history["chris"]):
        assert reverse("person-detail", args=[person.pk]) in body
    assert "You interacted directly with 2 people" in body
    assert history["dora"].full_name not in body


def test_facilitator_sees_the_same_signals_on_the_dashboard(history, make_client):
    """Every reason on Anna's own page is also on the facilitator's dashboard for her, and
    the dashboard shows no other reason about her."""
    members = _rendered(history)
    url = reverse("insights-dashboard", args=[history["community"].slug])
    dashboard = _main(make_client(history["facilitator"]).get(url))
    own = _main(
        make_client(history["anna"]).get(reverse("insights-me", args=[history["community"].slug]))
    )
    for signal in members[history["anna"].pk]["signals"]:
        assert escape(signal["reason"]) in dashboard
        assert escape(signal["reason"]) in own


def test_suggestions_naming_me_show_with_the_facilitators_note(history, make_client):
    """The call suggestion about Anna shows on her page; once dismissed, with the note."""
    community = history["community"]
    suggestion = Suggestion.objects.get(community=community, kind="call")
    assert list(suggestion.members.all()) == [history["anna"]]
    url = reverse("insights-me", args=[community.slug])
    body = _main(make_client(history["anna"]).get(url))
    assert "Call Anna Jansen" in body
    suggestion_decide(
        suggestion=suggestion,
        by=history["facilitator"],
        status="dismissed",
        note="Spoke at the market <b>fine</b>",
    )
    body = _main(make_client(history["anna"]).get(url))
    assert "Dismissed" in body
    assert escape("Spoke at the market <b>fine</b>") in body
    other = _main(make_client(history["dora"]).get(url))
    assert "Call Anna Jansen" not in other and "Spoke at the market" not in other


def test_all_communities_page(history, make_client, make_community, make_member):
    """/me/insights/ lists each of my communities; one without a snapshot says so."""
    second = make_community(name="Buurtzorg West")
    make_member(second, user=history["anna"])
    make_community(name="Not Mine")
    body = _main(make_client(history["anna"]).get(reverse("insights-me-all")))
    assert "Mantelzorg Noord" in body and "Buurtzorg West" in body
    assert "Not Mine" not in body
    assert "has not computed insights for this community yet" in body


def test_member_who_joined_after_the_snapshot(history, make_client, make_member):
    """A newcomer not in the latest snapshot is told so, and sees nobody's signals."""
    newcomer = make_member(history["community"]).user
    body = _main(
        make_client(newcomer).get(reverse("insights-me", args=[history["community"].slug]))
    )
    assert "does not include you" in body
    assert "Drifting away" not in body


@pytest.mark.parametrize("who", ["outsider", "other_member", "admin", "anonymous"])
def test_non_members_cannot_open_the_page(
    history, make_client, make_user, make_admin, make_community, make_member, who
):
    """Outsiders, members of another community and a platform admin who is not a member get
    404; an anonymous visitor is sent to log in."""
    url = reverse("insights-me", args=[history["community"].slug])
    if who == "anonymous":
        response = make_client().get(url)
        assert response.status_code == 302 and "login" in response["Location"]
        return
    if who == "outsider":
        person = make_user()
    elif who == "other_member":
        person = make_member(make_community()).user
    else:
        person = make_admin()
    assert make_client(person).get(url).status_code == 404
    assert make_client(person).get(reverse("insights-me", args=["no-such"])).status_code == 404


def test_guest_and_facilitator_see_their_own_page(history, make_client, make_member):
    """A guest and the facilitator each get their own page (200)."""
    guest = make_member(history["community"], role=Role.GUEST).user
    url = reverse("insights-me", args=[history["community"].slug])
    assert make_client(guest).get(url).status_code == 200
    assert make_client(history["facilitator"]).get(url).status_code == 200


def test_privacy_page_is_public(client):
    """Anyone can read the privacy page, with the snapshot retention and the pulse rules."""
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"the latest {KEEP_SNAPSHOTS} per community" in body
    assert "at least 5 people answered" in body
    assert "never used for insights" in body


def test_footer_links_to_privacy_and_profile_to_transparency(history, make_client):
    """The footer links the privacy page; my own profile links my page, another's does not."""
    client = make_client(history["anna"])
    own = client.get(reverse("person-detail", args=[history["anna"].pk])).content.decode()
    assert reverse("privacy") in own
    assert reverse("insights-me-all") in own
    other = client.get(reverse("person-detail", args=[history["bram"].pk])).content.decode()
    assert reverse("insights-me-all") not in other


def test_own_page_queries_do_not_grow_with_ties(history, make_client, make_member):
    """Bram's page costs the same number of queries with two or six ties."""
    community = history["community"]
    client = make_client(history["bram"])
    url = reverse("insights-me", args=[community.slug])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(4):
        person = make_member(community).user
        activity_record(
            actor=person, verb=ConversationVerb.REPLIED, community=community, other=history["bram"]
        )
    snapshot_create(community=community)
    with CaptureQueriesContext(connection) as many:
        body = _main(client.get(url))
    assert "You interacted directly with 4 people" in body
    assert len(few) == len(many)
