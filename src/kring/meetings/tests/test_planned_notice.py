"""Planning a session or a series tells the community: one notification per member in Kring
(one per series, not one per occurrence), an e-mail as each member's settings say, never to
the planner or to people who left. The planner counts as coming."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.communities.models import Membership
from kring.communities.services import membership_remove
from kring.conversations.models import Notification, NotificationKind
from kring.conversations.services import preference_update
from kring.meetings import services, services_rsvp
from kring.meetings.models import Rsvp, RsvpResponse
from kring.meetings.tests.conftest import local

pytestmark = pytest.mark.django_db


def to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def notices_for(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.SESSION_PLANNED))


def test_a_planned_session_reaches_every_member_once(
    kring, make_session, django_capture_on_commit_callbacks, settings
):
    """Members and guests get one notification and one e-mail each, with a link to the
    session; the planner and outsiders get nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(title="Buurtavond", starts_at=local(2027, 3, 2, 19, 30))
    for member in (kring.anna, kring.bram, kring.guest):
        [notice] = notices_for(member)
        assert notice.actor == kring.facilitator and notice.community == kring.community
        assert notice.get_absolute_url() == session.get_absolute_url()
        [message] = to(member)
        assert message.subject == (
            "Fenna Facilitator planned a new session: “Buurtavond” on Tuesday 2 March 2027, 19:30"
        )
        assert settings.SITE_URL + session.get_absolute_url() in message.body
        assert "Zorg thuis" in message.body
    assert notices_for(kring.facilitator) == [] and to(kring.facilitator) == []
    assert notices_for(kring.outsider) == [] and to(kring.outsider) == []


def test_a_series_is_one_notice_not_one_per_occurrence(
    kring, make_series, django_capture_on_commit_callbacks
):
    """Fourteen sessions planned at once: one notification and one e-mail per member, which
    names the series and leads to its first session."""
    with django_capture_on_commit_callbacks(execute=True):
        series = make_series(first_start=local(2027, 1, 12, 19, 30), title="Leerkring")
    first = series.sessions.order_by("starts_at").first()
    [notice] = notices_for(kring.anna)
    assert notice.get_absolute_url() == first.get_absolute_url()
    [message] = to(kring.anna)
    assert "planned a series of 14 sessions: “Leerkring”, the next on Tuesday 12 January" in (
        message.subject
    )
    assert len(mail.outbox) == 3


