"""The member's week at `/`: who gets it, what it shows (only the viewer's communities), the
first steps, and a query count that does not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.accounts.services import profile_update
from kring.conversations.services import message_send, reply_create, thread_create
from kring.knowledge.services import item_create
from kring.meetings.models import RsvpResponse
from kring.meetings.services_learning import action_point_create
from kring.meetings.services_rsvp import rsvp_set

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client):
    """Someone not logged in is sent from / to the login page, as before."""
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_person_in_no_community_is_pointed_to_the_public_ones(make_client, make_user):
    """Someone in no community gets a home that says so and links to the public ones."""
    response = make_client(make_user()).get("/")
    assert response.status_code == 200
    assert b"You are not in a community yet" in response.content
    assert b'href="/communities/" data-primary-action' in response.content


def test_member_gets_their_week(make_client, town, plan):
    """A member sees their week: sessions, questions, stories, action points, inbox."""
    plan(town.zorg, town.zorg_facilitator, title="Leerkring zorg")
    response = make_client(town.mia).get("/")
    assert response.status_code == 200
    content = response.content.decode()
    for heading in (
        "Your week",
        "Your next sessions",
        "Questions you could answer",
        "New practice stories and lessons learned",
        "Your action points",
        "For you",
        "Your communities",
    ):
        assert heading in content
    assert "Leerkring zorg" in content


def test_my_communities_page_moved(make_client, town, client):
    """The list of your communities lives at /communities/mine/; anonymous people log in."""
    response = make_client(town.mia).get("/communities/mine/")
    assert response.status_code == 200
    assert b"Zorg thuis" in response.content and b"Energie" in response.content
    assert b"Elders" not in response.content
    assert client.get("/communities/mine/").status_code == 302


def test_sessions_only_from_own_communities_soonest_first(make_client, town, plan):
    """The next sessions come from the viewer's communities only, soonest first, each with
    the viewer's current answer; the first one's "coming" is the page's primary action."""
    later = plan(town.zorg, town.zorg_facilitator, days=9, title="Later in Zorg")
    plan(town.energie, town.energie_facilitator, days=2, title="Soon in Energie")
    plan(town.elders, town.elders_facilitator, days=1, title="Not yours")
    rsvp_set(session=later, user=town.mia, response=RsvpResponse.MAYBE)
    content = make_client(town.mia).get("/").content.decode()
    assert "Not yours" not in content
    assert content.index("Soon in Energie") < content.index("Later in Zorg")
    card = content[content.index(f'id="week-session-{later.pk}"') :]
    assert 'value="maybe" aria-pressed="true"' in card.split("</li>")[0]
    assert "You might come." in card.split("</li>")[0]
    first = content[content.index("Soon in Energie") :]
    assert 'value="yes" aria-pressed="false" data-primary-action' in first
    assert content.count("data-primary-action") == 1


def test_cancelled_and_past_sessions_are_not_in_the_week(make_client, town, plan):
    """A cancelled session and one that is over are not offered for an answer."""
    from kring.meetings.services import session_cancel

    cancelled = plan(town.zorg, town.zorg_facilitator, days=3, title="Called off")
    session_cancel(session=cancelled, by=town.zorg_facilitator)
    plan(town.zorg, town.zorg_facilitator, days=-2, title="Already over")
    content = make_client(town.mia).get("/").content.decode()
    # The bell may still mention the planning notice; the sessions section offers neither.
    start = content.index('id="week-sessions"')
    sessions = content[start : content.index("</section>", start)]
    assert "Called off" not in sessions and "Already over" not in sessions
    assert "No sessions planned in your communities yet." in sessions


def test_questions_that_match_your_help_tags_come_first_and_say_why(make_client, town):
    """Waiting questions about what you can help with (a theme or a word in the title) come
    before older ones, with the reason; your own and other communities' are left out."""
    profile_update(user=town.mia, by=town.mia, help_tags=["mantelzorg", "dementie"])
    an_hour_ago = timezone.now() - timedelta(hours=1)
    thread_create(
        community=town.zorg,
        by=town.asker,
        kind="question",
        title="Oldest question about parking",
        at=an_hour_ago - timedelta(days=20),
    )
    thread_create(
        community=town.energie,
        by=town.asker,
        kind="question",
        title="Who knows a course?",
        tags=["mantelzorg"],
        at=an_hour_ago,
    )
    thread_create(
        community=town.zorg,
        by=town.asker,
        kind="question",
        title="Tips bij dementie thuis?",
        at=an_hour_ago,
    )
    thread_create(community=town.zorg, by=town.mia, kind="question", title="My own question")
    thread_create(community=town.elders, by=town.asker, kind="question", title="Dementie elsewhere")
    content = make_client(town.mia).get("/").content.decode()
    assert "My own question" not in content
    assert "Dementie elsewhere" not in content
    assert content.index("Who knows a course?") < content.index("Oldest question about parking")
    assert content.index("Tips bij dementie thuis?") < content.index("Oldest question")
    assert "Matches: mantelzorg" in content
    assert "Matches: dementie" in content
    # Only the first question can be the one waiting longest; here a match comes first.
    assert "Waiting longest" not in content


def test_answered_questions_drop_out(make_client, town):
    """A question someone has responded to is no longer waiting."""
    thread = thread_create(community=town.zorg, by=town.asker, kind="question", title="Help?")
    reply_create(thread=thread, by=town.zorg_facilitator, body="Here is how.")
    content = make_client(town.mia).get("/").content.decode()
    assert "Help?" not in content
    assert "No question is waiting for an answer." in content


