"""A thread page costs the same number of queries with 5 replies as with 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.conversations.models import Reply, Thread
from kring.conversations.services.threads import answer_accept, reaction_set


def _thread_with_replies(circle, make_thread, make_reply, total: int) -> Thread:
    """A question with a few replies made through the services (a child, an accepted answer,
    a useful mark, a hidden one), then the rest added in bulk."""
    thread = make_thread(title=f"Question with {total} replies", body="How?", tags=["zorg"])
    first = make_reply(thread)
    make_reply(thread, by=circle.asker, body="Thanks!", parent=first)
    hidden = make_reply(thread, by=circle.guest, body="Off topic")
    Reply.objects.filter(pk=hidden.pk).update(hidden=True)
    answer_accept(thread=thread, reply=first, by=circle.asker)
    reaction_set(thread=thread, reply=first, by=circle.facilitator)
    made = 3
    now = timezone.now()
    authors = [circle.answerer, circle.guest, circle.facilitator, circle.asker]
    Reply.objects.bulk_create(
        Reply(
            thread=thread,
            author=authors[n % len(authors)],
            body=f"Reply number {n} with **Markdown**",
            created_at=now,
        )
        for n in range(total - made)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=total)
    return thread


def _count(client, thread) -> int:
    url = reverse("thread-detail", kwargs={"slug": thread.community.slug, "pk": thread.pk})
    client.get(url)  # warm up: session, language, first-request work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["answerer", "facilitator", "guest"])
def test_thread_page_queries_do_not_grow_with_replies(
    who, circle, make_thread, make_reply, make_client
):
    """5 or 500 replies: the same number of queries, for a member, facilitator and guest."""
    small = _thread_with_replies(circle, make_thread, make_reply, 5)
    large = _thread_with_replies(circle, make_thread, make_reply, 500)
    client = make_client(getattr(circle, who))
    assert Reply.objects.filter(thread=large).count() == 500
    assert _count(client, small) == _count(client, large)


def test_thread_list_queries_do_not_grow_with_threads(circle, make_thread, make_client):
    """A list page of 5 or of 25 threads costs the same number of queries."""
    client = make_client(circle.answerer)
    url = reverse("thread-list", kwargs={"slug": circle.community.slug})
    for n in range(5):
        make_thread(title=f"Early {n}", tags=["zorg", "wijk"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(40):
        make_thread(title=f"Later {n}", tags=["zorg"], by=circle.facilitator)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert len(few) == len(many)
