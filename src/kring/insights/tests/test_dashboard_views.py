"""The facilitator's dashboard: who may open it, the empty state, refresh, decisions on
suggestions, the thresholds form, hostile names, the SVGs and the query count."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.communities.models import Role
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record
from kring.insights import services
from kring.insights.compute import compute
from kring.insights.models import (
    InsightSettings,
    Snapshot,
    SnapshotMember,
    Suggestion,
    SuggestionStatus,
)

SVG = re.compile(r"<svg xmlns=.*?</svg>", re.S)
NS = {"svg": "http://www.w3.org/2000/svg"}


def _url(community, name="insights-dashboard", **kwargs):
    return reverse(name, kwargs={"slug": community.slug, **kwargs})


@pytest.fixture
def circle(make_community, make_member, make_user):
    """A community with its facilitator, a steady member and one drifting away (a reply every
    week for four months, nothing in the last ten weeks), and a snapshot-less start."""
    community = make_community(name="Wijkzorg")
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    steady = make_member(community, full_name="Sanne Steady").user
    drifter = make_member(community, full_name="Daan Drift").user
    now = timezone.now()
    for n in range(16):
        activity_record(
            actor=drifter,
            verb=ConversationVerb.REPLIED,
            community=community,
            other=steady,
            at=now - timedelta(days=70 + 7 * n),
        )
    for n in range(3):
        activity_record(
            actor=steady,
            verb=ConversationVerb.REPLIED,
            community=community,
            other=facilitator,
            at=now - timedelta(days=3 + n),
        )
    return {
        "community": community,
        "facilitator": facilitator,
        "steady": steady,
        "drifter": drifter,
    }


def _svgs(response) -> list[ET.Element]:
    return [ET.fromstring(s) for s in SVG.findall(response.content.decode())]


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("outsider", 404),
        ("member", 403),
        ("guest", 403),
        ("core", 403),
        ("facilitator", 200),
        ("admin", 200),
    ],
)
def test_dashboard_access(circle, make_user, make_admin, make_member, make_client, who, status):
    """Only facilitators and platform admins open the dashboard; members get 403, outsiders 404."""
    community = circle["community"]
    people = {
        "outsider": lambda: make_user(),
        "member": lambda: circle["steady"],
        "guest": lambda: make_member(community, role=Role.GUEST).user,
        "core": lambda: make_member(community, role=Role.CORE).user,
        "facilitator": lambda: circle["facilitator"],
        "admin": lambda: make_admin(),
    }
    response = make_client(people[who]()).get(_url(community))
    assert response.status_code == status


def test_dashboard_anonymous_redirects_to_login(circle, client):
    """Someone not logged in is sent to the login page."""
    response = client.get(_url(circle["community"]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_community_is_404(circle, make_client):
    """A guessed slug gives 404, also for a facilitator elsewhere."""
    response = make_client(circle["facilitator"]).get(
        reverse("insights-dashboard", kwargs={"slug": "nope"})
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("insights-refresh", {}), ("insights-settings", {}), ("insights-suggestion", {"pk": 1})],
)
@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("member", 403)])
def test_posts_refused_for_the_wrong_people(
    circle, make_user, make_client, name, kwargs, who, status
):
    """Refresh, thresholds and decisions are for facilitators; nothing changes for others."""
    user = make_user() if who == "outsider" else circle["steady"]
    response = make_client(user).post(
        _url(circle["community"], name, **kwargs), {"status": "done", "window_days": 10}
    )
    assert response.status_code == status
    assert not Snapshot.objects.exists()
    assert not InsightSettings.objects.exists()


def test_header_tab_for_facilitators_only(circle, make_client):
    """The community header shows an Insights tab to facilitators, not to members."""
    community = circle["community"]
    url = _url(community)
    page = make_client(circle["facilitator"]).get(community.get_absolute_url())
    assert f'href="{url}"' in page.content.decode()
    page = make_client(circle["steady"]).get(community.get_absolute_url())
    assert f'href="{url}"' not in page.content.decode()


# Empty state and refresh -----------------------------------------------------------------------


def test_empty_state_offers_a_refresh(circle, make_client):
    """Without a snapshot the facilitator sees a friendly explanation and the refresh button."""
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    html = response.content.decode()
    assert "No insights computed yet" in html
    assert _url(circle["community"], "insights-refresh") in html
    assert not Snapshot.objects.exists()


def test_dashboard_never_computes(circle, make_client):
    """Opening the dashboard reads snapshots only; it never makes one."""
    make_client(circle["facilitator"]).get(_url(circle["community"]))
    services.snapshot_create(community=circle["community"])
    make_client(circle["facilitator"]).get(_url(circle["community"]))
    assert Snapshot.objects.count() == 1


def test_refresh_computes_a_snapshot_after_commit(
    circle, make_client, django_capture_on_commit_callbacks
):
    """Refresh enqueues the snapshot task after the request commits; the task stores one."""
    client = make_client(circle["facilitator"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_url(circle["community"], "insights-refresh"))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Snapshot.objects.filter(community=circle["community"]).count() == 1


def test_refresh_needs_post(circle, make_client):
    """A GET on the refresh address does nothing."""
    response = make_client(circle["facilitator"]).get(_url(circle["community"], "insights-refresh"))
    assert response.status_code == 405


# The dashboard with a snapshot ----------------------------------------------------------------


def test_dashboard_shows_signal_with_reason_and_age(circle, make_client):
    """The drifting member is listed with the reason in words and a link to the profile; the
    snapshot's age is shown."""
    services.snapshot_create(community=circle["community"])
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    html = response.content.decode()
    assert "Drifting away" in html
    assert "0 activities in the last 6 weeks, against 15 in the 18 weeks before" in html
    assert reverse("person-detail", kwargs={"pk": circle["drifter"].pk}) in html
    assert "Computed just now" in html
    assert "Call Daan Drift" in html


