"""The facilitator's cockpit: the ranking of "This week" on a constructed community, sentences
written to the reader, done / later / dismiss with and without htmx, the rest paged and
filtered, the health strip, who may do what, and a query count that does not grow with the
number of suggestions."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kring.accounts.services import profile_update
from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.insights import document, services
from kring.insights.compute import compute
from kring.insights.compute.suggestions import suggestion_priority
from kring.insights.models import PULSE_ITEMS, Suggestion, SuggestionStatus
from kring.insights.tests.histories import act, backdate_everyone, days_ago, join
from kring.meetings.models import Mode, RsvpResponse
from kring.meetings.services import session_create
from kring.meetings.services_rsvp import rsvp_set

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(community, name="insights-dashboard", **kwargs):
    return reverse(name, kwargs={"slug": community.slug, **kwargs})


def _main(response) -> str:
    html = response.content.decode()
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _this_week(html: str) -> str:
    return html.split('id="this-week"', 1)[1].split("</section>", 1)[0]


def _card_ids(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<li class="card action-card[^"]*" id="suggestion-(\d+)"', html)
    ]


@pytest.fixture
def ranked(make_community, make_user):
    """A community whose right order is known (docs/insights.md, "Ranking"):

    - Dirk, drifting for 14 weeks: 30 + 12 (capped) = 42
    - Cora, core group, quiet for 1 week (one act 10 days ago after a habit): 40 + 1 = 41
    - Bea, drifting for 9 weeks: 30 + 9 = 39
    - Nora, a newcomer of 8 weeks without ties: 20 + 8 = 28
    - Nick, a newcomer of 4 weeks without ties: 20 + 4 = 24
    - Sam looks for help that Hans gives: an introduction, 10 (sixth, below)
    """
    community = make_community(name="Ranglijst")
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    backdate_everyone(community, days_ago(300))
    long_ago = days_ago(300)
    steady = join(community, make_user, at=long_ago, full_name="Steven Steady")
    cora = join(community, make_user, at=long_ago, role=Role.CORE, full_name="Cora Core")
    dirk = join(community, make_user, at=long_ago, full_name="Dirk Drift")
    bea = join(community, make_user, at=long_ago, full_name="Bea Drift")
    nora = join(community, make_user, at=days_ago(60), full_name="Nora Nieuw")
    nick = join(community, make_user, at=days_ago(30), full_name="Nick Nieuw")
    sam = join(community, make_user, at=long_ago, full_name="Sam Zoekt")
    hans = join(community, make_user, at=long_ago, full_name="Hans Helpt")
    profile_update(user=sam, by=sam, seeking_tags=["mantelzorg"])
    profile_update(user=hans, by=hans, help_tags=["mantelzorg"])
    # A habit of a reply every third day since they joined, then (nearly) silence.
    for person, quiet_since in ((cora, 50), (dirk, 100), (bea, 66)):
        for ago in range(quiet_since, 299, 3):
            act(person, community, days_ago(ago), ConversationVerb.REPLIED, other=steady)
    act(cora, community, days_ago(10), ConversationVerb.REPLIED, other=steady)
    for n in range(3):  # the well-connected pair a newcomer is introduced to
        act(steady, community, days_ago(2 + n), ConversationVerb.REPLIED, other=facilitator)
        act(facilitator, community, days_ago(2 + n), ConversationVerb.REPLIED, other=steady)
    return {
        "community": community,
        "facilitator": facilitator,
        "order": [dirk, cora, bea, nora, nick],
        "sam": sam,
        "hans": hans,
        "steady": steady,
    }


# Ranking ------------------------------------------------------------------------------------


def test_priority_rule_kind_first_then_weeks_capped():
    """The rule: 40/30/20/10/0 by kind, plus a point a week up to 12."""
    assert suggestion_priority("call", {"signal": "core_silent", "weeks": 1}) == 41
    assert suggestion_priority("call", {"signal": "drifting", "weeks": 30}) == 42
    assert suggestion_priority("welcome", {"weeks": 8}) == 28
    assert suggestion_priority("introduce", {}) == 10
    assert suggestion_priority("pair_perspectives", {"a": "x", "b": "y"}) == 0


def test_compute_ranks_suggestions_in_the_documented_order(ranked):
    """The document lists the suggestions by rank: a long drift before a fresh core-group
    silence, then a shorter drift, the older newcomer, the newer one, then the introduction."""
    raw = compute(community=ranked["community"])
    subjects = [s["members"][0] for s in raw["suggestions"]]
    assert subjects[:5] == [u.email for u in ranked["order"]]
    assert raw["suggestions"][5]["kind"] == "introduce"
    assert [s["priority"] for s in raw["suggestions"][:6]] == [42, 41, 39, 28, 24, 10]


def test_this_week_shows_the_five_in_order_and_the_rest_below(ranked, make_client):
    """'This week' shows the top five in rank order; the introduction is in the rest."""
    community = ranked["community"]
    services.snapshot_create(community=community)
    html = _main(make_client(ranked["facilitator"]).get(_url(community)))
    week = _this_week(html)
    # The key names who a call or welcome is about: call:<email>:<since>, welcome:<email>.
    by_subject = {
        s.key.split(":")[1]: s.pk
        for s in Suggestion.objects.filter(community=community).exclude(kind="introduce")
    }
    assert _card_ids(week) == [by_subject[u.email] for u in ranked["order"]]
    rest = html.split('id="more-suggestions"', 1)[1]
    introduction = Suggestion.objects.get(community=community, kind="introduce")
    assert _card_ids(rest) == [introduction.pk]
    assert week.count("data-primary-action") == 1
    first = week.split("data-primary-action", 1)[0]
    assert f'id="suggestion-{by_subject[ranked["order"][0].email]}"' in first


def test_later_moves_the_next_one_up(ranked, make_client):
    """Putting the first off for a week lets the sixth into 'This week'."""
    community = ranked["community"]
    services.snapshot_create(community=community)
    client = make_client(ranked["facilitator"])
    first = _card_ids(_this_week(_main(client.get(_url(community)))))[0]
    client.post(_url(community, "insights-suggestion", pk=first), {"status": "later"})
    week = _this_week(_main(client.get(_url(community))))
    introduction = Suggestion.objects.get(community=community, kind="introduce")
    assert first not in _card_ids(week)
    assert _card_ids(week)[-1] == introduction.pk


# Written to the reader ----------------------------------------------------------------------


@pytest.fixture
def helper_reader(make_community, make_member, make_user):
    """Fatma looks for help with loneliness; the facilitator, Marieke, helps with it."""
    community = make_community(name="Buurtzorg")
    marieke = community.memberships.get(role=Role.FACILITATOR).user
    profile_update(user=marieke, by=marieke, full_name="Marieke Jansen", help_tags=["loneliness"])
    fatma = make_member(community, full_name="Fatma Yilmaz").user
    profile_update(user=fatma, by=fatma, seeking_tags=["loneliness"])
    co = make_member(community, role=Role.FACILITATOR, full_name="Kees Co").user
    services.snapshot_create(community=community)
    return {"community": community, "marieke": marieke, "fatma": fatma, "co": co}


def test_reader_who_can_help_is_addressed_as_you(helper_reader, make_client):
    """The facilitator who helps reads 'Fatma ... you can help', never her own name."""
    community = helper_reader["community"]
    html = _main(make_client(helper_reader["marieke"]).get(_url(community)))
    assert "Fatma Yilmaz is looking for help with loneliness; you can help." in html
    assert "to Marieke Jansen" not in html
    assert "Marieke Jansen helps with it" not in html
    # Her own face is not on her own to-do card: only Fatma's.
    card = _this_week(html)
    assert f'href="{reverse("person-detail", args=[helper_reader["fatma"].pk])}"' in card
    assert f'href="{reverse("person-detail", args=[helper_reader["marieke"].pk])}"' not in card


def test_other_facilitator_reads_the_same_suggestion_in_the_third_person(
    helper_reader, make_client
):
    """The snapshot is shared: another facilitator reads who to introduce to whom."""
    community = helper_reader["community"]
    html = _main(make_client(helper_reader["co"]).get(_url(community)))
    assert "Introduce Fatma Yilmaz to Marieke Jansen" in html
    assert "you can help" not in html


@pytest.mark.parametrize(
    ("kind", "members", "params", "reader", "expected"),
    [
        (
            "introduce",
            ["a@x", "b@x"],
            {"topic": "loneliness"},
            "a@x",
            "Bob helps with loneliness, which you are looking for: get in touch.",
        ),
        (
            "welcome",
            ["a@x", "b@x"],
            {"weeks": 4, "perspective": ""},
            "b@x",
            "Ann has no contact with anyone yet: say hello.",
        ),
        (
            "welcome",
            ["a@x", "b@x"],
            {"weeks": 4, "perspective": "pro"},
            "b@x",
            "Ann has no contact with anyone yet and shares your perspective Professional: "
            "say hello.",
        ),
        (
            "call",
            ["a@x"],
            {
                "signal": "core_silent",
                "rule": "pace",
                "recent": 1,
                "baseline": 9,
                "window_weeks": 6,
                "baseline_weeks": 18,
            },
            "a@x",
            "You are less active here than usual: 1 activity in the last 6 weeks, against 9 "
            "in the 18 weeks before.",
        ),
    ],
)
def test_reasons_name_the_reader_as_you(kind, members, params, reader, expected):
    """Every kind that can name the reader says 'you' instead of the reader's name."""
    names = {"a@x": "Ann", "b@x": "Bob"}
    with translation.override("en"):
        text = document.suggestion_reason(
            {"kind": kind, "members": members, "params": params},
            names,
            {"pro": "Professional"},
            reader=reader,
        )
    assert text == expected
    assert names[reader] not in text


