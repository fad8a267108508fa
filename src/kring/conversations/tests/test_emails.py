"""Notification e-mails: who did what where, in the recipient's language, with a one-click
unsubscribe; never the text of a direct message; preferences and blocks respected."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from kring.conversations.emails import notification_email_send
from kring.conversations.models import Notification, NotificationKind
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import preferences as preference_services
from kring.conversations.services import threads as thread_services

pytestmark = pytest.mark.django_db


def _emails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_reply_email_says_who_replied_where_with_a_link(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks, settings
):
    """A reply e-mails the asker once: the replier's name, the thread, a link to the reply."""
    thread = make_thread(title="How do we start?")
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread, by=circle.answerer)
    [message] = _emails_to(circle.asker)
    assert message.subject == "Bram Answerer replied to your question “How do we start?”"
    assert "Bram Answerer replied to your question" in message.body
    assert "Zorg thuis" in message.body
    assert settings.SITE_URL + reply.get_absolute_url() in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert reply.get_absolute_url() in html
    assert not _emails_to(circle.answerer)


def test_every_email_has_one_click_unsubscribe_and_settings_link(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks, settings
):
    """List-Unsubscribe(-Post) headers, and the same link plus the settings link in the body."""
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    [message] = _emails_to(circle.asker)
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{settings.SITE_URL}/") and header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = header[1:-1]
    assert unsubscribe_url in message.body
    assert settings.SITE_URL + reverse("notification-settings") in message.body
    assert unsubscribe_url in message.alternatives[0][0]


def test_unsubscribe_link_switches_off_only_that_kind(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks, client
):
    """The link in a reply e-mail switches off reply e-mails; mentions still arrive."""
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    [message] = _emails_to(circle.asker)
    path = urlsplit(message.extra_headers["List-Unsubscribe"][1:-1]).path
    # What a mail client sends for RFC 8058 one-click: a POST without cookies or login.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code in (200, 302)
    circle.asker.notification_preference.refresh_from_db()
    assert circle.asker.notification_preference.email_replies is False
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, body="Another thought")
        make_reply(
            thread,
            by=circle.facilitator,
            body=f"See @[{circle.asker.full_name}](/people/{circle.asker.pk}/)",
        )
    kinds = [m.subject for m in _emails_to(circle.asker)]
    assert kinds == [f"Fenna Facilitator mentioned you in “{thread.title}”"]


def test_direct_message_email_never_contains_the_message(
    circle, django_capture_on_commit_callbacks
):
    """'Anna sent you a message' and a link, but not a word of what she wrote."""
    with django_capture_on_commit_callbacks(execute=True):
        message_services.message_send(
            sender=circle.asker, recipient=circle.answerer, body="My secret plan: pineapples"
        )
    [message] = _emails_to(circle.answerer)
    assert message.subject == "Anna Asker sent you a message"
    assert "pineapples" not in message.subject
    assert "pineapples" not in message.body
    assert "pineapples" not in message.alternatives[0][0]
    conversation = Notification.objects.get(recipient=circle.answerer).conversation
    assert reverse("conversation-detail", kwargs={"pk": conversation.pk}) in message.body


def test_email_is_written_in_the_recipients_language(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """A Dutch reader gets a Dutch e-mail (Content-Language nl), an English reader English."""
    circle.asker.language = "nl"
    circle.asker.save(update_fields=["language"])
    circle.facilitator.language = "en"
    circle.facilitator.save(update_fields=["language"])
    thread = make_thread(by=circle.asker)
    other = make_thread(by=circle.facilitator, title="Agenda")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
        make_reply(other)
    [dutch] = _emails_to(circle.asker)
    [english] = _emails_to(circle.facilitator)
    assert dutch.extra_headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in dutch.alternatives[0][0]
    assert english.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in english.alternatives[0][0]


def test_hostile_names_and_titles_are_escaped_in_the_html_part(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """A <script> in a title shows as text in the HTML alternative."""
    thread = make_thread(title="<script>alert(1)</script>")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    [message] = _emails_to(circle.asker)
    assert "<script>" not in message.alternatives[0][0]
    assert "&lt;script&gt;" in message.alternatives[0][0]


def test_accepted_answer_and_mention_emails(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Accepting e-mails the answerer; a mention e-mails the person mentioned, once each."""
    thread = make_thread()
    reply = make_reply(thread)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.answer_accept(thread=thread, reply=reply, by=circle.asker)
    [accepted] = _emails_to(circle.answerer)
    assert accepted.subject == f"Your answer in “{thread.title}” was accepted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(
            by=circle.facilitator,
            title="Plans",
            body=f"What do you think, @[Bram](/people/{circle.answerer.pk}/)?",
        )
    [mention] = _emails_to(circle.answerer)
    assert mention.subject == "Fenna Facilitator mentioned you in “Plans”"
    assert len(mail.outbox) == 1


def test_no_email_from_someone_blocked_or_when_switched_off(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Nothing from a blocked person; nothing of a kind the person switched off."""
    message_services.block_create(blocker=circle.asker, blocked=circle.answerer)
    preference_services.preference_update(user=circle.facilitator, email_replies=False)
    thread = make_thread(by=circle.asker)
    other = make_thread(by=circle.facilitator, title="Agenda")
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, by=circle.answerer)
        make_reply(other, by=circle.answerer)
    assert mail.outbox == []


def test_switched_off_after_the_event_still_sends_nothing(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Preferences are read again when the worker sends: switching off in between wins."""
    thread = make_thread()
    reply = make_reply(thread)
    notification = Notification.objects.get(recipient=circle.asker, reply=reply)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    mail.outbox.clear()
    preference_services.preference_update(user=circle.asker, email_replies=False)
    assert notification_email_send(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_a_notification_is_emailed_at_most_once(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Running the e-mail task twice for one notification sends one e-mail."""
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread)
    notification = Notification.objects.get(recipient=circle.asker, reply=reply)
    assert notification.kind == NotificationKind.REPLY
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(_emails_to(circle.asker)) == 1


def test_inactive_or_addressless_people_get_no_email(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """A deactivated account gets no e-mail."""
    thread = make_thread()
    circle.asker.is_active = False
    circle.asker.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread)
    assert mail.outbox == []


def test_no_email_when_the_post_was_hidden_or_the_reader_left_before_sending(
    circle, make_thread, make_reply
):
    """Hidden before the worker ran, or the recipient left: the e-mail is not sent."""
    from kring.communities.models import Membership
    from kring.communities.services import membership_remove
    from kring.conversations.models import Reply

    thread = make_thread()
    reply = make_reply(thread)
    notification = Notification.objects.get(recipient=circle.asker, reply=reply)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    Reply.objects.filter(pk=reply.pk).update(hidden=True)
    mail.outbox.clear()
    assert notification_email_send(notification_id=notification.pk) is False

    other = make_reply(thread, body="Second")
    later = Notification.objects.get(recipient=circle.asker, reply=other)
    Notification.objects.filter(pk=later.pk).update(emailed_at=None)
    membership_remove(
        membership=Membership.objects.get(community=circle.community, user=circle.asker),
        by=circle.facilitator,
    )
    mail.outbox.clear()
    assert notification_email_send(notification_id=later.pk) is False
    assert mail.outbox == []
