"""Reads for networks, each taking the viewer and checking access."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role
from kring.meetings.models import Session, SessionStatus
from kring.networks import permissions
from kring.networks.models import LinkStatus, Network, NetworkLink

Viewer = User | AnonymousUser


def network_get(*, slug: str) -> Network:
    """A network's page is public; an unknown name is 404."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def network_get_managed(*, slug: str, viewer: Viewer) -> Network:
    """A network its coordinators (and platform admins) keep; 404 for everyone else, so the
    coordinators' pages are not found by guessing."""
    network = network_get(slug=slug)
    if not permissions.can_manage_network(viewer, network):
        raise Http404
    return network


def networks_visible() -> QuerySet:
    return Network.objects.order_by("name")


def linked_communities(*, network: Network) -> list[Community]:
    return list(
        Community.objects.filter(
            network_links__network=network, network_links__status=LinkStatus.LINKED
        ).order_by("name")
    )


@dataclass
class NetworkCommunities:
    named: list[Community]
    unnamed: int  # private linked communities the viewer may not see named


def communities_for(*, network: Network, viewer: Viewer) -> NetworkCommunities:
    """The linked communities the viewer may see named, and how many more there are. Two
    queries (the viewer's memberships once)."""
    communities = linked_communities(network=network)
    manager = permissions.can_manage_network(viewer, network)
    mine: set[int] = set()
    if viewer is not None and viewer.is_authenticated:
        mine = set(
            Membership.objects.filter(
                user=viewer, community__in=[c.pk for c in communities]
            ).values_list("community_id", flat=True)
        )
    admin = bool(viewer and viewer.is_authenticated and viewer.is_superuser)
    named = [c for c in communities if c.spotlight_published or manager or admin or c.pk in mine]
    return NetworkCommunities(named=named, unnamed=len(communities) - len(named))


def open_sessions(*, network: Network, limit: int = 10) -> list[Session]:
    """Upcoming sessions open to guests in the network's published communities."""
    return list(
        Session.objects.filter(
            community__network_links__network=network,
            community__network_links__status=LinkStatus.LINKED,
            community__visibility="public",
            is_open=True,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .select_related("community")
        .order_by("starts_at", "id")[:limit]
    )


def links_of(*, network: Network, viewer: Viewer) -> list[NetworkLink]:
    """Every link and request of the network, for its coordinators."""
    if not permissions.can_manage_network(viewer, network):
        raise Http404
    return list(
        NetworkLink.objects.filter(network=network)
        .select_related("community", "requested_by", "accepted_by")
        .order_by("status", "community__name")
    )


def requests_for_facilitator(*, network: Network, viewer: Viewer) -> list[NetworkLink]:
    """The network's requests about communities the viewer facilitates (to accept or
    decline), and the viewer's communities' own requests (to withdraw)."""
    if viewer is None or not viewer.is_authenticated:
        return []
    links = NetworkLink.objects.filter(network=network, status=LinkStatus.REQUESTED)
    if not viewer.is_superuser:
        # One query, not a permission check per request.
        links = links.filter(
            community__memberships__user=viewer, community__memberships__role=Role.FACILITATOR
        )
    return list(links.select_related("community", "network", "requested_by"))


def communities_viewer_speaks_for(*, network: Network, viewer: Viewer) -> list[Community]:
    """The communities the viewer facilitates that are not linked to or asked for the network
    yet (what the "ask to join" form offers)."""
    if viewer is None or not viewer.is_authenticated:
        return []
    taken = NetworkLink.objects.filter(network=network).values("community_id")
    if viewer.is_superuser:
        return list(Community.objects.exclude(pk__in=taken).order_by("name"))
    return list(
        Community.objects.filter(memberships__user=viewer, memberships__role="facilitator")
        .exclude(pk__in=taken)
        .order_by("name")
    )


def networks_of_community(*, community: Community) -> list[Network]:
    return list(
        Network.objects.filter(
            links__community=community, links__status=LinkStatus.LINKED
        ).order_by("name")
    )


def link_get(*, network: Network, community_slug: str) -> NetworkLink:
    link = (
        NetworkLink.objects.filter(network=network, community__slug=community_slug)
        .select_related("network", "community")
        .first()
    )
    if link is None:
        raise Http404
    return link
