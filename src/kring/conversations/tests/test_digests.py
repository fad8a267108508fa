"""Digests: opt-in, one e-mail per person with all their communities, only what is new and
still waiting, never twice in one period, in the reader's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kring.conversations.emails import digest_send, digests_send
from kring.conversations.models import DigestFrequency, NotificationPreference
from kring.conversations.services import preferences as preference_services
from kring.core import digest
from kring.knowledge.services import item_create

pytestmark = pytest.mark.django_db


def _switch_on(user, frequency=DigestFrequency.DAILY, *, days_ago: float = 1.5):
    """Opt in, as if that happened `days_ago` days ago (so the first digest is due now)."""
    preference_services.preference_update(user=user, digest=frequency)
    NotificationPreference.objects.filter(user=user).update(
        digest_sent_at=timezone.now() - timedelta(days=days_ago)
    )


def _digests_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_no_preference_row_means_no_digest(circle, make_thread):
    """Digests are opt-in: without a preference row nobody gets one."""
    make_thread(by=circle.asker, title="Anyone?")
    assert not NotificationPreference.objects.exists()
    assert digests_send() == 0
    assert mail.outbox == []


def test_turned_off_digest_sends_nothing(circle, make_thread):
    """A person who chose 'no digest' (after having one) gets none."""
    _switch_on(circle.answerer)
    preference_services.preference_update(user=circle.answerer, digest=DigestFrequency.OFF)
    make_thread(by=circle.asker, title="Anyone?")
    assert digests_send() == 0


def test_switching_on_starts_the_period_then(circle, make_thread):
    """Switching the digest on does not reach back: the first digest comes a period later."""
    make_thread(by=circle.asker, title="Asked before")
    preference_services.preference_update(user=circle.answerer, digest=DigestFrequency.DAILY)
    assert digests_send() == 0
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert digests_send(now=later) == 0  # nothing new happened in between: nothing sent
    assert mail.outbox == []


def test_daily_digest_lists_waiting_questions_and_new_library_items(
    circle, make_thread, make_reply, settings
):
    """New unanswered questions and new library items of the period, with links."""
    _switch_on(circle.answerer)
    waiting = make_thread(by=circle.asker, title="Where do we find volunteers?")
    answered = make_thread(by=circle.asker, title="Already answered")
    make_reply(answered, by=circle.facilitator)
    make_thread(by=circle.asker, kind="discussion", title="A discussion", body="Let's talk")
    own = make_thread(by=circle.answerer, title="My own question")
    item = item_create(
        community=circle.community, by=circle.facilitator, kind="toolkit", title="Buurtkaart"
    )
    assert digests_send() == 1
    [message] = _digests_to(circle.answerer)
    assert message.subject == "Your daily Kring digest"
    body = message.body
    assert "Questions still waiting for an answer" in body
    assert waiting.title in body
    assert settings.SITE_URL + waiting.get_absolute_url() in body
    assert "asked by Anna Asker" in body
    assert answered.title not in body
    assert "A discussion" not in body
    assert own.title not in body
    assert "New in the library" in body
    assert "Buurtkaart" in body
    assert settings.SITE_URL + item.get_absolute_url() in body
    assert body.index("Questions still waiting") < body.index("New in the library")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_questions_from_before_the_period_are_left_out(circle, make_thread):
    """Only questions asked since the last digest appear."""
    old = make_thread(by=circle.asker, title="Old question")
    _switch_on(circle.answerer)
    NotificationPreference.objects.filter(user=circle.answerer).update(
        digest_sent_at=timezone.now() + timedelta(seconds=1)
    )
    new = make_thread(
        by=circle.asker, title="New question", at=timezone.now() + timedelta(seconds=2)
    )
    assert digests_send(now=timezone.now() + timedelta(days=1, seconds=3)) == 1
    [message] = _digests_to(circle.answerer)
    assert new.title in message.body
    assert old.title not in message.body


def test_two_communities_in_one_email_and_none_from_elsewhere(
    circle, make_community, make_member, make_thread
):
    """One e-mail per person with every community they are in; other communities stay out."""
    second = make_community(name="Wijkteams")
    make_member(second, user=circle.answerer)
    elsewhere = make_community(name="Elders")
    _switch_on(circle.answerer)
    make_thread(by=circle.asker, title="Question in Zorg thuis")
    make_thread(community=second, by=second.created_by, title="Question in Wijkteams")
    make_thread(community=elsewhere, by=elsewhere.created_by, title="Question elsewhere")
    assert digests_send() == 1
    [message] = _digests_to(circle.answerer)
    assert "Question in Zorg thuis" in message.body and "Zorg thuis ·" in message.body
    assert "Question in Wijkteams" in message.body and "Wijkteams ·" in message.body
    assert "Question elsewhere" not in message.body


def test_second_run_in_the_same_period_sends_nothing(circle, make_thread):
    """The period is claimed: running again (or a second worker) sends no second digest."""
    _switch_on(circle.answerer)
    make_thread(by=circle.asker, title="Anyone?")
    assert digests_send() == 1
    assert digests_send() == 0
    assert digest_send(user_id=circle.answerer.pk) is False
    assert len(_digests_to(circle.answerer)) == 1


def test_empty_digest_is_not_sent_but_the_period_moves_on(circle):
    """Nothing new: no e-mail, and digest_sent_at still moves so the next one starts here."""
    _switch_on(circle.answerer)
    before = NotificationPreference.objects.get(user=circle.answerer).digest_sent_at
    assert digests_send() == 0
    assert mail.outbox == []
    after = NotificationPreference.objects.get(user=circle.answerer).digest_sent_at
    assert after > before


def test_weekly_digest_waits_a_week(circle, make_thread):
    """A weekly reader is not due after two days, and is after eight."""
    _switch_on(circle.answerer, DigestFrequency.WEEKLY, days_ago=2)
    make_thread(by=circle.asker, title="Anyone?")
    assert digests_send() == 0
    NotificationPreference.objects.filter(user=circle.answerer).update(
        digest_sent_at=timezone.now() - timedelta(days=8)
    )
    assert digests_send() == 1
    assert _digests_to(circle.answerer)[0].subject == "Your weekly Kring digest"


def test_never_sent_starts_one_period_back(circle, make_thread):
    """Without an earlier digest the period is the last day (for a daily digest)."""
    make_thread(by=circle.asker, title="Long ago", at=timezone.now() - timedelta(days=3))
    make_thread(by=circle.asker, title="Yesterday evening", at=timezone.now() - timedelta(hours=10))
    NotificationPreference.objects.create(user=circle.answerer, digest=DigestFrequency.DAILY)
    assert digests_send() == 1
    [message] = _digests_to(circle.answerer)
    assert "Yesterday evening" in message.body
    assert "Long ago" not in message.body


def test_inactive_people_and_outsiders_get_nothing(circle, make_thread):
    """A deactivated account gets no digest; someone in no community gets an empty one (none)."""
    _switch_on(circle.answerer)
    _switch_on(circle.outsider)
    circle.answerer.is_active = False
    circle.answerer.save(update_fields=["is_active"])
    make_thread(by=circle.asker, title="Anyone?")
    assert digests_send() == 0
    assert mail.outbox == []


def test_digest_unsubscribe_link_switches_off_only_the_digest(circle, make_thread, client):
    """The digest's one-click link turns the digest off and leaves the other e-mails on."""
    from urllib.parse import urlsplit

    _switch_on(circle.answerer)
    make_thread(by=circle.asker, title="Anyone?")
    digests_send()
    [message] = _digests_to(circle.answerer)
    path = urlsplit(message.extra_headers["List-Unsubscribe"][1:-1]).path
    client.post(path, {"List-Unsubscribe": "One-Click"})
    preference = NotificationPreference.objects.get(user=circle.answerer)
    assert preference.digest == DigestFrequency.OFF
    assert preference.email_replies is True