def test_svgs_parse_and_draw_one_node_per_member(circle, make_client):
    """The network and the five trend charts are valid XML; the network has one linked node
    per member with an accessible name."""
    services.snapshot_create(community=circle["community"])
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    svgs = _svgs(response)
    network = [s for s in svgs if "chart-network" in s.get("class")]
    trends = [s for s in svgs if "chart-trend" in s.get("class")]
    assert len(network) == 1 and len(trends) == 5
    nodes = network[0].findall("svg:a", NS)
    assert len(nodes) == circle["community"].memberships.count()
    assert network[0].get("role") == "group" and network[0].get("aria-labelledby")
    names = [node.get("aria-label") for node in nodes]
    assert any(t.startswith("Daan Drift: member") for t in names)
    for chart in trends:
        assert chart.find("svg:title", NS).text and chart.find("svg:desc", NS).text


def test_hostile_names_are_escaped(circle, make_member, make_client):
    """A name with markup shows as text in the page and in the SVG, which still parses."""
    hostile = '<script>alert("x")</script> & <b>Eve</b>'
    make_member(circle["community"], full_name=hostile)
    services.snapshot_create(community=circle["community"])
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>Eve</b>" not in html
    network = [s for s in _svgs(response) if "chart-network" in s.get("class")][0]
    titles = [a.find("svg:title", NS).text for a in network.findall("svg:a", NS)]
    assert any(t.startswith(hostile) for t in titles)


def test_people_who_left_are_not_shown(circle, make_client):
    """Someone who left after the snapshot disappears from the dashboard."""
    from kring.communities.services import membership_remove

    services.snapshot_create(community=circle["community"])
    membership_remove(
        membership=circle["community"].memberships.get(user=circle["drifter"]),
        by=circle["facilitator"],
    )
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    assert "Daan Drift" not in response.content.decode()


def _dashboard_queries(make_community, make_member, make_client, size: int) -> int:
    community = make_community()
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    members = [make_member(community).user for _ in range(size)]
    for a, b in zip(members, members[1:], strict=False):
        activity_record(actor=a, verb=ConversationVerb.REPLIED, community=community, other=b)
    services.snapshot_create(community=community)
    client = make_client(facilitator)
    client.get(_url(community))  # warm the layout cache and sessions alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(community))
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_members(make_community, make_member, make_client):
    """The dashboard reads the snapshot and the people it links to in one query: 3 or 30
    members take the same number of queries."""
    small = _dashboard_queries(make_community, make_member, make_client, 3)
    large = _dashboard_queries(make_community, make_member, make_client, 30)
    assert small == large


