"""Network insights: bridges and who may see their names, isolated communities, perspectives,
the development path, the climate pulse, suggestions, the picture, and a query count that
does not grow with the number of communities."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Perspective
from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record
from kring.insights import services as insight_services
from kring.insights.models import PULSE_MIN_ANSWERS
from kring.insights.selectors import ITEM_KEYS
from kring.networks import services
from kring.networks.charts import network_map_svg
from kring.networks.insights import network_insights
from kring.networks.suggestions import similar, theme_words


@pytest.fixture
def admin(make_admin):
    return make_admin(full_name="Ada Admin")


@pytest.fixture
def make_network(admin):
    """A network whose communities the platform admin links in one step each."""

    def make(*communities, slug="zorg-oost", coordinators=()):
        network = services.network_create(by=admin, slug=slug, name="Zorg Oost", level="regional")
        for community in communities:
            services.link_request(network=network, community=community, by=admin)
        if coordinators:
            services.coordinators_set(network=network, by=admin, people=[admin, *coordinators])
        return network

    return make


def _link(document: dict, a: str, b: str) -> dict | None:
    return next(
        (x for x in document["links"] if {x["a"], x["b"]} == {a, b}),
        None,
    )


def _community(document: dict, slug: str) -> dict:
    return next(c for c in document["communities"] if c["slug"] == slug)


def test_a_person_in_two_communities_is_one_bridge(
    make_community, make_member, make_user, make_network
):
    """Someone in two linked communities is one bridge between them, named to the command line."""
    a, b = make_community(name="Alpha"), make_community(name="Beta")
    bram = make_user(full_name="Bram Bridge")
    make_member(a, user=bram)
    make_member(b, user=bram)
    document = network_insights(network=make_network(a, b), viewer=None)
    assert document["bridges"] == 1
    link = _link(document, a.slug, b.slug)
    assert link["shared_members"] == 1
    assert link["bridges"] == ["Bram Bridge"]
    assert document["isolated_communities"] == []


def test_a_community_sharing_no_one_is_named_isolated(
    make_community, make_member, make_user, make_network
):
    """A community with no member in another linked community is listed as isolated, and a
    suggestion names it."""
    a, b, c = (make_community(name=n) for n in ("Alpha", "Beta", "Gamma"))
    bram = make_user()
    make_member(a, user=bram)
    make_member(b, user=bram)
    document = network_insights(network=make_network(a, b, c), viewer=None)
    assert document["isolated_communities"] == [c.slug]
    isolated = [s for s in document["suggestions"] if s["kind"] == "isolated"]
    assert [s["communities"] for s in isolated] == [[c.slug]]
    assert "Gamma" in isolated[0]["text"]


@pytest.mark.parametrize(
    ("sees_both", "expected"), [(True, ["Bram Bridge"]), (False, None)], ids=["inside", "outside"]
)
def test_bridge_names_only_for_communities_the_coordinator_sees_inside(
    make_community, make_member, make_user, make_network, sees_both, expected
):
    """A coordinator sees the bridge's name only when they may see inside both communities;
    otherwise the bridge is counted."""
    a, b = make_community(name="Alpha"), make_community(name="Beta")
    bram = make_user(full_name="Bram Bridge")
    make_member(a, user=bram)
    make_member(b, user=bram)
    coordinator = make_user(full_name="Cora Coordinator")
    make_member(a, user=coordinator)
    if sees_both:
        make_member(b, user=coordinator, role=Role.GUEST)
    network = make_network(a, b, coordinators=[coordinator])
    document = network_insights(network=network, viewer=coordinator)
    link = _link(document, a.slug, b.slug)
    assert link["shared_members"] == (2 if sees_both else 1)
    if sees_both:
        assert link["bridges"] == ["Bram Bridge", "Cora Coordinator"]
    else:
        assert link["bridges"] is expected
        assert "Bram Bridge" not in str(document)


def test_someone_who_is_not_a_coordinator_gets_404(make_community, make_user, make_network):
    """Members of a linked community are not coordinators: no insights for them."""
    from django.http import Http404

    a = make_community()
    network = make_network(a)
    with pytest.raises(Http404):
        network_insights(network=network, viewer=a.created_by)


def _answer(pulse, people, value=6):
    for person in people:
        insight_services.pulse_answer(
            pulse=pulse, by=person, answers=dict.fromkeys(ITEM_KEYS, value)
        )


@pytest.mark.parametrize("answers", [PULSE_MIN_ANSWERS - 1, PULSE_MIN_ANSWERS])
def test_pulse_only_from_five_answers(make_community, make_member, make_network, answers):
    """The latest closed pulse shows its means from five answers; below that it is null."""
    a = make_community()
    people = [make_member(a).user for _ in range(answers)]
    pulse = insight_services.pulse_start(community=a, by=a.created_by)
    _answer(pulse, people)
    insight_services.pulse_close(pulse=pulse, by=a.created_by)
    document = network_insights(network=make_network(a), viewer=None)
    shown = _community(document, a.slug)["pulse"]
    if answers < PULSE_MIN_ANSWERS:
        assert shown is None
    else:
        assert shown["answers"] == answers
        assert shown["learn"] == 6 and shown["trust"] == 6
        # Items 1, 3 and 5 are scored in reverse: (4 * 6 + 3 * 2) / 7.
        assert shown["safety"] == round(30 / 7, 2)


def test_an_open_pulse_is_not_shown(make_community, make_member, make_network):
    """A pulse still open shows nothing, however many answered."""
    a = make_community()
    pulse = insight_services.pulse_start(community=a, by=a.created_by)
    _answer(pulse, [make_member(a).user for _ in range(PULSE_MIN_ANSWERS)])
    document = network_insights(network=make_network(a), viewer=None)
    assert _community(document, a.slug)["pulse"] is None


def test_similar_themes_without_shared_members_get_a_suggestion(
    make_community, make_member, make_user, make_network
):
    """Two communities on the same theme that share no one: introduce their facilitators.
    Once they share a member, the suggestion goes."""
    a = make_community(
        name="Zorg Noord",
        theme="Eenzaamheid onder ouderen in de wijk",
        shared_goal="Minder eenzaamheid bij ouderen",
    )
    b = make_community(
        name="Zorg Zuid",
        theme="Ouderen en eenzaamheid: wat werkt in de buurt?",
        shared_goal="",
    )
    c = make_community(name="Energie", theme="Warmtepompen en isolatie van huurwoningen")
    network = make_network(a, b, c)
    document = network_insights(network=network, viewer=None)
    similar_ones = [s for s in document["suggestions"] if s["kind"] == "similar_theme"]
    assert [sorted(s["communities"]) for s in similar_ones] == [sorted([a.slug, b.slug])]
    assert "introduce their facilitators" in similar_ones[0]["text"]
    assert "eenzaamheid" in similar_ones[0]["text"]
    # The isolated ones in a similar pair get that suggestion, not a second one.
    isolated = [s["communities"] for s in document["suggestions"] if s["kind"] == "isolated"]
    assert isolated == [[c.slug]]

    bram = make_user()
    make_member(a, user=bram)
    make_member(b, user=bram)
    document = network_insights(network=network, viewer=None)
    assert not [s for s in document["suggestions"] if s["kind"] == "similar_theme"]


def test_theme_words_rule():
    """Short words and filler do not count; two shared words that are a quarter of the
    shorter theme do."""
    from types import SimpleNamespace

    theme = "Samen leren over de zorg voor ouderen"
    words = theme_words(SimpleNamespace(theme=theme, shared_goal=""))
    assert words == {"zorg", "ouderen"}
    assert similar(frozenset({"zorg", "ouderen"}), frozenset({"zorg", "ouderen", "wijk"}))
    assert not similar(frozenset({"zorg"}), frozenset({"zorg", "wijk"}))
    many = frozenset(f"woord{n}" for n in range(20))
    assert not similar(
        frozenset({"zorg", "ouderen"}) | many,
        frozenset({"zorg", "ouderen"}) | {f"ander{n}" for n in range(20)},
    )


def test_perspectives_and_what_is_missing(make_community, make_member, make_network):
    """Per community its members per perspective against the target mix, the target
    perspectives nobody brings, and the perspectives missing in the whole network."""
    citizen = Perspective.objects.get(key="citizen")
    a = make_community(target_mix={"citizen": 30, "municipality": 20})
    b = make_community()
    make_member(a).user.perspectives.add(citizen)
    make_member(b).user.perspectives.add(citizen)
    document = network_insights(network=make_network(a, b), viewer=None)
    row = _community(document, a.slug)
    assert {"perspective": "citizen", "members": 1, "share": 50, "target": 30} in row[
        "perspectives"
    ]
    assert row["missing_perspectives"] == ["municipality"]
    assert "citizen" not in document["missing_perspectives"]
    assert "municipality" in document["missing_perspectives"]
    missing = [s for s in document["suggestions"] if s["kind"] == "missing_perspective"]
    assert len(missing) == len(document["missing_perspectives"])
    assert document["perspective_names"]["citizen"] == str(citizen.name)


def test_development_summary_and_stage(make_community, make_network):
    """Each community's life stage and its development path in a few numbers."""
    a = make_community(theme="Zorg voor ouderen thuis")
    development = _community(network_insights(network=make_network(a), viewer=None), a.slug)[
        "development"
    ]
    assert development["steps"] == 9
    assert development["done"] + development["partial"] + development["open"] == 9
    assert development["next"] is not None


