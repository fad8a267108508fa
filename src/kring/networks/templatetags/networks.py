"""The networks app's piece on the library item and question pages (knowledge and
conversations cannot import networks): with which networks it is shared, and for those who
may, the buttons to share it with (or withdraw it from) the community's networks."""

from django import template

from kring.networks import selectors, services_sharing
from kring.networks.selectors_sharing import shares_of_subject

register = template.Library()


@register.inclusion_tag("networks/_share.html", takes_context=True)
def share_with_networks(context, item=None, thread=None):
    """Nothing for a community in no network, or for a discussion (only questions travel).
    Two queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    subject = item if item is not None else thread
    if user is None or subject is None or (thread is not None and not thread.is_question):
        return {"show": False}
    networks = selectors.networks_of_community(community=subject.community)
    if not networks:
        return {"show": False}
    shared = shares_of_subject(item=item, thread=thread)
    may_share = services_sharing.can_share(user, subject)
    rows = [
        {
            "network": network,
            "share": shared.get(network.pk),
            "can_withdraw": network.pk in shared
            and services_sharing.can_withdraw(user, shared[network.pk]),
        }
        for network in networks
    ]
    return {
        "show": bool(shared) or may_share,
        "rows": rows,
        "may_share": may_share,
        "kind": "item" if item is not None else "thread",
        "pk": subject.pk,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