# Suggestions --------------------------------------------------------------------------------


def _call_suggestion(circle) -> Suggestion:
    services.snapshot_create(community=circle["community"])
    return Suggestion.objects.get(community=circle["community"], kind="call")


@pytest.mark.parametrize("status", [SuggestionStatus.DONE, SuggestionStatus.DISMISSED])
def test_suggestion_decided_is_logged_and_leaves_the_open_list(circle, make_client, status):
    """Done or dismissed: the decision is stored with who and the note, the suggestion leaves
    the open list and appears in the log."""
    suggestion = _call_suggestion(circle)
    client = make_client(circle["facilitator"])
    url = _url(circle["community"], "insights-suggestion", pk=suggestion.pk)
    response = client.post(url, {"status": status, "note": "Called on Monday"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == status
    assert suggestion.decided_by == circle["facilitator"]
    assert suggestion.note == "Called on Monday"
    html = client.get(_url(circle["community"])).content.decode()
    assert f'action="{url}"' not in html
    assert "Called on Monday" in html
    assert "Call Daan Drift" in html  # in the log


def test_suggestion_bad_status_changes_nothing(circle, make_client):
    """An unknown status or an oversized note is refused; the suggestion stays open."""
    suggestion = _call_suggestion(circle)
    client = make_client(circle["facilitator"])
    url = _url(circle["community"], "insights-suggestion", pk=suggestion.pk)
    client.post(url, {"status": "deleted"})
    client.post(url, {"status": "done", "note": "x" * 301})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    assert suggestion.decided_by is None


def test_suggestion_of_another_community_is_404(circle, make_community, make_client):
    """A facilitator cannot decide on another community's suggestion by guessing its id."""
    suggestion = _call_suggestion(circle)
    other = make_community()
    facilitator = other.memberships.get(role=Role.FACILITATOR).user
    response = make_client(facilitator).post(
        _url(other, "insights-suggestion", pk=suggestion.pk), {"status": "done"}
    )
    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


# Thresholds -------------------------------------------------------------------------------------

GOOD = {
    "window_days": 28,
    "baseline_days": 112,
    "drift_ratio": 0.5,
    "rising_ratio": 2.5,
    "min_baseline": 3,
    "missed_sessions": 3,
    "newcomer_days": 28,
    "period_days": 120,
}


def test_the_thresholds_form_is_fetched_when_opened(circle, make_client):
    """The dashboard holds no thresholds form, only where to fetch it (htmx, when the
    section is opened) and a plain link to it; that page has the form with the stored
    values."""
    client = make_client(circle["facilitator"])
    settings_url = _url(circle["community"], "insights-settings")
    dashboard = client.get(_url(circle["community"])).content.decode()
    assert 'name="window_days"' not in dashboard
    assert f'hx-get="{settings_url}"' in dashboard
    assert 'hx-select=".insights-settings-form"' in dashboard
    assert f'<a href="{settings_url}">' in dashboard

    form_page = client.get(settings_url).content.decode()
    assert 'class="insights-settings-form"' in form_page
    assert 'name="window_days"' in form_page


def test_settings_first_save_creates_the_row(circle, make_client):
    """The first save makes the community's thresholds; the next snapshot uses them."""
    response = make_client(circle["facilitator"]).post(
        _url(circle["community"], "insights-settings"), GOOD
    )
    assert response.status_code == 302
    stored = InsightSettings.objects.get(community=circle["community"])
    assert stored.window_days == 28 and stored.drift_ratio == 0.5
    snapshot = services.snapshot_create(community=circle["community"])
    assert snapshot.period_days == 120


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("window_days", 0, "Choose a value from 7 to 365."),
        ("window_days", 100000, "Choose a value from 7 to 365."),
        ("drift_ratio", 1.5, "Choose a value from 0.05 to 0.95."),
        ("rising_ratio", -2, "Choose a value from 1.1 to 10.0."),
        ("missed_sessions", "two", "Enter a whole number."),
        ("baseline_days", 14, "The baseline should be at least as long as the recent window."),
        ("period_days", "<script>", "Enter a whole number."),
    ],
)
def test_settings_bad_values_rejected(circle, make_client, field, value, message):
    """Out-of-range or malformed values show a message next to the field; nothing is saved."""
    response = make_client(circle["facilitator"]).post(
        _url(circle["community"], "insights-settings"), {**GOOD, field: value}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert "<script>" not in html.split('id="id_period_days"')[1][:200]
    assert not InsightSettings.objects.exists()


def test_settings_bad_values_keep_the_stored_row(circle, make_client):
    """A refused change leaves the stored thresholds as they were."""
    client = make_client(circle["facilitator"])
    client.post(_url(circle["community"], "insights-settings"), GOOD)
    client.post(_url(circle["community"], "insights-settings"), {**GOOD, "drift_ratio": 7})
    assert InsightSettings.objects.get(community=circle["community"]).drift_ratio == 0.5


# The dashboard part of the snapshot ----------------------------------------------------------


def test_dashboard_never_reads_the_full_document(circle, make_client):
    """With the dashboard part filled, the page selects no "data" column: the full document
    (megabytes at scale) stays in the database."""
    snapshot = services.snapshot_create(community=circle["community"])
    assert snapshot.dashboard["version"]
    client = make_client(circle["facilitator"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(circle["community"]))
    assert response.status_code == 200
    assert "Daan Drift" in response.content.decode()
    snapshot_sql = [q["sql"] for q in queries if "insights_snapshot" in q["sql"]]
    assert snapshot_sql
    assert not [sql for sql in snapshot_sql if re.search(r'[".]data"?\s*(,|FROM)', sql)]


def test_older_snapshot_without_dashboard_part_is_built_from_data(circle, make_client):
    """A snapshot made before the dashboard part existed still shows its signals and reasons."""
    snapshot = services.snapshot_create(community=circle["community"])
    # Made before the dashboard part, so before the split too: the whole document in `data`.
    raw = compute(
        community=snapshot.community, as_of=snapshot.as_of, period_days=snapshot.period_days
    )
    SnapshotMember.objects.filter(snapshot=snapshot).delete()
    Snapshot.objects.filter(pk=snapshot.pk).update(dashboard={}, data=raw, format=1)
    response = make_client(circle["facilitator"]).get(_url(circle["community"]))
    html = response.content.decode()
    assert "0 activities in the last 6 weeks, against 15 in the 18 weeks before" in html
    assert "Call Daan Drift" in html


def test_long_lists_are_capped_with_and_n_more(circle, make_member, make_client, monkeypatch):
    """Beyond the cap a signal list ends in "and N more"; the heading counts everyone."""
    from kring.insights import dashboard_doc

    monkeypatch.setattr(dashboard_doc, "SIGNALS_SHOWN", 1)
    monkeypatch.setattr(dashboard_doc, "GROUPS_SHOWN", 0)
    now = timezone.now()
    for n in range(3):
        quiet = make_member(circle["community"], full_name=f"Quiet {n}").user
        for week in range(16):  # weekly for four months, silent for ten weeks: drifting away
            activity_record(
                actor=quiet,
                verb=ConversationVerb.REPLIED,
                community=circle["community"],
                other=circle["steady"],
                at=now - timedelta(days=70 + 7 * week),
            )
    services.snapshot_create(community=circle["community"])
    drifting = Snapshot.objects.get().dashboard["signals"]["drifting"]
    assert drifting["count"] == 4 and len(drifting["items"]) == 1
    html = make_client(circle["facilitator"]).get(_url(circle["community"])).content.decode()
    assert 'Drifting away <span class="meta">(4)</span>' in html
    assert "and 3 more" in html


def test_dashboard_part_draws_at_most_the_cap_with_stored_layout(make_community, make_member):
    """The stored network holds at most MAX_NODES people, only ties among them, a position for
    each one in the web, and at most TIES_DRAWN ties, everyone keeping their strongest."""
    from kring.insights import charts, dashboard_doc

    raw = {
        "members": [
            {
                "id": i,
                "email": f"p{i}@x.example",
                "name": f"P {i}",
                "perspectives": [],
                "degree": 500 - i,
                "betweenness": 0.0,
                "signals": [],
            }
            for i in range(charts.MAX_NODES + 50)
        ],
        "network": {
            "edges": [
                {"a": f"p{i}@x.example", "b": f"p{j}@x.example", "weight": 1.0, "strong": True}
                for i in range(0, charts.MAX_NODES + 50, 3)
                for j in range(i + 1, min(i + 40, charts.MAX_NODES + 50))
            ],
            "isolates": [],
            "brokers": [],
        },
    }
    dash = dashboard_doc.build(raw)
    network = dash["network"]
    assert len(network["ids"]) == charts.MAX_NODES
    assert network["total"] == charts.MAX_NODES + 50
    drawn = set(network["ids"])
    assert all(a in drawn and b in drawn for a, b, _w, _s in network["edges"])
    assert len(network["edges"]) <= dashboard_doc.TIES_DRAWN
    assert network["ties_total"] > len(network["edges"])
    tied = {i for a, b, _w, _s in network["edges"] for i in (a, b)}
    assert {i for i, _x, _y in network["positions"]} <= tied


# Signals and the network list beyond the dashboard ---------------------------------------------


def _drifting(circle, make_member, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        quiet = make_member(circle["community"], full_name=f"Quiet {n:02d}").user
        for week in range(16):  # weekly for four months, silent for ten weeks: drifting away
            activity_record(
                actor=quiet,
                verb=ConversationVerb.REPLIED,
                community=circle["community"],
                other=circle["steady"],
                at=now - timedelta(days=70 + 7 * week),
            )


def test_dashboard_shows_a_few_per_signal_and_links_to_all(circle, make_member, make_client):
    """The dashboard names the first few people per signal; the signal's own list pages
    through everyone the snapshot stored."""
    from kring.insights import selectors_dashboard

    _drifting(circle, make_member, 7)
    services.snapshot_create(community=circle["community"])
    client = make_client(circle["facilitator"])
    html = client.get(_url(circle["community"])).content.decode()
    shown = selectors_dashboard.SIGNALS_ON_DASHBOARD
    assert html.count('class="person signal"') == shown
    assert "and 3 more" in html
    link = _url(circle["community"], "insights-signals", kind="drifting")
    assert link in html
    page = client.get(link)
    assert page.status_code == 200
    listed = page.content.decode()
    assert listed.count('class="person signal"') == 8
    assert "Daan Drift" in listed and "Quiet 06" in listed


def test_signal_list_pages_and_reads_the_same_queries(
    circle, make_member, make_client, monkeypatch
):
    from kring.insights import selectors_dashboard

    monkeypatch.setattr(selectors_dashboard, "SIGNALS_PER_PAGE", 3)
    _drifting(circle, make_member, 5)
    services.snapshot_create(community=circle["community"])
    client = make_client(circle["facilitator"])
    link = _url(circle["community"], "insights-signals", kind="drifting")
    counts = []
    for page in (1, 2):
        client.get(link, {"page": page})
        with CaptureQueriesContext(connection) as queries:
            html = client.get(link, {"page": page}).content.decode()
        counts.append(len(queries))
        assert html.count('class="person signal"') == 3
    assert counts[0] == counts[1]
    assert "Page 2 of 2" in html


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("outsider", 404), ("facilitator", 404)]
)
def test_signal_list_access_and_unknown_kind(
    circle, make_member, make_user, make_client, who, status
):
    services.snapshot_create(community=circle["community"])
    person = {
        "member": circle["steady"],
        "outsider": make_user(),
        "facilitator": circle["facilitator"],
    }[who]
    kind = "nonsense" if who == "facilitator" else "drifting"
    response = make_client(person).get(_url(circle["community"], "insights-signals", kind=kind))
    assert response.status_code == status


def test_network_list_is_loaded_on_its_own(circle, make_client):
    """The dashboard leaves the people per group out and loads them when the list is opened;
    the list's own address works without JavaScript too."""
    services.snapshot_create(community=circle["community"])
    client = make_client(circle["facilitator"])
    link = _url(circle["community"], "insights-network")
    html = client.get(_url(circle["community"])).content.decode()
    assert link in html and 'class="network-people"' not in html
    fragment = client.get(link, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'class="network-people"' in fragment and "Sanne Steady" in fragment
    page = client.get(link).content.decode()
    assert "<html" in page and "Sanne Steady" in page
    assert make_client(circle["steady"]).get(link).status_code == 403
