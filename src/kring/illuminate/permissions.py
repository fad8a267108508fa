"""Who may tell, read, feature and report value stories.

Members read and tell a community's stories; the teller edits and deletes their own;
facilitators (and platform admins) feature stories, delete any, and read the report.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community
from kring.illuminate.models import ValueStory

Viewer = User | AnonymousUser | None


def can_read_stories(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_tell_story(user: Viewer, community: Community) -> bool:
    return community_permissions.membership_of(user, community) is not None


def can_facilitate(user: Viewer, community: Community) -> bool:
    return community_permissions.can_manage(user, community)


def can_edit_story(user: Viewer, story: ValueStory) -> bool:
    return user is not None and user.is_authenticated and story.author_id == user.pk


def can_delete_story(user: Viewer, story: ValueStory) -> bool:
    return can_edit_story(user, story) or can_facilitate(user, story.community)


def can_view_report(user: Viewer, community: Community) -> bool:
    return can_facilitate(user, community)


def check_read_stories(user: Viewer, community: Community) -> None:
    if not can_read_stories(user, community):
        raise PermissionDenied


def check_tell_story(user: Viewer, community: Community) -> None:
    if not can_tell_story(user, community):
        raise PermissionDenied


def check_facilitate(user: Viewer, community: Community) -> None:
    if not can_facilitate(user, community):
        raise PermissionDenied


def check_edit_story(user: Viewer, story: ValueStory) -> None:
    if not can_edit_story(user, story):
        raise PermissionDenied


def check_delete_story(user: Viewer, story: ValueStory) -> None:
    if not can_delete_story(user, story):
        raise PermissionDenied


def check_view_report(user: Viewer, community: Community) -> None:
    if not can_view_report(user, community):
        raise PermissionDenied


def same_organisation(a: str, b: str) -> bool:
    """Organisations are free text on profiles: compared without case and outer spaces."""
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def can_view_organisation_report(user: Viewer, community: Community, organisation: str) -> bool:
    """The back-home version of the report: facilitators (and platform admins) for every
    organisation; a member for their own organisation only."""
    if can_view_report(user, community):
        return True
    return (
        can_tell_story(user, community)
        and isinstance(user, User)
        and same_organisation(user.organisation, organisation)
    )


def check_view_organisation_report(user: Viewer, community: Community, organisation: str) -> None:
    if not can_view_organisation_report(user, community, organisation):
        raise PermissionDenied
