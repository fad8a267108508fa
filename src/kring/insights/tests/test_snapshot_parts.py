"""A snapshot in parts (snapshot_split): a summary and one row per member. "What Kring sees
about me" reads one row and shows the strongest ties, the rest paged; a snapshot made before
the split (format 1) still works everywhere; the migration converts one and back."""

import importlib
import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.communities.models import Role, Visibility
from kring.conversations.verbs import ConversationVerb
from kring.insights import snapshot_split
from kring.insights.compute import compute
from kring.insights.models import Snapshot, SnapshotMember
from kring.insights.selectors_people import TIES_PER_PAGE, TIES_SHOWN
from kring.insights.services import snapshot_create
from kring.insights.tests.histories import act, backdate_everyone, join, local
from kring.privacy.export_sections_activity import signals as export_signals

pytestmark = pytest.mark.django_db

# The summary column selected whole, not through a key (SQLite: json_extract(col, '$...');
# PostgreSQL: col -> 'key').
WHOLE_DATA = re.compile(r'"insights_snapshot"\."data"(?!\s*(,\s*\'\$|->|#>))')
split_migration = importlib.import_module("kring.insights.migrations.0005_snapshot_split")


def _circle(make_community, make_user, size: int):
    """A facilitator who answered `size` members in the last weeks (ties with each), and the
    members' own ring of replies."""
    facilitator = make_user(full_name="Fenna Facilitator")
    community = make_community(by=facilitator, visibility=Visibility.PUBLIC)
    backdate_everyone(community, local(2025, 1, 1))
    people = [
        join(community, make_user, at=local(2025, 2, 1), full_name=f"Person {i:03d}")
        for i in range(size)
    ]
    recently = timezone.now() - timedelta(days=5)
    for i, person in enumerate(people):
        for _n in range(1 + i % 3):
            act(facilitator, community, recently, ConversationVerb.ANSWERED, other=person)
        act(person, community, recently, ConversationVerb.REPLIED, other=people[i - 1])
    return community, facilitator, people


def _format_1(snapshot: Snapshot) -> Snapshot:
    """The snapshot as it was stored before the split: the whole document in `data`."""
    raw = compute(
        community=snapshot.community, as_of=snapshot.as_of, period_days=snapshot.period_days
    )
    SnapshotMember.objects.filter(snapshot=snapshot).delete()
    Snapshot.objects.filter(pk=snapshot.pk).update(data=raw, format=1)
    snapshot.refresh_from_db()
    return snapshot


def test_rows_hold_each_member_and_the_summary_no_member(make_community, make_user):
    """One row per member with their ties both ways; the summary lists no member."""
    community, facilitator, people = _circle(make_community, make_user, 5)
    snapshot = snapshot_create(community=community)
    assert snapshot.format == snapshot_split.FORMAT
    assert "members" not in snapshot.data and "groups" not in snapshot.data
    assert "edges" not in snapshot.data["network"]
    assert snapshot.data["member_count"] == 6
    rows = SnapshotMember.objects.filter(snapshot=snapshot)
    assert rows.count() == 6
    mine = rows.get(user=facilitator).data
    assert {t[0] for t in mine["ties"]} == {p.pk for p in people}
    # Strongest first: those answered three times lead.
    assert [t[1] for t in mine["ties"]] == sorted((t[1] for t in mine["ties"]), reverse=True)
    theirs = rows.get(user=people[0]).data
    assert facilitator.pk in {t[0] for t in theirs["ties"]}
    assert snapshot.data["network"]["tie_count"] == sum(len(r.data["ties"]) for r in rows) // 2


def test_about_me_shows_the_strongest_ties_and_pages_the_rest(
    make_community, make_user, make_client
):
    """With more ties than fit, the page shows the TIES_SHOWN strongest and links to all of
    them, paged."""
    size = TIES_PER_PAGE + 5
    community, facilitator, _people = _circle(make_community, make_user, size)
    snapshot_create(community=community)
    client = make_client(facilitator)
    html = client.get(reverse("insights-me", args=[community.slug])).content.decode()
    assert html.count('class="person"') == TIES_SHOWN
    assert f"You interacted directly with {size} people" in html
    ties_url = reverse("insights-me-ties", args=[community.slug])
    assert ties_url in html
    first = client.get(ties_url).content.decode()
    assert first.count('class="person"') == TIES_PER_PAGE
    second = client.get(ties_url + "?page=2").content.decode()
    assert second.count('class="person"') == 5
    assert "Page 2 of 2" in second


