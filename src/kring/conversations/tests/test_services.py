"""The core writes: asking, replying, accepting, reacting, messaging, notifying."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kring.conversations.models import Notification, NotificationKind, Thread
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import threads as thread_services
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent

pytestmark = pytest.mark.django_db


def test_reply_records_first_response_and_answered_event(circle, make_thread, make_reply):
    """The first reply by someone else sets the time to first response and an 'answered' event
    with the asker as the other person."""
    thread = make_thread()
    make_reply(thread, by=circle.asker, body="Anyone?")
    thread.refresh_from_db()
    assert thread.first_response_at is None
    reply = make_reply(thread)
    thread.refresh_from_db()
    assert thread.first_response_at == reply.created_at
    assert thread.reply_count == 2
    event = ActivityEvent.objects.get(verb=ConversationVerb.ANSWERED, actor=circle.answerer)
    assert event.other == circle.asker
    assert event.community == circle.community


def test_accept_by_asker_notifies_answerer_once(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Accepting an answer notifies its author with exactly one e-mail."""
    thread = make_thread()
    reply = make_reply(thread)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread_services.answer_accept(thread=thread, reply=reply, by=circle.asker)
    assert Thread.objects.get(pk=thread.pk).accepted_reply_id == reply.pk
    notes = Notification.objects.filter(
        recipient=circle.answerer, kind=NotificationKind.ANSWER_ACCEPTED
    )
    assert notes.count() == 1
    assert [m.to for m in mail.outbox] == [[circle.answerer.email]]


def test_only_asker_or_facilitator_accepts(circle, make_thread, make_reply):
    """Another member can't accept; a facilitator can."""
    thread = make_thread()
    reply = make_reply(thread)
    with pytest.raises(PermissionDenied):
        thread_services.answer_accept(thread=thread, reply=reply, by=circle.guest)
    thread_services.answer_accept(thread=thread, reply=reply, by=circle.facilitator)


def test_mention_in_reply_to_asker_is_one_notification(
    circle, make_thread, make_reply, django_capture_on_commit_callbacks
):
    """Replying to the asker while mentioning them gives them one notification (a mention)."""
    thread = make_thread()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread, body=f"@[Anna Asker](/people/{circle.asker.pk}/) try this")
    notes = Notification.objects.filter(recipient=circle.asker)
    assert [n.kind for n in notes] == [NotificationKind.MENTION]
    assert len(mail.outbox) == 1


def test_message_blocked(circle):
    """A blocked person can't message the one who blocked them, nor the other way round."""
    message_services.block_create(blocker=circle.asker, blocked=circle.answerer)
    with pytest.raises(PermissionDenied):
        message_services.message_send(sender=circle.answerer, recipient=circle.asker, body="hi")
    with pytest.raises(PermissionDenied):
        message_services.message_send(sender=circle.asker, recipient=circle.answerer, body="hi")


def test_message_outsider_refused(circle):
    """People who share no community can't message each other."""
    with pytest.raises(PermissionDenied):
        message_services.message_send(sender=circle.asker, recipient=circle.outsider, body="hi")


def test_message_event_has_no_content(circle):
    """The activity event for a message records the fact, not the words."""
    message_services.message_send(
        sender=circle.asker, recipient=circle.answerer, body="secret words"
    )
    event = ActivityEvent.objects.get(verb=ConversationVerb.MESSAGED)
    assert event.other == circle.answerer
    assert "secret" not in str(event.data)


def test_empty_thread_saves_nothing(circle):
    """A question without a title is refused with a message and nothing is saved."""
    with pytest.raises(ValidationError) as exc:
        thread_services.thread_create(
            community=circle.community, by=circle.asker, kind="question", title=" "
        )
    assert "title" in exc.value.message_dict
    assert not Thread.objects.exists()
