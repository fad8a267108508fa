"""Polls about a session or a discussion: shown on its page to those who read polls, the
link to start one for those who may, the poll made from it knows what it is about, and a
hidden discussion is never named to those who may not read it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.communities.models import Community
from kring.conversations.models import ThreadKind
from kring.conversations.services import moderation as moderation_services
from kring.conversations.services.threads import thread_create
from kring.decisions import selectors, services
from kring.decisions.models import Poll, ShowResults
from kring.decisions.tests.conftest import make_poll
from kring.meetings.services import session_create

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _session(community, by, title="Leerkring in May"):
    day = timezone.localtime(timezone.now(), AMSTERDAM).date() + timedelta(days=7)
    starts = datetime(day.year, day.month, day.day, 14, 0, tzinfo=AMSTERDAM)
    return session_create(
        community=community,
        by=by,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        title=title,
        location="Buurthuis, Dorpsstraat 1",
    )


def _thread(community, by, kind=ThreadKind.DISCUSSION, title="Shall we meet in the evening?"):
    return thread_create(community=community, by=by, kind=kind, title=title, body="Let us talk.")


@pytest.fixture
def subjects(cast):
    """A session and a discussion of the cast's community, each with one poll about it."""
    community, people = cast
    session = _session(community, people["facilitator"])
    thread = _thread(community, people["member"])
    make_poll(community, people["member"], question="Which room?", session_id=session.pk)
    make_poll(community, people["core"], question="Which evening?", thread_id=thread.pk)
    return session, thread


def _pages(community, session, thread) -> dict[str, tuple[str, str, str]]:
    """Per page: its address, the poll about it and the words of the start link."""
    return {
        "session": (
            reverse("session-detail", args=[community.slug, session.pk]),
            "Which room?",
            "Start a poll about this session",
        ),
        "thread": (
            reverse("thread-detail", args=[community.slug, thread.pk]),
            "Which evening?",
            "Start a poll in this discussion",
        ),
    }


@pytest.mark.parametrize(
    ("who", "status", "sees_polls", "may_start"),
    [
        ("facilitator", 200, True, True),
        ("core", 200, True, True),
        ("member", 200, True, True),
        ("guest", 200, True, False),
        ("platform admin", 200, True, True),
        ("outsider", 404, False, False),
        ("other facilitator", 404, False, False),
        ("anonymous", 302, False, False),
    ],
)
def test_who_sees_the_polls_and_the_start_link(
    cast, subjects, make_client, who, status, sees_polls, may_start
):
    """Everyone inside sees the polls about a session or discussion; members, not guests,
    get the link to start one; outsiders get no page at all."""
    community, people = cast
    session, thread = subjects
    client = make_client(people[who])
    create = reverse("poll-create", args=[community.slug])
    for name, (url, question, start) in _pages(community, session, thread).items():
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == status, name
        assert (question in page) is sees_polls, name
        assert (start in page) is may_start, name
        about = f"session={session.pk}" if name == "session" else f"thread={thread.pk}"
        assert (f'href="{create}?{about}"' in page) is may_start, name


def test_the_list_shows_state_and_voters_and_only_this_subject(cast, subjects, make_client):
    """Each poll shows whether it is open and how many voted; polls about something else
    are not listed."""
    community, people = cast
    session, thread = subjects
    closed = make_poll(
        community, people["member"], question="Tea or coffee?", session_id=session.pk
    )
    services.poll_vote(poll=closed, by=people["guest"], answers={closed.options.first().pk: "yes"})
    services.poll_vote(poll=closed, by=people["core"], answers={closed.options.first().pk: "yes"})
    services.poll_close(poll=closed, by=people["member"])
    other_session = _session(community, people["facilitator"], title="Another evening")
    make_poll(community, people["member"], question="Elsewhere?", session_id=other_session.pk)
    make_poll(community, people["member"], question="About nothing?")
    client = make_client(people["guest"])
    page = client.get(reverse("session-detail", args=[community.slug, session.pk])).content.decode()
    assert "Which room?" in page and "Tea or coffee?" in page
    assert (
        "Elsewhere?" not in page and "About nothing?" not in page and "Which evening?" not in page
    )
    assert "2 people voted." in page and "0 people voted." in page
    assert ">Closed<" in page and ">Open<" in page and "You voted" in page
    assert reverse("poll-detail", args=[community.slug, closed.pk]) in page


