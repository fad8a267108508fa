"""Who may do what in a community. check_* raise, can_* answer for templates."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role, Visibility

# Who asks: a signed-in person, or a visitor (public landing pages, requests to join).
Viewer = User | AnonymousUser | None


def membership_of(user: Viewer, community: Community) -> Membership | None:
    """The user's membership, fetched once per (user, community) and remembered on the user."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_kring_memberships", {})
    if community.pk not in cache:
        cache[community.pk] = Membership.objects.filter(user=user, community=community).first()
    return cache[community.pk]


def remember_memberships(user: Viewer, memberships: dict[int, Membership | None]) -> None:
    """Memberships already read (community id -> membership or None), so membership_of
    does not ask again; what is remembered already stays."""
    cache = user.__dict__.setdefault("_kring_memberships", {})
    for community_id, membership in memberships.items():
        cache.setdefault(community_id, membership)


def forget_membership(user: Viewer, community: Community) -> None:
    user.__dict__.get("_kring_memberships", {}).pop(community.pk, None)


def is_platform_admin(user: Viewer) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def can_view_landing(user: Viewer, community: Community) -> bool:
    return (
        community.visibility == Visibility.PUBLIC
        or is_platform_admin(user)
        or membership_of(user, community) is not None
    )


def can_view_inside(user: Viewer, community: Community) -> bool:
    """Members (guests included) see the inside: directory, and later knowledge and talk."""
    return is_platform_admin(user) or membership_of(user, community) is not None


def can_manage(user: Viewer, community: Community) -> bool:
    """Facilitators edit the community, invite, change roles and remove members."""
    if is_platform_admin(user):
        return True
    membership = membership_of(user, community)
    return membership is not None and membership.role == Role.FACILITATOR


def can_remove_member(user: Viewer, membership: Membership) -> bool:
    """Facilitators remove someone; anyone may leave."""
    own = user is not None and user.is_authenticated and membership.user_id == user.pk
    return own or can_manage(user, membership.community)


def can_edit_ground_rules(user: Viewer, community: Community) -> bool:
    """The group's own agreements: facilitators and the core group keep the list."""
    if can_manage(user, community):
        return True
    membership = membership_of(user, community)
    return membership is not None and membership.role == Role.CORE


def can_request_to_join(user: Viewer, community: Community) -> bool:
    """Outsiders of a public community may ask its facilitators to let them in; a private
    community does not exist for them, and those who see inside are in already."""
    return community.visibility == Visibility.PUBLIC and not can_view_inside(user, community)


def is_public_face(person: User) -> bool:
    """A facilitator of a public community is shown with their photo on its landing page,
    so that photo is public; everyone else's stays behind their profile's rule."""
    return Membership.objects.filter(
        user=person, role=Role.FACILITATOR, community__visibility=Visibility.PUBLIC
    ).exists()


def can_create_community(user: Viewer) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("communities.add_community")
    )


def check_view_inside(user: Viewer, community: Community) -> None:
    if not can_view_inside(user, community):
        raise PermissionDenied


def check_manage(user: Viewer, community: Community) -> None:
    if not can_manage(user, community):
        raise PermissionDenied


def check_remove_member(user: Viewer, membership: Membership) -> None:
    if not can_remove_member(user, membership):
        raise PermissionDenied


def check_edit_ground_rules(user: Viewer, community: Community) -> None:
    if not can_edit_ground_rules(user, community):
        raise PermissionDenied


def check_request_to_join(user: Viewer, community: Community) -> None:
    if not can_request_to_join(user, community):
        raise PermissionDenied


def check_create_community(user: Viewer) -> None:
    if not can_create_community(user):
        raise PermissionDenied
