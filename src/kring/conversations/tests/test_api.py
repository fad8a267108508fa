"""Conversations over HTTP: threads, replies, accepting answers, useful marks and
notifications, with the same rules as the web pages."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kring.communities.models import Visibility
from kring.conversations.models import (
    Notification,
    NotificationKind,
    PostRevision,
    Reaction,
    Reply,
    Thread,
)
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import threads as thread_services
from kring.core.testing import assert_error

pytestmark = pytest.mark.django_db


def url(circle, rest: str = "") -> str:
    return f"/api/v1/communities/{circle.community.slug}/threads{rest}"


def send(client, method, path, data=None, headers=None):
    if method == "get":
        return client.get(path, data or {}, **(headers or {}))
    return getattr(client, method)(
        path, json.dumps(data or {}), content_type="application/json", **(headers or {})
    )


@pytest.fixture
def talk(circle, make_thread, make_reply):
    """A question by the asker with an answer and a nested reply; a discussion by the
    facilitator."""
    question = make_thread(title="Hoe betrekken we huurders?", body="Wie heeft *ervaring*?")
    answer = make_reply(question, body="Begin met een **keukentafelgesprek**.")
    nested = make_reply(question, by=circle.asker, body="Dank!", parent=answer)
    discussion = make_thread(
        by=circle.facilitator, kind="discussion", title="Agenda", body="Wat zetten we erop?"
    )
    return {"question": question, "answer": answer, "nested": nested, "discussion": discussion}


def endpoints(talk) -> list[tuple[str, str, dict | None]]:
    q, a = talk["question"].pk, talk["answer"].pk
    return [
        ("get", "", None),
        ("post", "", {"kind": "question", "title": "Nieuw?", "body": ""}),
        ("get", f"/{q}", None),
        ("patch", f"/{q}", {"title": "Anders"}),
        ("post", f"/{q}/replies", {"body": "Ja"}),
        ("patch", f"/{q}/replies/{a}", {"body": "Anders"}),
        ("post", f"/{q}/accept", {"reply_id": a}),
        ("delete", f"/{q}/accept", None),
        ("post", f"/{q}/useful", None),
        ("delete", f"/{q}/useful", None),
        ("post", f"/{q}/replies/{a}/useful", None),
        ("delete", f"/{q}/replies/{a}/useful", None),
    ]


# --- Who may call what ----------------------------------------------------------------------


def test_every_thread_endpoint_needs_authentication(client, circle, talk):
    """Without a token or session every endpoint answers 401 and nothing changes."""
    threads, replies = Thread.objects.count(), Reply.objects.count()
    for method, rest, data in endpoints(talk):
        assert_error(send(client, method, url(circle, rest), data), 401, "unauthenticated")
    for path in ("/api/v1/notifications", "/api/v1/notifications/unread-count"):
        assert_error(client.get(path), 401, "unauthenticated")
    assert_error(send(client, "post", "/api/v1/notifications/read-all"), 401, "unauthenticated")
    assert (Thread.objects.count(), Reply.objects.count()) == (threads, replies)


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.PUBLIC])
def test_outsider_gets_404_everywhere(client, circle, talk, bearer, visibility):
    """Someone outside the community gets 404 from every endpoint, even for a public
    community, and nothing changes."""
    circle.community.visibility = visibility
    circle.community.save()
    headers = bearer(circle.outsider)
    for method, rest, data in endpoints(talk):
        response = send(client, method, url(circle, rest), data, headers)
        assert_error(response, 404, "not_found")
    assert Thread.objects.count() == 2
    assert Reaction.objects.count() == 0
    assert Thread.objects.get(pk=talk["question"].pk).accepted_reply_id is None


def test_guessed_thread_and_reply_ids_give_404(client, circle, talk, bearer, make_community):
    """A thread of another community, or a reply of another thread, is not found."""
    other = make_community(by=circle.facilitator, name="Elders")
    elsewhere = thread_services.thread_create(
        community=other, by=circle.facilitator, kind="question", title="Elders?"
    )
    headers = bearer(circle.asker)
    assert_error(client.get(url(circle, f"/{elsewhere.pk}"), **headers), 404, "not_found")
    q, d = talk["question"].pk, talk["discussion"].pk
    wrong_reply = f"/{d}/replies/{talk['answer'].pk}"
    response = send(
        client, "patch", url(circle, wrong_reply), {"body": "x"}, bearer(circle.answerer)
    )
    assert_error(response, 404, "not_found")
    assert_error(client.get(url(circle, "/999999"), **headers), 404, "not_found")
    assert client.get(url(circle, f"/{q}"), **headers).status_code == 200


def test_guest_reads_and_replies_but_cannot_start_a_thread(client, circle, talk, bearer):
    """A guest reads threads and replies, but starting one answers 403 and saves nothing."""
    headers = bearer(circle.guest)
    assert client.get(url(circle), **headers).json()["count"] == 2
    response = send(client, "post", url(circle), {"kind": "question", "title": "Mag ik?"}, headers)
    assert_error(response, 403, "forbidden")
    assert not Thread.objects.filter(title="Mag ik?").exists()
    q = talk["question"].pk
    response = send(client, "post", url(circle, f"/{q}/replies"), {"body": "Goed idee"}, headers)
    assert response.status_code == 201, response.content


def test_read_token_cannot_write(client, circle, talk, bearer):
    """A read-scope token reads, but every write answers 403 and changes nothing."""
    headers = bearer(circle.asker, "read")
    assert client.get(url(circle), **headers).status_code == 200
    for method, rest, data in endpoints(talk):
        if method == "get":
            continue
        response = send(client, method, url(circle, rest), data, headers)
        assert_error(response, 403, "read_only_token")
    assert_error(
        send(client, "post", "/api/v1/notifications/read-all", None, headers),
        403,
        "read_only_token",
    )
    assert Thread.objects.count() == 2 and Reply.objects.count() == 2
    assert Thread.objects.get(pk=talk["question"].pk).title == "Hoe betrekken we huurders?"


def test_session_write_needs_csrf(circle):
    """A browser session may read, but a POST without the CSRF token is refused."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(circle.asker)
    assert browser.get(url(circle)).status_code == 200
    response = send(browser, "post", url(circle), {"kind": "question", "title": "Vervalst"})
    assert_error(response, 403, "error")
    assert not Thread.objects.filter(title="Vervalst").exists()


