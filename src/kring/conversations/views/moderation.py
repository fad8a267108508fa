"""Moderation pages: flagging a post, the facilitators' queue, one post's moderation page with
its log and the private exchange with the author, and the actions. Views parse input, call one
moderation service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.conversations import permissions, selectors
from kring.conversations.forms_moderation import (
    FlagForm,
    ModerationActionForm,
    ModerationMessageForm,
)
from kring.conversations.models import reply_url
from kring.conversations.services import moderation as moderation_services
from kring.core.forms import apply_service_errors
from kring.core.markdown import render_markdown


def _reply_pk(request) -> int | None:
    value = request.GET.get("reply", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _frame(request, community, tab: str) -> dict:
    return header_context(request, community, tab)


def moderation_post_url(thread, reply=None) -> str:
    url = reverse("moderation-post", kwargs={"slug": thread.community.slug, "thread_pk": thread.pk})
    return f"{url}?reply={reply.pk}" if reply is not None else url


def _post_url(thread, reply) -> str:
    if reply is not None:
        return reply_url(thread, reply.pk)
    return thread.get_absolute_url()


# Flagging ----------------------------------------------------------------------------------


@login_required
def post_flag_view(request, slug: str, pk: int):
    """Anyone inside reports someone else's post, pointing at a ground rule if one applies."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    thread = selectors.thread_get(user=request.user, community=community, pk=pk)
    reply_pk = _reply_pk(request)
    reply = selectors.reply_get(user=request.user, thread=thread, pk=reply_pk) if reply_pk else None
    post = reply or thread
    if not permissions.can_flag(request.user, post):
        raise PermissionDenied
    rules = selectors.ground_rules(community=community)
    form = FlagForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_services.flag_create(
                by=request.user,
                thread=thread,
                reply=reply,
                reason=form.cleaned_data["reason"],
                ground_rule=form.cleaned_data["ground_rule"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Thank you. The facilitators will look at the post you flagged.")
            )
            return redirect(_post_url(thread, reply))
    post.body_html = render_markdown(post.body or "")
    return render(
        request,
        "conversations/flag_form.html",
        {
            **_frame(request, community, "conversations"),
            "thread": thread,
            "reply": reply,
            "post": post,
            "form": form,
        },
    )


# The queue ---------------------------------------------------------------------------------


def _queue(request, community, *, dismiss_flag=None, dismiss_form=None):
    groups = selectors.moderation_queue(community=community, user=request.user)
    rules = selectors.ground_rules(community=community)
    for group in groups:
        group["post"].body_html = render_markdown(group["post"].body or "")
        group["url"] = moderation_post_url(group["thread"], group["reply"])
        for flag in group["flags"]:
            flag.dismiss_form = (
                dismiss_form
                if dismiss_flag is not None and flag.pk == dismiss_flag.pk
                else ModerationActionForm(rules=rules, auto_id=f"id_dismiss{flag.pk}_%s")
            )
    return render(
        request,
        "conversations/moderation_queue.html",
        {
            **_frame(request, community, "moderation"),
            "groups": groups,
            "log": selectors.moderation_log(community=community, user=request.user),
        },
    )


@login_required
def moderation_queue_view(request, slug: str):
    """Facilitators: open flags grouped per post, and the recent moderation log."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_moderate(request.user, community)
    return _queue(request, community)


@login_required
@require_POST
def flag_dismiss_view(request, slug: str, flag_pk: int):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    flag = selectors.flag_get(user=request.user, community=community, pk=flag_pk)
    rules = selectors.ground_rules(community=community)
    form = ModerationActionForm(request.POST, rules=rules, auto_id=f"id_dismiss{flag.pk}_%s")
    if form.is_valid():
        try:
            moderation_services.flag_dismiss(
                by=request.user,
                flag=flag,
                reason=form.cleaned_data["reason"],
                ground_rule=form.cleaned_data["ground_rule"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The flag has been dismissed."))
            return redirect("moderation-queue", slug=community.slug)
    return _queue(request, community, dismiss_flag=flag, dismiss_form=form)


# One post ----------------------------------------------------------------------------------


def _post_page(request, community, thread, reply, bound: dict | None = None):
    """The post, its flags, its log and the private exchange; `bound` holds a form that came
    back with errors, under its action name."""
    bound = bound or {}
    can_moderate = permissions.can_moderate(request.user, community)
    rules = selectors.ground_rules(community=community)
    post = reply or thread
    post.body_html = render_markdown(post.body or "")
    forms = {}
    if can_moderate:
        for name in ("restore" if post.hidden else "hide",) + (
            () if reply is not None else ("unlock" if thread.locked else "lock",)
        ):
            forms[name] = bound.get(name) or ModerationActionForm(
                rules=rules, auto_id=f"id_{name}_%s"
            )
    forms["message"] = bound.get("message") or ModerationMessageForm()
    query = f"?reply={reply.pk}" if reply is not None else ""
    return render(
        request,
        "conversations/moderation_post.html",
        {
            **_frame(request, community, "moderation" if can_moderate else "conversations"),
            "thread": thread,
            "reply": reply,
            "post": post,
            "post_url": _post_url(thread, reply),
            "query": query,
            "can_moderate": can_moderate,
            "flags": selectors.post_flags(thread=thread, reply=reply, user=request.user),
            "actions": selectors.post_actions(thread=thread, reply=reply, user=request.user),
            "exchange": selectors.post_messages(thread=thread, reply=reply, user=request.user),
            "forms": forms,
        },
    )


def _moderation_post(request, slug: str, thread_pk: int):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    thread, reply = selectors.moderation_post_get(
        user=request.user, community=community, thread_pk=thread_pk, reply_pk=_reply_pk(request)
    )
    return community, thread, reply


@login_required
def moderation_post_view(request, slug: str, thread_pk: int):
    """Facilitators and the post's author only; anyone else gets 404."""
    community, thread, reply = _moderation_post(request, slug, thread_pk)
    return _post_page(request, community, thread, reply)


def _action_view(name: str, service, done: str, *, thread_only: bool = False):
    @login_required
    @require_POST
    def view(request, slug: str, thread_pk: int):
        community, thread, reply = _moderation_post(request, slug, thread_pk)
        permissions.check_moderate(request.user, community)
        if thread_only and reply is not None:
            raise PermissionDenied
        rules = selectors.ground_rules(community=community)
        form = ModerationActionForm(request.POST, rules=rules, auto_id=f"id_{name}_%s")
        if form.is_valid():
            kwargs = {"reply": reply} if not thread_only else {}
            try:
                service(
                    by=request.user,
                    thread=thread,
                    reason=form.cleaned_data["reason"],
                    ground_rule=form.cleaned_data["ground_rule"],
                    **kwargs,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(moderation_post_url(thread, reply))
        return _post_page(request, community, thread, reply, bound={name: form})

    view.__name__ = f"{name}_view"
    return view


post_hide_view = _action_view(
    "hide",
    moderation_services.post_hide,
    gettext_lazy("The post is hidden. Its author has been told why."),
)
post_restore_view = _action_view(
    "restore",
    moderation_services.post_restore,
    gettext_lazy("The post is visible again. Its author has been told."),
)
thread_lock_view = _action_view(
    "lock",
    moderation_services.thread_lock,
    gettext_lazy("The thread is locked. Its author has been told why."),
    thread_only=True,
)
thread_unlock_view = _action_view(
    "unlock",
    moderation_services.thread_unlock,
    gettext_lazy("The thread is open for replies again."),
    thread_only=True,
)


@login_required
@require_POST
def moderation_message_view(request, slug: str, thread_pk: int):
    community, thread, reply = _moderation_post(request, slug, thread_pk)
    form = ModerationMessageForm(request.POST)
    if form.is_valid():
        try:
            moderation_services.moderation_message_send(
                by=request.user, thread=thread, reply=reply, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(moderation_post_url(thread, reply) + "#exchange")
    return _post_page(request, community, thread, reply, bound={"message": form})
