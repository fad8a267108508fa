"""Review of issue 4 (conversations): each test proves one defect found in review. They are
marked xfail(strict=True) until the defect is fixed; a fix makes them pass, and then the
marker must go."""

import pytest
from django.core import mail
from django.urls import reverse

from kring.conversations.emails import notification_email_send
from kring.conversations.models import Notification, NotificationKind
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import moderation as moderation_services
from kring.conversations.services import preferences as preference_services
from kring.conversations.services import threads as thread_services

pytestmark = pytest.mark.django_db


def _api_thread(make_client, circle, user, thread) -> dict:
    client = make_client(user)
    response = client.get(f"/api/v1/communities/{circle.community.slug}/threads/{thread.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def _all_reply_ids(body: dict) -> set[int]:
    ids = set()
    for reply in body["replies"]:
        ids.add(reply["id"])
        ids.update(child["id"] for child in reply["children"])
    return ids


def _emails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


# --- Counts and state on hide ----------------------------------------------------------------


def test_hiding_a_reply_keeps_reply_count_in_step_with_what_members_see(
    circle, make_thread, make_reply, make_client
):
    """After a facilitator hides one of two replies, a member is told there is one reply."""
    thread = make_thread()
    make_reply(thread, body="Helpful answer")
    rude = make_reply(thread, by=circle.guest, body="Rude answer")
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=rude, reason="Rude")
    body = _api_thread(make_client, circle, circle.answerer, thread)
    assert len(_all_reply_ids(body)) == 1
    assert body["reply_count"] == 1


def test_hidden_accepted_answer_does_not_leave_the_question_answered_for_members(
    circle, make_thread, make_reply, make_client
):
    """A member's view never points at a hidden reply as the accepted answer."""
    thread = make_thread()
    answer = make_reply(thread, body="Advertising disguised as an answer")
    thread_services.answer_accept(thread=thread, reply=answer, by=circle.asker)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=answer, reason="Ad")
    body = _api_thread(make_client, circle, circle.guest, thread)
    assert answer.pk not in _all_reply_ids(body)
    assert body["accepted_reply_id"] is None
    assert body["answered"] is False


def test_visible_reply_to_a_hidden_reply_stays_visible(
    circle, make_thread, make_reply, make_client
):
    """Hiding a reply hides that reply only; a member's own visible answer to it stays."""
    thread = make_thread()
    rude = make_reply(thread, by=circle.guest, body="Rude")
    calm = make_reply(thread, by=circle.answerer, body="Let's keep it kind.", parent=rude)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=rude, reason="Rude")
    body = _api_thread(make_client, circle, circle.asker, thread)
    assert calm.pk in _all_reply_ids(body)


# --- E-mail: unsubscribe and blocks -----------------------------------------------------------


def test_one_click_unsubscribe_in_a_moderation_email_stops_those_emails(
    circle, make_thread, client, django_capture_on_commit_callbacks
):
    """The List-Unsubscribe link of a moderation e-mail, once used, stops the next one."""
    thread = make_thread(kind="discussion", body="Buy my product")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Off topic")
    [first] = _emails_to(circle.asker)
    unsubscribe_url = first.extra_headers["List-Unsubscribe"][1:-1]
    path = unsubscribe_url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Advertising")
    assert _emails_to(circle.asker) == []


def test_block_made_before_the_worker_runs_stops_the_email(circle):
    """The recipient blocks the sender before the queued e-mail is sent: nothing is sent."""
    message_services.message_send(sender=circle.answerer, recipient=circle.asker, body="Hoi Anna")
    notification = Notification.objects.get(recipient=circle.asker, kind=NotificationKind.MESSAGE)
    message_services.block_create(blocker=circle.asker, blocked=circle.answerer)
    mail.outbox.clear()
    notification_email_send(notification_id=notification.pk)
    assert _emails_to(circle.asker) == []


# --- Hidden threads in notifications and moderation pages -------------------------------------


def test_member_notifications_do_not_show_a_hidden_threads_title(circle, make_thread, make_client):
    """A member mentioned in a thread that is hidden later no longer sees its title."""
    mention = f"@[Bram Answerer](/people/{circle.answerer.pk}/)"
    thread = make_thread(
        kind="discussion", title="Slanderous title about a colleague", body=f"{mention} kijk"
    )
    assert Notification.objects.filter(recipient=circle.answerer, thread=thread).exists()
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    client = make_client(circle.answerer)
    page = client.get(reverse("notification-list"))
    assert page.status_code == 200
    assert "Slanderous title" not in page.content.decode()
    api = client.get("/api/v1/notifications")
    assert api.status_code == 200
    assert "Slanderous title" not in api.content.decode()


