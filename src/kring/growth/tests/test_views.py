"""The Development tab: who sees it, what a member reads (no names), the facilitators'
forms with their errors, the tab in the header, and a query count that does not grow with
the community."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.growth.models import Mandate, StageCorrection, StepOverride
from kring.growth.tests.conftest import NAMES, READERS
from kring.growth.tests.helpers import community_since, founder, members, sessions_every
from kring.insights.services import snapshot_create
from kring.insights.tests.histories import act

pytestmark = pytest.mark.django_db

WRITERS = [
    ("facilitator", 302),
    ("platform admin", 302),
    ("core", 403),
    ("member", 403),
    ("guest", 403),
    ("outsider", 404),
    ("other facilitator", 404),
]


def page(community, rest: str = "") -> str:
    return f"/communities/{community.slug}/development/{rest}"


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_sees_the_page(make_client, cast, who, status):
    """Members and facilitators read the path; people outside get 404, public or not."""
    community, people = cast
    response = make_client(people[who]).get(page(community))
    assert response.status_code == status


def test_anonymous_is_sent_to_log_in(client, cast):
    """A visitor is asked to log in first."""
    community, _people = cast
    response = client.get(page(community))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "guest", "core"])
def test_a_member_reads_no_names_and_no_forms(make_client, cast, who):
    """Members read the steps and the stage without anyone's name, without the forms and
    without the facilitators' reflection questions."""
    community, people = cast
    content = make_client(people[who]).get(page(community)).content.decode()
    body = content[content.index('class="page-head"') :]
    for name in NAMES:
        assert name not in body
    assert "Record the room to experiment" not in body
    assert "Questions for the facilitators" not in body
    assert "Set by a facilitator on" in body  # the override shows, without its note


def test_a_facilitator_reads_everything(make_client, cast):
    """The facilitator reads names, notes, the forms, the tips and the next step."""
    community, people = cast
    content = make_client(people["facilitator"]).get(page(community)).content.decode()
    for name in NAMES:
        assert name in content
    assert "Next step to take" in content and "data-primary-action" in content
    assert "Questions for the facilitators" in content and "Stay in the learning zone" in content
    assert 'role="img"' in content  # the stage's timeline
    assert 'href="/communities/zorg-thuis/development/" aria-current="page"' in content


def test_the_tab_shows_for_members_only(make_client, cast):
    """The community's pages carry the Development tab for those inside."""
    community, people = cast
    about = make_client(people["member"]).get(f"/communities/{community.slug}/").content.decode()
    assert 'href="/communities/zorg-thuis/development/"' in about
    outsider = make_client(people["outsider"]).get(f"/communities/{community.slug}/")
    assert "/development/" not in outsider.content.decode()


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_confirms_a_step(make_client, cast, who, status):
    """Facilitators and platform admins confirm a step from the page; nobody else."""
    community, people = cast
    before = StepOverride.objects.count()
    response = make_client(people[who]).post(
        page(community, "steps/theme/"),
        {
            "theme-step": "theme",
            "theme-status": "partial",
            "theme-note": "Goal still vague",
            "theme-on": "2026-01-05",
        },
    )
    assert response.status_code == status
    assert StepOverride.objects.count() == before + (status == 302)
    if status == 302:
        assert response["Location"] == page(community) + "#step-theme"


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_records_the_mandate(make_client, cast, who, status):
    """Facilitators and platform admins record the mandate from the page; nobody else."""
    community, people = cast
    before = Mandate.objects.count()
    response = make_client(people[who]).post(
        page(community, "mandate/"),
        {"given_by": "The care insurer", "scope": "Home visits", "on": "2026-01-05"},
    )
    assert response.status_code == status
    assert Mandate.objects.count() == before + (status == 302)


