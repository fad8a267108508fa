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
from kring.growth.models import Team, TeamMember

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


# Teams: every member sees the teams, who is in them and their tasks; the team's
# discussion is for the team and the facilitators only.


def can_read_teams(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_create_team(user: Viewer, community: Community) -> bool:
    return community_permissions.can_manage(user, community)


def check_create_team(user: Viewer, community: Community) -> None:
    if not can_create_team(user, community):
        raise PermissionDenied


def team_role(user: Viewer, team: Team) -> TeamMember | None:
    """The user's place in the team (remembered on the team), while they are still a member
    of the community; None otherwise."""
    if user is None or not user.is_authenticated:
        return None
    cache = team.__dict__.setdefault("_kring_team_roles", {})
    if user.pk not in cache:
        cache[user.pk] = TeamMember.objects.filter(team=team, user=user).first()
    if community_permissions.membership_of(user, team.community) is None:
        return None
    return cache[user.pk]


def is_in_team(user: Viewer, team: Team) -> bool:
    return team_role(user, team) is not None


def can_edit_team(user: Viewer, team: Team) -> bool:
    """Name, purpose, members and lead: the facilitators and the team's lead."""
    if community_permissions.can_manage(user, team.community):
        return True
    role = team_role(user, team)
    return role is not None and role.is_lead


def check_edit_team(user: Viewer, team: Team) -> None:
    if not can_edit_team(user, team):
        raise PermissionDenied


def can_delete_team(user: Viewer, team: Team) -> bool:
    """Removing a team with its tasks and discussion: the facilitators, who start teams
    (not the lead, who changes it)."""
    return community_permissions.can_manage(user, team.community)


def check_delete_team(user: Viewer, team: Team) -> None:
    if not can_delete_team(user, team):
        raise PermissionDenied


def can_join_talk(user: Viewer, team: Team) -> bool:
    """Read and write in the team's discussion, and keep its task list."""
    return community_permissions.can_manage(user, team.community) or is_in_team(user, team)


def check_join_talk(user: Viewer, team: Team) -> None:
    if not can_join_talk(user, team):
        raise PermissionDenied
