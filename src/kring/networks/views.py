"""Network pages: the list, starting one, a network's public page, and its links (for the
coordinators, and for facilitators who ask to join or answer a request)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.models import Community
from kring.core.forms import apply_service_errors
from kring.networks import permissions, selectors, services
from kring.networks.forms import LinkForm, NetworkForm
from kring.networks.insights import network_insights
from kring.networks.insights_page import insights_context
from kring.networks.selectors_sharing import can_read_shared


def network_list_view(request):
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": selectors.networks_visible(),
            "can_create": permissions.can_create_network(request.user),
            "nav": "networks",
        },
    )


@login_required
def network_create_view(request):
    permissions.check_create_network(request.user)
    form = NetworkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                network = services.network_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The network is started. Now link communities."))
                return redirect("network-links", slug=network.slug)
        status = 400
    return render(request, "networks/network_form.html", {"form": form}, status=status)


def network_detail_view(request, slug):
    network = selectors.network_get(slug=slug)
    shown = selectors.communities_for(network=network, viewer=request.user)
    context = {
        "network": network,
        "communities": shown.named,
        "unnamed": shown.unnamed,
        "coordinators": list(network.coordinators.order_by("full_name")),
        "sessions": selectors.open_sessions(network=network),
        "can_manage": permissions.can_manage_network(request.user, network),
        "can_insights": permissions.can_view_network_insights(request.user, network),
        "can_read_shared": can_read_shared(request.user, network),
        "can_ask": bool(
            selectors.communities_viewer_speaks_for(network=network, viewer=request.user)
        ),
    }
    return render(request, "networks/network_detail.html", context)


@login_required
def network_update_view(request, slug):
    network = selectors.network_get_managed(slug=slug, viewer=request.user)
    initial = {"name": network.name, "level": network.level, "description": network.description}
    form = NetworkForm(request.POST or None, initial=initial, creating=False)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.network_update(network=network, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Your changes have been saved."))
                return redirect(network)
        status = 400
    return render(
        request, "networks/network_form.html", {"form": form, "network": network}, status=status
    )


@login_required
def network_links_view(request, slug):
    """Coordinators see every link and request; a facilitator sees the requests about their
    own communities and may ask to join. Anyone else: 404."""
    network = selectors.network_get(slug=slug)
    manager = permissions.can_manage_network(request.user, network)
    mine = selectors.requests_for_facilitator(network=network, viewer=request.user)
    offer = selectors.communities_viewer_speaks_for(network=network, viewer=request.user)
    if not manager and not mine and not offer:
        raise Http404
    form = LinkForm(request.POST or None, communities=offer)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            community = Community.objects.get(slug=form.cleaned_data["community"])
            try:
                link = services.link_request(
                    network=network,
                    community=community,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if link.is_linked:
                    messages.success(request, _("The community is linked to the network."))
                else:
                    messages.success(request, _("Asked. The other side decides."))
                return redirect("network-links", slug=network.slug)
        status = 400
    context = {
        "network": network,
        "links": selectors.links_of(network=network, viewer=request.user) if manager else [],
        "mine": mine,
        "form": form if offer else None,
        "can_manage": manager,
    }
    return render(request, "networks/network_links.html", context, status=status)


def _link(request, slug, community_slug):
    network = selectors.network_get(slug=slug)
    link = selectors.link_get(network=network, community_slug=community_slug)
    if not permissions.can_unlink(request.user, link):
        raise Http404
    return network, link


@login_required
@require_POST
def link_accept_view(request, slug, community):
    network, link = _link(request, slug, community)
    try:
        services.link_accept(link=link, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The community is linked to the network."))
    return redirect("network-links", slug=network.slug)


@login_required
@require_POST
def link_remove_view(request, slug, community):
    network, link = _link(request, slug, community)
    was_linked = link.is_linked
    services.link_remove(link=link, by=request.user)
    if was_linked:
        messages.success(request, _("The community is no longer in the network."))
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("network-links", slug=network.slug)


@login_required
def network_insights_view(request, slug):
    network = selectors.network_get_managed(slug=slug, viewer=request.user)
    document = network_insights(network=network, viewer=request.user)
    context = {"network": network, **insights_context(document)}
    return render(request, "networks/network_insights.html", context)
