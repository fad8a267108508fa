"""Every e-mail leaves through the queue: the queued backend turns a message into JSON and
enqueues `email_deliver` after the commit; the worker sends it with the real backend."""

import json

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from kring.core.mail import QueuedEmailBackend
from kring.core.mail_payload import message_from_dict, message_to_dict

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queued(settings):
    """Django's EMAIL_BACKEND as in production; locmem plays the SMTP server."""
    settings.EMAIL_BACKEND = "kring.core.mail.QueuedEmailBackend"
    settings.KRING_EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def test_production_settings_queue_every_email():
    """settings.py points Django's EMAIL_BACKEND at the queue (tests swap it for locmem)."""
    from kring import settings as kring_settings

    assert kring_settings.EMAIL_BACKEND == "kring.core.mail.QueuedEmailBackend"


def test_round_trip_keeps_everything():
    """Subject, body, addresses, headers and the HTML alternative survive JSON."""
    message = EmailMultiAlternatives(
        subject="Hallo “Anna”",
        body="Tekst met é en ✓",
        from_email="Kring <kring@example.org>",
        to=["anna@example.org"],
        cc=["cc@example.org"],
        bcc=["bcc@example.org"],
        reply_to=["reply@example.org"],
        headers={"List-Unsubscribe": "<https://kring.example/u/x/>", "X-Test": "1"},
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    data = message_to_dict(message)
    again = message_from_dict(json.loads(json.dumps(data)))
    assert message_to_dict(again) == data
    assert again.alternatives[0][0] == "<p>Tekst</p>"
    assert again.alternatives[0][1] == "text/html"
    assert again.extra_headers["List-Unsubscribe"] == "<https://kring.example/u/x/>"
    assert again.recipients() == ["anna@example.org", "cc@example.org", "bcc@example.org"]
    assert again.message()["Reply-To"] == "reply@example.org"


def test_round_trip_keeps_attachments():
    """Text and binary attachments survive the JSON trip byte for byte."""
    message = EmailMultiAlternatives("S", "B", None, ["anna@example.org"])
    message.attach("agenda.txt", "Punt 1", "text/plain")
    message.attach("logo.png", b"\x89PNG\r\n\x00\xff", "image/png")
    again = message_from_dict(json.loads(json.dumps(message_to_dict(message))))
    assert again.attachments[0][:2] == ("agenda.txt", "Punt 1")
    assert again.attachments[1] == ("logo.png", b"\x89PNG\r\n\x00\xff", "image/png")


@pytest.mark.django_db
def test_backend_enqueues_on_commit_not_before(queued, django_capture_on_commit_callbacks):
    """Inside a transaction nothing is sent; after the commit the task delivers it."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        mail.send_mail("Subject", "Body", None, ["anna@example.org"])
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.subject == "Subject"
    assert message.to == ["anna@example.org"]


@pytest.mark.django_db
def test_rolled_back_change_sends_nothing(queued):
    """An e-mail written in a transaction that rolls back never leaves."""
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail("Subject", "Body", None, ["anna@example.org"])
        raise RuntimeError
    assert mail.outbox == []


@pytest.mark.django_db
def test_message_without_recipients_is_dropped(queued):
    """No recipients: nothing is enqueued and the count says so."""
    assert QueuedEmailBackend().send_messages([EmailMultiAlternatives("S", "B", None, [])]) == 0


@pytest.mark.django_db
def test_invitation_email_goes_through_the_queue(
    queued, make_community, django_capture_on_commit_callbacks
):
    """An invitation (communities' send_mail) is delivered by the task after the commit."""
    from kring.communities.services_invitations import invitation_create

    community = make_community(name="Zorg thuis")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(community=community, by=community.created_by, email="new@example.org")
    [message] = [m for m in mail.outbox if m.to == ["new@example.org"]]
    assert "Zorg thuis" in message.subject


@pytest.mark.django_db
def test_password_reset_goes_through_the_queue(
    queued, make_user, client, django_capture_on_commit_callbacks
):
    """The password reset e-mail is delivered by the task too."""
    from django.urls import reverse

    user = make_user(email="forgot@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    assert [m.to for m in mail.outbox] == [["forgot@example.org"]]
