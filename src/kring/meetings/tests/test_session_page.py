"""The session page as people expect it: when, where and your answer first; a past session
shows who attended and can't be cancelled; a full session says so."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kring.meetings import services, services_learning, services_rsvp
from kring.meetings.models import Session, SessionStatus

pytestmark = pytest.mark.django_db


def cancel_url(session) -> str:
    return reverse("session-cancel", kwargs={"slug": session.community.slug, "pk": session.pk})


@pytest.fixture
def past_session(kring, make_session):
    """A session of two days ago: Anna and Bram attended, the guest was absent."""
    session = make_session(starts_at=timezone.now() - timedelta(days=2), title="Vorige keer")
    for person, status in ((kring.anna, "attended"), (kring.bram, "attended")):
        services.attendance_set(session=session, by=kring.facilitator, user=person, status=status)
    services.attendance_set(
        session=session, by=kring.facilitator, user=kring.guest, status="absent"
    )
    return session


def test_your_answer_comes_before_the_agenda(kring, make_session, make_client):
    """The RSVP box, with its one-tap "yes" as the page's primary action, comes before the
    agenda and the materials in the page."""
    session = make_session(agenda="1. Welkom")
    page = make_client(kring.anna).get(session.get_absolute_url()).content.decode()
    assert page.count("data-primary-action") == 1
    primary = page.index("data-primary-action")
    assert page.index('id="rsvp-box"') < primary < page.index('id="agenda-heading"')
    assert page.index('id="agenda-heading"') < page.index('id="materials-heading"')


def test_one_tap_answer_is_saved(kring, make_session, make_client):
    """Each answer button sends its own answer; the chosen one is marked."""
    session = make_session()
    client = make_client(kring.anna)
    target = reverse("session-rsvp", kwargs={"slug": kring.community.slug, "pk": session.pk})
    box = client.post(target, {"response": "maybe"}, HTTP_HX_REQUEST="true").content.decode()
    assert "You might come." in box
    assert 'value="maybe" class="button rsvp-choice rsvp-choice-maybe is-chosen"' in box


def test_a_past_session_shows_who_attended(kring, past_session, make_client):
    """Who attended, with names and links, instead of "nobody has said yes"; the absent are
    not listed; reflecting is the primary action."""
    page = make_client(kring.anna).get(past_session.get_absolute_url()).content.decode()
    assert "Who attended" in page
    assert "2 people attended." in page
    attended = page.split('id="session-people"', 1)[1].split("</section>", 1)[0]
    assert "Anna Member" in attended and "Bram Member" in attended
    assert "Gijs Guest" not in attended
    assert reverse("person-detail", kwargs={"pk": kring.anna.pk}) in attended
    assert "Nobody has said yes yet." not in page
    assert 'id="rsvp-box"' not in page
    assert page.count("data-primary-action") == 1
    assert "Write your reflection" in page.split("data-primary-action", 1)[1][:200]


def test_a_past_session_without_attendance_says_so(kring, make_session, make_client):
    """Nothing recorded yet: it says so, and the facilitator is offered to record it."""
    session = make_session(starts_at=timezone.now() - timedelta(days=2))
    page = make_client(kring.facilitator).get(session.get_absolute_url()).content.decode()
    assert "Nobody has recorded who attended yet." in page
    assert "Record who attended" in page


def test_a_past_session_offers_no_cancel(kring, past_session, make_session, make_client):
    """The facilitator sees "Cancel session" on a coming session, not on a past one."""
    client = make_client(kring.facilitator)
    coming = make_session()
    assert cancel_url(coming) in client.get(coming.get_absolute_url()).content.decode()
    assert (
        cancel_url(past_session) not in client.get(past_session.get_absolute_url()).content.decode()
    )


def test_the_service_refuses_to_cancel_a_past_session(kring, past_session):
    """Cancelling a session that took place raises a clear message and changes nothing."""
    with pytest.raises(ValidationError) as error:
        services.session_cancel(session=past_session, by=kring.facilitator, reason="Te laat")
    assert "already started or taken place" in " ".join(error.value.messages)
    past_session.refresh_from_db()
    assert past_session.status == SessionStatus.SCHEDULED and past_session.cancel_reason == ""


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_cancel_page_of_a_past_session_sends_you_back(method, kring, past_session, make_client):
    """Opening or posting the cancel form of a past session: back to the session with the
    message, nothing cancelled."""
    client = make_client(kring.facilitator)
    response = getattr(client, method)(cancel_url(past_session), follow=True)
    assert response.redirect_chain[-1][0] == past_session.get_absolute_url()
    assert "already started or taken place" in response.content.decode()
    assert Session.objects.get(pk=past_session.pk).status == SessionStatus.SCHEDULED


def test_members_still_get_403_on_the_cancel_page_of_a_past_session(
    kring, past_session, make_client
):
    """The past-session message is for facilitators; a member is refused as before."""
    assert make_client(kring.anna).get(cancel_url(past_session)).status_code == 403


def test_a_full_session_says_it_is_full(kring, make_session, make_client):
    """No "0 places left": full, and you can join the waiting list; the one with a place
    just reads "Full"."""
    session = make_session(capacity=2)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    bram_page = make_client(kring.bram).get(session.get_absolute_url()).content.decode()
    assert "Full — you can join the waiting list" in bram_page
    assert "0 places left" not in bram_page
    anna_page = make_client(kring.anna).get(session.get_absolute_url()).content.decode()
    assert "Full — you can join" not in anna_page and ">Full</strong>" in anna_page


@pytest.mark.parametrize(("capacity", "text"), [(2, "1 place left"), (4, "3 places left")])
def test_places_left_in_singular_and_plural(capacity, text, kring, make_session, make_client):
    """One place left, or several (the planner holds one)."""
    session = make_session(capacity=capacity)
    page = make_client(kring.anna).get(session.get_absolute_url()).content.decode()
    assert text in page


@pytest.mark.parametrize("page", ["community", "mine"])
def test_mark_done_is_the_primary_action_on_action_point_pages(page, kring, make_client):
    """The first open point's "mark as done" is the page's one primary action; a done point
    never is."""
    done = services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Klaar", owner=kring.anna
    )
    services_learning.action_point_complete(point=done, by=kring.anna)
    services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Bellen", owner=kring.anna
    )
    services_learning.action_point_create(
        community=kring.community, by=kring.anna, what="Mailen", owner=kring.anna
    )
    target = (
        reverse("action-point-list", kwargs={"slug": kring.community.slug})
        if page == "community"
        else reverse("my-action-points")
    )
    body = make_client(kring.anna).get(target).content.decode()
    assert body.count("data-primary-action") == 1
    checkbox = body.split("data-primary-action", 1)[0].rsplit("<input", 1)[1]
    assert 'type="checkbox" name="done"' in checkbox
    first_open = body.index("data-primary-action")
    assert first_open < body.index("Mailen") and first_open < body.index("Klaar")
