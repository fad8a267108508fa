"""post_abilities (worked out once per thread for the thread page) says what can_edit_post,
can_react and can_flag say, post by post, for everyone and every state."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from kring.conversations import permissions
from kring.conversations.models import Reply, Thread


@pytest.mark.parametrize(
    ("locked", "hidden"), list(itertools.product([False, True], [False, True])), ids=str
)
def test_post_abilities_match_the_single_checks(circle, make_thread, make_reply, locked, hidden):
    thread = make_thread(title="Rules")
    make_reply(thread, by=circle.answerer, body="Mine")
    hidden_reply = make_reply(thread, by=circle.guest, body="Hidden")
    Reply.objects.filter(pk=hidden_reply.pk).update(hidden=True)
    Thread.objects.filter(pk=thread.pk).update(locked=locked, hidden=hidden)
    thread = Thread.objects.select_related("community").get(pk=thread.pk)
    posts = [thread, *Reply.objects.filter(thread=thread)]
    for post in posts[1:]:
        post.thread = thread
    people = [
        circle.facilitator,
        circle.asker,
        circle.answerer,
        circle.guest,
        circle.outsider,
        AnonymousUser(),
    ]
    for person in people:
        abilities = permissions.post_abilities(person, thread)
        for post in posts:
            got = abilities(post)
            assert got.edit == permissions.can_edit_post(person, post), (person, post)
            assert got.react == permissions.can_react(person, post), (person, post)
            assert got.flag == permissions.can_flag(person, post), (person, post)
