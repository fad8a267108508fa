"""Beside a community's feed: the networks it is part of, and (for its facilitators) the
networks' requests waiting for an answer (core.feed panel). One query."""

from kring.communities import permissions as community_permissions
from kring.networks.models import LinkStatus, NetworkLink, Side


def networks_panel(community, viewer):
    if not community_permissions.can_view_inside(viewer, community):
        return None
    links = list(
        NetworkLink.objects.filter(community=community)
        .select_related("network")
        .order_by("network__name")
    )
    linked = [link.network for link in links if link.status == LinkStatus.LINKED]
    asking = []
    if community_permissions.can_manage(viewer, community):
        asking = [
            link.network
            for link in links
            if link.status == LinkStatus.REQUESTED and link.requested_from == Side.NETWORK
        ]
    if not linked and not asking:
        return None
    return "networks/_panel.html", {"linked": linked, "asking": asking}
