"""Dates far outside any real use (year 9999, year 1) are refused at every edge before anything
is saved; a bad row already in the database does not break the calendar feed or the page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kring.meetings import (
    services,
    services_calendar,
    services_learning,
    services_rsvp,
    services_series,
)
from kring.meetings.models import ActionPoint, Series, Session
from kring.meetings.tests.test_api import assert_error, send
from kring.meetings.tests.test_session_views import series_data, session_data

pytestmark = pytest.mark.django_db

FAR = [
    ("9999-12-31T22:00:00Z", "9999-12-31T23:00:00Z"),
    ("0001-01-01T00:00:00+05:00", "0001-01-01T02:00:00+05:00"),
    ("2201-01-01T10:00:00+01:00", "2201-01-01T12:00:00+01:00"),
]


def base(kring) -> str:
    return f"/api/v1/communities/{kring.community.slug}"


@pytest.mark.parametrize(("start", "end"), FAR)
def test_api_session_at_an_extreme_date_is_422_and_not_saved(
    kring, make_client, bearer, start, end
):
    """POST a session in year 9999 or year 1: 422, and nothing is saved."""
    data = {"title": "Far", "location": "Stadhuis", "starts_at": start, "ends_at": end}
    response = send(
        make_client(), "post", base(kring) + "/sessions", data, bearer(kring.facilitator)
    )
    assert_error(response, 422, "invalid")
    assert not Session.objects.exists()


@pytest.mark.parametrize(("start", "end"), FAR)
def test_api_series_at_an_extreme_date_is_422_and_not_saved(kring, make_client, bearer, start, end):
    """A series starting in year 9999 or year 1: 422, nothing saved."""
    data = {"title": "Far", "location": "Stadhuis", "first_start": start, "count": 3}
    response = send(make_client(), "post", base(kring) + "/series", data, bearer(kring.facilitator))
    assert_error(response, 422, "invalid")
    assert not Series.objects.exists()
    assert not Session.objects.exists()


@pytest.mark.parametrize(("start", "end"), FAR)
def test_api_moving_a_session_to_an_extreme_date_is_422(
    kring, make_client, bearer, make_session, start, end
):
    """PATCH starts_at to year 9999 or year 1: 422, the session keeps its time."""
    session = make_session()
    before = session.starts_at
    response = send(
        make_client(),
        "patch",
        f"{base(kring)}/sessions/{session.pk}",
        {"starts_at": start, "ends_at": end},
        bearer(kring.facilitator),
    )
    assert_error(response, 422, "invalid")
    session.refresh_from_db()
    assert session.starts_at == before


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01", "2201-01-01"])
def test_api_action_point_due_date_out_of_range_is_422(kring, make_client, bearer, due):
    """An action point due in year 9999 or year 1 is refused, on create and on change."""
    client, headers = make_client(), bearer(kring.facilitator)
    response = send(
        client, "post", base(kring) + "/action-points", {"what": "X", "due_date": due}, headers
    )
    assert_error(response, 422, "invalid")
    assert not ActionPoint.objects.exists()
    point = services_learning.action_point_create(
        community=kring.community, by=kring.facilitator, what="Y"
    )
    response = send(
        client, "patch", f"{base(kring)}/action-points/{point.pk}", {"due_date": due}, headers
    )
    assert_error(response, 422, "invalid")
    point.refresh_from_db()
    assert point.due_date is None


def test_services_refuse_extreme_dates(kring, make_session):
    """The services check the range too, so every edge is covered by one rule."""
    far = datetime(9999, 12, 31, 22, tzinfo=UTC)
    with pytest.raises(ValidationError) as error:
        services.session_create(
            community=kring.community,
            by=kring.facilitator,
            starts_at=far,
            ends_at=far + timedelta(hours=1),
            title="Far",
            location="Stadhuis",
        )
    assert "starts_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        services_series.series_create(
            community=kring.community,
            by=kring.facilitator,
            first_start=far,
            title="Far",
            location="Stadhuis",
        )
    session = make_session()
    with pytest.raises(ValidationError):
        services.session_update(session=session, by=kring.facilitator, starts_at=far)
    with pytest.raises(ValidationError) as error:
        services_learning.action_point_create(
            community=kring.community, by=kring.facilitator, what="X", due_date=date(9999, 1, 1)
        )
    assert "due_date" in error.value.message_dict
    assert Session.objects.count() == 1
    assert not ActionPoint.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_session_form_refuses_an_extreme_date(kring, make_client, day):
    """The session form shows the error next to the date; nothing is planned."""
    client = make_client(kring.facilitator)
    with translation.override("en"):
        response = client.post(
            reverse("session-create", kwargs={"slug": kring.community.slug}),
            session_data(date=day),
        )
    assert response.status_code == 200
    assert any("between 1900 and 2200" in e for e in response.context["form"].errors["date"])
    assert not Session.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("date", "9999-12-31"), ("until", "9999-12-31")])
def test_series_form_refuses_an_extreme_date(kring, make_client, field, value):
    """The series form refuses a first or last date outside the range, next to the field."""
    client = make_client(kring.facilitator)
    with translation.override("en"):
        response = client.post(
            reverse("series-create", kwargs={"slug": kring.community.slug}),
            series_data(**{field: value}),
        )
    assert response.status_code == 200
    assert any("between 1900 and 2200" in e for e in response.context["form"].errors[field])
    assert not Series.objects.exists()
    assert not Session.objects.exists()


def test_action_point_form_refuses_an_extreme_date(kring, make_client):
    """The action point form refuses year 9999 next to the due date; nothing is saved."""
    with translation.override("en"):
        response = make_client(kring.anna).post(
            reverse("action-point-create", kwargs={"slug": kring.community.slug}),
            {"ap-what": "Bring the map", "ap-owner": kring.bram.pk, "ap-due_date": "9999-12-31"},
        )
    assert response.status_code in (200, 422)
    assert "between 1900 and 2200" in response.content.decode()
    assert not ActionPoint.objects.exists()


def _bad_row(make_session) -> tuple[Session, Session]:
    """A good session, and one whose start was written straight into the database (as an
    older version could) at the very end of the date range."""
    good = make_session(title="Good one")
    bad = make_session(title="Broken one")
    far = datetime(9999, 12, 31, 22, tzinfo=UTC)
    Session.objects.filter(pk=bad.pk).update(
        starts_at=far, ends_at=far + timedelta(hours=1), original_start=far
    )
    return good, bad


def test_calendar_feed_survives_a_bad_row(kring, make_session, make_client):
    """The personal feed leaves out a session with an impossible date and shows the rest."""
    good, _bad = _bad_row(make_session)
    services_rsvp.rsvp_set(session=good, user=kring.anna, response="yes")
    secret = services_calendar.calendar_feed_rotate(user=kring.anna)
    response = make_client().get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Good one" in text
    assert "Broken one" not in text


def test_session_page_and_ics_survive_a_bad_row(kring, make_session, make_client):
    """The page of a session with an impossible date opens; its .ics answers without a 500."""
    _good, bad = _bad_row(make_session)
    client = make_client(kring.anna)
    assert client.get(bad.get_absolute_url()).status_code == 200
    ics = client.get(reverse("session-ics", kwargs={"slug": kring.community.slug, "pk": bad.pk}))
    assert ics.status_code in (200, 404)
    assert (
        client.get(reverse("session-list", kwargs={"slug": kring.community.slug})).status_code
        == 200
    )


def test_api_session_list_and_detail_survive_a_bad_row(kring, make_session, make_client, bearer):
    """The API lists and shows a session with an impossible stored date instead of a 500."""
    good, bad = _bad_row(make_session)
    client, headers = make_client(), bearer(kring.anna)
    listed = client.get(base(kring) + "/sessions", {"when": "all"}, **headers)
    assert listed.status_code == 200, listed.content
    assert {s["id"] for s in listed.json()["items"]} == {good.pk, bad.pk}
    detail = client.get(f"{base(kring)}/sessions/{bad.pk}", **headers)
    assert detail.status_code == 200, detail.content


def test_moving_following_sessions_beyond_the_range_changes_nothing(kring, make_series):
    """Moving 'this and the following' so later sessions would pass 2200 is refused whole."""
    series = make_series(first_start=datetime(2027, 1, 12, 18, 30, tzinfo=UTC))
    sessions = list(Session.objects.filter(series=series).order_by("starts_at"))
    before = [(s.starts_at, s.series_id) for s in sessions]
    target = datetime(2200, 12, 1, 18, 30, tzinfo=UTC)
    with pytest.raises(ValidationError):
        services_series.session_update_following(
            session=sessions[0], by=kring.facilitator, starts_at=target
        )
    after = [
        (s.starts_at, s.series_id)
        for s in Session.objects.filter(pk__in=[s.pk for s in sessions]).order_by("starts_at")
    ]
    assert after == before
    assert Series.objects.count() == 1


def test_other_pages_survive_a_bad_row(kring, make_session, make_client):
    """The home page and the calendar settings page open with a bad stored session around."""
    _bad_row(make_session)
    client = make_client(kring.anna)
    for path in ("/", reverse("calendar-settings")):
        assert client.get(path).status_code == 200, path
