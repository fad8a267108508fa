"""Networks under /networks: start one, read one, link and unlink communities.

A network is readable by anyone signed in (private linked communities are counted, and named
only to their members and the coordinators). Linking needs both sides: `POST
/networks/{slug}/communities` links at once when the caller is a coordinator and a facilitator
of the community, and otherwise records a request that the other side accepts with the same
call. `DELETE` unlinks, or withdraws or declines a request.
"""

from django.http import Http404
from ninja import Router, Status

from kring.communities.models import Community
from kring.communities.permissions import can_view_inside
from kring.core.api_kit import page_url, person_ref
from kring.networks import permissions, selectors, services
from kring.networks.insights import network_insights
from kring.networks.models import Network
from kring.networks.schemas import LinkIn, NetworkIn, NetworkLinkOut, NetworkOut

router = Router(tags=["networks"])


def _link_out(link) -> dict:
    return {
        "community": link.community.slug,
        "status": link.status,
        "requested_from": link.requested_from,
        "requested_at": link.requested_at,
        "linked_at": link.linked_at,
    }


def _network_out(request, network: Network) -> dict:
    shown = selectors.communities_for(network=network, viewer=request.user)
    manager = permissions.can_manage_network(request.user, network)
    return {
        "slug": network.slug,
        "name": network.name,
        "level": network.level,
        "description": network.description,
        "coordinators": [person_ref(p) for p in network.coordinators.order_by("full_name")],
        "communities": [
            {
                "slug": c.slug,
                "name": c.name,
                "spotlight_url": page_url(c) if c.spotlight_published else None,
            }
            for c in shown.named
        ],
        "private_communities": shown.unnamed,
        "page_url": page_url(network),
        "links": [
            _link_out(link) for link in selectors.links_of(network=network, viewer=request.user)
        ]
        if manager
        else None,
    }


@router.post("", response={201: NetworkOut}, summary="Start a network")
def network_create(request, payload: NetworkIn):
    """Platform admins, and people an admin allowed (the `networks.add_network` permission).
    The caller becomes its first coordinator."""
    network = services.network_create(by=request.user, **payload.dict())
    return Status(201, _network_out(request, network))


@router.get("/{slug}", response=NetworkOut, summary="One network")
def network_detail(request, slug: str):
    return _network_out(request, selectors.network_get(slug=slug))


@router.get("/{slug}/insights", response=dict, summary="Network insights")
def network_insights_read(request, slug: str):
    """Coordinators and platform admins; everyone else 404. The same document as `kring
    network-insights SLUG --json`, except that a bridge between communities the caller may not
    see inside is counted, not named."""
    network = selectors.network_get(slug=slug)
    return network_insights(network=network, viewer=request.user)


@router.post(
    "/{slug}/communities",
    response={200: NetworkLinkOut, 201: NetworkLinkOut},
    summary="Link a community (or ask to)",
)
def network_link(request, slug: str, payload: LinkIn):
    """201 with `status: linked` when the link is made, 201 with `status: requested` when it
    waits for the other side, 200 when this call accepted the other side's request."""
    network = selectors.network_get(slug=slug)
    community = _community(request, network, payload.community)
    existed = network.links.filter(community=community).exists()
    link = services.link_request(
        network=network, community=community, by=request.user, note=payload.note
    )
    return Status(200 if existed else 201, _link_out(link))


def _community(request, network: Network, slug: str) -> Community:
    """The community named in a call; someone on neither side who cannot see inside it
    learns nothing about it (404, as for a name that does not exist)."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404
    if can_view_inside(request.user, community):
        return community
    # A coordinator may ask a community it is not in, if the community shows itself to the
    # world or is already linked or asked; a private community's name is not confirmed.
    known = community.spotlight_published or network.links.filter(community=community).exists()
    if permissions.can_manage_network(request.user, network) and known:
        return community
    raise Http404


def _unlink(request, slug: str, community_slug: str):
    network = selectors.network_get(slug=slug)
    community = _community(request, network, community_slug)
    link = selectors.link_get(network=network, community_slug=community.slug)
    services.link_remove(link=link, by=request.user)
    return Status(204, None)


@router.delete("/{slug}/communities", response={204: None}, summary="Unlink a community")
def network_unlink(request, slug: str, payload: LinkIn):
    """The same body as linking. Either side: a coordinator, or a facilitator of the
    community. Unlinks, or withdraws or declines a request."""
    return _unlink(request, slug, payload.community)


@router.delete(
    "/{slug}/communities/{community}", response={204: None}, summary="Unlink a community"
)
def network_unlink_named(request, slug: str, community: str):
    """As `DELETE /networks/{slug}/communities`, with the community in the path."""
    return _unlink(request, slug, community)
