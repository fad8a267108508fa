"""Moderation pages: who may flag, see the queue, open a post's moderation page and act; what
the author sees; bad and hostile input; queries that do not grow with the queue."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kring.communities.services import ground_rules_set
from kring.conversations.models import (
    Flag,
    FlagStatus,
    ModerationAction,
    ModerationMessage,
    Notification,
    Thread,
)
from kring.conversations.services import moderation as moderation_services

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "outsider", "guest", "member", "author", "facilitator", "admin"]


@pytest.fixture
def scene(circle, make_thread, make_reply, make_admin):
    """A question by the asker (the author) with a reply, a ground rule, and an open flag."""
    rules = ground_rules_set(
        community=circle.community, by=circle.facilitator, rules=["We speak with respect"]
    )
    thread = make_thread(title="Night shifts", body="How do you plan them?")
    reply = make_reply(thread)
    flag = moderation_services.flag_create(by=circle.answerer, thread=thread, reason="Off topic")
    people = {
        "anonymous": None,
        "outsider": circle.outsider,
        "guest": circle.guest,
        "member": circle.answerer,
        "author": circle.asker,
        "facilitator": circle.facilitator,
        "admin": make_admin(full_name="Ada Admin"),
    }
    return {
        "circle": circle,
        "community": circle.community,
        "thread": thread,
        "reply": reply,
        "flag": flag,
        "rule": rules[0],
        "people": people,
    }


def base(scene) -> str:
    return f"/communities/{scene['community'].slug}/"


def plain(markup: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def get(make_client, scene, who, path, **kw):
    return make_client(scene["people"][who]).get(path, **kw)


def post(make_client, scene, who, path, data):
    return make_client(scene["people"][who]).post(path, data)


# Permissions -------------------------------------------------------------------------------

FLAG_PAGE = {
    "anonymous": 302,
    "outsider": 404,
    "guest": 200,
    "member": 200,
    "author": 403,
    "facilitator": 200,
    "admin": 200,
}
QUEUE = {
    "anonymous": 302,
    "outsider": 404,
    "guest": 403,
    "member": 403,
    "author": 403,
    "facilitator": 200,
    "admin": 200,
}
POST_PAGE = {
    "anonymous": 302,
    "outsider": 404,
    "guest": 404,
    "member": 404,
    "author": 200,
    "facilitator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("who", PEOPLE)
def test_flag_page_access(scene, make_client, who):
    """Anyone inside may open the flag form, except the post's author; outsiders get 404."""
    path = f"{base(scene)}conversations/{scene['thread'].pk}/flag/"
    assert get(make_client, scene, who, path).status_code == FLAG_PAGE[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_flag_post_access(scene, make_client, who):
    """Only people allowed to flag create a flag (on the reply here)."""
    reply = scene["reply"]
    path = f"{base(scene)}conversations/{scene['thread'].pk}/flag/?reply={reply.pk}"
    before = Flag.objects.count()
    response = post(make_client, scene, who, path, {"reason": "Not kind", "ground_rule": "other"})
    allowed = who in ("guest", "author", "facilitator", "admin")  # the reply is the member's
    expected = {"anonymous": 302, "outsider": 404, "member": 403}.get(who, 302)
    assert response.status_code == expected
    assert Flag.objects.count() == before + (1 if allowed else 0)


@pytest.mark.parametrize("who", PEOPLE)
def test_queue_access(scene, make_client, who):
    """Only facilitators (and platform admins) see the moderation queue."""
    assert get(make_client, scene, who, f"{base(scene)}moderation/").status_code == QUEUE[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_post_page_access(scene, make_client, who):
    """A post's moderation page is for the facilitators and its author only: 404 for others."""
    path = f"{base(scene)}moderation/{scene['thread'].pk}/"
    assert get(make_client, scene, who, path).status_code == POST_PAGE[who]


ACTIONS = {
    "hide": lambda t: t.hidden,
    "lock": lambda t: t.locked,
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", ["hide", "lock"])
def test_hide_and_lock_access(scene, make_client, who, action):
    """Only facilitators hide and lock; the author gets 403, other members 404."""
    path = f"{base(scene)}moderation/{scene['thread'].pk}/{action}/"
    response = post(make_client, scene, who, path, {"reason": "Against our rules"})
    expected = {"anonymous": 302, "author": 403, "facilitator": 302, "admin": 302}.get(who, 404)
    assert response.status_code == expected
    thread = Thread.objects.get(pk=scene["thread"].pk)
    assert ACTIONS[action](thread) == (who in ("facilitator", "admin"))


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", ["restore", "unlock"])
def test_restore_and_unlock_access(scene, make_client, who, action):
    """Only facilitators restore a hidden post or unlock a thread."""
    thread, facilitator = scene["thread"], scene["circle"].facilitator
    if action == "restore":
        moderation_services.post_hide(by=facilitator, thread=thread, reason="Hidden first")
    else:
        moderation_services.thread_lock(by=facilitator, thread=thread, reason="Locked first")
    path = f"{base(scene)}moderation/{thread.pk}/{action}/"
    response = post(make_client, scene, who, path, {"reason": ""})
    expected = {"anonymous": 302, "author": 403, "facilitator": 302, "admin": 302}.get(who, 404)
    assert response.status_code == expected
    thread.refresh_from_db()
    changed = not (thread.hidden if action == "restore" else thread.locked)
    assert changed == (who in ("facilitator", "admin"))


@pytest.mark.parametrize("who", PEOPLE)
def test_dismiss_access(scene, make_client, who):
    """Only facilitators dismiss a flag; for everyone else the flag does not exist."""
    path = f"{base(scene)}moderation/flags/{scene['flag'].pk}/dismiss/"
    response = post(make_client, scene, who, path, {"reason": "Fine"})
    expected = {"anonymous": 302, "facilitator": 302, "admin": 302}.get(who, 404)
    assert response.status_code == expected
    scene["flag"].refresh_from_db()
    assert (scene["flag"].status == FlagStatus.DISMISSED) == (who in ("facilitator", "admin"))


@pytest.mark.parametrize("who", PEOPLE)
def test_message_access(scene, make_client, who):
    """The private exchange takes messages from the author and facilitators only."""
    path = f"{base(scene)}moderation/{scene['thread'].pk}/message/"
    response = post(make_client, scene, who, path, {"body": "About your post"})
    allowed = who in ("author", "facilitator", "admin")
    expected = 302 if allowed or who == "anonymous" else 404
    assert response.status_code == expected
    assert ModerationMessage.objects.count() == (1 if allowed else 0)


def test_views_refuse_get_for_actions(scene, make_client):
    """Actions change state on POST only."""
    path = f"{base(scene)}moderation/{scene['thread'].pk}/hide/"
    assert get(make_client, scene, "facilitator", path).status_code == 405


def test_guessed_ids_give_404(scene, make_client, make_community):
    """A thread, reply or flag of another community (or none at all) gives 404."""
    other = make_community()
    client = make_client(scene["circle"].facilitator)
    thread = scene["thread"]
    assert client.get(f"{base(scene)}moderation/999999/").status_code == 404
    assert client.get(f"{base(scene)}moderation/{thread.pk}/?reply=999999").status_code == 404
    assert client.post(f"{base(scene)}moderation/flags/999999/dismiss/", {}).status_code == 404
    assert client.get(f"/communities/{other.slug}/moderation/").status_code == 404


# What people see ----------------------------------------------------------------------------


def test_author_sees_action_and_reason(scene, make_client):
    """After a hide, the author finds the action, the rule and the reason on the post's
    moderation page, and a notification pointing there."""
    circle, thread = scene["circle"], scene["thread"]
    client = make_client(circle.facilitator)
    response = client.post(
        f"{base(scene)}moderation/{thread.pk}/hide/",
        {"reason": "Names of clients don't belong here", "ground_rule": str(scene["rule"].pk)},
    )
    assert response.status_code == 302
    page = plain(
        make_client(circle.asker).get(f"{base(scene)}moderation/{thread.pk}/").content.decode()
    )
    assert "Hidden" in page
    assert "Names of clients don't belong here" in page
    assert "Ground rule: We speak with respect" in page
    # The author does not learn who reported the post.
    assert "Off topic" not in page
    assert Notification.objects.filter(recipient=circle.asker, thread=thread).exists()


def test_facilitator_sees_flags_and_exchange(scene, make_client):
    """The facilitator's view of a post lists its flags with reporter and reason, and the
    messages with the author."""
    circle, thread = scene["circle"], scene["thread"]
    moderation_services.moderation_message_send(by=circle.asker, thread=thread, body="I meant well")
    page = plain(
        make_client(circle.facilitator)
        .get(f"{base(scene)}moderation/{thread.pk}/")
        .content.decode()
    )
    assert "Bram Answerer" in page and "Off topic" in page
    assert "I meant well" in page


def test_queue_groups_flags_per_post_with_rule(scene, make_client):
    """The queue shows each flagged post once, with every flag's reporter, reason and rule,
    and the recent log."""
    circle, thread = scene["circle"], scene["thread"]
    moderation_services.flag_create(
        by=circle.guest, thread=thread, reason="Also rude", ground_rule=scene["rule"]
    )
    moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Cooling down")
    response = make_client(circle.facilitator).get(f"{base(scene)}moderation/")
    html = response.content.decode()
    assert html.count('class="card flag-group"') == 1
    text = plain(html)
    assert "2 flags" in text
    assert "Off topic" in text and "Also rude" in text
    assert "Ground rule: We speak with respect" in text
    assert "Cooling down" in text
    assert "Moderation 2" in text  # the tab with the number of open flags


def test_hostile_flag_reason_shows_as_text(scene, make_client):
    """A reason with markup is shown escaped in the queue and on the post page."""
    circle, thread = scene["circle"], scene["thread"]
    moderation_services.flag_create(
        by=circle.guest, thread=thread, reason='<script>alert("x")</script><b>bold</b>'
    )
    for path in (f"{base(scene)}moderation/", f"{base(scene)}moderation/{thread.pk}/"):
        html = make_client(circle.facilitator).get(path).content.decode()
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_flag_form_bad_input_saves_nothing(scene, make_client):
    """An empty, oversized or foreign-rule flag shows the message next to the field and saves
    nothing."""
    circle, thread = scene["circle"], scene["thread"]
    path = f"{base(scene)}conversations/{thread.pk}/flag/"
    client = make_client(circle.guest)
    before = Flag.objects.count()
    cases = [
        ({"reason": "", "ground_rule": "other"}, "Tell the facilitators what is wrong"),
        ({"reason": "x" * 1001, "ground_rule": "other"}, "at most 1000 characters"),
        ({"reason": "Rude", "ground_rule": "999999"}, "Choose one of the ground rules"),
    ]
    for data, message in cases:
        response = client.post(path, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in htmllib.unescape(html)
        assert 'class="errorlist"' in html
    assert Flag.objects.count() == before


def test_second_flag_is_refused_with_a_message(scene, make_client):
    """Flagging the same post twice shows why, and keeps one flag."""
    path = f"{base(scene)}conversations/{scene['thread'].pk}/flag/"
    response = post(make_client, scene, "member", path, {"reason": "Again", "ground_rule": ""})
    assert response.status_code == 200
    assert "already flagged" in response.content.decode()
    assert Flag.objects.count() == 1


def test_hide_without_reason_shows_error_and_saves_nothing(scene, make_client):
    """Hiding without a reason re-renders the post page with the message next to the field."""
    thread = scene["thread"]
    response = post(
        make_client, scene, "facilitator", f"{base(scene)}moderation/{thread.pk}/hide/", {}
    )
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    thread.refresh_from_db()
    assert not thread.hidden
    assert not ModerationAction.objects.exists()


def test_message_bad_input(scene, make_client):
    """An empty or oversized message is refused with a message; nothing is saved."""
    path = f"{base(scene)}moderation/{scene['thread'].pk}/message/"
    for body in ("", "x" * 5001):
        response = post(make_client, scene, "author", path, {"body": body})
        assert response.status_code == 200
        assert 'class="errorlist"' in response.content.decode()
    assert not ModerationMessage.objects.exists()


def test_lock_is_for_threads_not_replies(scene, make_client):
    """A lock addressed to a reply is refused."""
    thread, reply = scene["thread"], scene["reply"]
    path = f"{base(scene)}moderation/{thread.pk}/lock/?reply={reply.pk}"
    assert post(make_client, scene, "facilitator", path, {"reason": "x"}).status_code == 403
    thread.refresh_from_db()
    assert not thread.locked


def test_queue_queries_do_not_grow(scene, make_client, make_thread, make_member):
    """The queue runs the same number of queries for 2 or 20 flagged posts."""
    circle = scene["circle"]
    client = make_client(circle.facilitator)

    def grow(n, offset):
        for i in range(n):
            person = make_member(circle.community, full_name=f"Reporter {offset + i}").user
            thread = make_thread(title=f"Topic {offset + i}")
            moderation_services.flag_create(by=person, thread=thread, reason=f"Reason {offset + i}")
            moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Calm")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{base(scene)}moderation/").status_code == 200
        return len(ctx)

    grow(2, 0)
    small = count()
    grow(18, 2)
    assert count() == small


def test_thread_page_tools(scene, make_client):
    """The thread page offers 'Flag' to others than the author, and hide and lock to the
    facilitators only."""
    thread = scene["thread"]
    path = thread.get_absolute_url()
    flag_url = f"{base(scene)}conversations/{thread.pk}/flag/"
    moderate_url = f"{base(scene)}moderation/{thread.pk}/"
    member = get(make_client, scene, "member", path).content.decode()
    assert f'href="{flag_url}"' in member and moderate_url not in member
    author = get(make_client, scene, "author", path).content.decode()
    assert f'href="{flag_url}"' not in author
    facilitator = get(make_client, scene, "facilitator", path).content.decode()
    assert f"{moderate_url}#hide" in facilitator and f"{moderate_url}#lock" in facilitator
