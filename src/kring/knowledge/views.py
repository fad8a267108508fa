"""Library pages. Views parse input, call one service or selector, and render."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.selectors import profiles_version
from kring.communities import selectors as community_selectors
from kring.communities.header import header_context
from kring.core.attachments import attachment_response
from kring.core.forms import apply_service_errors
from kring.knowledge import permissions, selectors, services
from kring.knowledge.diff import revision_diff
from kring.knowledge.forms import CommentForm, ItemForm, ItemUpdateForm
from kring.knowledge.models import (
    EXPLICIT_KINDS,
    IMPLICIT_KINDS,
    LESSON_SECTIONS,
    Featured,
    Kind,
)

LIBRARY_PAGE_SIZE = 24
SEARCH_PAGE_SIZE = 20
# Without Redis each web process keeps its own cards and its own profiles' version: another
# process shows a renamed author's new name within this time (an erasure at once: author_key).
CARD_SECONDS = 600
# Errors the services report under their own names, shown next to these form fields.
ERROR_FIELDS = {"file": "attachments"}


def _community(request, slug: str):
    """The community if the viewer may see inside: 404 for outsiders of a private one."""
    return community_selectors.community_get_inside(slug=slug, user=request.user)


def _item(request, slug: str, pk: int):
    community = _community(request, slug)
    return selectors.item_get(community=community, pk=pk, viewer=request.user)


def _frame(request, community, tab: str = "library") -> dict:
    """What the community header needs on every library page."""
    return header_context(request, community, tab)


def _kind_options() -> dict:
    return {
        "explicit": [(k.value, k.label) for k in EXPLICIT_KINDS],
        "implicit": [(k.value, k.label) for k in IMPLICIT_KINDS],
    }


# --- Browsing -------------------------------------------------------------------------------


def _library_filters(params) -> dict:
    kind = params.get("kind", "")
    author = params.get("author", "")
    return {
        "kind": kind if kind in Kind.values or kind in ("explicit", "implicit") else "",
        "theme": params.get("theme", "")[:80],
        "author": int(author) if author.isdigit() and len(author) < 10 else None,
        "perspective": params.get("perspective", "")[:40],
        "period": params.get("period", "") if params.get("period") in selectors.PERIODS else "",
        "sort": params.get("sort", "") if params.get("sort") in selectors.SORTS else "new",
    }


@login_required
def item_list_view(request, slug: str):
    community = _community(request, slug)
    filters = _library_filters(request.GET)
    items = selectors.items_for_community(community=community, viewer=request.user, **filters)
    filtered = any(value for name, value in filters.items() if name != "sort")
    paginator = Paginator(items, LIBRARY_PAGE_SIZE)
    if not filtered:
        paginator.count = selectors.library_size(community=community)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.items_prepare(list(page.object_list))
    context = {
        **_frame(request, community),
        "page": page,
        "filters": filters,
        "filtered": filtered,
        # A card is the same for every reader: it is kept (knowledge/_item_results.html) by
        # the item's state, the language and the profiles' version (an author renamed or
        # erased); rendering 24 of them was ~40 % of the list.
        "card_version": profiles_version(),
        "card_seconds": CARD_SECONDS,
        "can_create": permissions.can_create(request.user, community),
    }
    if request.htmx and request.htmx.target == "library-results":
        response = render(request, "knowledge/_item_results.html", context)
    else:
        context.update(
            facets=selectors.library_facets(community=community, author=filters["author"]),
            featured=selectors.featured_items(community=community, viewer=request.user),
            kinds=_kind_options(),
            periods=[
                ("month", _("Last month")),
                ("quarter", _("Last three months")),
                ("year", _("Last year")),
            ],
            sorts=[
                ("new", _("Newest first")),
                ("updated", _("Recently updated")),
                ("useful", _("Most useful")),
                ("title", _("Title (A–Z)")),
            ],
        )
        response = render(request, "knowledge/item_list.html", context)
    # The same URL answers with a fragment for htmx and a page otherwise.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# --- Sharing and editing --------------------------------------------------------------------


@login_required
def item_create_view(request, slug: str):
    community = _community(request, slug)
    permissions.check_create(request.user, community)
    kind = request.GET.get("kind", "")
    initial = {"kind": kind if kind in Kind.values else "", "authors": [request.user]}
    # A link may prefill the text, e.g. a session reflection carried to the library.
    for name, limit in (("title", 200), ("body", 50000)):
        if request.GET.get(name):
            initial[name] = request.GET[name][:limit]
    form = ItemForm(
        request.POST or None, request.FILES or None, community=community, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            # Nothing is kept unless the item and every attachment are fine.
            item = services.item_create(
                community=community,
                by=request.user,
                attachments=form.cleaned_data["attachments"],
                **form.item_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            if item.kind == Kind.LESSON_LEARNED:
                messages.success(
                    request,
                    _("Thank you for sharing what you learned. Others will learn from it too."),
                )
            else:
                messages.success(request, _("Thank you! Your knowledge is in the library now."))
            return redirect(item)
    return render(
        request,
        "knowledge/item_form.html",
        {
            **_frame(request, community),
            "form": form,
            "creating": True,
            "files_dropped": bool(request.FILES) and bool(form.errors),
            "lesson_first": form.is_lesson,
        },
    )


def _initial_for(item) -> dict:
    sections = dict(item.sections or {})
    if item.kind == Kind.LESSON_LEARNED and not sections and item.body:
        # An imported lesson may be one text: offer it as what was learned.
        sections = {"learned": item.body}
    return {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "url": item.url,
        "tags": [t.name for t in item.tags.all()],
        "authors": item.author_list,
        **{key: sections.get(key, "") for key, _label in LESSON_SECTIONS},
    }


@login_required
def item_update_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    permissions.check_edit(request.user, item)
    attachments = list(selectors.item_attachments(item=item))
    form = ItemUpdateForm(
        request.POST or None,
        request.FILES or None,
        community=item.community,
        initial=_initial_for(item),
        existing_attachments=len(attachments),
    )
    if request.method == "POST" and form.is_valid():
        fields = form.item_fields()
        # No authors chosen means: leave them as they are (not: make the editor the author).
        fields["authors"] = fields["authors"] or None
        try:
            updated = services.item_update(
                item=item,
                by=request.user,
                note=form.cleaned_data["note"],
                attachments=form.cleaned_data["attachments"],
                **fields,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(updated)
    return render(
        request,
        "knowledge/item_form.html",
        {
            **_frame(request, item.community),
            "form": form,
            "item": item,
            "attachments": attachments,
            "creating": False,
            "files_dropped": bool(request.FILES) and bool(form.errors),
        },
    )


@login_required
def item_delete_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    permissions.check_edit(request.user, item)
    if request.method == "POST":
        title = item.title
        services.item_delete(item=item, by=request.user)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": title})
        return redirect("item-list", slug=slug)
    return render(
        request,
        "knowledge/item_confirm_delete.html",
        {**_frame(request, item.community), "item": item},
    )


# --- One item -------------------------------------------------------------------------------


def _sections(item) -> list[tuple[str, str]]:
    """The parts of a lesson learned that were filled in, with their questions."""
    sections = item.sections or {}
    return [(label, sections[key]) for key, label in LESSON_SECTIONS if sections.get(key)]


def _detail_context(request, item, *, comment_form=None) -> dict:
    user = request.user
    return {
        **_frame(request, item.community),
        "item": item,
        "sections": _sections(item),
        "attachments": selectors.item_attachments(item=item),
        "comments": selectors.item_comments(item=item),
        "comment_form": comment_form or CommentForm(),
        "is_useful": selectors.item_is_useful_to(item=item, user=user),
        "experts": selectors.who_knows(community=item.community, viewer=user, item=item),
        "can_edit": permissions.can_edit(user, item),
        "can_feature": permissions.can_feature(user, item),
        "can_react": permissions.can_react(user, item),
        "featured_choices": Featured.choices,
    }


@login_required
def item_detail_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    return render(request, "knowledge/item_detail.html", _detail_context(request, item))


@login_required
@require_POST
def item_useful_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    useful = request.POST.get("useful", "1") != "0"
    item = services.item_mark_useful(item=item, by=request.user, useful=useful)
    if request.htmx:
        return render(
            request,
            "knowledge/_useful.html",
            {"item": item, "community": item.community, "is_useful": useful, "can_react": True},
        )
    if useful:
        messages.success(request, _("Thanks: the authors will be glad it helped."))
    return redirect(item)


@login_required
@require_POST
def comment_create_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(item=item, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            form = CommentForm()
            if not request.htmx:
                messages.success(request, _("Your comment has been added."))
                return redirect(item.get_absolute_url() + "#comments")
    if request.htmx:
        return render(
            request,
            "knowledge/_comments.html",
            {
                "item": item,
                "community": item.community,
                "comments": selectors.item_comments(item=item),
                "comment_form": form,
                "can_react": True,
            },
        )
    return render(
        request, "knowledge/item_detail.html", _detail_context(request, item, comment_form=form)
    )


@login_required
@require_POST
def item_feature_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    try:
        item = services.item_feature(
            item=item, by=request.user, featured=request.POST.get("featured", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if item.featured:
            messages.success(
                request,
                _("“%(title)s” is now featured as: %(featured)s.")
                % {"title": item.title, "featured": item.get_featured_display()},
            )
        else:
            messages.success(
                request, _("“%(title)s” is no longer featured.") % {"title": item.title}
            )
    return redirect(item)


# --- History --------------------------------------------------------------------------------


@login_required
def item_revisions_view(request, slug: str, pk: int):
    item = _item(request, slug, pk)
    revisions = list(selectors.item_revisions(item=item))
    by_number = {r.number: r for r in revisions}
    if request.method == "POST":
        revision = by_number.get(_int(request.POST.get("revision")))
        if revision is None:
            raise Http404
        try:
            item = services.item_restore(item=item, revision=revision, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("item-revisions", slug=slug, pk=pk)
        messages.success(
            request,
            _("Version %(number)s has been restored. The previous text is kept in the history.")
            % {"number": revision.number},
        )
        return redirect(item)
    if not revisions:
        raise Http404
    selected = by_number.get(_int(request.GET.get("rev"))) or revisions[0]
    previous = next((r for r in revisions if r.number < selected.number), None)
    return render(
        request,
        "knowledge/item_revisions.html",
        {
            **_frame(request, item.community),
            "item": item,
            "revisions": revisions,
            "selected": selected,
            "previous": previous,
            "changes": revision_diff(previous, selected),
            "is_current": selected.number == revisions[0].number,
            "can_edit": permissions.can_edit(request.user, item),
        },
    )


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- Attachments ----------------------------------------------------------------------------


@login_required
def attachment_download_view(request, slug: str, pk: int, att_pk: int):
    # The item lookup is the permission check: whoever may not see the item gets 404.
    item = _item(request, slug, pk)
    attachment = selectors.attachment_get(item=item, pk=att_pk)
    return attachment_response(attachment)


@login_required
@require_POST
def attachment_delete_view(request, slug: str, pk: int, att_pk: int):
    item = _item(request, slug, pk)
    attachment = selectors.attachment_get(item=item, pk=att_pk)
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(
        request,
        _("The attachment “%(name)s” has been removed.") % {"name": attachment.original_name},
    )
    if request.POST.get("next") == "update":
        return redirect("item-update", slug=slug, pk=pk)
    return redirect(item)


# --- Search and who knows -------------------------------------------------------------------


class SearchPage:
    """Page numbers for a search whose total the search backend reports."""

    def __init__(self, number: int, total: int, size: int):
        self.number = number
        self.total = total
        self.num_pages = max(1, math.ceil(total / size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@login_required
def search_view(request, slug: str):
    community = _community(request, slug)
    q = " ".join(request.GET.get("q", "").split())[:200]
    kind = request.GET.get("kind", "")
    if kind not in Kind.values and kind not in ("explicit", "implicit", "person"):
        kind = ""
    theme = request.GET.get("theme", "")[:80]
    number = min(_int(request.GET.get("page")) or 1, 500)
    results = selectors.community_search(
        community=community,
        viewer=request.user,
        q=q,
        kind="" if kind == "person" else kind,
        theme=theme,
        types=["person"] if kind == "person" else None,
        limit=SEARCH_PAGE_SIZE,
        offset=(number - 1) * SEARCH_PAGE_SIZE,
    )
    return render(
        request,
        "knowledge/search.html",
        {
            **_frame(request, community, tab="search"),
            "q": q,
            "filters": {"kind": kind, "theme": theme},
            "results": results,
            "page": SearchPage(number, results.total, SEARCH_PAGE_SIZE),
            "experts": selectors.who_knows(
                community=community,
                viewer=request.user,
                query=q,
                searched=results,
            )
            if q
            else [],
            "themes": selectors.library_themes(community=community),
            "kinds": _kind_options(),
        },
    )


@login_required
def who_knows_view(request, slug: str):
    community = _community(request, slug)
    q = " ".join(request.GET.get("q", "").split())[:200]
    experts = (
        selectors.who_knows(community=community, viewer=request.user, query=q, limit=20)
        if q
        else []
    )
    return render(
        request,
        "knowledge/who_knows.html",
        {**_frame(request, community, tab="members"), "q": q, "experts": experts},
    )
