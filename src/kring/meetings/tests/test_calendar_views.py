"""Calendar pages: a session's .ics for the people inside, the secret feed URL, its settings."""

import re

import pytest
from icalendar import Calendar

from kring.communities.models import Membership
from kring.communities.services import membership_remove
from kring.meetings import services_calendar
from kring.meetings.models import CalendarFeed
from kring.meetings.tests.conftest import local

pytestmark = pytest.mark.django_db


def ics_url(session) -> str:
    return f"/communities/{session.community.slug}/sessions/{session.pk}/ics/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("anna", 200),
        ("guest", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_session_ics_for_the_people_inside(kring, make_session, make_client, who, status):
    """Members (guests too) download a session's .ics; an outsider gets 404, anonymous logs in."""
    session = make_session(starts_at=local(2027, 5, 4, 19, 30), title="Leerkring mei")
    client = make_client(None if who == "anonymous" else getattr(kring, who))
    response = client.get(ics_url(session))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="leerkring-mei-2027-05-04.ics"'
        )
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["SUMMARY"]) == "Leerkring mei"


def test_platform_admin_can_download(kring, make_session, make_admin, make_client):
    """A platform admin sees inside every community, so the download works too."""
    session = make_session()
    response = make_client(make_admin()).get(ics_url(session))
    assert response.status_code == 200


def test_session_ics_of_another_community_is_404(
    kring, make_session, make_client, make_community, make_user
):
    """A guessed id under the wrong community's slug is a 404, even for a member there."""
    olga = make_user(full_name="Olga Other")
    other = make_community(by=olga, name="Elders")
    session = make_session(community=other, by=olga)
    response = make_client(kring.anna).get(
        f"/communities/{kring.community.slug}/sessions/{session.pk}/ics/"
    )
    assert response.status_code == 404
    assert make_client(kring.anna).get(ics_url(session)).status_code == 404


def _feed_url_from(response) -> str:
    match = re.search(r"http://testserver(/calendar/cal_[A-Za-z0-9_\-]+\.ics)", response.text)
    assert match, "the feed URL is shown"
    return match.group(1)


def test_create_feed_shows_url_once_and_the_feed_works(kring, make_session, make_client):
    """Making the feed shows its URL once; the URL gives the calendar without logging in;
    only a hash is stored, and the settings page does not show the URL again."""
    make_session(title="Leerkring juni")
    client = make_client(kring.anna)
    page = client.get("/me/calendar/")
    assert page.status_code == 200
    assert "Make my feed address" in page.text
    response = client.post("/me/calendar/", {"action": "rotate"})
    assert response.status_code == 200
    path = _feed_url_from(response)
    secret = path.removeprefix("/calendar/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=kring.anna)
    assert secret not in feed.token_hash
    assert "/calendar/cal_" not in client.get("/me/calendar/").text

    feed_response = make_client().get(path)
    assert feed_response.status_code == 200
    assert feed_response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in feed_response["Cache-Control"]
    cal = Calendar.from_ical(feed_response.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Leerkring juni"]
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    assert "A calendar app last fetched it" in client.get("/me/calendar/").text


def test_rotating_stops_the_old_url(kring, make_client):
    """A new address replaces the old one: the old URL gives 404."""
    client = make_client(kring.anna)
    old = _feed_url_from(client.post("/me/calendar/", {"action": "rotate"}))
    response = client.post("/me/calendar/", {"action": "rotate"})
    new = _feed_url_from(response)
    assert "the old one stopped" in response.text
    assert old != new
    assert make_client().get(old).status_code == 404
    assert make_client().get(new).status_code == 200


def test_revoked_or_unknown_secret_is_404(kring, make_client):
    """After switching the feed off its URL is a 404, as is any made-up secret."""
    client = make_client(kring.anna)
    path = _feed_url_from(client.post("/me/calendar/", {"action": "rotate"}))
    response = client.post("/me/calendar/", {"action": "revoke"})
    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(user=kring.anna).exists()
    assert make_client().get(path).status_code == 404
    for bad in ("cal_guess", "nope", "cal_" + "x" * 200, "%3Cscript%3E"):
        assert make_client().get(f"/calendar/{bad}.ics").status_code == 404


def test_feed_of_inactive_person_is_404(kring, make_client):
    """A deactivated account's feed stops working."""
    secret = services_calendar.calendar_feed_rotate(user=kring.anna)
    kring.anna.is_active = False
    kring.anna.save(update_fields=["is_active"])
    assert make_client().get(f"/calendar/{secret}.ics").status_code == 404


def test_feed_drops_a_community_the_person_left(kring, make_session, make_client):
    """The feed has only communities the person is still a member of."""
    make_session(title="Leerkring juli")
    secret = services_calendar.calendar_feed_rotate(user=kring.bram)
    assert b"Leerkring juli" in make_client().get(f"/calendar/{secret}.ics").content
    membership_remove(
        membership=Membership.objects.get(community=kring.community, user=kring.bram),
        by=kring.bram,
    )
    response = make_client().get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert b"Leerkring juli" not in response.content
    assert b"BEGIN:VEVENT" not in response.content


def test_settings_need_login_and_a_known_action(kring, make_client):
    """Anonymous people are sent to log in; an unknown action changes nothing; GET only shows."""
    assert make_client().get("/me/calendar/").status_code == 302
    assert make_client().post("/me/calendar/", {"action": "rotate"}).status_code == 302
    assert not CalendarFeed.objects.exists()
    client = make_client(kring.anna)
    response = client.post("/me/calendar/", {"action": "<script>alert(1)</script>"}, follow=True)
    assert "Choose what to do with your calendar feed." in response.text
    assert "<script>alert(1)" not in response.text
    assert not CalendarFeed.objects.exists()
    assert client.put("/me/calendar/").status_code == 405


def test_feed_is_read_only(kring, make_client):
    """The feed URL answers GET only."""
    secret = services_calendar.calendar_feed_rotate(user=kring.anna)
    assert make_client().post(f"/calendar/{secret}.ics").status_code == 405


def test_feed_query_count_does_not_grow(
    kring, make_series, make_session, make_client, django_assert_max_num_queries
):
    """The feed is built in a fixed number of queries, however many sessions there are."""
    secret = services_calendar.calendar_feed_rotate(user=kring.anna)
    make_series(first_start=local(2027, 1, 12, 19, 30))
    make_series(first_start=local(2027, 1, 14, 10, 0), title="Intervisie")
    for day in range(1, 6):
        make_session(starts_at=local(2027, 9, day, 9, 0))
    with django_assert_max_num_queries(8):
        response = make_client().get(f"/calendar/{secret}.ics")
    assert response.content.count(b"BEGIN:VEVENT") == 2 + 28 + 5


def test_sessions_page_and_home_link_to_the_calendar_settings(kring, make_client):
    """The sessions page and the community home lead to the calendar settings."""
    client = make_client(kring.anna)
    for url in (
        f"/communities/{kring.community.slug}/sessions/",
        kring.community.get_absolute_url(),
    ):
        assert 'href="/me/calendar/"' in client.get(url).text
