"""The feelers for the group on constructed histories: two groups that stop talking across
(and their steady and quiet twins), one voice filling the room, a perspective nobody hears;
their suggestions, their reasons in English and Dutch, and the pass's query count."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kring.accounts.models import Perspective
from kring.communities.models import Membership
from kring.conversations.verbs import ConversationVerb
from kring.insights import document, snapshot_split
from kring.insights.compute import compute
from kring.insights.compute.groups import NOW_WEEKS, SPAN_WEEKS
from kring.insights.compute.passes_groups import group_pass
from kring.insights.tests.histories import act, backdate_everyone, join, local

pytestmark = pytest.mark.django_db

AS_OF = local(2026, 6, 30, 12)


def in_week(k: int, hour: int = 0):
    """A moment in week k counted back from AS_OF (0: the latest seven days)."""
    return AS_OF - timedelta(days=7 * k + 3, hours=hour)


@pytest.fixture
def room(make_community, make_user):
    """A community whose facilitator takes no part, and `people(prefix, n, perspectives)`."""
    facilitator = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=facilitator, name="Kring")
    backdate_everyone(community, local(2025, 1, 1))

    def people(prefix: str, n: int, perspectives=()):
        made = []
        for i in range(1, n + 1):
            user = join(
                community,
                make_user,
                at=local(2025, 2, 1),
                full_name=f"{prefix.title()} {i}",
                email=f"{prefix}{i}@example.org",
            )
            if perspectives:
                user.perspectives.set(Perspective.objects.filter(key__in=perspectives))
            made.append(user)
        return made

    room = type("Room", (), {})()
    room.community, room.people = community, people
    room.doc = lambda: compute(community=community, as_of=AS_OF)
    return room


def _clique_week(room, group, k: int, times: int = 2) -> None:
    """Every pair in `group` replies to each other `times` times in week k."""
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            for t in range(times):
                act(a, room.community, in_week(k, t), ConversationVerb.REPLIED, other=b)


def _cross_week(room, a_group, b_group, k: int, times: int = 2) -> None:
    """Two pairs across the groups (a1–b1, a2–b2) reply `times` times each in week k."""
    for a, b in zip(a_group[:2], b_group[:2], strict=True):
        for t in range(times):
            act(a, room.community, in_week(k, t + 5), ConversationVerb.REPLIED, other=b)


def _two_groups(room, *, now_cross: int = 2, now_times: int = 2):
    """Two groups of four that talk among themselves and across (two pairs) every week before
    the now window; in the now window with `now_times` per pair and `now_cross` per cross pair."""
    a, b = room.people("anna", 4), room.people("bram", 4)
    for k in range(NOW_WEEKS, SPAN_WEEKS):
        _clique_week(room, a, k)
        _clique_week(room, b, k)
        _cross_week(room, a, b, k)
    for k in range(NOW_WEEKS):
        _clique_week(room, a, k, now_times)
        _clique_week(room, b, k, now_times)
        _cross_week(room, a, b, k, now_cross)
    return a, b


def _kinds(doc: dict, kind: str) -> list[dict]:
    return [s for s in doc["community_signals"] if s["kind"] == kind]


def test_groups_that_stop_crossing_drift_apart_with_nobody_bridging(room):
    """Two groups that talked across every week and have not for four weeks: drifting_apart
    names both groups (all their members) and no bridge; a bring_together suggestion names one
    or two people of each group."""
    a, b = _two_groups(room, now_cross=0)
    doc = room.doc()
    (signal,) = _kinds(doc, "drifting_apart")
    assert sorted(map(sorted, signal["groups"])) == sorted(
        [sorted(u.email for u in a), sorted(u.email for u in b)]
    )
    p = signal["params"]
    # Two pairs across, twice a week, for the twelve weeks before.
    assert p["cross_before"] == 2 * 2 * (SPAN_WEEKS - NOW_WEEKS)
    assert p["cross_now"] == 0 and p["bridges"] == []
    assert p["total_before"] == (6 + 6 + 2) * 2 * (SPAN_WEEKS - NOW_WEEKS)
    assert p["total_now"] == (6 + 6) * 2 * NOW_WEEKS
    assert signal["since"] == (AS_OF - timedelta(weeks=NOW_WEEKS)).date().isoformat()
    (suggestion,) = [s for s in doc["suggestions"] if s["kind"] == "bring_together"]
    group_a, group_b = suggestion["params"]["group_a"], suggestion["params"]["group_b"]
    assert 1 <= len(group_a) <= 2 and 1 <= len(group_b) <= 2
    emails_a, emails_b = {u.email for u in a}, {u.email for u in b}
    assert (set(group_a) <= emails_a and set(group_b) <= emails_b) or (
        set(group_a) <= emails_b and set(group_b) <= emails_a
    )
    assert suggestion["params"]["bridge"] == ""
    assert suggestion["key"] == "bring_together:" + ":".join(sorted((group_a[0], group_b[0])))


def test_a_drift_notes_who_still_bridges(room):
    """One tie across in the now window: the two people on it are the bridges, and the
    suggestion names the first as the one who knows people in both."""
    a, b = _two_groups(room, now_cross=0)
    act(a[0], room.community, in_week(1), ConversationVerb.REPLIED, other=b[0])
    doc = room.doc()
    (signal,) = _kinds(doc, "drifting_apart")
    assert sorted(signal["params"]["bridges"]) == sorted([a[0].email, b[0].email])
    (suggestion,) = [s for s in doc["suggestions"] if s["kind"] == "bring_together"]
    assert suggestion["params"]["bridge"] in (a[0].email, b[0].email)
    rendered = document.render(doc)
    (reason,) = [s["reason"] for s in rendered["community_signals"]]
    assert "Still in touch with both: Anna 1 and Bram 1." in reason


def test_a_steady_community_does_not_drift_apart(room):
    """The same two groups talking across as much as before: nothing."""
    _two_groups(room, now_cross=2)
    assert _kinds(room.doc(), "drifting_apart") == []


def test_a_quiet_period_for_everyone_is_no_split(room):
    """Summer: everyone half as active, the same mix across and within: fewer tie events
    across, but the same share, so nothing."""
    _two_groups(room, now_cross=1, now_times=1)
    doc = room.doc()
    assert _kinds(doc, "drifting_apart") == []
    assert not [s for s in doc["suggestions"] if s["kind"] == "bring_together"]


def _contributions(room, people, weeks, per_week: int) -> None:
    for k in weeks:
        for user in people:
            for t in range(per_week):
                act(user, room.community, in_week(k, t), ConversationVerb.ASKED)


def test_one_voice_fills_the_room_while_the_others_shrink(room):
    """Eight people asked once a week each; in the last four weeks one asks five times a week
    and only five of the others ask once: a dominant voice, named, with a make_room
    suggestion."""
    dora, *others = room.people("dora", 8)
    _contributions(room, [dora, *others], range(NOW_WEEKS, SPAN_WEEKS), 1)
    _contributions(room, [dora], range(NOW_WEEKS), 5)
    for k, user in enumerate(others[:5]):
        act(user, room.community, in_week(k % NOW_WEEKS), ConversationVerb.ASKED)
    doc = room.doc()
    (signal,) = _kinds(doc, "dominant_voice")
    assert signal["people"] == [dora.email] and signal["perspective"] is None
    p = signal["params"]
    assert (p["count"], p["total"], p["active"]) == (20, 25, 6)
    assert p["share"] == 80
    assert (p["others_now"], p["others_before"]) == (5, 7 * 12)
    (suggestion,) = [s for s in doc["suggestions"] if s["kind"] == "make_room"]
    assert suggestion["members"] == [dora.email]
    assert suggestion["key"] == f"make_room:{dora.email}"


def test_a_busy_person_in_a_busy_room_is_no_dominant_voice(room):
    """The same busy person, but the others keep their pace: nothing."""
    dora, *others = room.people("dora", 8)
    _contributions(room, [dora, *others], range(SPAN_WEEKS), 1)
    _contributions(room, [dora], range(NOW_WEEKS), 5)
    assert _kinds(room.doc(), "dominant_voice") == []


def test_a_perspective_that_never_takes_part_is_unheard(room):
    """Three experience experts among eleven members who never ask, answer or reply, while
    the others talk: unheard_perspective with that key, and an invitation."""
    experts = room.people("erik", 3, perspectives=("experience-expert",))
    others = room.people("olga", 7, perspectives=("municipality",))
    for k in range(SPAN_WEEKS):
        for i, user in enumerate(others):
            act(user, room.community, in_week(k), ConversationVerb.ASKED)
            act(others[i - 1], room.community, in_week(k, 1), ConversationVerb.ANSWERED, user)
    doc = room.doc()
    (signal,) = _kinds(doc, "unheard_perspective")
    assert signal["perspective"] == "experience-expert"
    p = signal["params"]
    assert p["quiet"] is True
    assert (p["members"], p["member_share"], p["posts"], p["post_share"]) == (3, 27, 0, 0)
    (suggestion,) = [s for s in doc["suggestions"] if s["kind"] == "invite_perspective"]
    assert suggestion["key"] == "invite_perspective:experience-expert"
    assert suggestion["members"] == [experts[0].email, experts[1].email]


def test_a_perspective_whose_posts_get_no_replies_is_unheard(room):
    """Experience experts ask as often as anyone, but nobody answers them while the others
    get an answer to every question: unheard, by the replies rule only."""
    experts = room.people("erik", 3, perspectives=("experience-expert",))
    others = room.people("olga", 7, perspectives=("municipality",))
    for k in range(0, SPAN_WEEKS, 2):
        for user in experts:
            act(user, room.community, in_week(k), ConversationVerb.ASKED)
        for i, user in enumerate(others):
            act(user, room.community, in_week(k), ConversationVerb.ASKED)
            act(others[i - 1], room.community, in_week(k, 1), ConversationVerb.ANSWERED, user)
    doc = room.doc()
    (signal,) = _kinds(doc, "unheard_perspective")
    assert signal["perspective"] == "experience-expert"
    p = signal["params"]
    assert p["quiet"] is False and p["unanswered"] is True
    assert (p["replies_per_10"], p["others_per_10"]) == (0, 5)


def test_a_perspective_that_is_heard_is_not_flagged(room):
    """Everyone asks and gets answers alike: no unheard perspective."""
    people = [
        *room.people("erik", 3, perspectives=("experience-expert",)),
        *room.people("olga", 7, perspectives=("municipality",)),
    ]
    for k in range(0, SPAN_WEEKS, 2):
        for i, user in enumerate(people):
            act(user, room.community, in_week(k), ConversationVerb.ASKED)
            act(people[i - 1], room.community, in_week(k, 1), ConversationVerb.ANSWERED, user)
    assert _kinds(room.doc(), "unheard_perspective") == []


def test_reasons_in_english_and_dutch(room):
    """The rendered document (and the API's summary) gives every community signal and its
    suggestion a reason in the reader's language, with the names and numbers; the raw
    document stores none."""
    _two_groups(room, now_cross=0)
    room.people("erik", 3, perspectives=("experience-expert",))
    doc = room.doc()
    assert all("reason" not in s for s in doc["community_signals"])
    kinds = {s["kind"] for s in doc["community_signals"]}
    assert kinds == {"drifting_apart", "unheard_perspective"}
    with translation.override("en"):
        english = document.render(doc)
        summary = document.render_summary(snapshot_split.split(doc)[0])
    by_kind = {s["kind"]: s["reason"] for s in english["community_signals"]}
    assert (
        "are drifting apart: in the 12 weeks before, 48 of the 336 interactions"
        in (by_kind["drifting_apart"])
    )
    assert by_kind["drifting_apart"].endswith("No one is in touch with both groups any more.")
    assert by_kind["unheard_perspective"].startswith("Experience expert: 25% of the members")
    assert summary["community_signals"] == english["community_signals"]
    bring = next(s for s in summary["suggestions"] if s["kind"] == "bring_together")
    assert bring["reason"].startswith("Bring the group of ")
    assert "@" not in bring["reason"]  # names, not addresses: the summary knows them
    with translation.override("nl"):
        dutch = document.render(doc)
    nl_by_kind = {s["kind"]: s["reason"] for s in dutch["community_signals"]}
    assert nl_by_kind["unheard_perspective"].startswith("Ervaringsdeskundige: 25%")
    assert "Anna 1" in nl_by_kind["drifting_apart"]


def test_the_pass_reads_the_same_number_of_queries_for_more_members(room):
    """The group pass is three grouped queries, however many members and events."""
    a, b = room.people("anna", 3), room.people("bram", 3)
    for k in range(SPAN_WEEKS):
        _cross_week(room, a, b, k, 1)
    member_ids = Membership.objects.filter(community=room.community).values("user_id")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            group_pass(room.community, member_ids, AS_OF)
        return len(queries)

    few = count()
    more = room.people("cas", 20)
    for k in range(SPAN_WEEKS):
        _cross_week(room, more[:10], more[10:], k, 1)
    assert count() == few == 3


def test_the_dashboard_shows_the_feelers_for_the_group(room, make_client):
    """The facilitator's dashboard has a block for the group: the split in words, with the
    people it names; a community where nothing stands out says so."""
    from django.urls import reverse

    from kring.communities.models import Role
    from kring.insights import services

    a, _b = _two_groups(room, now_cross=0)
    services.snapshot_create(community=room.community, as_of=AS_OF)
    facilitator = room.community.memberships.get(role=Role.FACILITATOR).user
    url = reverse("insights-dashboard", kwargs={"slug": room.community.slug})
    client = make_client(facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(url).content.decode()
    block = html.split('id="group-signals"', 1)[1].split("</section>", 1)[0]
    assert "Groepen groeien uit elkaar" in block
    assert "Niemand heeft nog contact met beide groepen." in block
    assert any(u.full_name in block for u in a)
    # A member of the community does not get the dashboard at all.
    assert make_client(a[0]).get(url).status_code in (403, 404)


def test_the_dashboard_says_when_nothing_stands_out_in_the_group(room, make_client):
    from django.urls import reverse

    from kring.communities.models import Role
    from kring.insights import services

    _two_groups(room)
    services.snapshot_create(community=room.community, as_of=AS_OF)
    facilitator = room.community.memberships.get(role=Role.FACILITATOR).user
    url = reverse("insights-dashboard", kwargs={"slug": room.community.slug})
    html = make_client(facilitator).get(url).content.decode()
    block = html.split('id="group-signals"', 1)[1].split("</section>", 1)[0]
    assert "Nothing stands out between the groups" in block


def test_members_of_a_split_read_it_on_their_own_page_without_other_names(room, make_client):
    """What the facilitators read about the split, the people in it can read about themselves
    ("What Kring sees about me"): that their group and another interact much less, with the
    numbers, naming no one else; and a group suggestion shows only what it asks."""
    from django.urls import reverse

    from kring.insights import services

    a, b = _two_groups(room, now_cross=0)
    services.snapshot_create(community=room.community, as_of=AS_OF)
    url = reverse("insights-me", kwargs={"slug": room.community.slug})
    html = make_client(a[2]).get(url).content.decode()
    block = html.split("About the group, and you in it", 1)[1].split("Suggestions that name", 1)
    assert "You are in one of two groups that now interact much less with each other" in block[0]
    others = [u.full_name for u in (*a, *b) if u != a[2]]
    assert not [name for name in others if name in block[0]]
    # Their ties may name people; the suggestions never name the other group or a bridge.
    suggestions = block[1].split("</ul>", 1)[0]
    assert not [u.full_name for u in b if u.full_name in suggestions]
    # Someone in neither group reads nothing about it.
    (outsider,) = room.people("ozzy", 1)
    services.snapshot_create(community=room.community, as_of=AS_OF)
    html = make_client(outsider).get(url).content.decode()
    assert "two groups that now interact" not in html
