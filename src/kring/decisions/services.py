"""Writes for polls: start one, vote, close it, and plan the session a date poll chose."""

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.communities.permissions import membership_of
from kring.conversations.models import Thread
from kring.conversations.permissions import can_see_thread
from kring.core.services import activity_record
from kring.decisions import permissions
from kring.decisions.models import (
    AnonymousChoice,
    Answer,
    Poll,
    PollKind,
    PollOption,
    PollParticipation,
    PollVote,
    ShowResults,
)
from kring.decisions.selectors import poll_tally, winning_option
from kring.decisions.verbs import DecisionVerb
from kring.meetings.details import clean_details, clean_duration
from kring.meetings.models import Session
from kring.meetings.services import session_create

MAX_QUESTION = 200
MAX_OPTION = 200
MIN_OPTIONS = 2
MAX_OPTIONS = 20
MAX_OPEN_DAYS = 366

# The order of anonymous choices must not follow the order of the votes.
_rng = random.SystemRandom()


def _clean_common(*, question: str, closes_at: datetime, show_results: str) -> str:
    errors: dict[str, str] = {}
    question = " ".join((question or "").split())
    if not question:
        errors["question"] = _("Write the question.")
    elif len(question) > MAX_QUESTION:
        errors["question"] = _("Keep the question to %(max)s characters.") % {"max": MAX_QUESTION}
    now = timezone.now()
    if closes_at is None or timezone.is_naive(closes_at):
        errors["closes_at"] = _("Give the moment the poll closes.")
    elif closes_at <= now:
        errors["closes_at"] = _("The poll must close in the future.")
    elif closes_at > now + timedelta(days=MAX_OPEN_DAYS):
        errors["closes_at"] = _("Close the poll within a year.")
    if show_results not in ShowResults.values:
        errors["show_results"] = _("Choose when the results show.")
    if errors:
        raise ValidationError(errors)
    return question


def _clean_labels(options: Sequence[str]) -> list[str]:
    labels = [" ".join(str(o).split()) for o in options]
    labels = [label for label in labels if label]
    if len(labels) < MIN_OPTIONS:
        raise ValidationError({"options": _("Give at least two options.")})
    if len(labels) > MAX_OPTIONS:
        raise ValidationError(
            {"options": _("Give at most %(max)s options.") % {"max": MAX_OPTIONS}}
        )
    if any(len(label) > MAX_OPTION for label in labels):
        raise ValidationError(
            {"options": _("Keep each option to %(max)s characters.") % {"max": MAX_OPTION}}
        )
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValidationError({"options": _("Give each option only once.")})
    return labels


def _belongs(community: Community, by: User, session_id: int | None, thread_id: int | None) -> dict:
    """The session or discussion a poll is about: it must be in the same community."""
    found: dict = {}
    if session_id is not None:
        found["session"] = Session.objects.filter(pk=session_id, community=community).first()
        if found["session"] is None:
            raise ValidationError({"session": _("That session is not in this community.")})
    if thread_id is not None:
        thread = Thread.objects.filter(pk=thread_id, community=community).first()
        if thread is not None:
            thread.community = community
        # A discussion hidden by a facilitator is, to everyone who may not read it, not there.
        if thread is None or not can_see_thread(by, thread):
            raise ValidationError({"thread": _("That discussion is not in this community.")})
        found["thread"] = thread
    return found


@transaction.atomic
def poll_create(
    *,
    community: Community,
    by: User,
    question: str,
    options: Sequence[str],
    closes_at: datetime,
    multiple: bool = False,
    anonymous: bool = False,
    show_results: str = ShowResults.AFTER_VOTE,
    session_id: int | None = None,
    thread_id: int | None = None,
) -> Poll:
    """Start a poll with two or more options, optionally about a session or a discussion."""
    permissions.check_create_poll(by, community)
    question = _clean_common(question=question, closes_at=closes_at, show_results=show_results)
    labels = _clean_labels(options)
    about = _belongs(community, by, session_id, thread_id)
    poll = Poll.objects.create(
        community=community,
        created_by=by,
        kind=PollKind.SIMPLE,
        question=question,
        multiple=multiple,
        anonymous=anonymous,
        show_results=show_results,
        closes_at=closes_at,
        **about,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=n, label=label) for n, label in enumerate(labels)
    )
    activity_record(actor=by, verb=DecisionVerb.POLL_CREATED, target=poll, community=community)
    return poll


