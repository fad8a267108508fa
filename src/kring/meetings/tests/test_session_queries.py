"""The sessions list and a session's page cost the same number of queries with 3 or 30
sessions and RSVPs; the counts on the list are right."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.meetings import services, services_rsvp


def _queries(client, target) -> int:
    client.get(target)  # warm up: session, language, first-request work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def crowd(kring, make_member):
    """27 more members, so there are 30 people to answer."""
    extra = [make_member(kring.community, full_name=f"Lid {n:02}").user for n in range(27)]
    return [kring.anna, kring.bram, kring.guest, *extra]


def _answer(session, people, kring) -> None:
    for n, person in enumerate(people):
        services_rsvp.rsvp_set(
            session=session, user=person, response=("yes", "maybe", "no")[n % 3], note=f"Note {n}"
        )
        services.attendance_set(
            session=session, by=kring.facilitator, user=person, status="attended"
        )


@pytest.mark.parametrize("who", ["anna", "facilitator", "guest"])
def test_session_page_queries_do_not_grow_with_rsvps(who, kring, crowd, make_session, make_client):
    """3 or 30 RSVPs on a session: the same number of queries, for member, facilitator, guest."""
    few = make_session(capacity=10)
    many = make_session(capacity=10)
    _answer(few, crowd[:3], kring)
    _answer(many, crowd, kring)
    # The crowd, and the facilitator who planned it.
    assert many.rsvps.count() == 31
    client = make_client(getattr(kring, who))
    assert _queries(client, few.get_absolute_url()) == _queries(client, many.get_absolute_url())


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_session_list_queries_do_not_grow_with_sessions(
    when, kring, crowd, make_session, make_client
):
    """A list of 3 or of 30 sessions (with answers and attendance) costs the same queries."""
    client = make_client(kring.anna)
    target = reverse("session-list", kwargs={"slug": kring.community.slug}) + f"?when={when}"
    sign = 1 if when == "upcoming" else -1

    def plan(count: int, offset: int) -> None:
        for n in range(count):
            session = make_session(
                starts_at=timezone.now() + sign * timedelta(days=offset + n + 1), capacity=5
            )
            if when == "upcoming":
                _answer(session, crowd[:3], kring)
            else:
                for person in crowd[:3]:
                    services.attendance_set(
                        session=session, by=kring.facilitator, user=person, status="absent"
                    )

    plan(3, 0)
    few = _queries(client, target)
    plan(27, 10)
    many = _queries(client, target)
    assert few == many


def test_going_count_is_not_multiplied_by_attendance(kring, crowd, make_session, make_client):
    """Two people coming (and the planner) and three registered: 3 coming, not 9."""
    session = make_session(capacity=10)
    for person in crowd[:2]:
        services_rsvp.rsvp_set(session=session, user=person, response="yes")
    for person in crowd[:3]:
        services.attendance_set(
            session=session, by=kring.facilitator, user=person, status="attended"
        )
    response = make_client(kring.bram).get(
        reverse("session-list", kwargs={"slug": kring.community.slug})
    )
    row = response.context["rows"][0]
    assert row["session"].going_count == 3
    assert "3 of 10 places taken" in response.content.decode()