def test_reply_author_does_not_see_a_hidden_threads_title_on_the_moderation_page(
    circle, make_thread, make_reply, make_client
):
    """Someone who only replied can't read a hidden thread's title through moderation pages."""
    thread = make_thread(title="Slanderous title about a colleague")
    reply = make_reply(thread, by=circle.answerer, body="I don't think so")
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    client = make_client(circle.answerer)
    assert client.get(thread.get_absolute_url()).status_code == 404
    url = reverse("moderation-post", kwargs={"slug": circle.community.slug, "thread_pk": thread.pk})
    response = client.get(f"{url}?reply={reply.pk}")
    assert response.status_code == 404 or "Slanderous title" not in response.content.decode()


# --- Follow-ups to the fixes above ------------------------------------------------------------


def test_restoring_a_reply_counts_it_again(circle, make_thread, make_reply):
    """Hide then restore: reply_count goes down by one and back up."""
    thread = make_thread()
    reply = make_reply(thread)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=reply, reason="Check")
    thread.refresh_from_db()
    assert thread.reply_count == 0
    moderation_services.post_restore(by=circle.facilitator, thread=thread, reply=reply)
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_restoring_the_hidden_accepted_answer_does_not_accept_it_again(
    circle, make_thread, make_reply
):
    """Hiding clears the accepted answer; restoring leaves that to the asker."""
    thread = make_thread()
    answer = make_reply(thread)
    thread_services.answer_accept(thread=thread, reply=answer, by=circle.asker)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=answer, reason="Ad")
    thread.refresh_from_db()
    assert (thread.accepted_reply_id, thread.accepted_at, thread.accepted_by_id) == (None,) * 3
    moderation_services.post_restore(by=circle.facilitator, thread=thread, reply=answer)
    thread.refresh_from_db()
    assert thread.accepted_reply_id is None


def test_question_whose_only_answer_is_hidden_waits_again(circle, make_thread, make_reply):
    """first_response_at follows the visible answers by others, on hide and on restore."""
    from kring.conversations.models import Thread

    thread = make_thread()
    make_reply(thread, by=circle.asker, body="Anyone?")
    answer = make_reply(thread)
    thread.refresh_from_db()
    answered_at = thread.first_response_at
    assert answered_at == answer.created_at
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=answer, reason="Ad")
    assert thread in Thread.objects.waiting()
    moderation_services.post_restore(by=circle.facilitator, thread=thread, reply=answer)
    thread.refresh_from_db()
    assert thread.first_response_at == answered_at
    assert thread not in Thread.objects.waiting()


def test_hidden_replys_text_stays_hidden_when_its_answers_move_up(
    circle, make_thread, make_reply, make_client
):
    """The visible answer to a hidden reply moves to the top level; the hidden text stays out."""
    thread = make_thread()
    rude = make_reply(thread, by=circle.guest, body="Rude words here")
    calm = make_reply(thread, by=circle.answerer, body="Let's keep it kind.", parent=rude)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=rude, reason="Rude")
    body = _api_thread(make_client, circle, circle.asker, thread)
    assert [r["id"] for r in body["replies"]] == [calm.pk]
    assert "Rude words" not in str(body)
    page = make_client(circle.asker).get(thread.get_absolute_url()).content.decode()
    assert "keep it kind" in page and "Rude words" not in page
    facilitator = _api_thread(make_client, circle, circle.facilitator, thread)
    assert [c["id"] for c in facilitator["replies"][0]["children"]] == [calm.pk]


def test_replying_to_a_hidden_reply_is_refused(circle, make_thread, make_reply):
    """reply_create with a hidden parent says so on the parent field and saves nothing."""
    from django.core.exceptions import ValidationError

    thread = make_thread()
    rude = make_reply(thread, by=circle.guest, body="Rude")
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=rude, reason="Rude")
    with pytest.raises(ValidationError) as error:
        make_reply(thread, by=circle.facilitator, body="Please don't", parent=rude)
    assert "parent" in error.value.message_dict
    assert thread.replies.count() == 1


def test_moderation_emails_still_come_while_some_email_switch_is_on(
    circle, make_thread, django_capture_on_commit_callbacks
):
    """Switching off only some kinds of e-mail does not stop moderation e-mails."""
    preference_services.preference_update(
        user=circle.asker, email_mentions=False, email_replies=False
    )
    thread = make_thread(kind="discussion", body="Let us talk")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Off topic")
    assert len(_emails_to(circle.asker)) == 1


