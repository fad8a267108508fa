"""Polls through the services: one vote each, anonymity in the database rows, the closing
moment, and the date poll that plans a session."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.core.models import ActivityEvent
from kring.decisions import permissions, selectors, services
from kring.decisions.models import (
    AnonymousChoice,
    Poll,
    PollOption,
    PollParticipation,
    PollVote,
    ShowResults,
)
from kring.decisions.tests.conftest import make_date_poll, make_poll
from kring.meetings.models import Session


def _first(poll):
    return poll.options.order_by("position").first().pk


def test_one_vote_per_person(cast):
    """A second vote is refused with a message, and the database refuses it too."""
    community, people = cast
    poll = make_poll(community, people["member"])
    services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    with pytest.raises(ValidationError, match="already voted"):
        services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    with pytest.raises(IntegrityError), transaction.atomic():
        PollParticipation.objects.create(poll=poll, user=people["core"])
    assert PollVote.objects.filter(poll=poll).count() == 1


def test_open_vote_keeps_who_chose_what(cast):
    """In an open poll the vote names the person and their option."""
    community, people = cast
    poll = make_poll(community, people["member"], multiple=True)
    ids = list(poll.options.values_list("pk", flat=True))
    services.poll_vote(poll=poll, by=people["guest"], answers={ids[0]: "yes", ids[2]: "yes"})
    assert set(PollVote.objects.values_list("user_id", "option_id")) == {
        (people["guest"].pk, ids[0]),
        (people["guest"].pk, ids[2]),
    }
    assert selectors.my_answers(poll=poll, viewer=people["guest"]) == {ids[0]: "yes", ids[2]: "yes"}


def test_anonymous_votes_cannot_be_linked_to_a_person(cast, voters):
    """The rows of an anonymous poll: who voted, without choice or time; choices without
    person or time, with ids renewed on every vote; no open votes and no vote events."""
    community, people = cast
    poll = make_poll(community, people["facilitator"], anonymous=True)
    ids = list(poll.options.values_list("pk", flat=True))
    seen_ids: set = set()
    for n, voter in enumerate(voters):
        services.poll_vote(poll=poll, by=voter, answers={ids[n % 3]: "yes"})
        now_ids = set(AnonymousChoice.objects.filter(poll=poll).values_list("id", flat=True))
        assert not now_ids & seen_ids, "every vote writes all choices again with new ids"
        seen_ids |= now_ids
    # The tables hold nothing that ties a choice to a person or a moment.
    assert {f.name for f in AnonymousChoice._meta.concrete_fields} == {
        "id",
        "poll",
        "option",
        "answer",
    }
    assert {f.name for f in PollParticipation._meta.concrete_fields} == {"id", "poll", "user"}
    assert not PollVote.objects.filter(poll=poll).exists()
    assert set(PollParticipation.objects.filter(poll=poll).values_list("user_id", flat=True)) == {
        v.pk for v in voters
    }
    assert sorted(AnonymousChoice.objects.values_list("option_id", flat=True)) == sorted(
        [ids[0], ids[1], ids[2], ids[0], ids[1]]
    )
    assert not ActivityEvent.objects.filter(actor__in=voters, verb__startswith="poll").exists()
    assert selectors.my_answers(poll=poll, viewer=voters[0]) == {}
    services.poll_close(poll=poll, by=people["facilitator"])
    tally = selectors.poll_tally(poll=poll)
    assert tally.voters == 5
    assert [t.yes for t in tally.options] == [2, 2, 1]


def test_no_votes_after_the_closing_moment(cast, monkeypatch):
    """Once the closing moment has passed, a vote is refused and nothing is stored."""
    community, people = cast
    poll = make_poll(community, people["member"], closes_at=timezone.now() + timedelta(hours=1))
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not poll.is_open
    with pytest.raises(ValidationError, match="closed"):
        services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    assert not PollParticipation.objects.exists()


def test_no_votes_after_closing_early(cast):
    """A poll closed early by its creator takes no more votes."""
    community, people = cast
    poll = make_poll(community, people["member"])
    services.poll_close(poll=poll, by=people["member"])
    with pytest.raises(ValidationError, match="closed"):
        services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    assert ActivityEvent.objects.filter(verb="poll_closed").count() == 1


@pytest.mark.parametrize(
    ("show", "after_vote", "after_close"),
    [(ShowResults.AFTER_VOTE, True, True), (ShowResults.AFTER_CLOSE, False, True)],
)
def test_results_show_as_the_creator_chose(cast, show, after_vote, after_close):
    """Results are hidden before you vote; after your vote only if the creator chose so;
    after closing always."""
    community, people = cast
    poll = make_poll(community, people["member"], show_results=show)
    assert not permissions.can_see_results(poll, voted=False)
    services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    assert permissions.can_see_results(poll, voted=True) is after_vote
    services.poll_close(poll=poll, by=people["facilitator"])
    assert permissions.can_see_results(poll, voted=False) is after_close


def test_one_choice_unless_several_are_allowed(cast):
    """Two choices in a one-choice poll, none, or another poll's option are refused."""
    community, people = cast
    poll = make_poll(community, people["member"])
    other = make_poll(community, people["member"])
    ids = list(poll.options.values_list("pk", flat=True))
    for answers, message in [
        ({ids[0]: "yes", ids[1]: "yes"}, "Choose one option"),
        ({}, "Choose an option"),
        ({_first(other): "yes"}, "Choose from the options"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.poll_vote(poll=poll, by=people["core"], answers=answers)
    assert not PollParticipation.objects.exists()


def test_the_date_poll_plans_the_winning_date(cast, voters):
    """The date with most yes (then maybe) becomes a planned session with the poll's title
    and address; the poll closes and remembers the session; it plans only once."""
    community, people = cast
    poll = make_date_poll(community, people["facilitator"], anonymous=True)
    first, second, third = poll.options.order_by("position")
    votes = [
        {first.pk: "yes", second.pk: "yes", third.pk: "no"},
        {first.pk: "maybe", second.pk: "yes", third.pk: "yes"},
        {first.pk: "no", second.pk: "maybe", third.pk: "no"},
    ]
    for voter, answers in zip(voters, votes, strict=False):
        services.poll_vote(poll=poll, by=voter, answers=answers)
    session = services.poll_session_plan(poll=poll, by=people["facilitator"])
    poll.refresh_from_db()
    assert session.starts_at == second.starts_at
    assert session.ends_at == second.starts_at + timedelta(minutes=120)
    assert (session.title, session.location) == ("Leerkring in spring", "Stadhuisplein 1")
    assert poll.planned_session == session and not poll.is_open
    with pytest.raises(ValidationError, match="already planned"):
        services.poll_session_plan(poll=poll, by=people["facilitator"])
    assert Session.objects.filter(community=community).count() == 1


def test_a_date_poll_without_any_yes_plans_nothing(cast):
    """With no yes on any date, planning is refused and no session is made."""
    community, people = cast
    poll = make_date_poll(community, people["facilitator"])
    with pytest.raises(ValidationError, match="No date has a yes"):
        services.poll_session_plan(poll=poll, by=people["facilitator"])
    assert not Session.objects.exists()


def test_a_date_vote_answers_every_date(cast):
    """A date vote must say yes, maybe or no for each date."""
    community, people = cast
    poll = make_date_poll(community, people["facilitator"])
    first = _first(poll)
    with pytest.raises(ValidationError, match="each date"):
        services.poll_vote(poll=poll, by=people["member"], answers={first: "yes"})
    assert not PollParticipation.objects.exists()


@pytest.mark.parametrize(
    ("who", "simple", "date", "plan"),
    [
        ("facilitator", True, True, True),
        ("platform admin", True, True, True),
        ("core", True, False, False),
        ("member", True, False, False),
        ("guest", False, False, False),
        ("outsider", False, False, False),
        ("other facilitator", False, False, False),
    ],
)
def test_who_starts_polls_and_plans(cast, who, simple, date, plan):
    """Members start polls, facilitators date polls and plan from them; guests and people
    from outside do neither."""
    community, people = cast
    user = people[who]
    assert permissions.can_create_poll(user, community) is simple
    assert permissions.can_create_date_poll(user, community) is date
    poll = make_date_poll(community, people["facilitator"])
    if not plan:
        with pytest.raises(PermissionDenied):
            services.poll_session_plan(poll=poll, by=user)
    if not simple:
        with pytest.raises(PermissionDenied):
            make_poll(community, user)
        assert Poll.objects.count() == 1


def test_a_poll_about_a_session_elsewhere_is_refused(cast, make_community):
    """A poll can be about a session or discussion of its own community only."""
    community, people = cast
    other_poll_count = Poll.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_poll(community, people["member"], session_id=999999, thread_id=999999)
    assert "session" in caught.value.message_dict
    assert Poll.objects.count() == other_poll_count
    assert not PollOption.objects.exists()


@pytest.mark.parametrize("anonymous", [False, True])
def test_erasing_a_voter_keeps_the_results(cast, anonymous):
    """An erased member's vote stays counted, by a former member, in either kind of poll."""
    from kring.privacy.erasure import account_erase

    community, people = cast
    poll = make_poll(community, people["member"], anonymous=anonymous)
    services.poll_vote(poll=poll, by=people["core"], answers={_first(poll): "yes"})
    account_erase(user=people["core"], contributions="remove", by=people["core"])
    tally = selectors.poll_tally(poll=poll)
    assert tally.voters == 1 and tally.options[0].yes == 1
    assert not PollParticipation.objects.filter(user=people["core"]).exists()
