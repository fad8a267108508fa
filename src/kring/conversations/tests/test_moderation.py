"""Moderation services: flags, hiding and restoring, locking, dismissing, the private exchange;
each logged, recorded as an activity event and told to the author."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kring.communities.services import ground_rules_set
from kring.conversations.models import (
    Flag,
    FlagStatus,
    ModerationAction,
    ModerationMessage,
    Notification,
    NotificationKind,
)
from kring.conversations.services import moderation as moderation_services
from kring.conversations.verbs import ConversationVerb
from kring.core.models import ActivityEvent, SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(circle):
    return ground_rules_set(
        community=circle.community,
        by=circle.facilitator,
        rules=["We speak with respect", "No advertising"],
    )


def test_flag_records_rule_snapshot_and_event(circle, make_thread, rules):
    """A flag keeps the rule's words as they were and writes a 'flagged' event about the author."""
    thread = make_thread()
    flag = moderation_services.flag_create(
        by=circle.answerer, thread=thread, reason="Rude to a colleague", ground_rule=rules[0]
    )
    assert flag.status == FlagStatus.OPEN
    assert flag.ground_rule_text == "We speak with respect"
    ground_rules_set(community=circle.community, by=circle.facilitator, rules=["Be kind"])
    flag.refresh_from_db()
    assert flag.ground_rule_text == "We speak with respect"
    event = ActivityEvent.objects.get(verb=ConversationVerb.FLAGGED)
    assert (event.actor, event.other) == (circle.answerer, circle.asker)


def test_flag_refuses_author_outsider_and_second_open_flag(circle, make_thread):
    """The author can't flag their own post, an outsider can't flag at all, and one open flag
    per person per post is enough."""
    thread = make_thread()
    with pytest.raises(PermissionDenied):
        moderation_services.flag_create(by=circle.asker, thread=thread, reason="mine")
    with pytest.raises(PermissionDenied):
        moderation_services.flag_create(by=circle.outsider, thread=thread, reason="outside")
    moderation_services.flag_create(by=circle.guest, thread=thread, reason="Spam")
    with pytest.raises(ValidationError) as exc:
        moderation_services.flag_create(by=circle.guest, thread=thread, reason="Spam again")
    assert "reason" in exc.value.message_dict
    assert Flag.objects.count() == 1


def test_flag_bad_input_saves_nothing(circle, make_thread, make_community):
    """An empty or oversized reason, or a rule of another community, saves nothing."""
    thread = make_thread()
    other = make_community()
    foreign = ground_rules_set(community=other, by=other.created_by, rules=["Elsewhere"])[0]
    for kwargs in (
        {"reason": "   "},
        {"reason": "x" * 1001},
        {"reason": "fine", "ground_rule": foreign},
    ):
        with pytest.raises(ValidationError):
            moderation_services.flag_create(by=circle.answerer, thread=thread, **kwargs)
    assert not Flag.objects.exists()
    assert not ActivityEvent.objects.filter(verb=ConversationVerb.FLAGGED).exists()


