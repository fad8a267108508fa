"""Questions and discussions: the list, one thread with its replies, writing and editing,
useful marks, accepting an answer, attachments, the edit history and @mention lookup.
Views parse input, call one service or selector, and render."""

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.conversations import permissions, selectors
from kring.conversations.forms import ReplyForm, ReplyUpdateForm, ThreadForm, ThreadUpdateForm
from kring.conversations.models import ThreadKind, reply_url
from kring.conversations.services import threads as thread_services
from kring.core.attachments import attachment_response
from kring.core.forms import apply_service_errors
from kring.core.markdown import render_markdown

THREAD_PAGE_SIZE = 25
# A long thread opens on its latest replies: with more than REPLIES_COLLAPSE_OVER top-level
# replies (the accepted answer aside), the earlier ones sit behind one link and the last
# REPLIES_SHOWN are rendered. Rendering a reply costs about a millisecond, so a thread of
# hundreds of replies would otherwise cost as much as its length.
REPLIES_COLLAPSE_OVER = 30
REPLIES_SHOWN = 20
# Errors the services report under their own names, shown next to these form fields.
ERROR_FIELDS = {"file": "attachments"}


def _frame(request, community) -> dict:
    """What the community header needs on every conversations page."""
    return header_context(request, community, "conversations")


def _thread(request, slug: str, pk: int):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    return selectors.thread_get(user=request.user, community=community, pk=pk)


def _mention_url(community) -> str:
    return reverse("mention-search", kwargs={"slug": community.slug})


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- The list -------------------------------------------------------------------------------


FILTER_LABELS = {
    "all": _("All"),
    "questions": _("Questions"),
    "discussions": _("Discussions"),
    "waiting": _("Waiting for an answer"),
    "answered": _("Answered"),
    "mine": _("Mine"),
}


