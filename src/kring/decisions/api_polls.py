"""Polls and date polls under /communities/{slug}/polls, with the rules of the web pages
(permissions.py): everyone inside reads and votes (guests too); members start a poll;
facilitators and platform admins start a date poll and plan its best date as a session; the
one who started a poll and the facilitators close it. Anyone else gets 404.

The results show as on the poll's page: after your vote, or only once the poll has closed.
An anonymous poll's answer holds counts only: nobody's choices, not even your own.

See docs/api.md.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from kring.communities.models import Community
from kring.communities.selectors import community_get_inside
from kring.core.api_kit import LazyPage, page_url, person_ref
from kring.core.api_types import PageNumberPagination
from kring.decisions import permissions, selectors, services
from kring.decisions.models import Poll
from kring.decisions.schemas_polls import (
    DatePollIn,
    PlannedOut,
    PollIn,
    PollOut,
    PollSummaryOut,
    VoteIn,
)
from kring.meetings.models import DEFAULT_TIMEZONE

router = Router(tags=["polls"])

POLLS_PER_PAGE = 20


def _community(request, slug: str) -> Community:
    return community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)


def _aware(moment):
    """A date-time without offset is local time in Europe/Amsterdam, as in the web form."""
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, ZoneInfo(DEFAULT_TIMEZONE))


def _summary(request, community: Community, poll: Poll) -> dict:
    """A poll from `selectors.polls_of` (it counts the voters and knows if you voted), with
    its session and discussion read along. A discussion a facilitator hid is not named to
    those who may not read it, as on the poll's page."""
    poll.community = community
    about = selectors.poll_about(poll=poll, viewer=request.user)
    return {
        "id": poll.pk,
        "kind": poll.kind,
        "question": poll.question,
        "multiple": poll.multiple,
        "anonymous": poll.anonymous,
        "show_results": poll.show_results,
        "created_by": person_ref(poll.created_by),
        "created_at": poll.created_at,
        "closes_at": poll.closes_at,
        "closed": not poll.is_open,
        "closed_at": poll.closed_at,
        "voters": poll.voters,
        "you_voted": poll.voted,
        "session_id": about.session.pk if about.session else None,
        "thread_id": about.thread.pk if about.thread else None,
        "planned_session_id": poll.planned_session_id,
        "url": settings.SITE_URL + reverse("poll-detail", args=[community.slug, poll.pk]),
    }


def _poll(request, community: Community, poll_id: int) -> Poll:
    """The poll with its counts; 404 for an id of another community."""
    poll = selectors.poll_get(community=community, pk=poll_id, viewer=request.user)
    counted = selectors.polls_of(community=community, viewer=request.user).get(pk=poll.pk)
    poll.voters, poll.voted = counted.voters, counted.voted
    return poll


def _results(poll: Poll, tally: selectors.Tally) -> dict:
    best = selectors.winning_option(tally) if poll.is_date else None
    return {
        "voters": tally.voters,
        "options": [
            {"option_id": row.option.pk, "yes": row.yes, "maybe": row.maybe, "no": row.no}
            for row in tally.options
        ],
        "best_option_id": best.pk if best else None,
    }


def _detail(request, community: Community, poll: Poll) -> dict:
    user = request.user
    show = permissions.can_see_results(poll, voted=poll.voted)
    mine = selectors.my_answers(poll=poll, viewer=user)
    local = ZoneInfo(poll.timezone or DEFAULT_TIMEZONE)
    date = poll.is_date
    return {
        **_summary(request, community, poll),
        "session_title": poll.session_title if date else None,
        "session_location": poll.session_location if date else None,
        "session_minutes": poll.session_minutes if date else None,
        "options": [
            {
                "id": option.pk,
                "label": option.label,
                "starts_at": option.starts_at.astimezone(local) if option.starts_at else None,
                "your_answer": mine.get(option.pk),
            }
            for option in poll.options.all()
        ],
        "results": _results(poll, selectors.poll_tally(poll=poll)) if show else None,
        "can_vote": permissions.can_vote(user, poll) and not poll.voted,
        "can_close": permissions.can_close(user, poll),
        "can_plan": permissions.can_plan_session(user, poll),
    }


