"""Reads for polls, each taking the viewer and checking access."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from kring.accounts.models import User
from kring.communities.models import Community
from kring.conversations.models import Thread
from kring.conversations.permissions import can_see_thread
from kring.decisions import permissions
from kring.decisions.models import (
    AnonymousChoice,
    Answer,
    Poll,
    PollOption,
    PollParticipation,
    PollVote,
)
from kring.meetings.models import Session

# How many polls a session's or discussion's page shows; the rest are on the Polls tab.
ABOUT_MAX = 10


def polls_of(*, community: Community, viewer: User | AnonymousUser) -> QuerySet:
    """The community's polls, newest first, with how many voted and whether the viewer did."""
    if not permissions.can_read_polls(viewer, community):
        raise Http404
    mine = PollParticipation.objects.filter(poll=OuterRef("pk"), user_id=viewer.pk or 0)
    return (
        Poll.objects.filter(community=community)
        .annotate(voters=Count("participations", distinct=True), voted=Exists(mine))
        .order_by("-created_at", "-id")
    )


def polls_about(
    *,
    viewer: User | AnonymousUser,
    session: Session | None = None,
    thread: Thread | None = None,
) -> tuple[list[Poll], bool]:
    """The newest polls about one session or discussion, with how many voted and whether the
    viewer did, and whether there are more than shown: one query. Nothing for a viewer who
    may not read the community's polls."""
    subject = session or thread
    if subject is None or not permissions.can_read_polls(viewer, subject.community):
        return [], False
    about: dict[str, object] = {"session": session} if session is not None else {"thread": thread}
    mine = PollParticipation.objects.filter(poll=OuterRef("pk"), user_id=viewer.pk or 0)
    polls: list[Poll] = list(
        Poll.objects.filter(community_id=subject.community_id, **about)
        .annotate(voters=Count("participations", distinct=True), voted=Exists(mine))
        .order_by("-created_at", "-id")[: ABOUT_MAX + 1]
    )
    return polls[:ABOUT_MAX], len(polls) > ABOUT_MAX


@dataclass
class About:
    """What a poll is about: a session, a discussion, or neither."""

    session: Session | None = None
    thread: Thread | None = None


def about_get(
    *,
    community: Community,
    viewer: User | AnonymousUser,
    session_id: int | None = None,
    thread_id: int | None = None,
) -> About:
    """The session or discussion a new poll is to be about (from the form's hidden fields),
    if it is in this community and the viewer sees it; otherwise nothing (the service
    refuses a poll about anything outside the community)."""
    about = About()
    if session_id is not None:
        about.session = Session.objects.filter(community=community, pk=session_id).first()
    if thread_id is not None:
        thread = Thread.objects.filter(community=community, pk=thread_id).first()
        if thread is not None:
            thread.community = community
            about.thread = thread if can_see_thread(viewer, thread) else None
    return about


def poll_about(*, poll: Poll, viewer: User | AnonymousUser) -> About:
    """What a poll (read with poll_get) is about, as far as the viewer may see it: a
    discussion a facilitator has hidden is not named to those who may not read it."""
    thread = poll.thread
    if thread is not None:
        thread.community = poll.community
        if not can_see_thread(viewer, thread):
            thread = None
    return About(session=poll.session, thread=thread)


def poll_get(*, community: Community, pk: int, viewer: User | AnonymousUser) -> Poll:
    """One poll of the community; 404 for a guessed id elsewhere or a viewer from outside."""
    if not permissions.can_read_polls(viewer, community):
        raise Http404
    poll = (
        Poll.objects.filter(community=community, pk=pk)
        .select_related("community", "created_by", "session", "thread", "planned_session")
        .first()
    )
    if poll is None:
        raise Http404
    return poll


def has_voted(*, poll: Poll, viewer: User | AnonymousUser) -> bool:
    if not viewer or not viewer.is_authenticated:
        return False
    return PollParticipation.objects.filter(poll=poll, user=viewer).exists()


@dataclass
class OptionTally:
    option: PollOption
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def yes(self) -> int:
        return self.counts.get(Answer.YES, 0)

    @property
    def maybe(self) -> int:
        return self.counts.get(Answer.MAYBE, 0)

    @property
    def no(self) -> int:
        return self.counts.get(Answer.NO, 0)


@dataclass
class Tally:
    voters: int
    options: list[OptionTally]

    def share(self, count: int) -> int:
        """Percent of the voters, rounded."""
        return round(100 * count / self.voters) if self.voters else 0


def poll_tally(*, poll: Poll) -> Tally:
    """The counts per option and answer (open and anonymous polls alike): three queries."""
    source = AnonymousChoice if poll.anonymous else PollVote
    rows = source.objects.filter(poll=poll).values("option_id", "answer").annotate(n=Count("pk"))
    by_option: dict[int, dict[str, int]] = {}
    for row in rows:
        by_option.setdefault(row["option_id"], {})[row["answer"]] = row["n"]
    options = [OptionTally(option=o, counts=by_option.get(o.pk, {})) for o in poll.options.all()]
    voters = PollParticipation.objects.filter(poll=poll).count()
    return Tally(voters=voters, options=options)


def winning_option(tally: Tally) -> PollOption | None:
    """Most yes, then most maybe, then the earliest; none while nothing has a yes."""
    best = max(tally.options, key=lambda t: (t.yes, t.maybe, -t.option.position), default=None)
    if best is None or best.yes == 0:
        return None
    return best.option


def my_answers(*, poll: Poll, viewer: User | AnonymousUser) -> dict[int, str]:
    """What the viewer chose, in an open poll only (an anonymous poll does not know)."""
    if poll.anonymous or not viewer or not viewer.is_authenticated:
        return {}
    return dict(PollVote.objects.filter(poll=poll, user=viewer).values_list("option_id", "answer"))
