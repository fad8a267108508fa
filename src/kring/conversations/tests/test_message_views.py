"""Direct message pages: who may open or write in a conversation, blocking, the rate limit, and
what the send form does with bad and hostile input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.conversations import selectors
from kring.conversations.models import Block, Message, Notification, NotificationKind
from kring.conversations.services import direct_messages as message_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(circle):
    """A conversation between the asker and the answerer with one unread message for the asker."""
    message = message_services.message_send(
        sender=circle.answerer, recipient=circle.asker, body="Zullen we eens bellen?"
    )
    return message.conversation


def test_pages_need_login(client, circle, talk):
    """Anonymous visitors are sent to the login page from every message page."""
    urls = [
        reverse("conversation-list"),
        reverse("conversation-start", kwargs={"user_pk": circle.answerer.pk}),
        reverse("conversation-detail", kwargs={"pk": talk.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for name in ("person-block", "person-unblock"):
        response = client.post(reverse(name, kwargs={"user_pk": circle.answerer.pk}))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Message.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "guest", "facilitator", "admin"])
def test_conversation_is_private_to_the_two(make_client, make_admin, circle, talk, who):
    """Nobody but the two people opens a conversation or writes in it: not another member,
    not the facilitator, not a platform admin (all get 404, nothing saved)."""
    viewer = make_admin() if who == "admin" else getattr(circle, who)
    client = make_client(viewer)
    url = reverse("conversation-detail", kwargs={"pk": talk.pk})
    response = client.get(url)
    assert response.status_code == 404
    assert b"bellen" not in response.content
    assert client.post(url, {"body": "Ik lees mee"}).status_code == 404
    assert Message.objects.count() == 1


def test_participant_reads_and_marks_read(make_client, circle, talk):
    """The recipient sees the message and opening the conversation marks it and its
    notification read."""
    assert Notification.objects.filter(recipient=circle.asker, read_at__isnull=True).count() == 1
    response = make_client(circle.asker).get(reverse("conversation-detail", kwargs={"pk": talk.pk}))
    assert response.status_code == 200
    assert "Zullen we eens bellen?" in response.content.decode()
    assert not Message.objects.filter(recipient=circle.asker, read_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=circle.asker, read_at__isnull=True).exists()


def test_sender_opening_keeps_recipients_unread(make_client, circle, talk):
    """The sender looking at the conversation does not mark the other's message read."""
    make_client(circle.answerer).get(reverse("conversation-detail", kwargs={"pk": talk.pk}))
    assert Message.objects.filter(recipient=circle.asker, read_at__isnull=True).count() == 1


