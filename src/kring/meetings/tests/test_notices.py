"""Session e-mails: a place from the waiting list, reminders before a session (exactly once,
only to people coming or maybe) and reminders for action points that are due."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from kring.communities.models import Membership
from kring.communities.services import membership_remove
from kring.meetings import (
    notices,
    services,
    services_learning,
    services_rsvp,
    services_series,
    tasks,
)
from kring.meetings.models import ActionPoint, Session

pytestmark = pytest.mark.django_db


def to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def planner_stays_home(session, kring) -> None:
    """Whoever plans a session is coming to it; these tests are about the others."""
    services_rsvp.rsvp_set(session=session, user=kring.facilitator, response="no")


@pytest.fixture
def tomorrow_session(kring, make_session):
    """A session starting in 20 hours: Anna coming, Bram maybe, the guest not coming."""
    session = make_session(starts_at=timezone.now() + timedelta(hours=20), title="Leerkring")
    planner_stays_home(session, kring)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="maybe")
    services_rsvp.rsvp_set(session=session, user=kring.guest, response="no")
    return session


def test_reminder_goes_to_coming_and_maybe_exactly_once(kring, tomorrow_session):
    """Coming and maybe get one reminder with the .ics; not coming, no answer: none. A second
    run sends nothing more."""
    assert tasks.reminders_send.call() == 2
    assert len(to(kring.anna)) == 1
    assert len(to(kring.bram)) == 1
    assert to(kring.guest) == [] and to(kring.facilitator) == []
    message = to(kring.anna)[0]
    assert message.subject.startswith("Reminder: Leerkring, ")
    assert "you are coming to" in message.body
    assert "might come" in to(kring.bram)[0].body
    assert tomorrow_session.get_absolute_url() in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename == "leerkring.ics" and mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Leerkring"
    tomorrow_session.refresh_from_db()
    assert tomorrow_session.reminder_sent_at is not None
    mail.outbox.clear()
    assert notices.reminders_send() == 0
    assert mail.outbox == []


def test_a_claimed_reminder_is_not_sent_again(kring, tomorrow_session):
    """Two workers racing: the second finds the session claimed and sends nothing."""
    assert notices.session_reminder_send(session_id=tomorrow_session.pk) == 2
    assert notices.session_reminder_send(session_id=tomorrow_session.pk) == 0
    assert len(mail.outbox) == 2


def test_reminder_in_the_recipients_language(kring, tomorrow_session):
    """Each reminder is written in its reader's language."""
    kring.bram.language = "nl"
    kring.bram.save(update_fields=["language"])
    notices.reminders_send()
    assert to(kring.bram)[0].extra_headers["Content-Language"] == "nl"
    assert to(kring.anna)[0].extra_headers["Content-Language"] == "en"


def test_waitlisted_and_former_members_get_no_reminder(kring, make_session):
    """Someone waiting for a place, or who left the community, gets no reminder."""
    session = make_session(starts_at=timezone.now() + timedelta(hours=3), capacity=1)
    planner_stays_home(session, kring)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.guest, response="maybe")
    membership_remove(
        membership=Membership.objects.get(community=kring.community, user=kring.guest),
        by=kring.guest,
    )
    assert notices.reminders_send() == 1
    assert len(to(kring.anna)) == 1
    assert to(kring.bram) == [] and to(kring.guest) == []


def test_no_reminder_too_early_after_start_or_when_cancelled(kring, make_session):
    """Only sessions starting within a day: not later ones, not started ones, not cancelled."""
    later = make_session(starts_at=timezone.now() + timedelta(hours=30))
    started = make_session(starts_at=timezone.now() - timedelta(minutes=5))
    cancelled = make_session(starts_at=timezone.now() + timedelta(hours=2))
    planner_stays_home(later, kring)
    for session in (later, started, cancelled):
        services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services.session_cancel(session=cancelled, by=kring.facilitator)
    assert notices.reminders_send() == 0
    assert mail.outbox == []
    assert not Session.objects.filter(reminder_sent_at__isnull=False).exists()
    # A day later, the later session is due.
    assert notices.reminders_send(now=timezone.now() + timedelta(hours=10)) == 1


def test_waitlist_promotion_email(kring, make_session, django_capture_on_commit_callbacks):
    """When a place frees up, the first one waiting hears it has a place (with the .ics);
    nobody else gets that e-mail."""
    session = make_session(capacity=1, title="Volle kring")
    planner_stays_home(session, kring)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.bram, response="yes")
    services_rsvp.rsvp_set(session=session, user=kring.guest, response="yes")
    with django_capture_on_commit_callbacks(execute=True):
        services_rsvp.rsvp_set(session=session, user=kring.anna, response="no")
    assert [m.to for m in mail.outbox] == [[kring.bram.email]]
    message = mail.outbox[0]
    assert message.subject == "A place opened up for you: Volle kring"
    assert "first on the waiting list" in message.body
    assert message.attachments[0][2] == "text/calendar"