def test_new_stories_and_lessons_only(make_client, town):
    """New practice stories and lessons learned of your communities show; other kinds, old
    ones and other communities' do not."""
    item_create(community=town.zorg, by=town.asker, kind="practice_story", title="Our story")
    item_create(
        community=town.energie,
        by=town.asker,
        kind="lesson_learned",
        title="A lesson",
        sections={"learned": "Ask early."},
    )
    item_create(community=town.zorg, by=town.asker, kind="toolkit", title="A toolkit")
    item_create(
        community=town.zorg,
        by=town.asker,
        kind="practice_story",
        title="An old story",
        at=timezone.now() - timedelta(days=60),
    )
    item_create(community=town.elders, by=town.asker, kind="practice_story", title="Not yours")
    content = make_client(town.mia).get("/").content.decode()
    assert "Our story" in content and "A lesson" in content
    for absent in ("A toolkit", "An old story", "Not yours"):
        assert absent not in content


def test_open_action_points_with_overdue_marked(make_client, town):
    """Your open action points show, the overdue one marked, each with its one-tap tick."""
    today = timezone.localdate()
    late = action_point_create(
        community=town.zorg,
        by=town.zorg_facilitator,
        what="Call the library",
        owner=town.mia,
        due_date=today - timedelta(days=2),
    )
    action_point_create(
        community=town.zorg, by=town.zorg_facilitator, what="Someone else's", owner=town.asker
    )
    content = make_client(town.mia).get("/").content.decode()
    assert "Call the library" in content
    assert "Someone else&#x27;s" not in content
    assert "1 is past its date." in content
    assert f'action="/communities/zorg-thuis/action-points/{late.pk}/done/"' in content


def test_unread_messages_and_notifications(make_client, town):
    """Unread messages show who sent them (never what), and the notifications count."""
    message_send(sender=town.asker, recipient=town.mia, body="A private word")
    thread = thread_create(
        community=town.zorg, by=town.mia, kind="discussion", title="Hello", body="Hi!"
    )
    reply_create(thread=thread, by=town.asker, body="Welcome!")
    content = make_client(town.mia).get("/").content.decode()
    assert "1 unread message" in content
    assert "From Aart Asker" in content
    assert "A private word" not in content
    # The message is one notification, the reply the other.
    assert "2 unread notifications" in content
    assert "replied to your discussion" in content


def test_newcomer_sees_three_first_steps_ticked_as_done(make_client, town, plan):
    """A newcomer gets three first steps; each is ticked once done, and the list goes away
    when the profile is filled in and they have said hello."""
    session = plan(town.zorg, town.zorg_facilitator)
    client = make_client(town.mia)
    content = client.get("/").content.decode()
    assert "Your first steps" in content
    assert content.count('class="week-step is-done"') == 0
    assert "/communities/energie/conversations/create/?kind=discussion" in content

    rsvp_set(session=session, user=town.mia, response=RsvpResponse.YES)
    profile_update(user=town.mia, by=town.mia, bio="I care for my mother.", help_tags=["zorg"])
    content = client.get("/").content.decode()
    assert content.count('class="week-step is-done"') == 2
    assert "Introduce yourself" in content

    thread_create(
        community=town.zorg, by=town.mia, kind="discussion", title="Hello all", body="Hi!"
    )
    assert "Your first steps" not in client.get("/").content.decode()


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_communities_and_sessions(
    make_client, make_user, make_community, make_member, plan, django_assert_num_queries
):
    """The same number of queries for one community with one of everything as for four
    communities with several sessions, questions, stories and action points each."""

    def build(n_communities: int, per: int):
        person = make_user()
        profile_update(user=person, by=person, help_tags=["zorg"])
        for c in range(n_communities):
            facilitator = make_user()
            community = make_community(by=facilitator)
            make_member(community, user=person)
            other = make_member(community).user
            for i in range(per):
                session = plan(community, facilitator, days=i + 1)
                rsvp_set(session=session, user=person, response=RsvpResponse.YES)
                thread_create(community=community, by=other, kind="question", title=f"Zorg {c}-{i}")
                item_create(community=community, by=other, kind="practice_story", title="S")
                action_point_create(community=community, by=facilitator, what="Do it", owner=person)
                message_send(sender=other, recipient=person, body="Hi")
        return make_client(person)

    small, large = build(1, 1), build(4, 3)
    small.get("/")  # settle the session before measuring
    large.get("/")
    with django_assert_num_queries(_count(small)):
        assert large.get("/").status_code == 200


def test_platform_admin_sees_only_their_own_communities_and_the_overview_link(
    make_client, make_admin, town, plan
):
    """A platform admin's week is about their own communities too (none here), with a link
    to the platform overview; other communities' sessions are not in it."""
    plan(town.zorg, town.zorg_facilitator, title="Leerkring zorg")
    content = make_client(make_admin()).get("/").content.decode()
    assert "You are not in a community yet" in content
    assert 'href="/platform/"' in content
    assert "Leerkring zorg" not in content


def test_facilitator_gets_a_link_to_their_cockpit(make_client, town):
    """A facilitator's list of communities links to what needs their attention there."""
    content = make_client(town.zorg_facilitator).get("/").content.decode()
    assert 'href="/communities/zorg-thuis/insights/"' in content
    assert 'href="/communities/energie/insights/"' not in content