def test_reply_in_conversation(make_client, circle, talk):
    """Posting in the conversation sends to the other person and comes back to the page."""
    client = make_client(circle.asker)
    url = reverse("conversation-detail", kwargs={"pk": talk.pk})
    response = client.post(url, {"body": "Graag, morgen om tien?"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#latest"
    message = Message.objects.latest("id")
    assert (message.sender, message.recipient) == (circle.asker, circle.answerer)
    assert message.body == "Graag, morgen om tien?"


def test_start_form_and_send(make_client, circle):
    """A member opens a compose form to another member; sending creates the conversation."""
    client = make_client(circle.asker)
    url = reverse("conversation-start", kwargs={"user_pk": circle.guest.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert circle.guest.full_name in response.content.decode()
    response = client.post(url, {"body": "Welkom in de community!"})
    message = Message.objects.get()
    assert response["Location"] == f"{message.conversation.get_absolute_url()}#latest"
    assert message.recipient == circle.guest
    assert Notification.objects.filter(
        recipient=circle.guest, kind=NotificationKind.MESSAGE
    ).exists()


def test_start_goes_to_existing_conversation(make_client, circle, talk):
    """Starting a conversation with someone you already talk to opens that conversation."""
    response = make_client(circle.asker).get(
        reverse("conversation-start", kwargs={"user_pk": circle.answerer.pk})
    )
    assert response.status_code == 302
    assert response["Location"] == talk.get_absolute_url()


@pytest.mark.parametrize("case", ["outsider", "yourself", "unknown", "inactive"])
def test_start_404_for_people_you_cannot_message(make_client, circle, case):
    """No compose form (and nothing sent) for someone outside your communities, yourself, a
    made-up id or a deactivated person."""
    sender = circle.outsider if case == "outsider" else circle.asker
    target = {
        "outsider": circle.asker,
        "yourself": circle.asker,
        "unknown": None,
        "inactive": circle.answerer,
    }[case]
    if case == "inactive":
        circle.answerer.is_active = False
        circle.answerer.save(update_fields=["is_active"])
    pk = target.pk if target is not None else 999999
    client = make_client(sender)
    url = reverse("conversation-start", kwargs={"user_pk": pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hallo"}).status_code == 404
    assert not Message.objects.exists()


@pytest.mark.parametrize("direction", ["blocked_by_recipient", "blocked_by_sender"])
def test_block_stops_messages_both_ways(make_client, circle, talk, direction):
    """After a block (either way) the compose form is 404 and sending in the existing
    conversation is refused with 403; nothing is saved."""
    if direction == "blocked_by_recipient":
        message_services.block_create(blocker=circle.answerer, blocked=circle.asker)
    else:
        message_services.block_create(blocker=circle.asker, blocked=circle.answerer)
    client = make_client(circle.asker)
    start = reverse("conversation-start", kwargs={"user_pk": circle.answerer.pk})
    assert client.get(start).status_code == 404
    assert client.post(start, {"body": "Toch even"}).status_code == 404
    detail = reverse("conversation-detail", kwargs={"pk": talk.pk})
    page = client.get(detail)
    assert page.status_code == 200
    assert 'name="body"' not in page.content.decode()
    response = client.post(detail, {"body": "Toch even"})
    assert response.status_code == 403
    assert "You can&#x27;t send messages to this person." in response.content.decode()
    assert Message.objects.count() == 1


def test_rate_limit_message_next_to_field(make_client, circle, settings):
    """Over the hourly limit, the message is refused with the reason next to the field and the
    text kept in the form."""
    settings.KRING_DM_PER_HOUR = 2
    for n in range(2):
        message_services.message_send(
            sender=circle.asker, recipient=circle.answerer, body=f"Bericht {n}"
        )
    conversation = Message.objects.first().conversation
    client = make_client(circle.asker)
    response = client.post(
        reverse("conversation-detail", kwargs={"pk": conversation.pk}),
        {"body": "Nog eentje, echt waar"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have sent many messages in the last hour" in html
    assert 'id="id_body_error"' in html
    assert "Nog eentje, echt waar</textarea>" in html
    assert Message.objects.count() == 2


def test_hostile_message_shows_as_text(make_client, circle):
    """A message with HTML shows as text, with its line breaks kept."""
    body = '<script>alert("x")</script>\n<img src=x onerror=alert(1)>'
    message = message_services.message_send(
        sender=circle.answerer, recipient=circle.asker, body=body
    )
    client = make_client(circle.asker)
    html = client.get(message.conversation.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;img src=x" in html
    inbox = client.get(reverse("conversation-list")).content.decode()
    assert "<script>alert" not in inbox
    assert "&lt;script&gt;" in inbox


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("x" * 5001, "Keep the message to 5000 characters."),
        ("   ", "Write a message first."),
    ],
)
def test_bad_message_refused(make_client, circle, body, error):
    """An oversized or empty message is refused with a clear message; nothing is saved."""
    client = make_client(circle.asker)
    response = client.post(
        reverse("conversation-start", kwargs={"user_pk": circle.answerer.pk}), {"body": body}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_block_and_unblock(make_client, circle):
    """Blocking from a profile stores the block and says what it means; unblocking removes it;
    a GET does nothing."""
    client = make_client(circle.asker)
    block = reverse("person-block", kwargs={"user_pk": circle.answerer.pk})
    assert client.get(block).status_code == 405
    assert not Block.objects.exists()
    response = client.post(block, follow=True)
    assert Block.objects.filter(blocker=circle.asker, blocked=circle.answerer).exists()
    html = response.content.decode()
    assert "They won&#x27;t be told; neither of you can message the other" in html
    assert "Unblock" in html
    assert "Send a message" not in html
    client.post(reverse("person-unblock", kwargs={"user_pk": circle.answerer.pk}))
    assert not Block.objects.exists()


@pytest.mark.parametrize("case", ["outsider", "yourself", "unknown"])
def test_block_404_for_people_you_cannot_see(make_client, circle, case):
    """You can block only people you share a community with, and not yourself."""
    pk = {"outsider": circle.outsider.pk, "yourself": circle.asker.pk, "unknown": 999999}[case]
    client = make_client(circle.asker)
    assert client.post(reverse("person-block", kwargs={"user_pk": pk})).status_code == 404
    assert client.post(reverse("person-unblock", kwargs={"user_pk": pk})).status_code == 404
    assert not Block.objects.exists()


def test_profile_offers_message_button(make_client, circle):
    """A profile shows "Send a message" (to the compose form) to people who may message; not on
    your own profile, not once blocked by the other."""
    client = make_client(circle.asker)
    start = reverse("conversation-start", kwargs={"user_pk": circle.answerer.pk})
    html = client.get(reverse("person-detail", kwargs={"pk": circle.answerer.pk})).content.decode()
    assert f'href="{start}"' in html
    assert "Block Bram" in html
    own = client.get(reverse("person-detail", kwargs={"pk": circle.asker.pk})).content.decode()
    assert "Send a message" not in own
    assert "Block" not in own
    message_services.block_create(blocker=circle.answerer, blocked=circle.asker)
    html = client.get(reverse("person-detail", kwargs={"pk": circle.answerer.pk})).content.decode()
    assert "Send a message" not in html


def test_inbox_lists_own_conversations_with_unread(make_client, circle, talk):
    """The inbox shows your conversations with the other person and the unread count, and not
    other people's conversations; the header says how many messages are unread."""
    message_services.message_send(sender=circle.guest, recipient=circle.facilitator, body="Geheim")
    response = make_client(circle.asker).get(reverse("conversation-list"))
    html = response.content.decode()
    assert circle.answerer.full_name in html
    assert talk.get_absolute_url() in html
    assert '1<span class="visually-hidden"> unread message</span>' in html
    assert "Messages, 1 unread" in html
    assert "Geheim" not in html
    assert circle.guest.full_name not in html


def test_inbox_empty(make_client, circle):
    """Someone without conversations is told how to start one."""
    response = make_client(circle.asker).get(reverse("conversation-list"))
    assert "No messages yet" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_inbox_and_conversation_queries_do_not_grow(make_client, make_member, circle):
    """The inbox and a conversation page run the same number of queries with 2 or 12
    conversations and messages."""
    client = make_client(circle.asker)

    def grow(n):
        for _ in range(n):
            other = make_member(circle.community).user
            message_services.message_send(sender=other, recipient=circle.asker, body="Hoi")
            message_services.message_send(
                sender=circle.answerer, recipient=circle.asker, body="Nog iets"
            )

    grow(2)
    detail = selectors.conversation_between(circle.asker, circle.answerer).get_absolute_url()
    small = (_queries(client, reverse("conversation-list")), _queries(client, detail))
    grow(10)
    large = (_queries(client, reverse("conversation-list")), _queries(client, detail))
    assert small == large