def test_a_step_judged_refreshes_the_cached_summary(
    make_community, make_network, django_capture_on_commit_callbacks
):
    """The path's summary is cached; a facilitator's decision on a step shows at once."""
    from kring.growth import services as growth_services

    a = make_community()
    network = make_network(a)
    before = _community(network_insights(network=network, viewer=None), a.slug)["development"]
    with django_capture_on_commit_callbacks(execute=True):
        growth_services.step_judge(
            community=a, by=a.created_by, step="results", status="done", note="We showed it"
        )
    after = _community(network_insights(network=network, viewer=None), a.slug)["development"]
    assert before["done"] + before["partial"] + before["open"] == 9
    assert after["done"] == before["done"] + 1


def test_active_members_count_events_and_attendance(make_community, make_member, make_network):
    """Active: did something in the community in the last 90 days."""
    a = make_community()
    lively, quiet = make_member(a).user, make_member(a).user
    activity_record(actor=lively, verb=ConversationVerb.ASKED, community=a)
    activity_record(
        actor=quiet,
        verb=ConversationVerb.ASKED,
        community=a,
        at=timezone.now() - timedelta(days=200),
    )
    document = network_insights(network=make_network(a), viewer=None)
    assert _community(document, a.slug)["active_members"] == 1


def _build(make_community, make_member, make_user, n: int, coordinator):
    """n communities with themes, perspectives, a pulse each, and bridges in a chain; the
    coordinator in every other one."""
    citizen = Perspective.objects.get(key="citizen")
    communities = []
    previous_bridge = None
    for k in range(n):
        c = make_community(name=f"Community {k}", theme=f"Thema {k} over zorg en welzijn")
        people = [make_member(c).user for _ in range(PULSE_MIN_ANSWERS)]
        people[0].perspectives.add(citizen)
        activity_record(actor=people[1], verb=ConversationVerb.ASKED, community=c)
        pulse = insight_services.pulse_start(community=c, by=c.created_by)
        _answer(pulse, people)
        insight_services.pulse_close(pulse=pulse, by=c.created_by)
        if previous_bridge is not None:
            make_member(c, user=previous_bridge)
        previous_bridge = people[2]
        if k % 2 == 0:
            make_member(c, user=coordinator, role=Role.GUEST)
        communities.append(c)
    return communities


