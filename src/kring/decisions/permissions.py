"""Who reads, starts, votes in, closes and plans from polls.

Everyone inside a community (guests included) reads its polls and votes. Members, the core
group and facilitators start a poll; only those who plan sessions (facilitators, platform
admins) start a date poll and turn its winning date into a session. The one who started a
poll and the facilitators close it early. Results show as the poll's creator chose: after
your own vote, or only once the poll has closed (for everyone, the creator included).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Role
from kring.conversations.models import Thread, ThreadKind
from kring.decisions.models import Poll, RulesProposal, ShowResults
from kring.meetings import permissions as meeting_permissions
from kring.meetings.models import Session

Viewer = User | AnonymousUser


def can_read_polls(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_create_poll(user: Viewer, community: Community) -> bool:
    if community_permissions.is_platform_admin(user):
        return True
    membership = community_permissions.membership_of(user, community)
    return membership is not None and membership.role != Role.GUEST


def can_start_poll_about(
    user: Viewer, *, session: Session | None = None, thread: Thread | None = None
) -> bool:
    """The link to start a poll about a session, or in a discussion that is open to everyone
    (not a question, not hidden or locked by a facilitator)."""
    if thread is not None and (
        thread.kind != ThreadKind.DISCUSSION or thread.hidden or thread.locked
    ):
        return False
    subject = session or thread
    return subject is not None and can_create_poll(user, subject.community)


def can_create_date_poll(user: Viewer, community: Community) -> bool:
    return meeting_permissions.can_plan(user, community)


def can_vote(user: Viewer, poll: Poll) -> bool:
    """Members vote while the poll is open (whether they voted already is the service's
    concern: the database refuses a second vote)."""
    member = community_permissions.membership_of(user, poll.community) is not None
    return member and poll.is_open


def can_see_results(poll: Poll, *, voted: bool) -> bool:
    if not poll.is_open:
        return True
    return poll.show_results == ShowResults.AFTER_VOTE and voted


def can_close(user: Viewer, poll: Poll) -> bool:
    if not poll.is_open:
        return False
    if community_permissions.can_manage(user, poll.community):
        return True
    own = user is not None and user.is_authenticated and poll.created_by_id == user.pk
    return own and community_permissions.membership_of(user, poll.community) is not None


def can_plan_session(user: Viewer, poll: Poll) -> bool:
    return (
        poll.is_date
        and poll.planned_session_id is None
        and meeting_permissions.can_plan(user, poll.community)
    )


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def check_create_poll(user: Viewer, community: Community) -> None:
    _check(can_create_poll(user, community))


def check_create_date_poll(user: Viewer, community: Community) -> None:
    _check(can_create_date_poll(user, community))


def check_vote(user: Viewer, poll: Poll) -> None:
    _check(community_permissions.membership_of(user, poll.community) is not None)


def check_close(user: Viewer, poll: Poll) -> None:
    _check(community_permissions.can_manage(user, poll.community) or can_close(user, poll))


def check_plan_session(user: Viewer, poll: Poll) -> None:
    _check(poll.is_date and meeting_permissions.can_plan(user, poll.community))


# Ground rules set together. Facilitators and the core group propose (they kept the list
# before); every member but guests comments and agrees; facilitators put an agreed proposal
# into effect; the proposer and the facilitators withdraw it. Everyone inside reads.


def can_read_rules(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_propose_rules(user: Viewer, community: Community) -> bool:
    return community_permissions.can_edit_ground_rules(user, community)


def can_take_part_in_rules(user: Viewer, community: Community) -> bool:
    """Comment on and agree with a proposal: members, the core group and facilitators."""
    membership = community_permissions.membership_of(user, community)
    return membership is not None and membership.role != Role.GUEST


def can_adopt_rules(user: Viewer, proposal: RulesProposal) -> bool:
    return proposal.is_open and community_permissions.can_manage(user, proposal.community)


def can_withdraw_rules(user: Viewer, proposal: RulesProposal) -> bool:
    if not proposal.is_open:
        return False
    if community_permissions.can_manage(user, proposal.community):
        return True
    own = user is not None and user.is_authenticated and proposal.proposed_by_id == user.pk
    return own and can_propose_rules(user, proposal.community)


def check_propose_rules(user: Viewer, community: Community) -> None:
    _check(can_propose_rules(user, community))


def check_take_part_in_rules(user: Viewer, community: Community) -> None:
    _check(can_take_part_in_rules(user, community))


def check_adopt_rules(user: Viewer, proposal: RulesProposal) -> None:
    _check(community_permissions.can_manage(user, proposal.community))


def check_withdraw_rules(user: Viewer, proposal: RulesProposal) -> None:
    _check(
        community_permissions.can_manage(user, proposal.community)
        or can_withdraw_rules(user, proposal)
    )