@pytest.mark.parametrize(
    ("who", "status"), [("member", 200), ("outsider", 404), ("platform admin", 404)]
)
def test_ties_page_is_for_members_only(
    make_community, make_user, make_admin, make_client, who, status
):
    """The ties page is always about the viewer: members get theirs; anyone else 404, as on
    "what Kring sees about me"."""
    community, _facilitator, people = _circle(make_community, make_user, 4)
    snapshot_create(community=community)
    viewer = {"member": people[0], "outsider": make_user(), "platform admin": make_admin()}[who]
    response = make_client(viewer).get(reverse("insights-me-ties", args=[community.slug]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Fenna Facilitator" in html
        # Only their own ties: Person 001 replied to Person 000, Person 002 did not.
        assert "Person 001" in html and "Person 002" not in html


def test_ties_page_needs_a_login(make_community, make_user, client):
    community, _facilitator, _people = _circle(make_community, make_user, 2)
    response = client.get(reverse("insights-me-ties", args=[community.slug]))
    assert response.status_code == 302


@pytest.mark.parametrize("page", ["insights-me", "insights-me-ties"])
def test_queries_do_not_grow_with_the_ties(make_community, make_user, make_client, page):
    """The member's page and their ties page take as many queries with 3 ties as with 70."""
    counts = []
    for size in (3, 70):
        community, facilitator, _people = _circle(make_community, make_user, size)
        snapshot_create(community=community)
        client = make_client(facilitator)
        url = reverse(page, args=[community.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
        # Never the whole document: at most a few keys of it.
        assert not [q for q in captured if WHOLE_DATA.search(q["sql"])]
    assert counts[0] == counts[1]


def test_a_snapshot_from_before_the_split_still_works(
    make_community, make_user, make_client, django_capture_on_commit_callbacks
):
    """A format 1 snapshot (the whole document in `data`, no rows): the member's page, the
    ties page, the API and the export show the same as from a split one."""
    community, facilitator, people = _circle(make_community, make_user, 15)
    split = snapshot_create(community=community)
    client = make_client(facilitator)
    me_url = reverse("insights-me", args=[community.slug])
    ties_url = reverse("insights-me-ties", args=[community.slug])
    api = f"/api/v1/communities/{community.slug}/insights"
    before = {
        "me": client.get(me_url).content.decode(),
        "ties": client.get(ties_url).content.decode(),
        "summary": client.get(api).json(),
        "members": client.get(api + "/members").json(),
        "edges": client.get(api + "/ties").json(),
        "export": list(export_signals(people[0])),
    }
    _format_1(split)
    after = {
        "me": client.get(me_url).content.decode(),
        "ties": client.get(ties_url).content.decode(),
        "summary": client.get(api).json(),
        "members": client.get(api + "/members").json(),
        "edges": client.get(api + "/ties").json(),
        "export": list(export_signals(people[0])),
    }
    for doc in (before, after):
        doc["summary"].pop("as_of")
        for key in ("me", "ties"):
            doc[key] = doc[key].split('<main id="main"', 1)[1].split("</main>", 1)[0]
        for entry in doc["export"]:
            entry.pop("as_of")
    assert before == after
    assert "You interacted directly with 15 people" in after["me"]


def test_the_migration_converts_and_back(make_community, make_user):
    """Forwards, a format 1 snapshot becomes the summary and rows that snapshot_create makes;
    backwards, the whole document again. One without a dashboard part stays as it is."""
    community, _facilitator, _people = _circle(make_community, make_user, 6)
    snapshot = _format_1(snapshot_create(community=community))
    raw = snapshot.data
    untouched = snapshot_create(community=community)
    _format_1(untouched)
    Snapshot.objects.filter(pk=untouched.pk).update(dashboard={})

    split_migration.forwards(apps, None)
    snapshot.refresh_from_db()
    summary, parts = snapshot_split.split(raw)
    assert snapshot.format == 2
    assert snapshot.data == summary
    stored = list(
        SnapshotMember.objects.filter(snapshot=snapshot)
        .order_by("position")
        .values_list("data", flat=True)
    )
    assert stored == json.loads(json.dumps(parts))
    assert Snapshot.objects.get(pk=untouched.pk).format == 1

    split_migration.backwards(apps, None)
    snapshot.refresh_from_db()
    assert snapshot.format == 1
    assert not SnapshotMember.objects.filter(snapshot=snapshot).exists()
    assert snapshot.data["members"] == raw["members"]
    assert snapshot.data["groups"] == raw["groups"]

    def edges(doc):
        return {(frozenset((e["a"], e["b"])), e["weight"], e["strong"]) for e in doc}

    assert edges(snapshot.data["network"]["edges"]) == edges(raw["network"]["edges"])
    for key in ("isolates", "brokers", "density", "perspective_ties"):
        assert snapshot.data["network"][key] == raw["network"][key], key
    for key in ("suggestions", "coverage", "trends", "thresholds", "as_of"):
        assert snapshot.data[key] == raw[key], key


def test_export_holds_every_tie(make_community, make_user):
    """The data export holds all of a member's ties, not only those the page shows."""
    community, facilitator, people = _circle(make_community, make_user, TIES_SHOWN + 8)
    snapshot_create(community=community)
    (entry,) = list(export_signals(facilitator))
    assert {t["person"]["id"] for t in entry["ties"]} == {p.pk for p in people}
    assert {t["person"]["name"] for t in entry["ties"]} == {p.full_name for p in people}
    assert "email" not in entry and entry["role"] == Role.FACILITATOR


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1e9", "<script>"])
def test_ties_page_takes_any_page_number(make_community, make_user, make_client, page):
    """A page number that is not one gives the first or the last page, never an error."""
    community, facilitator, _people = _circle(make_community, make_user, 3)
    snapshot_create(community=community)
    response = make_client(facilitator).get(
        reverse("insights-me-ties", args=[community.slug]), {"page": page}
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="person"') == 3


@pytest.mark.parametrize("part", ["/members", "/ties"])
@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_api_pages_refuse_a_bad_page(make_community, make_user, make_client, part, page):
    """The API's pages answer a bad page number with 422, as every paged endpoint does."""
    community, facilitator, _people = _circle(make_community, make_user, 2)
    snapshot_create(community=community)
    response = make_client(facilitator).get(
        f"/api/v1/communities/{community.slug}/insights{part}", {"page": page}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_dashboard_part_is_read_once_per_snapshot_and_handed_out_as_a_copy(
    make_community, make_user
):
    """The dashboard part never changes once written: kept by snapshot, read from the
    database again only for a newer snapshot; changing what a caller got changes nothing."""
    from kring.insights.selectors import snapshot_latest_dashboard

    community, _facilitator, _people = _circle(make_community, make_user, 6)
    first = snapshot_create(community=community)

    def read():
        with CaptureQueriesContext(connection) as captured:
            snapshot = snapshot_latest_dashboard(community=community)
        dashboard_column = [q for q in captured.captured_queries if '"dashboard"' in q["sql"]]
        return snapshot, dashboard_column

    cold, cold_reads = read()
    assert cold.pk == first.pk and len(cold_reads) == 1
    assert cold.dashboard == Snapshot.objects.get(pk=first.pk).dashboard
    cold.dashboard["people"].clear()  # a caller changing its copy in place

    warm, warm_reads = read()
    assert warm_reads == []
    assert warm.dashboard == Snapshot.objects.get(pk=first.pk).dashboard
    assert len(warm.dashboard["people"]) == 7

    second = snapshot_create(community=community)
    newer, newer_reads = read()
    assert newer.pk == second.pk and len(newer_reads) == 1
    assert newer.dashboard == Snapshot.objects.get(pk=second.pk).dashboard


def test_names_now_are_kept_until_someone_joins_leaves_or_changes_their_profile(
    make_community, make_user, make_member, django_capture_on_commit_callbacks
):
    """The dashboard's "who is still a member, by what name" is read once, then kept; it
    is read afresh after a join, a leave or a profile change."""
    from kring.accounts.services import profile_update
    from kring.communities.services import membership_remove
    from kring.insights.selectors import names_now

    community, facilitator, people = _circle(make_community, make_user, 4)
    newcomer = make_user(full_name="Nina Nieuw")
    ids = [p.pk for p in people] + [newcomer.pk]

    def read():
        with CaptureQueriesContext(connection) as captured:
            names = names_now(community=community, ids=ids)
        return names, len(captured.captured_queries)

    names, queries = read()
    assert names == {p.pk: p.full_name for p in people} and queries == 1
    assert read() == (names, 0)

    with django_capture_on_commit_callbacks(execute=True):
        make_member(community, user=newcomer)
    names, queries = read()
    assert names[newcomer.pk] == "Nina Nieuw" and queries == 1

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=people[0], by=people[0], full_name="Pim Nieuwenhuis")
    names, queries = read()
    assert names[people[0].pk] == "Pim Nieuwenhuis" and queries == 1

    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=people[1].memberships.get(community=community), by=facilitator)
    names, queries = read()
    assert people[1].pk not in names and queries == 1
    assert read()[1] == 0