# --- Threads --------------------------------------------------------------------------------


def test_list_threads_with_filters_and_paging(client, circle, talk, bearer, make_thread):
    """The list pages with limit/offset as {items, count}; filters narrow it down."""
    waiting = make_thread(by=circle.answerer, title="Nog niemand?")
    thread_services.answer_accept(thread=talk["question"], reply=talk["answer"], by=circle.asker)
    headers = bearer(circle.asker)

    body = client.get(url(circle), {"limit": 2}, **headers).json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 3 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["author"] == {"id": circle.answerer.pk, "name": "Bram Answerer"}
    assert client.get(url(circle), {"offset": 2}, **headers).json()["items"][0]["id"] == (
        talk["question"].pk
    )

    def ids(**params):
        return [t["id"] for t in client.get(url(circle), params, **headers).json()["items"]]

    assert ids(filter="questions") == [waiting.pk, talk["question"].pk]
    assert ids(filter="discussions") == [talk["discussion"].pk]
    assert ids(filter="waiting") == [waiting.pk]
    assert ids(filter="answered") == [talk["question"].pk]
    assert set(ids(filter="mine")) == {talk["question"].pk}
    answered = client.get(url(circle), {"filter": "answered"}, **headers).json()["items"][0]
    assert answered["answered"] is True and answered["accepted_reply_id"] == talk["answer"].pk


def test_list_threads_by_tag(client, circle, bearer, make_thread):
    """`tag` lists only the threads with that theme."""
    tagged = make_thread(title="Subsidie?", tags=["Subsidies"])
    make_thread(title="Iets anders")
    body = client.get(url(circle), {"tag": "subsidies"}, **bearer(circle.asker)).json()
    assert [t["id"] for t in body["items"]] == [tagged.pk]
    assert body["items"][0]["tags"] == ["Subsidies"]