@transaction.atomic
def date_poll_create(
    *,
    community: Community,
    by: User,
    question: str,
    starts: Sequence[datetime],
    closes_at: datetime,
    session_title: str,
    session_location: str,
    session_minutes: int = 120,
    anonymous: bool = False,
    show_results: str = ShowResults.AFTER_VOTE,
) -> Poll:
    """Start a date poll: candidate moments for the next session, answered yes, maybe or no."""
    permissions.check_create_date_poll(by, community)
    question = _clean_common(question=question, closes_at=closes_at, show_results=show_results)
    errors: dict[str, str] = {}
    try:
        details = clean_details(
            {"title": session_title, "location": session_location}, partial=True
        )
    except ValidationError as exc:
        details = {}
        errors.update({f"session_{k}": v[0] for k, v in exc.message_dict.items()})
    if "session_location" not in errors and not details.get("location"):
        errors["session_location"] = _("A session in person needs an address.")
    moments = sorted(set(starts))
    if len(moments) < MIN_OPTIONS:
        errors["starts"] = _("Give at least two different dates.")
    elif len(moments) > MAX_OPTIONS:
        errors["starts"] = _("Give at most %(max)s dates.") % {"max": MAX_OPTIONS}
    elif any(timezone.is_naive(m) or m <= timezone.now() for m in moments):
        errors["starts"] = _("Give dates in the future.")
    try:
        minutes = clean_duration(session_minutes)
    except ValidationError as exc:
        errors["session_minutes"] = exc.messages[0]
        minutes = 0
    if errors:
        raise ValidationError(errors)
    poll = Poll.objects.create(
        community=community,
        created_by=by,
        kind=PollKind.DATE,
        question=question,
        multiple=True,
        anonymous=anonymous,
        show_results=show_results,
        closes_at=closes_at,
        session_title=details["title"],
        session_location=details["location"],
        session_minutes=minutes,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=n, starts_at=moment) for n, moment in enumerate(moments)
    )
    activity_record(actor=by, verb=DecisionVerb.POLL_CREATED, target=poll, community=community)
    return poll


def _clean_answers(poll: Poll, answers: dict[int, str]) -> dict[int, str]:
    option_ids = set(poll.options.values_list("pk", flat=True))
    if not set(answers) <= option_ids:
        raise ValidationError(_("Choose from the options of this poll."))
    if poll.is_date:
        if set(answers) != option_ids or not set(answers.values()) <= set(Answer.values):
            raise ValidationError(_("Answer yes, maybe or no for each date."))
        return dict(answers)
    chosen = {pk for pk, answer in answers.items() if answer == Answer.YES}
    if not chosen:
        raise ValidationError(_("Choose an option."))
    if len(chosen) > 1 and not poll.multiple:
        raise ValidationError(_("Choose one option."))
    return dict.fromkeys(chosen, Answer.YES)


@transaction.atomic
def poll_vote(*, poll: Poll, by: User, answers: dict[int, str]) -> None:
    """Vote once. In an anonymous poll the choices are stored without the person, and all
    choices of the poll are written again in a new random order with new random ids."""
    permissions.check_vote(by, poll)
    if not poll.is_open:
        raise ValidationError(_("This poll is closed."))
    clean = _clean_answers(poll, answers)
    if PollParticipation.objects.filter(poll=poll, user=by).exists():
        raise ValidationError(_("You already voted in this poll."))
    try:
        with transaction.atomic():
            PollParticipation.objects.create(poll=poll, user=by)
    except IntegrityError:
        raise ValidationError(_("You already voted in this poll.")) from None
    if not poll.anonymous:
        PollVote.objects.bulk_create(
            PollVote(poll=poll, option_id=pk, user=by, answer=answer)
            for pk, answer in clean.items()
        )
        return
    everyone = [
        *AnonymousChoice.objects.filter(poll=poll).values_list("option_id", "answer"),
        *clean.items(),
    ]
    _rng.shuffle(everyone)
    AnonymousChoice.objects.filter(poll=poll).delete()
    AnonymousChoice.objects.bulk_create(
        AnonymousChoice(id=uuid.uuid4(), poll=poll, option_id=pk, answer=answer)
        for pk, answer in everyone
    )


def _close(poll: Poll, by: User) -> None:
    if poll.closed_at is None:
        poll.closed_at = min(timezone.now(), poll.closes_at)
        poll.save(update_fields=["closed_at"])
        activity_record(
            actor=by, verb=DecisionVerb.POLL_CLOSED, target=poll, community=poll.community
        )


@transaction.atomic
def poll_close(*, poll: Poll, by: User) -> Poll:
    """Close a poll before its closing moment; its results show from then."""
    permissions.check_close(by, poll)
    _close(poll, by)
    return poll


def _session_hosts(poll: Poll, by: User) -> list[User]:
    """Who leads the planned session: the one who plans it, or (a platform admin from
    outside plans it) the one who started the poll."""
    for person in (by, poll.created_by):
        if person is not None and membership_of(person, poll.community) is not None:
            return [person]
    return [by]


@transaction.atomic
def poll_session_plan(*, poll: Poll, by: User) -> Session:
    """Close a date poll and plan its winning date as a session, in one step; the poll
    remembers the session it made."""
    permissions.check_plan_session(by, poll)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.planned_session_id is not None:
        raise ValidationError(_("This poll has already planned its session."))
    winner = winning_option(poll_tally(poll=poll))
    if winner is None:
        raise ValidationError(_("No date has a yes yet."))
    starts_at = winner.starts_at
    assert starts_at is not None
    session = session_create(
        community=poll.community,
        by=by,
        facilitators=_session_hosts(poll, by),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=poll.session_minutes),
        tz=poll.timezone,
        title=poll.session_title,
        location=poll.session_location,
    )
    _close(poll, by)
    poll.planned_session = session
    poll.save(update_fields=["planned_session"])
    return session
