"""Notification pages: the list behind the bell, opening one, marking all read, e-mail settings
and the one-click unsubscribe link from e-mails."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.conversations.models import (
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import notifications as notification_services
from kring.conversations.services import preferences as preference_services
from kring.conversations.services import threads as thread_services

pytestmark = pytest.mark.django_db


def test_pages_need_login(client, circle, make_thread, make_reply):
    """Anonymous visitors are sent to the login page; nothing is marked read."""
    make_reply(make_thread())
    note = Notification.objects.get()
    for url in (
        reverse("notification-list"),
        reverse("notification-open", kwargs={"pk": note.pk}),
        reverse("notification-settings"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("notification-read-all"))
    assert response["Location"].startswith(reverse("login"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_list_says_what_happened_per_kind(make_client, circle, make_thread, make_reply):
    """Each kind reads as a sentence with who did it and where; a message notification never
    shows the message itself."""
    question = make_thread(title="Hoe betrekken we bewoners?")
    discussion = make_thread(kind="discussion", title="Ervaringen met buurtteams", body="Wie?")
    make_reply(question, by=circle.answerer)
    make_reply(discussion, by=circle.guest)
    mention = f"@[Anna Asker](/people/{circle.asker.pk}/) weet dit"
    make_thread(by=circle.answerer, title="Wie kent de wethouder?", body=mention)
    thread_services.answer_accept(
        thread=question, reply=make_reply(question, by=circle.guest), by=circle.facilitator
    )
    message_services.message_send(
        sender=circle.guest, recipient=circle.asker, body="Geheime inhoud"
    )
    notification_services.notify(
        recipients={circle.asker: NotificationKind.MODERATION},
        actor=circle.facilitator,
        community=circle.community,
        thread=discussion,
    )
    html = make_client(circle.asker).get(reverse("notification-list")).content.decode()
    expected = [
        '<strong class="person-name">Bram Answerer</strong> replied to your question '
        "“Hoe betrekken we bewoners?”",
        '<strong class="person-name">Gijs Guest</strong> replied to your discussion '
        "“Ervaringen met buurtteams”",
        '<strong class="person-name">Bram Answerer</strong> mentioned you in '
        "“Wie kent de wethouder?”",
        '<strong class="person-name">Gijs Guest</strong> sent you a message',
        "A facilitator took a moderation step on your post in “Ervaringen met buurtteams”",
    ]
    for sentence in expected:
        assert sentence in html
    assert "Geheime inhoud" not in html
    guest_html = make_client(circle.guest).get(reverse("notification-list")).content.decode()
    assert "Your answer in “Hoe betrekken we bewoners?” was accepted" in guest_html


def test_list_marks_unread_and_shows_count_in_header(make_client, circle, make_thread, make_reply):
    """Unread notifications are marked, for screen readers too, and the bell says how many."""
    thread = make_thread()
    make_reply(thread)
    make_reply(thread, by=circle.guest)
    Notification.objects.filter(actor=circle.guest).update(read_at=thread.created_at)
    html = make_client(circle.asker).get(reverse("notification-list")).content.decode()
    assert html.count('class="notification-row is-unread"') == 1
    assert html.count('class="notification-row"') == 1
    assert "Unread:" in html
    assert 'aria-label="Notifications, 1 unread"' in html


def test_hostile_title_and_name_show_as_text(make_client, circle, make_thread, make_reply):
    """A thread title or a name with HTML shows as text in the list."""
    circle.answerer.full_name = "<b>Bram</b>"
    circle.answerer.save(update_fields=["full_name"])
    make_reply(make_thread(title='<script>alert("x")</script>'))
    html = make_client(circle.asker).get(reverse("notification-list")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>Bram</b>" not in html
    assert "&lt;b&gt;Bram&lt;/b&gt;" in html


def test_list_is_only_your_own(make_client, circle, make_thread, make_reply):
    """Someone else's notifications never show in your list."""
    make_reply(make_thread(title="Alleen voor Anna"))
    html = make_client(circle.guest).get(reverse("notification-list")).content.decode()
    assert "Alleen voor Anna" not in html
    assert "Nothing new" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("notification-list"))
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow(make_client, make_member, circle, make_thread, make_reply):
    """The list runs the same number of queries with 3 or 30 notifications of mixed kinds."""
    client = make_client(circle.asker)

    made = iter(range(1000))

    def grow(n):
        """n more notifications for the asker: replies, messages and mentions in turn."""
        for _ in range(n):
            i = next(made)
            person = make_member(circle.community).user
            if i % 3 == 0:
                make_reply(make_thread(title=f"Vraag {i}"), by=person)
            elif i % 3 == 1:
                message_services.message_send(sender=person, recipient=circle.asker, body="Hoi")
            else:
                make_thread(by=person, body=f"@[Anna](/people/{circle.asker.pk}/)")

    grow(3)
    assert Notification.objects.filter(recipient=circle.asker).count() == 3
    small = _queries(client)
    grow(27)
    assert Notification.objects.filter(recipient=circle.asker).count() == 30
    assert _queries(client) == small


