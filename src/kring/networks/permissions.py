"""Who starts, keeps and sees a network, and who links a community to it.

A network's page is public (it shows only what its communities show the world, plus the names
of private linked communities to their own members and the coordinators). Coordinators keep the
network; platform admins may do everything. A link needs both sides: a facilitator of the
community and a coordinator of the network. Someone who is both links in one step. Coordinators
never see inside a community for being coordinators: that takes a membership, as ever.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community
from kring.networks.models import Network, NetworkLink, Side

Viewer = User | AnonymousUser


def can_create_network(user: Viewer) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("networks.add_network"))
    )


def is_coordinator(user: Viewer, network: Network) -> bool:
    if not user or not user.is_authenticated:
        return False
    cache = getattr(user, "_coordinated_networks", None)
    if cache is None:
        cache = set(user.coordinated_networks.values_list("pk", flat=True))
        setattr(user, "_coordinated_networks", cache)  # noqa: B010 (kept for the request)
    return network.pk in cache


def forget_coordinators(user: Viewer) -> None:
    if user is not None and hasattr(user, "_coordinated_networks"):
        del user._coordinated_networks


def can_manage_network(user: Viewer, network: Network) -> bool:
    return community_permissions.is_platform_admin(user) or is_coordinator(user, network)


def can_view_network_insights(user: Viewer, network: Network) -> bool:
    return can_manage_network(user, network)


def can_speak_for_community(user: Viewer, community: Community) -> bool:
    """Ask to link the community to a network, accept a network's request, or unlink it."""
    return community_permissions.can_manage(user, community)


def can_accept(user: Viewer, link: NetworkLink) -> bool:
    """The side that did not ask accepts."""
    if link.is_linked:
        return False
    if link.requested_from == Side.NETWORK:
        return can_speak_for_community(user, link.community)
    return can_manage_network(user, link.network)


def can_unlink(user: Viewer, link: NetworkLink) -> bool:
    """Either side may end a link or withdraw or decline a request."""
    return can_manage_network(user, link.network) or can_speak_for_community(user, link.community)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def check_create_network(user: Viewer) -> None:
    _check(can_create_network(user))


def check_manage_network(user: Viewer, network: Network) -> None:
    _check(can_manage_network(user, network))


def check_accept(user: Viewer, link: NetworkLink) -> None:
    _check(can_accept(user, link))


def check_unlink(user: Viewer, link: NetworkLink) -> None:
    _check(can_unlink(user, link))
