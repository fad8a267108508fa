"""One-tap RSVP from the week: the answer is saved through the meetings service, with and
without JavaScript; other people's sessions and bad answers are refused."""

import pytest

from kring.meetings.models import Rsvp, RsvpResponse
from kring.meetings.services import session_cancel
from kring.meetings.services_rsvp import rsvp_set

pytestmark = pytest.mark.django_db


def _url(session) -> str:
    return f"/me/sessions/{session.pk}/rsvp/"


def test_plain_form_saves_and_returns_home(make_client, town, plan):
    """Without JavaScript the answer is saved and you are back on your week with a thanks."""
    session = plan(town.zorg, town.zorg_facilitator)
    client = make_client(town.mia)
    response = client.post(_url(session), {"response": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b"Thank you, your answer is saved." in response.content
    assert Rsvp.objects.get(session=session, user=town.mia).response == RsvpResponse.YES


def test_htmx_returns_the_card_with_the_new_answer(make_client, town, plan):
    """With htmx the session's card comes back showing the chosen answer as pressed."""
    session = plan(town.zorg, town.zorg_facilitator)
    response = make_client(town.mia).post(
        _url(session), {"response": "maybe", "primary": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.startswith('<li class="card week-session"')
    assert 'value="maybe" aria-pressed="true"' in content
    assert "You might come." in content and "Saved." in content
    assert 'value="yes" aria-pressed="false" data-primary-action' in content
    assert Rsvp.objects.get(session=session, user=town.mia).response == RsvpResponse.MAYBE


def test_a_note_given_on_the_session_page_stays(make_client, town, plan):
    """Changing your answer in one tap keeps the note you left on the session page."""
    session = plan(town.zorg, town.zorg_facilitator)
    rsvp_set(session=session, user=town.mia, response="maybe", note="A bit late")
    make_client(town.mia).post(_url(session), {"response": "yes"})
    rsvp = Rsvp.objects.get(session=session, user=town.mia)
    assert (rsvp.response, rsvp.note) == ("yes", "A bit late")


def test_full_session_puts_you_on_the_waiting_list(make_client, town, plan):
    """A yes to a full session goes on the waiting list, and the card says so."""
    session = plan(town.zorg, town.zorg_facilitator, capacity=1)
    rsvp_set(session=session, user=town.asker, response="yes")
    content = (
        make_client(town.mia)
        .post(_url(session), {"response": "yes"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "you are on the waiting list" in content
    assert Rsvp.objects.get(session=session, user=town.mia).waitlisted


@pytest.mark.parametrize(
    "bad", ["", "perhaps", "<script>alert(1)</script>", "y" * 5000], ids=str.__len__
)
def test_bad_answer_is_refused_and_nothing_saved(make_client, town, plan, bad):
    """An unknown, empty, hostile or oversized answer gets a clear message; nothing is saved."""
    session = plan(town.zorg, town.zorg_facilitator)
    client = make_client(town.mia)
    response = client.post(_url(session), {"response": bad}, HTTP_HX_REQUEST="true")
    assert b"Choose coming, maybe or not coming." in response.content
    assert b"<script>alert" not in response.content
    response = client.post(_url(session), {"response": bad}, follow=True)
    assert b"Choose coming, maybe or not coming." in response.content
    assert not Rsvp.objects.filter(session=session).exclude(user=town.zorg_facilitator).exists()


def test_wrong_people_and_sessions_get_404(make_client, town, plan, client):
    """Another community's session, a cancelled one, a past one and a guessed id give 404;
    anonymous people are sent to log in; GET is not allowed."""
    elsewhere = plan(town.elders, town.elders_facilitator)
    cancelled = plan(town.zorg, town.zorg_facilitator, days=3)
    session_cancel(session=cancelled, by=town.zorg_facilitator)
    past = plan(town.zorg, town.zorg_facilitator, days=-3)
    mia = make_client(town.mia)
    for session in (elsewhere, cancelled, past):
        assert mia.post(_url(session), {"response": "yes"}).status_code == 404
    assert mia.post("/me/sessions/999999/rsvp/", {"response": "yes"}).status_code == 404
    assert not Rsvp.objects.filter(user=town.mia).exists()
    current = plan(town.zorg, town.zorg_facilitator)
    assert mia.get(_url(current)).status_code == 405
    response = client.post(_url(current), {"response": "yes"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