@pytest.mark.parametrize(
    "params, field",
    [({"filter": "everything"}, "filter"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset")],
)
def test_list_bad_parameters_give_422(client, circle, bearer, params, field):
    """An unknown filter or an impossible page answers 422 naming the parameter."""
    body = assert_error(client.get(url(circle), params, **bearer(circle.asker)), 422, "invalid")
    assert field in body["errors"]


def test_member_asks_a_question(client, circle, bearer):
    """A member creates a question: 201 with the thread, its rendered text and its themes."""
    data = {
        "kind": "question",
        "title": "Wie kent een goede tolk?",
        "body": "Graag *snel*.",
        "tags": ["Taal"],
    }
    response = send(client, "post", url(circle), data, bearer(circle.asker))
    assert response.status_code == 201, response.content
    body = response.json()
    thread = Thread.objects.get(pk=body["id"])
    assert thread.author == circle.asker and thread.kind == "question"
    assert body["body_html"] == "<p>Graag <em>snel</em>.</p>\n"
    assert body["tags"] == ["Taal"]
    assert body["replies"] == [] and body["answered"] is False
    assert body["first_response_at"] is None and body["time_to_first_response_seconds"] is None
    assert body["can_accept"] is True and body["can_edit"] is True
    assert body["url"] == settings.SITE_URL + thread.get_absolute_url()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "question", "title": "   "}, "title"),
        ({"kind": "question", "title": "x" * 201}, "title"),
        ({"kind": "poll", "title": "Wat?"}, "kind"),
        ({"kind": "discussion", "title": "Zonder tekst", "body": ""}, "body"),
        ({"kind": "question", "title": "Te veel", "tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"kind": "question", "title": "Te lang", "body": "x" * 20001}, "body"),
        ({"kind": "question", "title": "Veel te lang", "body": "x" * 100_001}, "body"),
        ({"title": "Geen soort"}, "kind"),
    ],
)
def test_bad_thread_input_gives_422_and_saves_nothing(client, circle, bearer, data, field):
    """Missing, oversized or unknown values answer 422 naming the field; nothing is saved."""
    response = send(client, "post", url(circle), data, bearer(circle.asker))
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"], body
    assert not Thread.objects.exists()


def test_malformed_json_gives_400_or_422(client, circle, bearer):
    """A body that is not JSON is refused with the error format and nothing is saved."""
    response = client.post(
        url(circle), "{not json", content_type="application/json", **bearer(circle.asker)
    )
    assert response.status_code in (400, 422)
    assert {"detail", "code"} <= set(response.json())
    assert not Thread.objects.exists()


def test_hostile_input_is_returned_as_data_but_rendered_safely(client, circle, bearer):
    """Script in a title or body comes back as the text that was sent; body_html has no
    script, event handler or javascript: link."""
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    data = {"kind": "discussion", "title": "<script>alert('t')</script>", "body": hostile}
    response = send(client, "post", url(circle), data, bearer(circle.asker))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "<script>alert('t')</script>"
    assert body["body"] == hostile
    html = body["body_html"].lower()
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html

    reply = send(
        client,
        "post",
        url(circle, f"/{body['id']}/replies"),
        {"body": hostile},
        bearer(circle.answerer),
    ).json()
    assert reply["body"] == hostile
    assert "<script" not in reply["body_html"].lower()
    assert "<img" not in reply["body_html"].lower()


def test_thread_detail_has_replies_children_and_response_time(client, circle, talk, bearer):
    """The detail shows the rendered text, replies with their children, the accepted answer
    first, and the time to first response in seconds."""
    question = talk["question"]
    thread_services.answer_accept(thread=question, reply=talk["answer"], by=circle.asker)
    body = client.get(url(circle, f"/{question.pk}"), **bearer(circle.guest)).json()
    assert body["body_html"] == "<p>Wie heeft <em>ervaring</em>?</p>\n"
    assert body["answered"] is True and body["accepted_reply_id"] == talk["answer"].pk
    assert body["accepted_at"] is not None
    question.refresh_from_db()
    expected = int((question.first_response_at - question.created_at).total_seconds())
    assert body["time_to_first_response_seconds"] == expected
    assert body["locked"] is False
    assert [r["id"] for r in body["replies"]] == [talk["answer"].pk]
    top = body["replies"][0]
    assert top["accepted"] is True
    assert "<strong>keukentafelgesprek</strong>" in top["body_html"]
    assert [c["id"] for c in top["children"]] == [talk["nested"].pk]
    assert top["children"][0]["parent_id"] == talk["answer"].pk
    assert body["can_accept"] is False and body["can_edit"] is False


