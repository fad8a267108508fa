"""Who reads and judges the development path.

Members (guests included) read the path without per-person evidence; facilitators and
platform admins read it with names, and confirm or override steps, record the mandate and
correct the stage. Everyone else does not learn the page exists (404).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community

Viewer = User | AnonymousUser | None


def can_read_development(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_see_people(user: Viewer, community: Community) -> bool:
    """The evidence with names, the facilitators' notes and who wrote them."""
    return community_permissions.can_manage(user, community)


def can_judge(user: Viewer, community: Community) -> bool:
    """Confirm or override a step, record the mandate, correct the stage."""
    return community_permissions.can_manage(user, community)


def check_judge(user: Viewer, community: Community) -> None:
    if not can_judge(user, community):
        raise PermissionDenied