def test_a_guest_sees_nothing_where_there_are_no_polls(cast, make_client):
    """Without polls and without the right to start one, the page has no polls section."""
    community, people = cast
    session = _session(community, people["facilitator"])
    url = reverse("session-detail", args=[community.slug, session.pk])
    assert 'id="polls-about-title"' not in make_client(people["guest"]).get(url).content.decode()
    page = make_client(people["member"]).get(url).content.decode()
    assert "No polls about this session yet." in page
    assert "Start a poll about this session" in page


def test_a_poll_started_from_the_session_page_is_about_the_session(cast, make_client):
    """The link opens the form naming the session; the poll made with it is about the
    session, and its page links back to it."""
    community, people = cast
    session = _session(community, people["facilitator"], title="Leerkring <b>in</b> May")
    client = make_client(people["member"])
    create = reverse("poll-create", args=[community.slug])
    form = client.get(f"{create}?session={session.pk}").content.decode()
    session_url = reverse("session-detail", args=[community.slug, session.pk])
    assert "About the session" in form and f'href="{session_url}"' in form
    assert "Leerkring &lt;b&gt;in&lt;/b&gt; May" in form
    assert f'name="session" value="{session.pk}"' in form
    response = client.post(
        create,
        {
            "question": "Which room?",
            "options": "Big hall\nSmall room",
            "show_results": ShowResults.AFTER_VOTE,
            "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "session": str(session.pk),
            "thread": "",
        },
    )
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("poll-detail", args=[community.slug, poll.pk])
    assert poll.session == session and poll.thread is None
    detail = client.get(response["Location"]).content.decode()
    assert "About the session" in detail and f'href="{session_url}"' in detail
    assert "Which room?" in client.get(session_url).content.decode()


def test_a_poll_started_in_a_discussion_is_in_the_discussion(cast, make_client):
    """The same from a discussion: the form and the poll name it ("In the discussion")."""
    community, people = cast
    thread = _thread(community, people["core"])
    client = make_client(people["member"])
    create = reverse("poll-create", args=[community.slug])
    thread_url = reverse("thread-detail", args=[community.slug, thread.pk])
    form = client.get(f"{create}?thread={thread.pk}").content.decode()
    assert "In the discussion" in form and f'href="{thread_url}"' in form
    response = client.post(
        create,
        {
            "question": "Which evening?",
            "options": "Monday\nTuesday",
            "show_results": ShowResults.AFTER_VOTE,
            "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "thread": str(thread.pk),
        },
    )
    poll = Poll.objects.get()
    assert response["Location"] == reverse("poll-detail", args=[community.slug, poll.pk])
    assert poll.thread == thread and poll.session is None
    detail = client.get(response["Location"]).content.decode()
    assert "In the discussion" in detail and "Shall we meet in the evening?" in detail
    assert "Which evening?" in client.get(thread_url).content.decode()


def test_no_start_link_in_questions_or_hidden_or_locked_threads(cast, make_client):
    """A poll starts in an open discussion only: not under a question, nor in a discussion a
    facilitator has hidden or locked. Polls already about them are still listed."""
    community, people = cast
    question = _thread(community, people["member"], kind=ThreadKind.QUESTION, title="How?")
    hidden = _thread(community, people["member"], title="Hidden talk")
    locked = _thread(community, people["member"], title="Locked talk")
    for thread in (question, hidden, locked):
        make_poll(
            community, people["member"], question=f"Poll on {thread.title}", thread_id=thread.pk
        )
    moderation_services.post_hide(by=people["facilitator"], thread=hidden, reason="Off topic")
    moderation_services.thread_lock(by=people["facilitator"], thread=locked, reason="Enough")
    client = make_client(people["facilitator"])
    for thread in (question, hidden, locked):
        page = client.get(reverse("thread-detail", args=[community.slug, thread.pk]))
        text = page.content.decode()
        assert f"Poll on {thread.title}" in text
        assert "Start a poll in this discussion" not in text


