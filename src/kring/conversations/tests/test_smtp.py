"""The whole road of an e-mail, against a real SMTP server on loopback (aiosmtpd): a service
call, the notification, the queued task, `kring worker --batch`, the SMTP backend, the server.

Exactly one e-mail per event per recipient; none to people who blocked the actor, switched
that e-mail off or unsubscribed with one click; digests batch a person's communities into one
e-mail and are not sent twice in a period."""

import email
import socket
import threading
from collections import Counter
from datetime import timedelta
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from kring.conversations.models import DigestFrequency, NotificationPreference
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import preferences as preference_services
from kring.conversations.services import threads as thread_services

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """An aiosmtpd handler that keeps what it receives: (envelope recipients, message)."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, user) -> list:
        return [m for rcpt, m in self.received if rcpt == [user.email]]

    def pairs(self) -> Counter:
        """(recipient, subject) -> how many times it arrived."""
        return Counter((rcpt[0], _subject(m)) for rcpt, m in self.received)


def _header(message, name: str) -> str:
    # Long headers are folded onto a continuation line; the decoded value keeps that
    # line's leading space.
    return str(message[name]).strip()


def _subject(message) -> str:
    return _header(message, "Subject")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 and the production path to it: queued backend,
    database task queue, Django's SMTP backend in the worker."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "kring.core.mail.QueuedEmailBackend"
    settings.KRING_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield inbox
    controller.stop()


def _work():
    call_command("worker", batch=True, verbosity=0)


def _mention(user) -> str:
    return f"@[{user.full_name}](/people/{user.pk}/)"


def test_one_email_per_event_per_recipient(smtp, circle, make_thread, make_reply):
    """Reply, mention, accepted answer and direct message: each reaches its person once."""
    thread = make_thread(by=circle.asker, title="How do we start?")
    # A reply to the asker that also mentions the facilitator: one e-mail each.
    reply = make_reply(thread, by=circle.answerer, body=f"Ask {_mention(circle.facilitator)}")
    # A reply that mentions the asker: a mention, not a second "reply" e-mail.
    make_reply(thread, by=circle.guest, body=f"I agree, {_mention(circle.asker)}")
    thread_services.answer_accept(thread=thread, reply=reply, by=circle.asker)
    message_services.message_send(
        sender=circle.asker, recipient=circle.answerer, body="Secret pineapple"
    )
    assert smtp.received == []  # nothing leaves before the worker runs
    _work()
    assert smtp.pairs() == Counter(
        {
            (circle.asker.email, "Bram Answerer replied to your question “How do we start?”"): 1,
            (circle.facilitator.email, "Bram Answerer mentioned you in “How do we start?”"): 1,
            (circle.asker.email, "Gijs Guest mentioned you in “How do we start?”"): 1,
            (circle.answerer.email, "Your answer in “How do we start?” was accepted"): 1,
            (circle.answerer.email, "Anna Asker sent you a message"): 1,
        }
    )
    for _rcpt, message in smtp.received:
        assert _header(message, "List-Unsubscribe").startswith("<http")
        assert _header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        for part in ("plain", "html"):
            assert "pineapple" not in message.get_body(preferencelist=(part,)).get_content()
    # A second worker run finds nothing left to send.
    _work()
    assert len(smtp.received) == 5


def test_none_to_someone_who_blocked_the_actor(smtp, circle, make_thread, make_reply):
    """The asker blocked the answerer: the answerer's reply and mention send the asker nothing."""
    message_services.block_create(blocker=circle.asker, blocked=circle.answerer)
    thread = make_thread(by=circle.asker)
    make_reply(thread, by=circle.answerer, body=f"Hello {_mention(circle.asker)}")
    make_reply(thread, by=circle.facilitator)
    _work()
    assert [_subject(m) for m in smtp.to(circle.asker)] == [
        f"Fenna Facilitator replied to your question “{thread.title}”"
    ]


def test_none_when_that_email_is_switched_off(smtp, circle, make_thread, make_reply):
    """Reply e-mails off: no reply e-mail, while mentions still come."""
    preference_services.preference_update(user=circle.asker, email_replies=False)
    thread = make_thread(by=circle.asker)
    make_reply(thread, by=circle.answerer)
    make_reply(thread, by=circle.facilitator, body=f"{_mention(circle.asker)} see above")
    _work()
    assert [_subject(m) for m in smtp.to(circle.asker)] == [
        f"Fenna Facilitator mentioned you in “{thread.title}”"
    ]


def test_none_after_one_click_unsubscribe(smtp, circle, make_thread, make_reply, client):
    """After the List-Unsubscribe POST, the next reply sends nothing."""
    thread = make_thread(by=circle.asker)
    make_reply(thread, by=circle.answerer)
    _work()
    [first] = smtp.to(circle.asker)
    url = _header(first, "List-Unsubscribe").strip("<>")
    response = client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code in (200, 302)
    make_reply(thread, by=circle.facilitator)
    _work()
    assert len(smtp.to(circle.asker)) == 1


def test_digest_batches_communities_and_is_sent_once(
    smtp, circle, make_community, make_member, make_thread
):
    """One digest with both communities' waiting questions; a second run sends nothing."""
    second = make_community(name="Wijkteams")
    make_member(second, user=circle.answerer)
    preference_services.preference_update(user=circle.answerer, digest=DigestFrequency.DAILY)
    NotificationPreference.objects.filter(user=circle.answerer).update(
        digest_sent_at=timezone.now() - timedelta(days=1, hours=1)
    )
    make_thread(by=circle.asker, title="Question in Zorg thuis")
    make_thread(community=second, by=second.created_by, title="Question in Wijkteams")
    _work()
    [digest] = smtp.to(circle.answerer)
    assert _subject(digest) == "Your daily Kring digest"
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Question in Zorg thuis" in text
    assert "Question in Wijkteams" in text
    assert _header(digest, "List-Unsubscribe").startswith("<http")
    assert digest.get_body(preferencelist=("html",)) is not None
    # Nobody else asked for a digest.
    assert all(rcpt == [circle.answerer.email] for rcpt, _m in smtp.received)
    _work()
    assert len(smtp.to(circle.answerer)) == 1
