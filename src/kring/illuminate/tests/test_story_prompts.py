"""Story prompts: asked once per occasion, at most once a month per person, only when the
person wants them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.conversations.models import Notification, NotificationKind
from kring.conversations.services.preferences import preference_update
from kring.conversations.services.threads import answer_accept, reply_create, thread_create
from kring.illuminate.models import StoryPrompt
from kring.illuminate.services_prompts import story_prompts_send
from kring.illuminate.tasks import story_prompts_send as story_prompts_task
from kring.knowledge.models import Kind
from kring.knowledge.services import item_create, item_mark_useful
from kring.meetings.models import AttendanceStatus
from kring.meetings.services import attendance_set, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(circle):
    """A session three weeks ago that the teller attended."""

    def make(days_ago: int = 22, title: str = "Leerkring"):
        starts = timezone.now() - timedelta(days=days_ago)
        session = session_create(
            community=circle.community,
            by=circle.facilitator,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            title=title,
            location="Buurthuis",
        )
        attendance_set(
            session=session,
            by=circle.facilitator,
            user=circle.teller,
            status=AttendanceStatus.ATTENDED,
        )
        return session

    return make


def _prompts(user):
    return Notification.objects.filter(recipient=user, kind=NotificationKind.STORY_PROMPT)


def test_session_prompt_arrives_once(circle, attended, make_client):
    """Three weeks after a session, the attendee is asked once, with a link to the form."""
    session = attended()
    assert story_prompts_send() == 1
    assert story_prompts_send() == 0
    notification = _prompts(circle.teller).get()
    assert f"?session={session.pk}" in notification.get_absolute_url()
    assert not notification.emailed_at
    client = make_client(circle.teller)
    listing = client.get(reverse("notification-list")).content.decode()
    assert "What did “Leerkring” give you?" in listing
    opened = client.get(reverse("notification-open", kwargs={"pk": notification.pk}))
    form = client.get(opened.url).content.decode()
    assert "Leerkring" in form
    assert not _prompts(circle.member).exists()


def test_too_early_nothing(circle, attended):
    """A session of last week is not asked about yet."""
    attended(days_ago=7)
    assert story_prompts_send() == 0


def test_at_most_one_a_month(circle, attended):
    """Several occasions give one prompt; the next comes a month later at the earliest."""
    attended(title="First")
    attended(days_ago=23, title="Second")
    item = item_create(
        community=circle.community, by=circle.facilitator, kind=Kind.TOOLKIT, title="Toolkit"
    )
    item_mark_useful(item=item, by=circle.teller)
    later = timezone.now() + timedelta(days=3)
    assert story_prompts_send(now=later) == 1
    assert story_prompts_send(now=later + timedelta(days=10)) == 0
    assert _prompts(circle.teller).count() == 1
    # A month on, the occasions left are too old: each was only asked within its window.
    assert StoryPrompt.objects.filter(user=circle.teller).count() == 1


def test_respects_the_setting(circle, attended, make_client):
    """Switched off in the notification settings: no prompt."""
    attended()
    client = make_client(circle.teller)
    page = client.get(reverse("notification-settings")).content.decode()
    assert "ask me what taking part gave me" in page
    preference_update(user=circle.teller, story_prompts=False)
    assert story_prompts_send() == 0
    preference_update(user=circle.teller, story_prompts=True)
    assert story_prompts_send() == 1


def test_no_prompt_once_the_story_is_told(circle, attended, make_story):
    """Someone who already told a story about the session is not asked about it."""
    session = attended()
    make_story(sessions=[session])
    assert story_prompts_send() == 0


def test_answer_prompt_for_the_asker(circle):
    """A few days after their question got an accepted answer, the asker is asked."""
    at = timezone.now() - timedelta(days=3)
    thread = thread_create(
        community=circle.community, by=circle.teller, kind="question", title="How?", at=at
    )
    reply = reply_create(thread=thread, by=circle.member, body="Like this.", at=at)
    answer_accept(thread=thread, reply=reply, by=circle.teller, at=at)
    assert story_prompts_task.enqueue().return_value == 1
    notification = _prompts(circle.teller).get()
    assert f"?thread={thread.pk}" in notification.link
    assert not _prompts(circle.member).exists()


def test_no_prompt_after_leaving(circle, attended):
    """Someone who left the community is not asked about it."""
    from kring.communities.models import Membership

    attended()
    Membership.objects.filter(user=circle.teller).delete()
    assert story_prompts_send() == 0
