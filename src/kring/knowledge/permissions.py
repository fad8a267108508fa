"""Who may do what with library items."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Role
from kring.core import grants
from kring.knowledge.models import KnowledgeItem

Viewer = User | AnonymousUser


def can_view(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_create(user: Viewer, community: Community) -> bool:
    """Members share knowledge; guests read, react and comment."""
    if community_permissions.is_platform_admin(user):
        return True
    membership = community_permissions.membership_of(user, community)
    return membership is not None and membership.role != Role.GUEST


def _is_author(user: Viewer, item: KnowledgeItem) -> bool:
    if not user.is_authenticated:
        return False
    return any(link.user_id == user.pk for link in item.item_authors.all())


def _is_sharer(user: Viewer, item: KnowledgeItem) -> bool:
    return user.is_authenticated and item.created_by_id == user.pk


def can_edit(user: Viewer, item: KnowledgeItem) -> bool:
    """Authors, the person who shared it (who may have named only others as authors) and
    facilitators edit; every change is kept as a revision."""
    return community_permissions.can_manage(user, item.community) or (
        (_is_author(user, item) or _is_sharer(user, item)) and can_view(user, item.community)
    )


def can_feature(user: Viewer, item: KnowledgeItem) -> bool:
    return community_permissions.can_manage(user, item.community)


def can_react(user: Viewer, item: KnowledgeItem) -> bool:
    """Marking useful and commenting: everyone inside the community, guests too."""
    return can_view(user, item.community)


def can_mark_useful(user: Viewer, item: KnowledgeItem) -> bool:
    """Everyone inside, and the people an app above opened the item to for this alone
    (kring.networks: shared with their network); they do not comment."""
    return can_react(user, item) or grants.granted("knowledge.item", user, item)


def check_view(user: Viewer, community: Community) -> None:
    if not can_view(user, community):
        raise PermissionDenied


def check_create(user: Viewer, community: Community) -> None:
    if not can_create(user, community):
        raise PermissionDenied


def check_edit(user: Viewer, item: KnowledgeItem) -> None:
    if not can_edit(user, item):
        raise PermissionDenied


def check_feature(user: Viewer, item: KnowledgeItem) -> None:
    if not can_feature(user, item):
        raise PermissionDenied


def check_react(user: Viewer, item: KnowledgeItem) -> None:
    if not can_react(user, item):
        raise PermissionDenied


def check_mark_useful(user: Viewer, item: KnowledgeItem) -> None:
    if not can_mark_useful(user, item):
        raise PermissionDenied