@pytest.mark.parametrize(("who", "status"), WRITERS)
def test_who_corrects_the_stage(make_client, cast, who, status):
    """Facilitators and platform admins correct the stage from the page; nobody else."""
    community, people = cast
    response = make_client(people[who]).post(
        page(community, "stage/"), {"stage": "maturing", "note": "Focus agreed", "on": "2026-01-05"}
    )
    assert response.status_code == status
    assert StageCorrection.objects.filter(stage="maturing").exists() is (status == 302)


@pytest.mark.parametrize(
    ("rest", "data", "message"),
    [
        (
            "steps/theme/",
            {"theme-step": "theme", "theme-status": "done", "theme-note": ""},
            "This field is required.",
        ),
        (
            "steps/theme/",
            {
                "theme-step": "theme",
                "theme-status": "bad",
                "theme-note": "x",
                "theme-on": "2026-01-05",
            },
            "Select a valid choice.",
        ),
        (
            "steps/theme/",
            {
                "theme-step": "theme",
                "theme-status": "done",
                "theme-note": "x",
                "theme-on": "2199-01-05",
            },
            "Choose today or a day that has passed.",
        ),
        (
            "steps/theme/",
            {
                "theme-step": "theme",
                "theme-status": "done",
                "theme-note": "x" * 1001,
                "theme-on": "2026-01-05",
            },
            "at most 1000 characters",
        ),
        (
            "mandate/",
            {"given_by": "", "scope": "<b>x</b>", "on": "2026-01-05"},
            "This field is required.",
        ),
        (
            "mandate/",
            {"given_by": "x", "scope": "y", "on": "1066-10-14"},
            "Choose a date between 1900 and 2200.",
        ),
        ("stage/", {"stage": "dead", "note": "x", "on": "2026-01-05"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_the_field(make_client, cast, rest, data, message):
    """Wrong or hostile input: the page again (422) with the message and what was typed;
    nothing saved."""
    community, people = cast
    counts = (
        StepOverride.objects.count(),
        Mandate.objects.count(),
        StageCorrection.objects.count(),
    )
    response = make_client(people["facilitator"]).post(page(community, rest), data)
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "<b>x</b>" not in response.content.decode()
    after = (StepOverride.objects.count(), Mandate.objects.count(), StageCorrection.objects.count())
    assert after == counts


def _history(community, make_user, *, people: int, sessions: int) -> None:
    by = founder(community)
    now = timezone.now()
    crowd = members(community, make_user, count=people, at=now - timedelta(days=400))
    for n, person in enumerate(crowd):
        act(person, community, now - timedelta(days=n % 80 + 1))
    sessions_every(
        community, by, first=now - timedelta(days=42 * sessions), days=42, count=sessions
    )
    snapshot_create(community=community, as_of=now)


def test_the_page_costs_the_same_however_big_the_community(
    make_client, make_community, make_user, django_assert_num_queries
):
    """The number of queries does not grow with members, sessions or history."""
    small = community_since(make_community, days=420, name="Small")
    big = community_since(make_community, days=420, name="Big")
    _history(small, make_user, people=3, sessions=2)
    _history(big, make_user, people=30, sessions=9)
    clients = {}
    for community in (small, big):
        clients[community] = make_client(founder(community))
        clients[community].get(page(community))  # settles the stored stage and the session
    cache.clear()
    with CaptureQueriesContext(connection) as small_queries:
        assert clients[small].get(page(small)).status_code == 200
    cache.clear()
    with django_assert_num_queries(len(small_queries)):
        assert clients[big].get(page(big)).status_code == 200


def test_an_unknown_step_is_not_found(make_client, cast):
    """A step that is not one of the nine: 404, nothing saved."""
    community, people = cast
    response = make_client(people["facilitator"]).post(
        page(community, "steps/nope/"),
        {"nope-step": "nope", "nope-status": "done", "nope-note": "x", "nope-on": "2026-01-05"},
    )
    assert response.status_code == 404
    assert not StepOverride.objects.filter(step="nope").exists()
