"""A long thread opens on its latest replies; the earlier ones sit behind one link, and a
link to any reply still lands on it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.conversations.models import Reply, Thread
from kring.conversations.services.threads import answer_accept
from kring.conversations.views.threads import REPLIES_COLLAPSE_OVER, REPLIES_SHOWN


@pytest.fixture
def long_thread(circle, make_thread):
    """A question with 35 top-level replies, oldest first, the second with a child."""
    thread = make_thread(title="A long conversation", body="What works?")
    now = timezone.now()
    replies = Reply.objects.bulk_create(
        Reply(
            thread=thread,
            author=circle.answerer,
            body=f"Reply number {n}",
            created_at=now + timezone.timedelta(seconds=n),
        )
        for n in range(35)
    )
    child = Reply.objects.create(
        thread=thread, author=circle.asker, body="A child of reply 1", parent=replies[1]
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=36)
    thread.refresh_from_db()
    return thread, replies, child


def _page(client, thread, query: str = "") -> str:
    url = reverse("thread-detail", kwargs={"slug": thread.community.slug, "pk": thread.pk})
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def _shown(page: str) -> list[str]:
    return re.findall(r"Reply number (\d+)", page)


def test_a_long_thread_shows_the_latest_replies_and_a_link_to_the_earlier(
    long_thread, circle, make_client
):
    thread, replies, child = long_thread
    page = _page(make_client(circle.answerer), thread)
    assert REPLIES_COLLAPSE_OVER < 35
    assert _shown(page) == [str(n) for n in range(35 - REPLIES_SHOWN, 35)]
    assert "A child of reply 1" not in page
    # 15 top-level replies and the child are folded away; the link opens all, at the first.
    assert "Show 16 earlier replies" in page
    assert f'href="?replies=all#reply-{replies[0].pk}"' in page
    assert page.index("Show 16 earlier replies") < page.index("Reply number 15")
    # The heading still counts every reply.
    assert "36 answers and replies" in page


def test_all_replies_on_request(long_thread, circle, make_client):
    thread, _replies, _child = long_thread
    page = _page(make_client(circle.answerer), thread, "?replies=all")
    assert _shown(page) == [str(n) for n in range(35)]
    assert "A child of reply 1" in page
    assert "earlier replies" not in page


@pytest.mark.parametrize("param", ["show", "reply_to"])
def test_a_link_to_an_earlier_reply_renders_it_and_what_follows(
    param, long_thread, circle, make_client
):
    """A notification's link (``show``) or "Reply to" on an earlier reply (``reply_to``)
    renders from that reply on; a child's id renders its parent."""
    thread, replies, child = long_thread
    client = make_client(circle.answerer)
    page = _page(client, thread, f"?{param}={replies[4].pk}")
    assert _shown(page) == [str(n) for n in range(4, 35)]
    assert "Show 5 earlier replies" in page  # four, and the child of reply 1
    page = _page(client, thread, f"?show={child.pk}")
    assert _shown(page)[0] == "1"
    assert "A child of reply 1" in page
    assert "Show 1 earlier reply" in page


def test_the_accepted_answer_stays_first_even_when_it_is_early(long_thread, circle, make_client):
    thread, replies, _child = long_thread
    answer_accept(thread=thread, reply=replies[2], by=circle.asker)
    page = _page(make_client(circle.answerer), thread)
    assert _shown(page) == ["2", *[str(n) for n in range(35 - REPLIES_SHOWN, 35)]]
    assert page.index("Reply number 2") < page.index("Show 15 earlier replies")
    assert page.index("Show 15 earlier replies") < page.index("Reply number 15")


def test_a_short_thread_shows_everything(circle, make_thread, make_reply, make_client):
    thread = make_thread(title="Short", body="?")
    for n in range(REPLIES_COLLAPSE_OVER):
        make_reply(thread, body=f"Reply number {n}")
    page = _page(make_client(circle.answerer), thread)
    assert len(_shown(page)) == REPLIES_COLLAPSE_OVER
    assert "earlier repl" not in page


def test_links_to_a_reply_name_it_for_the_page(long_thread, circle, make_client):
    """The reply's own URL, and the redirect after posting, carry ``show``."""
    thread, replies, _child = long_thread
    assert replies[0].get_absolute_url().endswith(f"?show={replies[0].pk}#reply-{replies[0].pk}")
    client = make_client(circle.answerer)
    url = reverse("reply-create", kwargs={"slug": thread.community.slug, "pk": thread.pk})
    response = client.post(url, {"body": "One more", "parent": replies[0].pk})
    made = Reply.objects.get(body="One more")
    assert response.status_code == 302
    assert response["Location"].endswith(f"?show={made.pk}#reply-{made.pk}")
    page = _page(client, thread, f"?show={made.pk}")
    assert "One more" in page
    # A reply's own time links to it the same way, so a copied link still lands on it.
    last = replies[-1].pk
    assert f'href="?show={last}#reply-{last}"' in page
