"""The Polls pages: who gets them, what they show, and bad input answered clearly."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.decisions import services
from kring.decisions.models import Poll, PollOption, PollParticipation, ShowResults
from kring.decisions.tests.conftest import make_date_poll, make_poll
from kring.meetings.models import Session

# Who reads the polls: everyone inside; outsiders do not learn the tab exists.
READERS = [
    ("anonymous", 302),
    ("outsider", 404),
    ("other facilitator", 404),
    ("guest", 200),
    ("member", 200),
    ("core", 200),
    ("facilitator", 200),
    ("platform admin", 200),
]


def _client(make_client, people, who):
    return make_client(people[who])


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_reads_the_polls(cast, make_client, who, status):
    """The list and a poll's page: members and platform admins, not people from outside."""
    community, people = cast
    poll = make_poll(community, people["member"])
    client = _client(make_client, people, who)
    for url in (
        reverse("poll-list", args=[community.slug]),
        reverse("poll-detail", args=[community.slug, poll.pk]),
    ):
        assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "simple", "date"),
    [
        ("anonymous", 302, 302),
        ("outsider", 404, 404),
        ("other facilitator", 404, 404),
        ("guest", 403, 403),
        ("member", 200, 403),
        ("core", 200, 403),
        ("facilitator", 200, 200),
        ("platform admin", 200, 200),
    ],
)
def test_who_starts_a_poll(cast, make_client, who, simple, date):
    """Members start polls; only facilitators and platform admins start date polls."""
    community, people = cast
    client = _client(make_client, people, who)
    assert client.get(reverse("poll-create", args=[community.slug])).status_code == simple
    assert client.get(reverse("date-poll-create", args=[community.slug])).status_code == date


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("other facilitator", 404),
        ("guest", 403),
        ("member", 403),
        ("core", 403),
        ("facilitator", 302),
        ("platform admin", 302),
    ],
)
def test_who_plans_from_a_date_poll(cast, make_client, who, status):
    """Only facilitators and platform admins turn the winning date into a session."""
    community, people = cast
    poll = make_date_poll(community, people["facilitator"])
    answers = {o.pk: "yes" for o in poll.options.all()}
    services.poll_vote(poll=poll, by=people["member"], answers=answers)
    client = _client(make_client, people, who)
    response = client.post(reverse("poll-plan", args=[community.slug, poll.pk]))
    assert response.status_code == status
    assert Session.objects.exists() is (status == 302 and who != "anonymous")


def test_a_member_starts_a_poll_and_votes(cast, make_client):
    """The form makes the poll; the vote counts; the results show after voting."""
    community, people = cast
    client = make_client(people["member"])
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("poll-create", args=[community.slug]),
        {
            "question": "Which theme next?",
            "options": "Loneliness\nHousing\n\n",
            "show_results": ShowResults.AFTER_VOTE,
            "closes_at": closes,
        },
    )
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert list(poll.options.values_list("label", flat=True)) == ["Loneliness", "Housing"]
    page = client.get(reverse("poll-detail", args=[community.slug, poll.pk])).content.decode()
    assert "Results" not in page
    option = poll.options.first()
    client.post(reverse("poll-vote", args=[community.slug, poll.pk]), {"option": option.pk})
    page = client.get(reverse("poll-detail", args=[community.slug, poll.pk])).content.decode()
    assert "Results" in page and "1 person voted" in page


def test_results_after_closing_stay_hidden_until_then(cast, make_client):
    """With results after closing, a voter sees none until the poll closes."""
    community, people = cast
    poll = make_poll(community, people["member"], show_results=ShowResults.AFTER_CLOSE)
    services.poll_vote(poll=poll, by=people["core"], answers={poll.options.first().pk: "yes"})
    client = make_client(people["core"])
    url = reverse("poll-detail", args=[community.slug, poll.pk])
    assert "Results" not in client.get(url).content.decode()
    make_client(people["member"]).post(reverse("poll-close", args=[community.slug, poll.pk]))
    assert "Results" in client.get(url).content.decode()