def _fresh(request, community: Community, poll_id: int) -> dict:
    return _detail(request, community, _poll(request, community, poll_id))


@router.get("/{slug}/polls", response=list[PollSummaryOut], summary="Polls")
@paginate(PageNumberPagination, page_size=POLLS_PER_PAGE)
def poll_list(request, slug: str, **kwargs):
    """The newest first, open and closed."""
    community = _community(request, slug)
    polls = selectors.polls_of(community=community, viewer=request.user).select_related(
        "created_by", "session", "thread"
    )
    return LazyPage(polls, row=lambda poll: _summary(request, community, poll))


@router.post("/{slug}/polls", response={201: PollOut}, summary="Start a poll")
def poll_create(request, slug: str, payload: PollIn):
    """Members, the core group and facilitators (guests 403)."""
    community = _community(request, slug)
    permissions.check_create_poll(request.user, community)
    poll = services.poll_create(
        community=community,
        by=request.user,
        question=payload.question,
        options=payload.options,
        closes_at=_aware(payload.closes_at),
        multiple=payload.multiple,
        anonymous=payload.anonymous,
        show_results=payload.show_results,
        session_id=payload.session,
        thread_id=payload.thread,
    )
    return Status(201, _fresh(request, community, poll.pk))


@router.post("/{slug}/date-polls", response={201: PollOut}, summary="Start a date poll")
def date_poll_create(request, slug: str, payload: DatePollIn):
    """Facilitators and platform admins: two to twenty moments to choose the next session
    from."""
    community = _community(request, slug)
    permissions.check_create_date_poll(request.user, community)
    poll = services.date_poll_create(
        community=community,
        by=request.user,
        question=payload.question,
        starts=[_aware(moment) for moment in payload.starts],
        closes_at=_aware(payload.closes_at),
        session_title=payload.session_title,
        session_location=payload.session_location,
        session_minutes=payload.session_minutes,
        anonymous=payload.anonymous,
        show_results=payload.show_results,
    )
    return Status(201, _fresh(request, community, poll.pk))


@router.get("/{slug}/polls/{poll_id}", response=PollOut, summary="A poll")
def poll_detail(request, slug: str, poll_id: int):
    community = _community(request, slug)
    return _fresh(request, community, poll_id)


@router.post("/{slug}/polls/{poll_id}/vote", response={201: PollOut}, summary="Vote")
def poll_vote(request, slug: str, poll_id: int, payload: VoteIn):
    """Once, while the poll is open; members of the community only (a platform admin from
    outside 403). A second vote, a closed poll or answers that do not fit the poll: 422."""
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=poll_id, viewer=request.user)
    services.poll_vote(poll=poll, by=request.user, answers=dict(payload.answers))
    return Status(201, _fresh(request, community, poll.pk))


@router.post("/{slug}/polls/{poll_id}/close", response=PollOut, summary="Close a poll now")
def poll_close(request, slug: str, poll_id: int):
    """The one who started it and the facilitators; its results show from then on."""
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=poll_id, viewer=request.user)
    services.poll_close(poll=poll, by=request.user)
    return _fresh(request, community, poll.pk)


@router.post(
    "/{slug}/polls/{poll_id}/plan",
    response={201: PlannedOut},
    summary="Plan a date poll's best date as a session",
)
def poll_plan(request, slug: str, poll_id: int):
    """Facilitators and platform admins: closes the date poll and plans the date with the
    most yes answers (then maybe) as a session. No date with a yes yet, or planned already:
    422."""
    community = _community(request, slug)
    poll = selectors.poll_get(community=community, pk=poll_id, viewer=request.user)
    session = services.poll_session_plan(poll=poll, by=request.user)
    return Status(201, {"session_id": session.pk, "session_url": page_url(session)})