@login_required
def thread_list_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    current = request.GET.get("filter", "all")
    if current not in selectors.THREAD_FILTERS:
        current = "all"
    theme = request.GET.get("theme", "")[:80]
    threads = selectors.threads_for_community(
        community=community, user=request.user, filter=current, tag=theme
    )
    page = Paginator(threads, THREAD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_frame(request, community),
        "page": page,
        "current": current,
        "theme": theme,
        "filtered": current != "all" or bool(theme),
        "can_start": permissions.can_start_thread(request.user, community),
    }
    if request.htmx and request.htmx.target == "thread-results":
        response = render(request, "conversations/_thread_results.html", context)
    else:
        context.update(
            filters=[(key, FILTER_LABELS[key]) for key in selectors.THREAD_FILTERS],
            themes=selectors.themes_in_use(community=community),
        )
        response = render(request, "conversations/thread_list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# --- Starting and editing -------------------------------------------------------------------


@login_required
def thread_create_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_start_thread(request.user, community)
    kind = request.GET.get("kind", "")
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in ThreadKind.values else ThreadKind.QUESTION},
        mention_url=_mention_url(community),
        community=community,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = thread_services.thread_create(
                community=community,
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            if thread.is_question:
                messages.success(request, _("Your question is posted. Members will see it."))
            else:
                messages.success(request, _("Your discussion has started."))
            return redirect(thread)
    return render(
        request,
        "conversations/thread_form.html",
        {
            **_frame(request, community),
            "form": form,
            "creating": True,
            "files_dropped": bool(request.FILES) and bool(form.errors),
        },
    )


@login_required
def thread_update_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    permissions.check_edit_post(request.user, thread)
    attachments = selectors.thread_attachments(thread=thread)
    current_tags = [t.name for t in thread.tags.all()]
    form = ThreadUpdateForm(
        request.POST or None,
        request.FILES or None,
        kind=thread.kind,
        initial={
            "title": thread.title,
            "body": thread.body,
            "tags": current_tags,
        },
        mention_url=_mention_url(thread.community),
        community=thread.community,
        existing_attachments=len(attachments),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread_services.thread_update(
                thread=thread,
                by=request.user,
                title=data["title"],
                body=data["body"],
                # Unchanged themes are left alone, so saving as-is adds no version.
                tags=None if data["tags"] == current_tags else data["tags"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(thread)
    return render(
        request,
        "conversations/thread_form.html",
        {
            **_frame(request, thread.community),
            "form": form,
            "thread": thread,
            "attachments": attachments,
            "creating": False,
            "files_dropped": bool(request.FILES) and bool(form.errors),
        },
    )


# --- One thread -----------------------------------------------------------------------------


# Rendered Markdown, by source text: the same text always gives the same HTML, so nothing
# needs invalidating; an edit is a new key. Bounded so memory stays small.
_body_html = lru_cache(maxsize=4096)(render_markdown)


# A reply id no reply has: reversed once per page, then replaced by each reply's id (a
# reverse() per link per reply was a tenth of the thread page's time).
_REPLY_PK = 987654321


def _reply_urls(thread) -> dict:
    """Per-reply URL builders and the thread's own URLs, reversed once."""
    kw = {"slug": thread.community.slug, "pk": thread.pk}
    useful = reverse("reply-useful", kwargs={**kw, "reply_pk": _REPLY_PK})
    edit = reverse("reply-update", kwargs={**kw, "reply_pk": _REPLY_PK})
    return {
        "useful": lambda pk: useful.replace(str(_REPLY_PK), str(pk)),
        "edit": lambda pk: edit.replace(str(_REPLY_PK), str(pk)),
        "thread_useful": reverse("thread-useful", kwargs=kw),
        "thread_edit": reverse("thread-update", kwargs=kw),
        "accept": reverse("answer-accept", kwargs=kw),
        "history": reverse("thread-history", kwargs=kw),
        "flag": reverse("post-flag", kwargs=kw),
        "moderation": reverse(
            "moderation-post", kwargs={"slug": thread.community.slug, "thread_pk": thread.pk}
        ),
    }


def _useful_url(thread, reply=None) -> str:
    kw = {"slug": thread.community.slug, "pk": thread.pk}
    if reply is None:
        return reverse("thread-useful", kwargs=kw)
    return reverse("reply-useful", kwargs={**kw, "reply_pk": reply.pk})


def _prepare_post(
    post, user, thread, *, mine: set[int] | None = None, urls=None, abilities=None
) -> None:
    """Render the Markdown and work out, once, what the viewer may do with a post."""
    post.body_html = _body_html(post.body or "")
    if urls is not None:
        is_reply = post is not thread
        post.useful_url = urls["useful"](post.pk) if is_reply else urls["thread_useful"]
        post.edit_url = urls["edit"](post.pk) if is_reply else urls["thread_edit"]
    can = (abilities or permissions.post_abilities(user, thread))(post)
    post.can_edit, post.can_react, post.can_flag = can.edit, can.react, can.flag
    if mine is not None:
        post.marked_useful = post.pk in mine


def _collapse_earlier(replies: list, thread, *, show_all: bool, wanted: tuple) -> tuple:
    """The top-level replies to render, how many posts (with their children) sit behind the
    "earlier replies" link, and where in the list that link goes (after the accepted answer,
    which stays first). A reply asked for by id (``?show=``, ``?reply_to=``) and everything
    after it is always rendered, so a link to a reply lands on it."""
    pinned = 1 if replies and replies[0].pk == thread.accepted_reply_id else 0
    rest = replies[pinned:]
    if show_all or len(rest) <= REPLIES_COLLAPSE_OVER:
        return replies, {}, 0
    start = len(rest) - REPLIES_SHOWN
    for index, reply in enumerate(rest[:start]):
        if {reply.pk, *(child.pk for child in reply.child_list)} & set(wanted):
            start = index
            break
    if start == 0:
        return replies, {}, 0
    hidden = rest[:start]
    earlier = {
        "count": sum(1 + len(reply.child_list) for reply in hidden),
        "first": hidden[0].pk,
    }
    return replies[:pinned] + rest[start:], earlier, pinned


def _detail_context(request, thread, *, reply_form=None, reply_parent: int | None = None) -> dict:
    """The thread page. There is one reply form: under the thread, or, after "Reply to ..."
    (``?reply_to=<pk>``, or a posted form that came back), aimed at that top-level reply. No
    form per reply: that was most of the page's weight with many replies."""
    user = request.user
    community = thread.community
    replies = selectors.thread_replies(thread=thread, user=user)
    mention_url = _mention_url(community)
    thread.marked_useful = selectors.thread_marked_useful(thread=thread, user=user)
    urls = _reply_urls(thread)
    abilities = permissions.post_abilities(user, thread)
    _prepare_post(thread, user, thread, urls=urls, abilities=abilities)
    can_reply = permissions.can_reply(user, thread)
    if reply_form is None and can_reply:
        reply_parent = _int(request.GET.get("reply_to"))
    replies, earlier, earlier_at = _collapse_earlier(
        replies,
        thread,
        show_all=request.GET.get("replies") == "all",
        wanted=(reply_parent, _int(request.GET.get("show"))),
    )
    reply_to = None
    for reply in replies:
        if reply.pk == reply_parent:
            reply_to = reply
        for post in (reply, *reply.child_list):
            # The selector fetched the replies of this thread: remember it, so the
            # permission checks below need no query per reply.
            post.thread = thread
            _prepare_post(post, user, thread, urls=urls, abilities=abilities)
            post.is_accepted = post.pk == thread.accepted_reply_id
    if reply_form is None:
        reply_form = ReplyForm(
            initial={"parent": reply_to.pk} if reply_to else {},
            mention_url=mention_url,
            community=community,
        )
    return {
        **_frame(request, community),
        "thread": thread,
        "replies": replies,
        "earlier": earlier,
        "earlier_at": earlier_at,
        "reply_to": reply_to,
        "thread_urls": urls,
        "attachments": selectors.thread_attachments(thread=thread),
        "tags": list(thread.tags.all()),
        "can_reply": can_reply,
        "can_accept": permissions.can_accept(user, thread),
        "can_moderate": permissions.can_moderate(user, community),
        "reply_form": reply_form,
    }


@login_required
def thread_detail_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    return render(request, "conversations/thread_detail.html", _detail_context(request, thread))


@login_required
@require_POST
def reply_create_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    permissions.check_reply(request.user, thread)
    form = ReplyForm(
        request.POST,
        request.FILES,
        mention_url=_mention_url(thread.community),
        community=thread.community,
    )
    parent = None
    parent_pk = _int(request.POST.get("parent"))
    if parent_pk:
        parent = selectors.reply_get(user=request.user, thread=thread, pk=parent_pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply = thread_services.reply_create(
                thread=thread,
                by=request.user,
                body=data["body"],
                parent=parent,
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("Your reply has been posted."))
            return redirect(reply_url(thread, reply.pk))
    # The form comes back aimed at the same top-level reply (a reply to a child goes to its parent).
    context = _detail_context(
        request,
        thread,
        reply_form=form,
        reply_parent=(parent.parent_id or parent.pk) if parent else None,
    )
    context["files_dropped"] = bool(request.FILES)
    return render(request, "conversations/thread_detail.html", context, status=400)


@login_required
def reply_update_view(request, slug: str, pk: int, reply_pk: int):
    thread = _thread(request, slug, pk)
    reply = selectors.reply_get(user=request.user, thread=thread, pk=reply_pk)
    permissions.check_edit_post(request.user, reply)
    form = ReplyUpdateForm(
        request.POST or None,
        initial={"body": reply.body},
        mention_url=_mention_url(thread.community),
        community=thread.community,
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread_services.reply_update(
                reply=reply, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(reply_url(thread, reply.pk))
    return render(
        request,
        "conversations/thread_reply_form.html",
        {**_frame(request, thread.community), "thread": thread, "reply": reply, "form": form},
    )


# --- Useful and accepted --------------------------------------------------------------------


def _useful(request, thread, reply=None):
    useful = request.POST.get("useful", "1") != "0"
    post = thread_services.reaction_set(thread=thread, by=request.user, reply=reply, useful=useful)
    if request.htmx:
        post.marked_useful = useful
        post.can_react = True
        post.useful_url = _useful_url(thread, reply)
        return render(
            request,
            "conversations/_thread_useful.html",
            {"post": post, "reply": reply, "thread": thread, "community": thread.community},
        )
    if useful:
        messages.success(request, _("Thanks: the author will be glad it helped."))
    return redirect(reply_url(thread, reply.pk) if reply is not None else thread.get_absolute_url())


@login_required
@require_POST
def thread_useful_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    return _useful(request, thread)


@login_required
@require_POST
def reply_useful_view(request, slug: str, pk: int, reply_pk: int):
    thread = _thread(request, slug, pk)
    reply = selectors.reply_get(user=request.user, thread=thread, pk=reply_pk)
    return _useful(request, thread, reply)


@login_required
@require_POST
def answer_accept_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    permissions.check_accept(request.user, thread)
    if request.POST.get("accept", "1") == "0":
        thread_services.answer_unaccept(thread=thread, by=request.user)
        messages.success(request, _("The answer is no longer marked as accepted."))
        return redirect(thread)
    reply = selectors.reply_get(
        user=request.user, thread=thread, pk=_int(request.POST.get("reply"))
    )
    try:
        thread_services.answer_accept(thread=thread, reply=reply, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(thread)
    messages.success(request, _("Marked as the accepted answer. Thank you for closing the loop."))
    return redirect(reply_url(thread, reply.pk))


# --- History --------------------------------------------------------------------------------


@login_required
def thread_history_view(request, slug: str, pk: int):
    thread = _thread(request, slug, pk)
    return render(
        request,
        "conversations/thread_history.html",
        {
            **_frame(request, thread.community),
            "thread": thread,
            "history": selectors.thread_history(thread=thread, user=request.user),
        },
    )


# --- Attachments and mentions ---------------------------------------------------------------


@login_required
def post_attachment_view(request, slug: str, pk: int, att_pk: int):
    # The thread lookup is the permission check; the selector checks a hidden reply's files.
    thread = _thread(request, slug, pk)
    attachment = selectors.attachment_get(user=request.user, thread=thread, pk=att_pk)
    return attachment_response(attachment)


def _mention_name(name: str) -> str:
    # Brackets would end the link text early; the mention syntax has no escaping.
    return " ".join(name.replace("[", "(").replace("]", ")").split())


@login_required
@require_GET
def mention_search_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    people = selectors.mention_candidates(
        community=community, user=request.user, q=request.GET.get("q", "")
    )
    if request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    ):
        return JsonResponse(
            {
                "results": [
                    {
                        "id": person.pk,
                        "name": person.full_name,
                        "organisation": person.organisation,
                        "mention": f"@[{_mention_name(person.full_name)}](/people/{person.pk}/)",
                    }
                    for person in people
                ]
            }
        )
    for person in people:
        person.mention = f"@[{_mention_name(person.full_name)}](/people/{person.pk}/)"
    return render(request, "conversations/_thread_mentions.html", {"people": people})