def test_a_hidden_discussion_is_not_named_on_its_polls(cast, make_client):
    """A member cannot start a poll about a hidden discussion, and a poll about it does not
    name it to members who may not read it; the facilitator still sees it."""
    community, people = cast
    thread = _thread(community, people["core"], title="Heated matter")
    poll = make_poll(community, people["facilitator"], question="Calm down?", thread_id=thread.pk)
    moderation_services.post_hide(by=people["facilitator"], thread=thread, reason="Too heated")
    with pytest.raises(ValidationError) as caught:
        make_poll(community, people["member"], thread_id=thread.pk)
    assert "thread" in caught.value.message_dict
    url = reverse("poll-detail", args=[community.slug, poll.pk])
    member_page = make_client(people["member"]).get(url).content.decode()
    assert "Calm down?" in member_page and "Heated matter" not in member_page
    assert "Heated matter" in make_client(people["facilitator"]).get(url).content.decode()
    create = reverse("poll-create", args=[community.slug])
    form = make_client(people["member"]).get(f"{create}?thread={thread.pk}").content.decode()
    assert "Heated matter" not in form and "In the discussion" not in form


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "99999999999999", "<script>"])
def test_a_bad_subject_in_the_address_is_refused_and_nothing_saved(cast, make_client, value):
    """An unreadable session or discussion in the address names nothing on the form, and
    sending it is refused with a message on top; no poll is stored."""
    community, people = cast
    client = make_client(people["member"])
    create = reverse("poll-create", args=[community.slug])
    for name, message in (
        ("session", "That session is not in this community."),
        ("thread", "That discussion is not in this community."),
    ):
        form = client.get(f"{create}?{name}={value}")
        assert form.status_code == 200
        assert "About the session" not in form.content.decode()
        response = client.post(
            create,
            {
                "question": "Which?",
                "options": "A\nB",
                "show_results": ShowResults.AFTER_VOTE,
                "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                name: value,
            },
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert message in page
        assert "<script>" not in page
    assert not Poll.objects.exists()


def test_a_subject_of_another_community_is_not_named_nor_accepted(cast, make_client, make_member):
    """A session or discussion of another community, even one the member is in, is not
    named on the form, and the poll is refused."""
    community, people = cast
    other = people["other facilitator"]
    elsewhere = Community.objects.get(name="Elsewhere")
    make_member(elsewhere, user=people["member"])
    session = _session(elsewhere, other, title="Foreign session")
    thread = _thread(elsewhere, other, title="Foreign talk")
    client = make_client(people["member"])
    create = reverse("poll-create", args=[community.slug])
    for name, pk, title in (
        ("session", session.pk, "Foreign session"),
        ("thread", thread.pk, "Foreign talk"),
    ):
        form = client.get(f"{create}?{name}={pk}").content.decode()
        assert title not in form
        response = client.post(
            create,
            {
                "question": "Which?",
                "options": "A\nB",
                "show_results": ShowResults.AFTER_VOTE,
                "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                name: str(pk),
            },
        )
        assert response.status_code == 400
        assert "is not in this community." in response.content.decode()
    assert not Poll.objects.exists()


def test_a_page_shows_at_most_ten_polls_and_links_to_the_rest(cast):
    """Many polls about a session: the newest ten, and word that there are more."""
    community, people = cast
    session = _session(community, people["facilitator"])
    for n in range(selectors.ABOUT_MAX + 1):
        make_poll(community, people["member"], question=f"Question {n}", session_id=session.pk)
    polls, more = selectors.polls_about(viewer=people["guest"], session=session)
    assert len(polls) == selectors.ABOUT_MAX and more
    assert polls[0].question == f"Question {selectors.ABOUT_MAX}"
    assert selectors.polls_about(viewer=people["outsider"], session=session) == ([], False)


@pytest.mark.parametrize("page", ["session", "thread"])
def test_the_polls_take_the_same_queries_for_more_polls(cast, subjects, make_client, page):
    """The session and discussion pages ask the database as often with one poll about them
    as with many (the polls are one query)."""
    community, people = cast
    session, thread = subjects
    client = make_client(people["member"])
    url = _pages(community, session, thread)[page][0]
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        poll = make_poll(
            community,
            people["member"],
            question=f"More {n}",
            **({"session_id": session.pk} if page == "session" else {"thread_id": thread.pk}),
        )
        services.poll_vote(poll=poll, by=people["core"], answers={poll.options.first().pk: "yes"})
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