def test_unsubscribed_author_still_gets_the_moderation_notification_in_kring(circle, make_thread):
    """Unsubscribed from all e-mail: the in-app moderation notification is still made."""
    preference_services.preference_update(
        user=circle.asker, **dict.fromkeys(preference_services.PREFERENCE_FIELDS, False)
    )
    thread = make_thread(kind="discussion", body="Let us talk")
    moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Off topic")
    assert Notification.objects.filter(
        recipient=circle.asker, kind=NotificationKind.MODERATION
    ).exists()
    assert preference_services.wants_email(circle.asker, NotificationKind.MODERATION) is False


def test_block_at_send_time_stops_only_that_actors_emails(circle):
    """A block of someone else leaves the e-mail from this sender going out."""
    message_services.message_send(sender=circle.answerer, recipient=circle.asker, body="Hoi Anna")
    notification = Notification.objects.get(recipient=circle.asker, kind=NotificationKind.MESSAGE)
    message_services.block_create(blocker=circle.asker, blocked=circle.guest)
    mail.outbox.clear()
    notification_email_send(notification_id=notification.pk)
    assert len(_emails_to(circle.asker)) == 1


def test_hidden_threads_notifications_stay_for_its_author_and_facilitators(
    circle, make_thread, make_reply, make_client
):
    """The author (moderation news) and a facilitator still see the hidden thread's title."""
    thread = make_thread(kind="discussion", title="Slanderous title about a colleague", body="Well")
    make_reply(thread, by=circle.facilitator, body="Let's talk")
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    author = make_client(circle.asker).get(reverse("notification-list")).content.decode()
    assert "Slanderous title" in author
    assert Notification.objects.filter(
        recipient=circle.asker, kind=NotificationKind.MODERATION
    ).exists()


def test_hidden_threads_notifications_leave_the_unread_count(circle, make_thread):
    """The unread count counts only the notifications the list shows."""
    from kring.conversations import selectors

    mention = f"@[Bram Answerer](/people/{circle.answerer.pk}/)"
    thread = make_thread(kind="discussion", body=f"{mention} kijk")
    assert selectors.notifications_unread_count(user=circle.answerer) == 1
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    assert selectors.notifications_unread_count(user=circle.answerer) == 0


@pytest.mark.parametrize("who", ["asker", "facilitator"])
def test_thread_author_and_facilitator_still_open_a_reply_moderation_page(
    circle, make_thread, make_reply, make_client, who
):
    """The hidden thread's author and a facilitator may still open a reply's moderation page."""
    thread = make_thread(title="Slanderous title about a colleague")
    reply = make_reply(thread, by=circle.asker, body="More of the same")
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    url = reverse("moderation-post", kwargs={"slug": circle.community.slug, "thread_pk": thread.pk})
    response = make_client(getattr(circle, who)).get(f"{url}?reply={reply.pk}")
    assert response.status_code == 200


def test_reply_author_gets_404_on_the_reply_moderation_page_of_a_hidden_thread(
    circle, make_thread, make_reply, make_client
):
    """We chose 404: a reply's author cannot open its moderation page while the thread is hidden."""
    thread = make_thread()
    reply = make_reply(thread, by=circle.answerer)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Slander")
    url = reverse("moderation-post", kwargs={"slug": circle.community.slug, "thread_pk": thread.pk})
    assert make_client(circle.answerer).get(f"{url}?reply={reply.pk}").status_code == 404


def test_useful_mark_on_a_post_hidden_since_can_be_taken_back(circle, make_thread, make_reply):
    """Un-marking your own 'useful' works after the reply was hidden; marking again does not."""
    from django.core.exceptions import PermissionDenied

    thread = make_thread()
    reply = make_reply(thread)
    thread_services.reaction_set(thread=thread, by=circle.guest, reply=reply)
    moderation_services.post_hide(by=circle.facilitator, thread=thread, reply=reply, reason="Ad")
    post = thread_services.reaction_set(thread=thread, by=circle.guest, reply=reply, useful=False)
    assert post.useful_count == 0
    with pytest.raises(PermissionDenied):
        thread_services.reaction_set(thread=thread, by=circle.guest, reply=reply)


def test_new_conversation_limit_counts_only_conversations_the_sender_started(circle, settings):
    """Being written to by others does not use up your own new-conversation allowance."""
    settings.KRING_DM_NEW_PER_DAY = 1
    message_services.message_send(sender=circle.answerer, recipient=circle.asker, body="Hoi")
    message_services.message_send(sender=circle.asker, recipient=circle.guest, body="Hoi")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        message_services.message_send(sender=circle.asker, recipient=circle.facilitator, body="Hoi")