def test_digest_in_the_readers_language(circle, make_thread):
    """A Dutch reader's digest is rendered in Dutch (dates, Content-Language)."""
    circle.answerer.language = "nl"
    circle.answerer.save(update_fields=["language"])
    _switch_on(circle.answerer)
    make_thread(by=circle.asker, title="Anyone?")
    digests_send()
    [message] = _digests_to(circle.answerer)
    assert message.extra_headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in message.alternatives[0][0]


def test_hostile_titles_are_text_in_the_html_digest(circle, make_thread):
    """A <script> title is escaped in the HTML part."""
    _switch_on(circle.answerer)
    make_thread(by=circle.asker, title="<script>alert(1)</script>")
    digests_send()
    [message] = _digests_to(circle.answerer)
    assert "<script>" not in message.alternatives[0][0]
    assert "&lt;script&gt;" in message.alternatives[0][0]


def test_registry_orders_sections_and_caps_entries(circle):
    """Sections show by position; a long section shows the first entries and 'and N more'."""
    entries = [digest.DigestEntry(title=f"T{i}", url=f"/t/{i}/") for i in range(13)]
    digest.register("test-late", "Late", lambda **kw: [entries[0]], position=99)
    digest.register("test-early", "Early", lambda **kw: entries, position=1)
    try:
        now = timezone.now()
        filled = digest.build(
            user=circle.answerer,
            community_ids=[circle.community.pk],
            since=now - timedelta(days=1),
            until=now,
        )
        keys = [s.key for s in filled]
        assert keys[0] == "test-early" and keys[-1] == "test-late"
        assert len(filled[0].entries) == digest.MAX_ENTRIES
        assert filled[0].more == 13 - digest.MAX_ENTRIES
    finally:
        digest.unregister("test-late")
        digest.unregister("test-early")