# Done, later, dismiss -----------------------------------------------------------------------


@pytest.fixture
def one(ranked):
    services.snapshot_create(community=ranked["community"])
    suggestion = Suggestion.objects.get(community=ranked["community"], kind="introduce")
    return {**ranked, "suggestion": suggestion}


@pytest.mark.parametrize(
    ("status", "said"),
    [("done", "Marked as done."), ("later", "Put off for a week."), ("dismissed", "Dismissed.")],
)
def test_decide_with_htmx_swaps_the_card(one, make_client, status, said):
    """With htmx the answer is the card's replacement: what happened and an undo."""
    suggestion = one["suggestion"]
    response = make_client(one["facilitator"]).post(
        _url(one["community"], "insights-suggestion", pk=suggestion.pk),
        {"status": status, "note": "Spoke on Monday"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<li") and f'id="suggestion-{suggestion.pk}"' in html
    assert said in html
    assert 'value="open"' in html  # undo
    suggestion.refresh_from_db()
    assert suggestion.note == "Spoke on Monday"
    assert suggestion.decided_by == one["facilitator"]
    if status == "later":
        assert suggestion.status == SuggestionStatus.OPEN
        assert suggestion.later_until > timezone.now() + timedelta(days=6)
    else:
        assert suggestion.status == status
        assert suggestion.later_until is None


@pytest.mark.parametrize("status", ["done", "later", "dismissed"])
def test_decide_without_javascript_redirects_back(one, make_client, status):
    """A plain form post goes back to where it was (the filter and page kept) and the
    suggestion is gone from the page."""
    suggestion = one["suggestion"]
    client = make_client(one["facilitator"])
    response = client.post(
        _url(one["community"], "insights-suggestion", pk=suggestion.pk),
        {"status": status, "from": "more", "kind": "introduce", "page": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(one["community"]) + "?kind=introduce#more-suggestions"
    html = _main(client.get(_url(one["community"])))
    assert f'id="suggestion-{suggestion.pk}"' not in html


def test_later_comes_back_after_a_week(one, make_client):
    """'Later' hides a suggestion for a week; then it is back among the open ones."""
    suggestion = one["suggestion"]
    client = make_client(one["facilitator"])
    client.post(
        _url(one["community"], "insights-suggestion", pk=suggestion.pk), {"status": "later"}
    )
    html = _main(client.get(_url(one["community"])))
    assert f'id="suggestion-{suggestion.pk}"' not in html
    assert "1 suggestion put off until later comes back after a week." in html
    # A week on (the stored moment moved back, as time would):
    Suggestion.objects.filter(pk=suggestion.pk).update(later_until=days_ago(1))
    html = _main(client.get(_url(one["community"])))
    assert f'id="suggestion-{suggestion.pk}"' in html


def test_undo_opens_a_decided_suggestion_again(one, make_client):
    """Undo (status open) clears the decision and brings the card back."""
    suggestion = one["suggestion"]
    client = make_client(one["facilitator"])
    url = _url(one["community"], "insights-suggestion", pk=suggestion.pk)
    client.post(url, {"status": "dismissed"})
    client.post(url, {"status": "open"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    assert suggestion.decided_by is None and suggestion.later_until is None


def test_done_stays_done_in_the_next_snapshot(one, make_client):
    """A decision sticks: the next snapshot does not bring the same suggestion back."""
    suggestion = one["suggestion"]
    client = make_client(one["facilitator"])
    client.post(_url(one["community"], "insights-suggestion", pk=suggestion.pk), {"status": "done"})
    services.snapshot_create(community=one["community"])
    html = _main(client.get(_url(one["community"])))
    assert f'id="suggestion-{suggestion.pk}"' not in html
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DONE


@pytest.mark.parametrize(
    "data",
    [{"status": "later-ish"}, {"status": "done", "note": "x" * 301}, {}],
)
def test_decide_bad_input_changes_nothing(one, make_client, data):
    """An unknown status, an oversized note or nothing at all: refused, with or without htmx."""
    suggestion = one["suggestion"]
    client = make_client(one["facilitator"])
    url = _url(one["community"], "insights-suggestion", pk=suggestion.pk)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, **HTMX)
    # 200, so that htmx swaps the card and the person sees the message.
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    assert suggestion.later_until is None and suggestion.decided_by is None


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("member", 403), ("core", 403)])
@pytest.mark.parametrize("decision", ["done", "later", "dismissed"])
def test_decide_refused_for_the_wrong_people(
    one, make_user, make_member, make_client, who, status, decision
):
    """Only facilitators decide: members get 403, outsiders 404, with or without htmx."""
    user = {
        "outsider": lambda: make_user(),
        "member": lambda: one["steady"],
        "core": lambda: make_member(one["community"], role=Role.CORE).user,
    }[who]()
    suggestion = one["suggestion"]
    url = _url(one["community"], "insights-suggestion", pk=suggestion.pk)
    client = make_client(user)
    assert client.post(url, {"status": decision}).status_code == status
    assert client.post(url, {"status": decision}, **HTMX).status_code == status
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.later_until is None


def test_platform_admin_may_decide(one, make_admin, make_client):
    """A platform administrator may decide, as on the dashboard today."""
    suggestion = one["suggestion"]
    response = make_client(make_admin()).post(
        _url(one["community"], "insights-suggestion", pk=suggestion.pk), {"status": "later"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.later_until is not None


# The rest: filtered and paged ---------------------------------------------------------------


@pytest.fixture
def many(make_community, make_user):
    """Twenty newcomers without ties (twenty welcomes) and one introduction."""
    community = make_community(name="Veel")
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    backdate_everyone(community, days_ago(300))
    steady = join(community, make_user, at=days_ago(300), full_name="Steven Steady")
    act(steady, community, days_ago(2), ConversationVerb.REPLIED, other=facilitator)
    for n in range(20):
        join(community, make_user, at=days_ago(30 + n), full_name=f"Nieuw {n:02d}")
    sam = join(community, make_user, at=days_ago(300), full_name="Sam Zoekt")
    profile_update(user=sam, by=sam, seeking_tags=["mantelzorg"])
    profile_update(user=steady, by=steady, help_tags=["mantelzorg"])
    services.snapshot_create(community=community)
    return {"community": community, "facilitator": facilitator}


def _more(html: str) -> str:
    return html.split('id="more-suggestions"', 1)[1]


def test_rest_is_paged_and_filtered_by_kind(many, make_client):
    """Ten a page; the kind filter leaves only that kind; the five of 'This week' stay."""
    community = many["community"]
    client = make_client(many["facilitator"])
    html = _main(client.get(_url(community)))
    assert len(_card_ids(_this_week(html))) == 5
    assert len(_card_ids(_more(html))) == 10
    assert "Page 1 of 2" in html
    page2 = _main(client.get(_url(community) + "?page=2"))
    assert len(_card_ids(_more(page2))) == 6  # 15 welcomes + 1 introduction after the five
    only = _main(client.get(_url(community) + "?kind=introduce"))
    introduction = Suggestion.objects.get(community=community, kind="introduce")
    assert _card_ids(_more(only)) == [introduction.pk]
    assert len(_card_ids(_this_week(only))) == 5


def test_rest_with_htmx_returns_only_the_list(many, make_client):
    """An htmx request aimed at the list gets just the list, not the page."""
    response = make_client(many["facilitator"]).get(
        _url(many["community"]) + "?kind=welcome&page=2",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="more-suggestions",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card insights-more" id="more-suggestions"')
    assert "<html" not in html
    assert len(_card_ids(html)) == 5  # 20 welcomes: 5 this week, 10 on page 1, 5 here
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query", ["?kind=<script>", "?page=abc", "?page=-3", "?page=999"])
def test_rest_bad_query_is_harmless(many, make_client, query):
    """An unknown kind or a bad page number gives the page, not an error."""
    response = make_client(many["facilitator"]).get(_url(many["community"]) + query)
    assert response.status_code == 200
    assert "<script>" not in _main(response)


def _queries(client, url) -> int:
    client.get(url)  # warm caches alike
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_suggestions(
    make_community, make_user, make_client, make_member
):
    """Two or twenty open suggestions: the same number of queries."""
    counts = []
    for size in (2, 20):
        community = make_community()
        facilitator = community.memberships.get(role=Role.FACILITATOR).user
        backdate_everyone(community, days_ago(300))
        steady = join(community, make_user, at=days_ago(300))
        act(steady, community, days_ago(2), ConversationVerb.REPLIED, other=facilitator)
        for n in range(size):
            join(community, make_user, at=days_ago(30 + n))
        services.snapshot_create(community=community)
        assert Suggestion.objects.filter(community=community).count() == size
        counts.append(_queries(make_client(facilitator), _url(community)))
    assert counts[0] == counts[1]


# The health strip ---------------------------------------------------------------------------


def _tile(html: str, key: str) -> str:
    return html.split(f'class="health-tile health-{key}"', 1)[1].split("</li>", 1)[0]


def test_health_strip_shows_the_next_sessions_rsvps(ranked, make_client):
    """The next session's yes answers, with the direction against the session before."""
    community, facilitator = ranked["community"], ranked["facilitator"]
    now = timezone.now()

    def plan(start):
        return session_create(
            community=community,
            by=facilitator,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            title="Leerkring",
            mode=Mode.ONLINE,
            video_url="https://meet.example.org/k",
            at=start - timedelta(days=20),
        )

    before = plan(now - timedelta(days=7))
    upcoming = plan(now + timedelta(days=7))
    for person in ranked["order"][:3]:
        rsvp_set(session=upcoming, user=person, response=RsvpResponse.YES)
    rsvp_set(session=upcoming, user=ranked["sam"], response=RsvpResponse.NO)
    services.snapshot_create(community=community)
    html = _main(make_client(facilitator).get(_url(community)))
    tile = _tile(html, "rsvps")
    coming = upcoming.rsvps.filter(response=RsvpResponse.YES, waitlisted=False).count()
    came_before = before.rsvps.filter(response=RsvpResponse.YES, waitlisted=False).count()
    assert f'<span class="health-value">{coming}</span>' in tile
    assert coming > came_before
    assert f"up from {came_before} for the session before" in tile


def test_health_strip_pulse_only_from_five_answers(ranked, make_member, make_client):
    """A pulse with four answers shows no figure; with five, its safety score out of 7,
    compared with the pulse before that had enough answers."""
    community, facilitator = ranked["community"], ranked["facilitator"]
    keys = [key for key, _reverse, _text in PULSE_ITEMS]
    people = [make_member(community).user for _ in range(5)]
    pulse = services.pulse_start(community=community, by=facilitator)
    for person in people[:4]:
        services.pulse_answer(pulse=pulse, by=person, answers=dict.fromkeys(keys, 6))
    services.pulse_close(pulse=pulse, by=facilitator)
    services.snapshot_create(community=community)
    client = make_client(facilitator)
    tile = _tile(_main(client.get(_url(community))), "pulse")
    assert "only 4 answers: no figure below 5" in tile
    assert 'health-value">—<' in tile
    later = services.pulse_start(community=community, by=facilitator)
    for person in people:
        services.pulse_answer(pulse=later, by=person, answers=dict.fromkeys(keys, 6))
    services.pulse_close(pulse=later, by=facilitator)
    tile = _tile(_main(client.get(_url(community))), "pulse")
    # Items 1, 3 and 5 reversed: (3 * 2 + 4 * 6) / 7 = 4.3.
    assert '<span class="health-value">4.3</span>' in tile
    assert "out of 7, 5 answers" in tile
    assert "nothing to compare with yet" in tile  # the pulse before had too few answers
    third = services.pulse_start(community=community, by=facilitator)
    for person in people:
        services.pulse_answer(pulse=third, by=person, answers=dict.fromkeys(keys, 7))
    services.pulse_close(pulse=third, by=facilitator)
    tile = _tile(_main(client.get(_url(community))), "pulse")
    # (3 * 1 + 4 * 7) / 7 = 4.4
    assert '<span class="health-value">4.4</span>' in tile
    assert "up from 4.3 in the pulse before" in tile


def test_health_strip_numbers_follow_the_readers_language(ranked, make_member, make_client):
    """In Dutch the pulse score has a decimal comma."""
    community, facilitator = ranked["community"], ranked["facilitator"]
    keys = [key for key, _reverse, _text in PULSE_ITEMS]
    pulse = services.pulse_start(community=community, by=facilitator)
    for _ in range(5):
        person = make_member(community).user
        services.pulse_answer(pulse=pulse, by=person, answers=dict.fromkeys(keys, 6))
    services.pulse_close(pulse=pulse, by=facilitator)
    services.snapshot_create(community=community)
    client = make_client(facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.get(_url(community))
    tile = _tile(_main(response), "pulse")
    assert '<span class="health-value">4,3</span>' in tile


def test_health_strip_active_members_with_direction(ranked, make_client):
    """Active members this month against last month, the direction in words."""
    community = ranked["community"]
    services.snapshot_create(community=community)
    html = _main(make_client(ranked["facilitator"]).get(_url(community)))
    tile = _tile(html, "active_members")
    assert re.search(r"(up from|down from|the same as) ", tile)
    assert 'aria-hidden="true"' in tile  # the arrow is decoration; the words say it


def test_health_strip_missing_perspectives_compared_with_a_week_before(ranked, make_client):
    """Missing perspectives are compared with the snapshot of at least a week before, read
    without its full document."""
    from kring.accounts.models import Perspective
    from kring.communities.services import community_update
    from kring.insights.models import Snapshot

    community, facilitator = ranked["community"], ranked["facilitator"]
    keys = list(Perspective.objects.values_list("key", flat=True)[:2])
    assert len(keys) == 2
    community_update(community=community, by=facilitator, target_mix={keys[0]: 50})
    old = services.snapshot_create(community=community)
    Snapshot.objects.filter(pk=old.pk).update(computed_at=days_ago(8))
    community_update(community=community, by=facilitator, target_mix={keys[0]: 50, keys[1]: 50})
    services.snapshot_create(community=community)
    html = _main(make_client(facilitator).get(_url(community)))
    tile = _tile(html, "missing")
    assert '<span class="health-value">2</span>' in tile
    assert "up from 1 on " in tile