def test_a_facilitator_runs_a_date_poll_and_plans_it(cast, make_client):
    """Date poll form, yes/maybe/no votes, and one click plans the winning date."""
    community, people = cast
    client = make_client(people["facilitator"])
    response = client.post(
        reverse("date-poll-create", args=[community.slug]),
        {
            "question": "When do we meet?",
            "starts": "2030-03-09 19:30\n2030-03-10 19:30",
            "session_title": "Leerkring",
            "session_location": "Buurthuis",
            "session_minutes": "90",
            "show_results": ShowResults.AFTER_VOTE,
            "closes_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    first, second = poll.options.all()
    make_client(people["member"]).post(
        reverse("poll-vote", args=[community.slug, poll.pk]),
        {f"answer-{first.pk}": "no", f"answer-{second.pk}": "yes"},
    )
    response = client.post(reverse("poll-plan", args=[community.slug, poll.pk]))
    session = Session.objects.get()
    assert response.url == reverse("session-detail", args=[community.slug, session.pk])
    assert session.starts_at == second.starts_at
    assert (session.ends_at - session.starts_at) == timedelta(minutes=90)
    assert session.title == "Leerkring"


def _result_rows(page: str) -> list[str]:
    """The results' list items of a poll page, in order."""
    results = page.split('id="results-title"', 1)[1].split("</ul>", 1)[0]
    return results.split("<li")[1:]


def test_the_results_show_your_own_answer_to_each_date(cast, make_client):
    """A date poll is answered for every date: each result shows what you said to it, not
    "your choice" on all of them (a "no" included)."""
    community, people = cast
    poll = make_date_poll(community, people["facilitator"])
    first, second, third = poll.options.all()
    answers = {first.pk: "no", second.pk: "yes", third.pk: "maybe"}
    services.poll_vote(poll=poll, by=people["member"], answers=answers)
    page = make_client(people["member"]).get(reverse("poll-detail", args=[community.slug, poll.pk]))
    rows = _result_rows(page.content.decode())
    assert len(rows) == 3
    for row, said in zip(rows, ("no", "yes", "maybe"), strict=True):
        assert f"you said {said}" in row
        assert "your choice" not in row
    assert "Best date" in rows[1]


def test_the_results_mark_your_choice_in_a_poll(cast, make_client):
    """A simple poll marks only the option you chose."""
    community, people = cast
    poll = make_poll(community, people["facilitator"])
    chosen = poll.options.all()[1]
    services.poll_vote(poll=poll, by=people["member"], answers={chosen.pk: "yes"})
    page = make_client(people["member"]).get(reverse("poll-detail", args=[community.slug, poll.pk]))
    rows = _result_rows(page.content.decode())
    assert ["your choice" in row for row in rows] == [False, True, False]
    assert "you said" not in page.content.decode()


BAD_POLLS = [
    ({"question": "", "options": "A\nB"}, "This field is required."),
    ({"question": "   ", "options": "A\nB"}, "This field is required."),
    ({"options": "Only one"}, "Give at least two options."),
    ({"options": "Same\nsame"}, "Give each option only once."),
    ({"options": "A\n" + "B" * 201}, "Keep each option to 200 characters."),
    ({"question": "Q" * 201}, "Keep the question to 200 characters."),
    ({"closes_at": "2001-01-01T10:00"}, "The poll must close in the future."),
    ({"closes_at": "tomorrow"}, "Enter a valid date/time."),
    ({"show_results": "never"}, "Select a valid choice."),
    ({"session": "999999"}, "That session is not in this community."),
]


def _closes() -> str:
    return (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def _refused(client, url: str, data: dict) -> str:
    """Post a bad form: it comes back with 400, nothing is stored; the page's text."""
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Poll.objects.exists() and not PollOption.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize(("change", "message"), BAD_POLLS)
def test_a_bad_poll_is_refused_and_nothing_saved(cast, make_client, change, message):
    """Each bad field is named on the form; no poll or option is stored."""
    community, people = cast
    data = {
        "question": "<script>alert(1)</script> Which?",
        "options": "A\nB",
        "show_results": ShowResults.AFTER_VOTE,
        "closes_at": _closes(),
        **change,
    }
    url = reverse("poll-create", args=[community.slug])
    page = _refused(make_client(people["member"]), url, data)
    assert message in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts": "2030-03-09 19:30"}, "Give at least two different dates."),
        ({"starts": "next tuesday\n2030-03-09 19:30"}, "We cannot read"),
        ({"starts": "2001-03-09 19:30\n2001-03-10 19:30"}, "Give dates in the future."),
        ({"session_location": " "}, "This field is required."),
        ({"session_minutes": "0"}, "A session lasts between 1 minute and a day."),
    ],
)
def test_a_bad_date_poll_is_refused_and_nothing_saved(cast, make_client, change, message):
    """Bad dates, a missing address or length are named; nothing is stored."""
    community, people = cast
    data = {
        "question": "When?",
        "starts": "2030-03-09 19:30\n2030-03-10 19:30",
        "session_title": "Leerkring",
        "session_location": "Buurthuis",
        "session_minutes": "90",
        "show_results": ShowResults.AFTER_VOTE,
        "closes_at": _closes(),
        **change,
    }
    url = reverse("date-poll-create", args=[community.slug])
    assert message in _refused(make_client(people["facilitator"]), url, data)


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999"])
def test_a_bad_vote_is_refused_and_nothing_saved(cast, make_client, value):
    """A vote without a valid option of this poll is answered with a message."""
    community, people = cast
    poll = make_poll(community, people["member"])
    data = {"option": value} if value else {}
    response = make_client(people["core"]).post(
        reverse("poll-vote", args=[community.slug, poll.pk]), data
    )
    assert response.status_code == 400
    assert "Choose" in response.content.decode()
    assert not PollParticipation.objects.exists()


def test_the_list_takes_the_same_queries_for_more_polls(
    cast, make_client, django_assert_num_queries
):
    """The list page's query count does not grow with the number of polls."""
    community, people = cast
    client = make_client(people["member"])
    url = reverse("poll-list", args=[community.slug])
    make_poll(community, people["member"])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(12):
        make_poll(community, people["member"])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