def test_open_marks_read_and_goes_to_the_post(make_client, circle, make_thread, make_reply):
    """Opening a notification marks it read and leads to the reply it is about."""
    reply = make_reply(make_thread())
    note = Notification.objects.get(recipient=circle.asker)
    response = make_client(circle.asker).get(reverse("notification-open", kwargs={"pk": note.pk}))
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_message_notification_goes_to_conversation(make_client, circle):
    """A message notification leads to the conversation."""
    message = message_services.message_send(
        sender=circle.answerer, recipient=circle.asker, body="Hoi"
    )
    note = Notification.objects.get(recipient=circle.asker)
    response = make_client(circle.asker).get(reverse("notification-open", kwargs={"pk": note.pk}))
    assert response["Location"] == message.conversation.get_absolute_url()


@pytest.mark.parametrize("who", ["answerer", "facilitator", "outsider", "admin"])
def test_open_someone_elses_is_404(make_client, make_admin, circle, make_thread, make_reply, who):
    """Someone else's notification is a 404 for anyone else, and stays unread."""
    make_reply(make_thread())
    note = Notification.objects.get(recipient=circle.asker)
    viewer = make_admin() if who == "admin" else getattr(circle, who)
    response = make_client(viewer).get(reverse("notification-open", kwargs={"pk": note.pk}))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(make_client, circle, make_thread, make_reply):
    """ "Mark all as read" (POST only) marks your notifications read, nobody else's."""
    thread = make_thread()
    make_reply(thread)
    make_reply(thread, by=circle.guest)
    message_services.message_send(sender=circle.asker, recipient=circle.guest, body="Hoi")
    client = make_client(circle.asker)
    assert client.get(reverse("notification-read-all")).status_code == 405
    response = client.post(reverse("notification-read-all"), follow=True)
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=circle.asker, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=circle.guest, read_at__isnull=True).count() == 1


def test_settings_show_defaults_and_save(make_client, circle):
    """The settings page starts from the defaults (digest off) and saves the switches and the
    digest choice."""
    client = make_client(circle.asker)
    url = reverse("notification-settings")
    html = client.get(url).content.decode()
    assert "new questions that are still waiting for an answer" in html
    assert 'name="email_replies" id="id_email_replies" checked' in html
    assert 'value="off" required id="id_digest_0" checked' in html
    response = client.post(
        url, {"email_mentions": "on", "email_accepted": "on", "digest": DigestFrequency.WEEKLY}
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=circle.asker)
    assert preference.email_mentions and preference.email_accepted
    assert not preference.email_replies and not preference.email_messages
    assert preference.digest == DigestFrequency.WEEKLY
    assert "Your notification settings are saved." in client.get(url).content.decode()


def test_settings_bad_digest_refused(make_client, circle):
    """An unknown digest choice is refused next to the field and nothing is saved."""
    client = make_client(circle.asker)
    response = client.post(
        reverse("notification-settings"), {"email_mentions": "on", "digest": "hourly<script>"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_digest_error"' in html
    assert "<script>" not in html.split('id="id_digest_error"')[1][:300]
    assert not NotificationPreference.objects.exists()


def _token(user, scope="email_replies"):
    return preference_services.unsubscribe_token(user=user, scope=scope)


def test_unsubscribe_page_changes_nothing_until_posted(client, circle):
    """Opening the link (no login) says what will be switched off and changes nothing."""
    url = reverse("unsubscribe", kwargs={"token": _token(circle.asker)})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This switches off e-mails when someone replies to your post." in html
    assert f'action="{url}"' in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_button_switches_off(client, circle):
    """Pressing the button switches off that one kind of e-mail and confirms it."""
    response = client.post(reverse("unsubscribe", kwargs={"token": _token(circle.asker)}))
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    preference = NotificationPreference.objects.get(user=circle.asker)
    assert not preference.email_replies
    assert preference.email_mentions and preference.email_messages


def test_unsubscribe_one_click_from_mail_client(circle):
    """RFC 8058: a mail client's POST with List-Unsubscribe=One-Click works without a session
    or CSRF token."""
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        reverse("unsubscribe", kwargs={"token": _token(circle.asker, "all")}),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=circle.asker)
    assert not any(getattr(preference, name) for name in preference_services.PREFERENCE_FIELDS), (
        "every switch is off"
    )
    assert preference.digest == DigestFrequency.OFF


def test_unsubscribe_link_in_email_works(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """The List-Unsubscribe link of a real notification e-mail switches that e-mail off."""
    thread = make_thread()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    assert len(mail.outbox) == 1
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    url = header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(f"/{url}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not NotificationPreference.objects.get(user=circle.asker).email_replies


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_token_changes_nothing(client, circle, method):
    """A cut-off or altered link says it is not valid, answers 400 and changes nothing."""
    token = _token(circle.asker, "all")
    for bad in (token[:-3] + "abc", token[: len(token) // 2], "not-a-token"):
        response = getattr(client, method)(reverse("unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()
