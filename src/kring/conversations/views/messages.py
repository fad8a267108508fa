"""Direct messages: the inbox, one conversation, writing to someone, and blocking a person.
Message content is only ever shown to the two people in the conversation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities import selectors as community_selectors
from kring.conversations import permissions, selectors
from kring.conversations.forms_inbox import MessageForm
from kring.conversations.services import direct_messages as message_services
from kring.core.forms import apply_service_errors

CONVERSATIONS_PAGE_SIZE = 25
MESSAGES_PAGE_SIZE = 50


def _send(request, form, recipient) -> tuple:
    """Send the form's message. Returns (message, status): no message, and the errors on the
    form, when it could not go out."""
    if not form.is_valid():
        return None, 200
    try:
        message = message_services.message_send(
            sender=request.user, recipient=recipient, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, 200
    except PermissionDenied:
        form.add_error(None, _("You can't send messages to this person."))
        return None, 403
    return message, 200


@login_required
def conversation_list_view(request):
    conversations = selectors.conversations_with_last_message(user=request.user)
    page = Paginator(conversations, CONVERSATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_by_conversation(user=request.user)
    rows = [
        {
            "conversation": c,
            "other": c.other(request.user),
            "unread": unread.get(c.pk, 0),
            "from_me": c.last_sender_id == request.user.pk,
        }
        for c in page.object_list
    ]
    return render(
        request,
        "conversations/conversation_list.html",
        {"page": page, "rows": rows, "nav": "messages"},
    )


@login_required
def conversation_start_view(request, user_pk: int):
    """Write to someone you share a community with; 404 for anyone you can't message."""
    recipient = community_selectors.person_get_visible(pk=user_pk, viewer=request.user)
    if not permissions.can_message(request.user, recipient):
        raise Http404
    existing = selectors.conversation_between(request.user, recipient)
    if request.method == "GET" and existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        message, status = _send(request, form, recipient)
        if message is not None:
            return redirect(f"{message.conversation.get_absolute_url()}#latest")
    return render(
        request,
        "conversations/conversation_start.html",
        {"recipient": recipient, "form": form, "nav": "messages"},
        status=status,
    )


@login_required
def conversation_detail_view(request, pk: int):
    """One conversation, for the two people in it only (facilitators and admins get 404)."""
    conversation = selectors.conversation_get(user=request.user, pk=pk)
    other = conversation.other(request.user)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        message, status = _send(request, form, other)
        if message is not None:
            return redirect(f"{conversation.get_absolute_url()}#latest")
    message_services.conversation_mark_read(conversation=conversation, user=request.user)
    newest_first = selectors.conversation_messages(
        conversation=conversation, user=request.user
    ).reverse()
    page = Paginator(newest_first, MESSAGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "other": other,
            "page": page,
            "message_list": list(reversed(page.object_list)),
            "form": form,
            "can_send": permissions.can_message(request.user, other),
            "i_blocked": selectors.block_exists(blocker=request.user, blocked=other),
            "nav": "messages",
        },
        status=status,
    )


@login_required
@require_POST
def person_block_view(request, user_pk: int):
    """Stop messages both ways. The other person is not told."""
    person = community_selectors.person_get_visible(pk=user_pk, viewer=request.user)
    if person.pk == request.user.pk:
        raise Http404
    message_services.block_create(blocker=request.user, blocked=person)
    messages.success(
        request,
        _(
            "You blocked %(name)s. They won't be told; neither of you can message the other "
            "until you unblock them."
        )
        % {"name": person.full_name},
    )
    return redirect(reverse("person-detail", kwargs={"pk": person.pk}))


@login_required
@require_POST
def person_unblock_view(request, user_pk: int):
    person = community_selectors.person_get_visible(pk=user_pk, viewer=request.user)
    if person.pk == request.user.pk:
        raise Http404
    message_services.block_remove(blocker=request.user, blocked=person)
    messages.success(request, _("You unblocked %(name)s.") % {"name": person.full_name})
    return redirect(reverse("person-detail", kwargs={"pk": person.pk}))