def test_hide_resolves_flags_logs_and_tells_author(
    circle, make_thread, make_reply, rules, django_capture_on_commit_callbacks
):
    """Hiding a reply settles its open flags as acted on, logs the reason and e-mails the author."""
    thread = make_thread()
    reply = make_reply(thread)
    flag = moderation_services.flag_create(
        by=circle.asker, thread=thread, reply=reply, reason="Rude"
    )
    other_post_flag = moderation_services.flag_create(
        by=circle.answerer, thread=thread, reason="Off topic"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action = moderation_services.post_hide(
            by=circle.facilitator,
            thread=thread,
            reply=reply,
            reason="Please keep it friendly",
            ground_rule=rules[0],
            flag=flag,
        )
    reply.refresh_from_db()
    flag.refresh_from_db()
    other_post_flag.refresh_from_db()
    assert reply.hidden
    assert flag.status == FlagStatus.UPHELD and flag.resolved_by == circle.facilitator
    assert other_post_flag.status == FlagStatus.OPEN
    assert (action.subject, action.reason, action.ground_rule_text) == (
        circle.answerer,
        "Please keep it friendly",
        "We speak with respect",
    )
    note = Notification.objects.get(recipient=circle.answerer, kind=NotificationKind.MODERATION)
    assert (note.thread, note.reply) == (thread, reply)
    assert [m.to for m in mail.outbox] == [[circle.answerer.email]]
    event = ActivityEvent.objects.get(verb=ConversationVerb.POST_HIDDEN)
    assert event.other == circle.answerer


def test_hidden_thread_leaves_search_and_returns_on_restore(
    circle, make_thread, django_capture_on_commit_callbacks
):
    """A hidden thread is removed from the search index; restoring puts it back."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(title="Wijkverpleging in de nacht")
    indexed = SearchDocument.objects.filter(doc_type="thread", doc_id=thread.pk)
    had_provider = indexed.exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_hide(by=circle.facilitator, thread=thread, reason="Not for here")
    assert not indexed.exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_restore(
            by=circle.facilitator, thread=thread, reason="Fine after all"
        )
    assert indexed.exists() == had_provider
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["restore", "hide"]


@pytest.mark.parametrize("who", ["asker", "answerer", "guest", "outsider"])
def test_only_facilitators_moderate(circle, make_thread, who):
    """Members, guests, the author and outsiders can't hide, lock or dismiss."""
    thread = make_thread()
    flag = moderation_services.flag_create(by=circle.answerer, thread=thread, reason="Spam")
    person = getattr(circle, who)
    with pytest.raises(PermissionDenied):
        moderation_services.post_hide(by=person, thread=thread, reason="no")
    with pytest.raises(PermissionDenied):
        moderation_services.thread_lock(by=person, thread=thread, reason="no")
    with pytest.raises(PermissionDenied):
        moderation_services.flag_dismiss(by=person, flag=flag)
    thread.refresh_from_db()
    assert not thread.hidden and not thread.locked
    assert not ModerationAction.objects.exists()


def test_hide_and_lock_need_a_reason(circle, make_thread):
    """Hiding and locking without a reason (or with too long a one) change nothing."""
    thread = make_thread()
    for service in (moderation_services.post_hide, moderation_services.thread_lock):
        for reason in ("", "x" * 1001):
            with pytest.raises(ValidationError):
                service(by=circle.facilitator, thread=thread, reason=reason)
    thread.refresh_from_db()
    assert not thread.hidden and not thread.locked
    assert not ModerationAction.objects.exists()


def test_lock_unlock_and_dismiss(circle, make_thread, make_admin):
    """Lock and unlock are logged with events; a dismissed flag is settled; a platform admin
    may moderate too."""
    thread = make_thread()
    moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="Going in circles")
    assert thread.locked
    with pytest.raises(ValidationError):
        moderation_services.thread_lock(by=circle.facilitator, thread=thread, reason="again")
    moderation_services.thread_unlock(by=make_admin(), thread=thread)
    assert not thread.locked
    flag = moderation_services.flag_create(by=circle.answerer, thread=thread, reason="Meh")
    moderation_services.flag_dismiss(by=circle.facilitator, flag=flag, reason="Within the rules")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    with pytest.raises(ValidationError):
        moderation_services.flag_dismiss(by=circle.facilitator, flag=flag)
    verbs = set(ActivityEvent.objects.values_list("verb", flat=True))
    assert {
        ConversationVerb.THREAD_LOCKED,
        ConversationVerb.THREAD_UNLOCKED,
        ConversationVerb.FLAG_DISMISSED,
    } <= verbs
    assert ModerationAction.objects.count() == 3


def test_moderation_message_between_facilitators_and_author_only(circle, make_thread):
    """The author and facilitators exchange messages about a post; others can't; each side is
    notified."""
    thread = make_thread()
    moderation_services.moderation_message_send(
        by=circle.facilitator, thread=thread, body="Can we talk?"
    )
    moderation_services.moderation_message_send(by=circle.asker, thread=thread, body="Sure")
    for person in (circle.answerer, circle.guest, circle.outsider):
        with pytest.raises(PermissionDenied):
            moderation_services.moderation_message_send(by=person, thread=thread, body="Me too")
    with pytest.raises(ValidationError):
        moderation_services.moderation_message_send(by=circle.asker, thread=thread, body=" ")
    assert ModerationMessage.objects.count() == 2
    assert Notification.objects.filter(
        recipient=circle.asker, kind=NotificationKind.MODERATION
    ).exists()
    assert Notification.objects.filter(
        recipient=circle.facilitator, kind=NotificationKind.MODERATION
    ).exists()