def test_response_time_reflects_a_backdated_answer(client, circle, bearer, make_thread, make_reply):
    """A question answered two hours after it was asked reports 7200 seconds."""
    from datetime import timedelta

    from django.utils import timezone

    asked = timezone.now() - timedelta(days=3)
    thread = make_thread(at=asked)
    make_reply(thread, at=asked + timedelta(hours=2))
    body = client.get(url(circle, f"/{thread.pk}"), **bearer(circle.asker)).json()
    assert body["time_to_first_response_seconds"] == 7200


def test_hidden_thread_is_404_for_members_but_seen_by_its_author(client, circle, talk, bearer):
    """A thread hidden by a facilitator is not found by other members; the author and the
    facilitators still see it."""
    Thread.objects.filter(pk=talk["question"].pk).update(hidden=True)
    path = url(circle, f"/{talk['question'].pk}")
    assert_error(client.get(path, **bearer(circle.answerer)), 404, "not_found")
    assert client.get(path, **bearer(circle.asker)).json()["hidden"] is True
    assert client.get(path, **bearer(circle.facilitator)).status_code == 200
    ids = [t["id"] for t in client.get(url(circle), **bearer(circle.answerer)).json()["items"]]
    assert talk["question"].pk not in ids


def test_author_edits_their_thread_others_cannot(client, circle, talk, bearer):
    """The author changes the title (the text stays, a revision is added); another member and
    the facilitator get 403 and nothing changes."""
    path = url(circle, f"/{talk['question'].pk}")
    for person in (circle.answerer, circle.facilitator, circle.guest):
        response = send(client, "patch", path, {"title": "Gekaapt"}, bearer(person))
        assert_error(response, 403, "forbidden")
    assert Thread.objects.get(pk=talk["question"].pk).title == "Hoe betrekken we huurders?"

    response = send(
        client, "patch", path, {"title": "Hoe betrekken we alle huurders?"}, bearer(circle.asker)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Hoe betrekken we alle huurders?"
    assert body["body"] == "Wie heeft *ervaring*?"
    assert body["edited_at"] is not None
    assert PostRevision.objects.filter(thread=talk["question"], reply=None).count() == 2


def test_edit_with_an_empty_title_gives_422_and_changes_nothing(client, circle, talk, bearer):
    """An empty title is refused with a message for the field."""
    path = url(circle, f"/{talk['question'].pk}")
    body = assert_error(
        send(client, "patch", path, {"title": ""}, bearer(circle.asker)), 422, "invalid"
    )
    assert "title" in body["errors"]
    assert Thread.objects.get(pk=talk["question"].pk).title == "Hoe betrekken we huurders?"


def test_locked_thread_takes_no_replies_or_edits(client, circle, talk, bearer):
    """In a locked thread members can't reply or edit (403); the facilitator still replies."""
    Thread.objects.filter(pk=talk["question"].pk).update(locked=True)
    q = talk["question"].pk
    response = send(
        client, "post", url(circle, f"/{q}/replies"), {"body": "Nog iets"}, bearer(circle.answerer)
    )
    assert_error(response, 403, "forbidden")
    response = send(client, "patch", url(circle, f"/{q}"), {"title": "Later"}, bearer(circle.asker))
    assert_error(response, 403, "forbidden")
    detail = client.get(url(circle, f"/{q}"), **bearer(circle.asker)).json()
    assert detail["locked"] is True and detail["can_reply"] is False
    response = send(
        client,
        "post",
        url(circle, f"/{q}/replies"),
        {"body": "Gesloten."},
        bearer(circle.facilitator),
    )
    assert response.status_code == 201


# --- Replies --------------------------------------------------------------------------------


def test_reply_to_a_reply_stays_one_level_deep(client, circle, talk, bearer):
    """Replying to a child attaches the new reply to the top-level reply."""
    q = talk["question"].pk
    data = {"body": "Ik sluit me aan.", "parent_id": talk["nested"].pk}
    response = send(client, "post", url(circle, f"/{q}/replies"), data, bearer(circle.guest))
    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == talk["answer"].pk
    detail = client.get(url(circle, f"/{q}"), **bearer(circle.guest)).json()
    assert len(detail["replies"][0]["children"]) == 2


@pytest.mark.parametrize(
    "data, field",
    [
        ({"body": "  "}, "body"),
        ({"body": "x" * 20001}, "body"),
        ({}, "body"),
        ({"body": "Ergens anders", "parent_id": 999999}, "parent_id"),
    ],
)
def test_bad_reply_gives_422_and_saves_nothing(client, circle, talk, bearer, data, field):
    """An empty, oversized or misplaced reply is refused naming the field; nothing saved."""
    path = url(circle, f"/{talk['question'].pk}/replies")
    body = assert_error(send(client, "post", path, data, bearer(circle.answerer)), 422, "invalid")
    assert field in body["errors"], body
    assert Reply.objects.count() == 2


def test_parent_from_another_thread_gives_422(client, circle, talk, bearer, make_reply):
    """A parent_id of a reply in another thread is refused; nothing is saved."""
    elsewhere = make_reply(talk["discussion"])
    path = url(circle, f"/{talk['question'].pk}/replies")
    data = {"body": "Hier?", "parent_id": elsewhere.pk}
    body = assert_error(send(client, "post", path, data, bearer(circle.answerer)), 422, "invalid")
    assert "parent_id" in body["errors"]
    assert Reply.objects.count() == 3


def test_author_edits_a_reply_others_cannot(client, circle, talk, bearer):
    """Only the reply's author changes it; others get 403 and the text stays."""
    path = url(circle, f"/{talk['question'].pk}/replies/{talk['answer'].pk}")
    for person in (circle.asker, circle.facilitator):
        assert_error(send(client, "patch", path, {"body": "Weg"}, bearer(person)), 403, "forbidden")
    response = send(client, "patch", path, {"body": "Begin bij de buren."}, bearer(circle.answerer))
    assert response.status_code == 200, response.content
    assert response.json()["body_html"] == "<p>Begin bij de buren.</p>\n"
    assert response.json()["edited_at"] is not None
    assert Reply.objects.get(pk=talk["answer"].pk).body == "Begin bij de buren."


# --- Accepting an answer --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["asker", "facilitator"])
def test_asker_or_facilitator_accepts_and_unaccepts(client, circle, talk, bearer, who):
    """The asker or a facilitator accepts an answer and can take it back."""
    path = url(circle, f"/{talk['question'].pk}/accept")
    headers = bearer(getattr(circle, who))
    response = send(client, "post", path, {"reply_id": talk["answer"].pk}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["accepted_reply_id"] == talk["answer"].pk
    assert response.json()["answered"] is True
    response = send(client, "delete", path, None, headers)
    assert response.status_code == 200
    assert response.json()["answered"] is False
    assert Thread.objects.get(pk=talk["question"].pk).accepted_reply_id is None


@pytest.mark.parametrize("who", ["answerer", "guest"])
def test_others_cannot_accept(client, circle, talk, bearer, who):
    """Another member or a guest gets 403 when accepting or un-accepting."""
    thread_services.answer_accept(thread=talk["question"], reply=talk["nested"], by=circle.asker)
    path = url(circle, f"/{talk['question'].pk}/accept")
    headers = bearer(getattr(circle, who))
    response = send(client, "post", path, {"reply_id": talk["answer"].pk}, headers)
    assert_error(response, 403, "forbidden")
    assert_error(send(client, "delete", path, None, headers), 403, "forbidden")
    assert Thread.objects.get(pk=talk["question"].pk).accepted_reply_id == talk["nested"].pk


def test_accept_bad_input_gives_422(client, circle, talk, bearer, make_reply):
    """No reply_id, a reply from elsewhere, or a discussion: 422 and nothing accepted."""
    q = talk["question"].pk
    headers = bearer(circle.asker)
    elsewhere = make_reply(talk["discussion"])
    for data in ({}, {"reply_id": "abc"}, {"reply_id": elsewhere.pk}, {"reply_id": 999999}):
        body = assert_error(
            send(client, "post", url(circle, f"/{q}/accept"), data, headers), 422, "invalid"
        )
        assert "reply_id" in body["errors"], body
    path = url(circle, f"/{talk['discussion'].pk}/accept")
    response = send(client, "post", path, {"reply_id": elsewhere.pk}, bearer(circle.facilitator))
    assert_error(response, 422, "invalid")
    assert not Thread.objects.filter(accepted_reply__isnull=False).exists()


# --- Useful ---------------------------------------------------------------------------------


def test_useful_on_thread_and_reply_counts_once(client, circle, talk, bearer):
    """Marking useful twice counts once; unmarking takes it back; for threads and replies."""
    q, a = talk["question"].pk, talk["answer"].pk
    headers = bearer(circle.guest)
    for rest, model, pk in ((f"/{q}/useful", Thread, q), (f"/{q}/replies/{a}/useful", Reply, a)):
        assert send(client, "post", url(circle, rest), None, headers).json() == {
            "useful": True,
            "useful_count": 1,
        }
        assert send(client, "post", url(circle, rest), None, headers).json()["useful_count"] == 1
        assert model.objects.get(pk=pk).useful_count == 1
        assert send(client, "delete", url(circle, rest), None, headers).json() == {
            "useful": False,
            "useful_count": 0,
        }
    assert not Reaction.objects.exists()


def test_marked_useful_shows_in_the_detail(client, circle, talk, bearer):
    """The viewer's own marks show as marked_useful on the thread and its replies."""
    q, a = talk["question"].pk, talk["answer"].pk
    headers = bearer(circle.guest)
    send(client, "post", url(circle, f"/{q}/useful"), None, headers)
    send(client, "post", url(circle, f"/{q}/replies/{a}/useful"), None, headers)
    body = client.get(url(circle, f"/{q}"), **headers).json()
    assert body["marked_useful"] is True and body["useful_count"] == 1
    assert body["replies"][0]["marked_useful"] is True
    other = client.get(url(circle, f"/{q}"), **bearer(circle.facilitator)).json()
    assert other["marked_useful"] is False and other["replies"][0]["marked_useful"] is False


def test_own_post_cannot_be_marked_useful(client, circle, talk, bearer):
    """Marking your own question or reply answers 403 and counts nothing."""
    q, a = talk["question"].pk, talk["answer"].pk
    assert_error(
        send(client, "post", url(circle, f"/{q}/useful"), None, bearer(circle.asker)),
        403,
        "forbidden",
    )
    response = send(
        client, "post", url(circle, f"/{q}/replies/{a}/useful"), None, bearer(circle.answerer)
    )
    assert_error(response, 403, "forbidden")
    assert not Reaction.objects.exists()


# --- Notifications --------------------------------------------------------------------------


def test_notifications_list_mark_read_and_count(client, circle, talk, bearer):
    """The answerer sees the accepted-answer notification with who, where and a link; marks it
    read; the unread count follows; unread_only filters."""
    thread_services.answer_accept(thread=talk["question"], reply=talk["answer"], by=circle.asker)
    headers = bearer(circle.answerer)
    # The asker's reply to the answer came first, then the acceptance.
    assert client.get("/api/v1/notifications/unread-count", **headers).json() == {"count": 2}
    body = client.get("/api/v1/notifications", **headers).json()
    assert body["count"] == 2
    assert body["items"][1]["kind"] == NotificationKind.REPLY
    note = body["items"][0]
    assert note["kind"] == NotificationKind.ANSWER_ACCEPTED
    assert note["actor"] == {"id": circle.asker.pk, "name": "Anna Asker"}
    assert note["community"] == circle.community.slug
    assert note["thread_id"] == talk["question"].pk
    assert note["thread_title"] == "Hoe betrekken we huurders?"
    assert note["reply_id"] == talk["answer"].pk
    assert note["read"] is False and note["created_at"]
    assert note["url"] == settings.SITE_URL + talk["answer"].get_absolute_url()

    response = send(client, "post", f"/api/v1/notifications/{note['id']}/read", None, headers)
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get("/api/v1/notifications/unread-count", **headers).json() == {"count": 1}
    unread = client.get("/api/v1/notifications", {"unread_only": "true"}, **headers).json()
    assert unread["count"] == 1
    assert [n["kind"] for n in unread["items"]] == [NotificationKind.REPLY]


def test_read_all_marks_only_your_own(client, circle, talk, bearer):
    """read-all marks the caller's notifications and says how many; others' stay unread."""
    # The asker got reply notifications; the answerer one for the nested reply.
    mine = Notification.objects.filter(recipient=circle.asker).count()
    assert mine >= 1
    response = send(client, "post", "/api/v1/notifications/read-all", None, bearer(circle.asker))
    assert response.json() == {"count": mine}
    assert not Notification.objects.filter(recipient=circle.asker, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=circle.answerer, read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(client, circle, talk, bearer):
    """Marking another person's notification read answers 404 and leaves it unread."""
    theirs = Notification.objects.filter(recipient=circle.answerer).first()
    response = send(
        client, "post", f"/api/v1/notifications/{theirs.pk}/read", None, bearer(circle.asker)
    )
    assert_error(response, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/api/v1/notifications", **bearer(circle.outsider)).json()["count"] == 0


def test_message_notification_says_who_not_what(client, circle, bearer):
    """A direct message notification names the sender, never the message."""
    message_services.message_send(
        sender=circle.asker, recipient=circle.answerer, body="Geheim plan"
    )
    response = client.get("/api/v1/notifications", **bearer(circle.answerer))
    note = response.json()["items"][0]
    assert note["kind"] == NotificationKind.MESSAGE
    assert note["actor"]["name"] == "Anna Asker" and note["thread_id"] is None
    assert "Geheim" not in response.content.decode()


def test_bad_notification_paging_gives_422(client, circle, bearer):
    """A limit above the maximum or a non-boolean unread_only answers 422."""
    headers = bearer(circle.asker)
    assert_error(
        client.get("/api/v1/notifications", {"unread_only": "maybe"}, **headers), 422, "invalid"
    )
    assert_error(client.get("/api/v1/notifications", {"limit": 0}, **headers), 422, "invalid")


# --- Query counts ---------------------------------------------------------------------------


def queries_for(client, path, headers) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(captured), [q["sql"][:160] for q in captured.captured_queries]


def test_thread_detail_queries_do_not_grow_with_replies(
    client, circle, bearer, make_thread, make_reply
):
    """The detail of a thread with 5 or 50 replies (nested, marked useful) takes as many queries."""
    thread = make_thread()
    people = [circle.answerer, circle.guest, circle.facilitator]

    def grow(n):
        for i in range(n):
            parent = Reply.objects.filter(thread=thread, parent=None).last() if i % 3 == 2 else None
            reply = make_reply(thread, by=people[i % 3], body=f"Antwoord {i}", parent=parent)
            if i % 2:
                thread_services.reaction_set(thread=thread, reply=reply, by=circle.asker)

    headers = bearer(circle.asker)
    path = url(circle, f"/{thread.pk}")
    grow(5)
    client.get(path, **headers)
    few, before = queries_for(client, path, headers)
    grow(45)
    many, after = queries_for(client, path, headers)
    assert many == few, "\n".join(q for q in after if q not in before)
    assert len(client.get(path, **headers).json()["replies"]) > 30


def test_thread_list_queries_do_not_grow(client, circle, bearer, make_thread):
    """The list of 5 or 40 threads with themes takes as many queries."""
    headers = bearer(circle.asker)

    def grow(n, start):
        for i in range(n):
            make_thread(title=f"Vraag {start + i}", tags=["buurt", f"t{i % 3}"])

    grow(5, 0)
    client.get(url(circle), **headers)
    few, _before = queries_for(client, url(circle), headers)
    grow(35, 5)
    many, _after = queries_for(client, url(circle), headers)
    assert many == few