def test_queries_do_not_grow_with_the_number_of_communities(
    make_community, make_member, make_user, make_network
):
    """3 or 8 communities: the same number of queries (the development summaries cached, as
    after the first read of the day)."""
    counts = []
    for n, slug in ((3, "small-net"), (8, "large-net")):
        coordinator = make_user()
        network = make_network(
            *_build(make_community, make_member, make_user, n, coordinator),
            slug=slug,
            coordinators=[coordinator],
        )
        coordinator = type(coordinator).objects.get(pk=coordinator.pk)
        network_insights(network=network, viewer=coordinator)  # warms the path's summaries
        coordinator = type(coordinator).objects.get(pk=coordinator.pk)
        with CaptureQueriesContext(connection) as queries:
            document = network_insights(network=network, viewer=coordinator)
        assert len(document["communities"]) == n
        assert all(c["pulse"] is not None for c in document["communities"])
        assert any(link["bridges"] is None for link in document["links"])
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_shows_the_figures_and_the_picture(
    make_community, make_member, make_user, make_network, make_client
):
    """The coordinator's page: the suggestions, the picture with its table, and per community
    its figures."""
    a = make_community(name="Alpha", theme="Eenzaamheid onder ouderen", shared_goal="ouderen")
    b = make_community(name="Beta", theme="Ouderen en eenzaamheid")
    c = make_community(name="Gamma")
    bram = make_user(full_name="Bram Bridge")
    make_member(a, user=bram)
    make_member(c, user=bram)
    coordinator = make_user()
    network = make_network(a, b, c, coordinators=[coordinator])
    response = make_client(coordinator).get(reverse("network-insights", args=[network.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "chart-communities" in html
    assert "introduce their facilitators" in html
    assert "Bram Bridge" not in html  # the coordinator sees inside neither


def test_the_picture_draws_ties_and_sets_the_isolated_apart():
    """One node per community, one line per pair that shares members, the isolated below."""
    document = {
        "communities": [
            {"slug": "a", "name": "Alpha", "members": 40},
            {"slug": "b", "name": "Beta", "members": 10},
            {"slug": "c", "name": "Gamma <script>", "members": 5},
        ],
        "links": [{"a": "a", "b": "b", "shared_members": 3, "bridges": None}],
        "isolated_communities": ["c"],
    }
    svg = str(network_map_svg(document))
    assert svg.count('class="net-community"') == 2
    assert svg.count('class="net-community net-isolate"') == 1
    assert svg.count('class="net-tie"') == 1
    assert "<script>" not in svg and "Gamma &lt;script&gt;" in svg
    assert network_map_svg({"communities": [], "links": [], "isolated_communities": []}) == ""


def test_the_command_prints_the_document(make_community, make_member, make_user, make_network):
    """`kring network-insights SLUG --json` prints the whole document; without --json, lines."""
    import io
    import json

    from django.core.management import call_command

    a, b = make_community(name="Alpha"), make_community(name="Beta")
    bram = make_user(full_name="Bram Bridge")
    make_member(a, user=bram)
    make_member(b, user=bram)
    network = make_network(a, b)
    out = io.StringIO()
    call_command("network-insights", network.slug, "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert {"suggestions", "missing_perspectives", "perspective_names"} <= set(document)
    assert _link(document, a.slug, b.slug)["bridges"] == ["Bram Bridge"]
    out = io.StringIO()
    call_command("network-insights", network.slug, stdout=out)
    assert "path:" in out.getvalue()


def test_the_periodic_task_keeps_the_path_summaries_warm(make_community, make_network):
    """After the stages task ran, reading the network reads no development path: the same
    queries as a second read."""
    from django.core.cache import cache

    from kring.growth import tasks

    network = make_network(*(make_community() for _ in range(3)))
    tasks.stages_refresh.call()
    with CaptureQueriesContext(connection) as first:
        network_insights(network=network, viewer=None)
    with CaptureQueriesContext(connection) as second:
        network_insights(network=network, viewer=None)
    assert len(first) == len(second)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        network_insights(network=network, viewer=None)
    assert len(cold) > len(first)


def test_cold_development_paths_are_read_a_few_at_a_time(
    make_community, make_user, make_network, monkeypatch
):
    """With an empty cache a coordinator's request reads at most DEVELOPMENT_READS paths; the
    others are null (not read yet) and come with the next request."""
    from django.core.cache import cache

    from kring.networks import insights

    monkeypatch.setattr(insights, "DEVELOPMENT_READS", 1)
    coordinator = make_user()
    network = make_network(make_community(), make_community(), coordinators=[coordinator])
    cache.clear()
    first = network_insights(network=network, viewer=coordinator)
    assert sorted(c["development"] is None for c in first["communities"]) == [False, True]
    second = network_insights(network=network, viewer=coordinator)
    assert all(c["development"] is not None for c in second["communities"])