def test_opted_out_members_get_the_bell_but_no_email(
    kring, make_session, django_capture_on_commit_callbacks
):
    """Someone who switched off "new sessions" still sees the notification in Kring; the
    others' e-mails are not affected."""
    preference_update(user=kring.bram, email_sessions=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_session()
    assert len(notices_for(kring.bram)) == 1
    assert to(kring.bram) == []
    assert len(to(kring.anna)) == 1


def test_the_unsubscribe_link_switches_off_only_session_emails(
    kring, make_session, make_client, django_capture_on_commit_callbacks
):
    """The one-click link in a session notice stops session e-mails, not mentions."""
    with django_capture_on_commit_callbacks(execute=True):
        make_session()
    [message] = to(kring.anna)
    path = urlsplit(message.extra_headers["List-Unsubscribe"][1:-1]).path
    assert make_client().post(path, {"List-Unsubscribe": "One-Click"}).status_code in (200, 302)
    preference = kring.anna.notification_preference
    preference.refresh_from_db()
    assert preference.email_sessions is False and preference.email_mentions is True


def test_people_who_left_hear_nothing(kring, make_session, django_capture_on_commit_callbacks):
    """Someone who left before the planning gets no notification; someone who leaves before
    the e-mail goes out gets no e-mail."""
    membership_remove(
        membership=Membership.objects.get(community=kring.community, user=kring.guest),
        by=kring.guest,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_session()
    membership_remove(
        membership=Membership.objects.get(community=kring.community, user=kring.bram),
        by=kring.bram,
    )
    for callback in callbacks:
        callback()
    assert notices_for(kring.guest) == []
    assert to(kring.bram) == [] and to(kring.guest) == []
    assert len(to(kring.anna)) == 1


def test_no_email_for_a_session_cancelled_before_it_went_out(
    kring, make_session, django_capture_on_commit_callbacks
):
    """Cancelled between planning and the worker: the notice stays in Kring, no e-mail."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = make_session()
    services.session_cancel(session=session, by=kring.facilitator)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert len(notices_for(kring.anna)) == 1


def test_history_is_no_news(kring, make_session, django_capture_on_commit_callbacks):
    """A session entered after it took place (an import) notifies nobody and gives the
    planner no RSVP."""
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(starts_at=timezone.now() - timedelta(days=20))
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert not Rsvp.objects.filter(session=session).exists()


def test_the_bell_shows_the_notice_and_its_queries_do_not_grow(
    kring, make_session, make_series, make_client, django_assert_num_queries
):
    """The list says who planned what, links to the session, and costs the same queries for
    two notices or six."""
    session = make_session(title="<b>Buurtavond</b>")
    make_series(title="Leerkring")
    client = make_client(kring.anna)
    page = client.get(reverse("notification-list")).content.decode()
    assert "planned a new session: “&lt;b&gt;Buurtavond&lt;/b&gt;”" in page
    assert "<b>Buurtavond</b>" not in page
    assert "planned a series of 14 sessions" in page
    notice = notices_for(kring.anna)[-1]
    opened = client.get(reverse("notification-open", kwargs={"pk": notice.pk}))
    assert opened.status_code == 302 and opened["Location"] == session.get_absolute_url()

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            client.get(reverse("notification-list"))
        return len(context.captured_queries)

    few = queries()
    for n in range(4):
        make_session(title=f"Avond {n}", starts_at=timezone.now() + timedelta(days=n + 2))
    assert queries() == few


def test_the_settings_page_has_the_session_switch(kring, make_client):
    """The switch is on by default and can be switched off."""
    client = make_client(kring.anna)
    page = client.get(reverse("notification-settings"))
    assert page.context["form"]["email_sessions"].value() is True
    data = {
        "email_mentions": "on",
        "email_replies": "on",
        "email_accepted": "on",
        "email_messages": "on",
        "digest": "off",
    }
    assert client.post(reverse("notification-settings"), data).status_code == 302
    kring.anna.notification_preference.refresh_from_db()
    assert kring.anna.notification_preference.email_sessions is False


# --- The planner counts as coming ------------------------------------------------------------


def test_the_planner_is_coming_to_every_occurrence_and_can_change_it(kring, make_series):
    """A yes for each session of the series; saying no to one leaves the others."""
    series = make_series(rule="FREQ=WEEKLY;COUNT=4")
    sessions = list(series.sessions.order_by("starts_at"))
    answers = Rsvp.objects.filter(user=kring.facilitator, session__in=sessions)
    assert [a.response for a in answers] == [RsvpResponse.YES] * 4
    assert not any(a.waitlisted for a in answers)
    services_rsvp.rsvp_set(session=sessions[1], user=kring.facilitator, response="no")
    assert answers.filter(response=RsvpResponse.YES).count() == 3


def test_a_platform_admin_outside_the_community_gets_no_rsvp(
    kring, make_admin, make_session, django_capture_on_commit_callbacks
):
    """An admin who plans for a community they are not in isn't counted; members still hear
    about it."""
    admin = make_admin(full_name="Ada Admin", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(by=admin, facilitators=[kring.facilitator])
    assert not Rsvp.objects.filter(session=session).exists()
    assert len(notices_for(kring.facilitator)) == 1


def test_the_counts_include_the_planner(kring, make_session, make_client):
    """The list and the session page count the planner among the people coming."""
    session = make_session(title="Volgende keer", capacity=3)
    services_rsvp.rsvp_set(session=session, user=kring.anna, response="yes")
    client = make_client(kring.bram)
    listing = client.get(reverse("session-list", kwargs={"slug": kring.community.slug}))
    assert "2 of 3 places taken" in listing.content.decode()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "1 place left" in page
    assert "Fenna Facilitator" in page.split('id="session-people"', 1)[1]
