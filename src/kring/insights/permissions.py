"""Who sees insights. Facilitators see the community's insights; every member sees what Kring
sees about themselves; nobody else sees anything about a person."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community

Viewer = User | AnonymousUser | None


def can_facilitate(user: Viewer, community: Community) -> bool:
    return community_permissions.can_manage(user, community)


def can_see_own(user: Viewer, community: Community) -> bool:
    return community_permissions.membership_of(user, community) is not None


def can_answer_pulse(user: Viewer, community: Community) -> bool:
    return community_permissions.membership_of(user, community) is not None


def can_view_pulses(user: Viewer, community: Community) -> bool:
    """Members answer and see the aggregates; facilitators (and platform admins) run pulses."""
    return can_see_own(user, community) or can_facilitate(user, community)


def check_facilitate(user: Viewer, community: Community) -> None:
    if not can_facilitate(user, community):
        raise PermissionDenied


def check_see_own(user: Viewer, community: Community) -> None:
    if not can_see_own(user, community):
        raise PermissionDenied


def check_answer_pulse(user: Viewer, community: Community) -> None:
    if not can_answer_pulse(user, community):
        raise PermissionDenied