def test_waitlist_email_skips_people_no_longer_promoted(kring, make_session):
    """An id of someone who changed their answer since, or of a cancelled session, sends nothing."""
    session = make_session(capacity=1)
    planner_stays_home(session, kring)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    rsvp = services_rsvp.rsvp_set(session=session, user=kring.bram, response="yes")
    assert rsvp.waitlisted
    assert notices.waitlist_promoted(rsvp_ids=[rsvp.pk]) == 0
    anna = services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    services.session_cancel(session=session, by=kring.facilitator)
    assert notices.waitlist_promoted(rsvp_ids=[anna.pk]) == 0
    assert mail.outbox == []


def _point(kring, *, days: int | None, owner=None, **kw) -> ActionPoint:
    today = timezone.localdate()
    return services_learning.action_point_create(
        community=kring.community,
        by=kring.facilitator,
        what=kw.pop("what", "Bel de wijkverpleging"),
        owner=owner,
        due_date=today + timedelta(days=days) if days is not None else None,
        **kw,
    )


def test_action_point_reminders_due_tomorrow_or_overdue_once(kring):
    """Open action points due tomorrow or overdue remind their owner once; later, done,
    undated and ownerless ones don't."""
    _point(kring, days=1, owner=kring.anna, what="Morgen klaar")
    _point(kring, days=-3, owner=kring.bram, what="Te laat")
    _point(kring, days=3, owner=kring.anna, what="Volgende week")
    _point(kring, days=None, owner=kring.anna, what="Ooit")
    _point(kring, days=0, owner=kring.guest, what="Vandaag")
    _point(kring, days=0, owner=None, what="Van niemand")
    done = _point(kring, days=0, owner=kring.bram, what="Al gedaan")
    services_learning.action_point_complete(point=done, by=kring.bram)
    assert notices.reminders_send() == 3
    (anna,) = to(kring.anna)
    assert anna.subject == "Action point due tomorrow: Morgen klaar"
    assert "/me/action-points/" in anna.body
    (bram,) = to(kring.bram)
    assert bram.subject == "Action point overdue: Te laat"
    assert to(kring.guest)[0].subject == "Action point due today: Vandaag"
    mail.outbox.clear()
    assert notices.reminders_send() == 0
    assert mail.outbox == []


def test_changed_action_point_is_reminded_again(kring):
    """Changing an action point (a new date) makes it eligible for a new reminder."""
    point = _point(kring, days=1, owner=kring.anna)
    assert notices.reminders_send() == 1
    services_learning.action_point_update(
        point=point,
        by=kring.facilitator,
        what=point.what,
        owner=kring.anna,
        due_date=timezone.localdate(),
    )
    assert notices.reminders_send() == 1
    assert len(to(kring.anna)) == 2


def test_action_point_of_someone_who_left_is_not_reminded(kring):
    """An owner who left the community gets no reminder for its action points."""
    _point(kring, days=0, owner=kring.bram)
    membership_remove(
        membership=Membership.objects.get(community=kring.community, user=kring.bram),
        by=kring.bram,
    )
    assert notices.reminders_send() == 0
    assert mail.outbox == []


def test_hostile_title_stays_text_in_the_email(kring, make_session):
    """A title with markup is escaped in the HTML part and plain in the text part."""
    session = make_session(starts_at=timezone.now() + timedelta(hours=2), title="<b>Kring</b> & co")
    planner_stays_home(session, kring)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    notices.reminders_send()
    (message,) = mail.outbox
    assert "<b>Kring</b> & co" in message.subject
    assert "<b>Kring</b> & co" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Kring&lt;/b&gt; &amp; co" in html
    assert "<b>Kring</b>" not in html


def test_moved_session_is_reminded_again_at_its_new_time(kring, tomorrow_session):
    """A session moved after its reminder went out gets a new reminder before the new time."""
    assert notices.reminders_send() == 2
    new_start = tomorrow_session.starts_at + timedelta(days=7)
    services.session_update(session=tomorrow_session, by=kring.facilitator, starts_at=new_start)
    assert notices.reminders_send() == 0
    assert notices.reminders_send(now=new_start - timedelta(hours=2)) == 2
    assert len(to(kring.anna)) == 2


def test_moved_following_sessions_are_reminded_again(kring, make_series):
    """Moving "this and following" clears their reminders too."""
    start = timezone.now() + timedelta(hours=5)
    series = make_series(first_start=start, rule="FREQ=WEEKLY;COUNT=3")
    first = series.sessions.order_by("starts_at").first()
    planner_stays_home(first, kring)
    services_rsvp.rsvp_set(session=first, user=kring.anna, response="yes")
    assert notices.reminders_send() == 1
    services_series.session_update_following(
        session=first,
        by=kring.facilitator,
        starts_at=first.starts_at + timedelta(hours=1),
    )
    assert notices.reminders_send() == 1
