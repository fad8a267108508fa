"""What the network's communities shared: the list (with a search), one shared item (mark it
useful) and one shared question (answer it); sharing and withdrawing from the source."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.conversations.models import Thread
from kring.conversations.services.threads import reply_create
from kring.knowledge.models import KnowledgeItem, Useful
from kring.knowledge.services import item_mark_useful
from kring.networks import selectors, selectors_sharing, services_sharing
from kring.networks.models import NetworkShare


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@login_required
def shared_list_view(request, slug):
    network = selectors.network_get(slug=slug)
    q = request.GET.get("q", "")
    shares = selectors_sharing.shares_of(network=network, viewer=request.user, q=q)
    return render(
        request,
        "networks/shared_list.html",
        {"network": network, "shares": shares, "q": q},
    )


@login_required
def shared_item_view(request, slug, pk):
    network = selectors.network_get(slug=slug)
    shared, item = selectors_sharing.shared_item_get(network=network, pk=pk, viewer=request.user)
    if request.method == "POST":
        useful = request.POST.get("useful", "1") != "0"
        item_mark_useful(item=item, by=request.user, useful=useful)
        if useful:
            messages.success(request, _("Thanks: the authors will be glad it helped."))
        return redirect("network-shared-item", slug=network.slug, pk=item.pk)
    context = {
        "network": network,
        "shared": shared,
        "item": item,
        "is_useful": Useful.objects.filter(item=item, user=request.user).exists(),
    }
    return render(request, "networks/shared_item.html", context)


@login_required
def shared_question_view(request, slug, pk):
    network = selectors.network_get(slug=slug)
    shared, thread = selectors_sharing.shared_thread_get(
        network=network, pk=pk, viewer=request.user
    )
    error = ""
    status = 200
    if request.method == "POST":
        try:
            reply_create(thread=thread, by=request.user, body=request.POST.get("body", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
        else:
            messages.success(request, _("Your answer is placed with the question's community."))
            return redirect("network-shared-question", slug=network.slug, pk=thread.pk)
    replies = thread.replies.filter(hidden=False).select_related("author").order_by("created_at")
    context = {
        "network": network,
        "shared": shared,
        "thread": thread,
        "replies": list(replies),
        "error": error,
        "body": request.POST.get("body", "") if error else "",
    }
    return render(request, "networks/shared_question.html", context, status=status)


@login_required
@require_POST
def share_view(request, slug):
    network = selectors.network_get(slug=slug)
    item = thread = None
    try:
        if request.POST.get("item"):
            item = KnowledgeItem.objects.filter(pk=int(request.POST["item"])).first()
        elif request.POST.get("thread"):
            thread = Thread.objects.filter(pk=int(request.POST["thread"])).first()
    except ValueError:
        raise Http404 from None
    subject = item or thread
    if subject is None or not services_sharing.can_share(request.user, subject):
        raise Http404
    try:
        services_sharing.share(network=network, by=request.user, item=item, thread=thread)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Shared with %(network)s.") % {"network": network.name})
    return redirect(_next(request, subject.get_absolute_url()))


@login_required
@require_POST
def withdraw_view(request, slug, share_pk):
    network = selectors.network_get(slug=slug)
    shared = (
        NetworkShare.objects.filter(network=network, pk=share_pk)
        .select_related("community", "item", "thread")
        .first()
    )
    if shared is None or not services_sharing.can_withdraw(request.user, shared):
        raise Http404
    services_sharing.withdraw(shared=shared, by=request.user)
    messages.success(request, _("Withdrawn: the network no longer sees it."))
    return redirect(_next(request, shared.subject.get_absolute_url()))
