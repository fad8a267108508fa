"""The header's unread counts: one written-out query that must count exactly what the
ORM definitions (notifications_unread_count, messages_unread_count) count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.conversations import selectors
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import moderation as moderation_services


def _both_ways(user) -> tuple[tuple[int, int], tuple[int, int]]:
    orm = (
        selectors.notifications_unread_count(user=user),
        selectors.messages_unread_count(user=user),
    )
    return selectors.unread_counts(user=user), orm


@pytest.fixture
def busy_circle(circle, make_thread, make_reply, make_member):
    """Notifications about a visible thread, a hidden one, with no thread (a message), some
    read; unread and read messages; a platform admin, mentioned in both threads."""
    admin = make_member(
        circle.community, full_name="Ada Admin", language="en", is_superuser=True
    ).user
    mention = (
        f"@[Bram Answerer](/people/{circle.answerer.pk}/) "
        f"@[Fenna Facilitator](/people/{circle.facilitator.pk}/) "
        f"@[Ada Admin](/people/{admin.pk}/)"
    )
    shown = make_thread(kind="discussion", title="Shown", body=f"{mention} kijk")
    hidden = make_thread(kind="discussion", title="Hidden", body=f"{mention} kijk ook")
    make_reply(hidden, by=circle.answerer, body="Ik reageer")
    moderation_services.post_hide(by=circle.facilitator, thread=hidden, reason="Slander")
    make_reply(shown, by=circle.facilitator, body="Dank")
    for sender in (circle.asker, circle.facilitator, circle.guest):
        message_services.message_send(sender=sender, recipient=circle.answerer, body="Hoi")
    message_services.message_send(sender=circle.answerer, recipient=circle.asker, body="Hoi")
    message_services.message_send(sender=circle.asker, recipient=admin, body="Vraagje")
    first = selectors.notifications_for(user=circle.answerer).last()
    first.read_at = first.created_at
    first.save(update_fields=["read_at"])
    return circle, admin


def test_unread_counts_equal_the_orm_definitions_for_everyone(busy_circle):
    circle, admin = busy_circle
    people = [circle.asker, circle.answerer, circle.facilitator, circle.guest, circle.outsider]
    answers = {p.full_name: _both_ways(p) for p in [*people, admin]}
    for name, (written_out, orm) in answers.items():
        assert written_out == orm, name
    # The cases the query must tell apart are really there.
    # Bram: the shown thread's mention and two of three messages' notifications (one read),
    # not the hidden thread's mention; three unread messages.
    assert answers["Bram Answerer"][0] == (3, 3)
    # The facilitator still counts the hidden thread's mention, and so does a platform admin.
    assert answers["Fenna Facilitator"][0] == (2, 0)
    # A platform admin still counts the hidden thread's mention; Bram does not.
    assert answers["Ada Admin"][0] == (3, 1)


def test_unread_counts_leave_out_a_hidden_threads_notifications_but_not_for_its_author(
    circle, make_thread, make_reply
):
    mention = f"@[Bram Answerer](/people/{circle.answerer.pk}/)"
    thread = make_thread(kind="discussion", body=f"{mention} kijk")
    make_reply(thread, by=circle.answerer, body="Goed punt")
    assert selectors.unread_counts(user=circle.answerer) == (1, 0)
    assert selectors.unread_counts(user=circle.asker)[0] == 1  # the reply
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    assert selectors.unread_counts(user=circle.answerer)[0] == 0
    # The author keeps the reply's notification and gets the moderation news.
    assert selectors.unread_counts(user=circle.asker)[0] == 2
    assert _both_ways(circle.asker)[0] == _both_ways(circle.asker)[1]


def test_the_header_reads_both_counts_in_one_query(circle, make_client):
    message_services.message_send(sender=circle.asker, recipient=circle.answerer, body="Hoi")
    client = make_client(circle.answerer)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("my-data"))
    counting = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counting) == 1
    assert page.context["unread_messages"] == 1
    assert page.context["unread_notifications"] == 1
