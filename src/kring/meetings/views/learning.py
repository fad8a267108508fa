"""The learning cycle after a session: reflections at three levels, a facilitator's mark on
insights worth carrying to the library, and action points (who does what before when) that stay
on the next sessions' agenda until done. Views parse input, call one service or selector, and
render."""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kring.accounts.models import User
from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside
from kring.core.dates import long_date
from kring.core.forms import apply_service_errors
from kring.meetings import permissions, selectors, services_learning
from kring.meetings.forms_learning import ActionPointForm, ReflectionForm
from kring.meetings.models import LEARNING_LEVELS
from kring.meetings.services_learning import REFLECTION_FIELDS

DONE_PAGE_SIZE = 25
# Gunicorn refuses request lines over 4094 bytes: the prefilled library link stays well below.
SHARE_BODY_MAX_ENCODED = 2500


def _frame(request, community, tab: str = "action-points") -> dict:
    """What the community header needs on every page here."""
    return header_context(request, community, tab)


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _list_url(community) -> str:
    return reverse("action-point-list", kwargs={"slug": community.slug})


def _part_labels() -> dict[str, str]:
    return {
        "did": _("What we did"),
        "noticed": _("What we noticed"),
        "learned": _("What we learned"),
        **{key: str(question) for key, question in LEARNING_LEVELS},
    }


def _parts(reflection, labels: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (labels[name], getattr(reflection, name))
        for name in REFLECTION_FIELDS
        if getattr(reflection, name)
    ]


def _share_url(request, session, reflection, parts) -> str:
    """The library's share page, prefilled with the reflection as a practice story."""
    title = _("What we learned: %(session)s") % {"session": session.title}
    footer = _("From the reflection of %(name)s on the session of %(date)s: %(url)s") % {
        "name": reflection.author.display_name,
        "date": long_date(session.starts_at),
        "url": request.build_absolute_uri(session.get_absolute_url()),
    }
    body = "\n\n".join(f"## {label}\n\n{text}" for label, text in parts)
    while len(quote(body)) > SHARE_BODY_MAX_ENCODED:
        body = body[: int(len(body) * 0.8)].rstrip() + "…"
    query = urlencode(
        {"kind": "practice_story", "title": title[:200], "body": f"{body}\n\n{footer}"}
    )
    return reverse("item-create", kwargs={"slug": session.community.slug}) + "?" + query


def _mark(points, user, today, community=None) -> list:
    for point in points:
        if community is not None and point.community_id == community.pk:
            # The list's own community, so checking each point costs no query.
            point.community = community
        point.can_update = permissions.can_update_action_point(user, point)
        point.is_overdue = (
            not point.is_done and point.due_date is not None and point.due_date < today
        )
    return points


def learning_context(request, session) -> dict:
    """What `meetings/_session_learning.html` needs on the session page, under one key."""
    user = request.user
    community = session.community
    today = timezone.localdate()
    labels = _part_labels()
    can_highlight = permissions.can_plan(user, community)
    reflections = selectors.reflections_for(session=session, user=user)
    mine = None
    for reflection in reflections:
        reflection.parts = _parts(reflection, labels)
        if reflection.author_id == user.pk:
            mine = reflection
        if reflection.highlighted and reflection.parts:
            reflection.share_url = _share_url(request, session, reflection, reflection.parts)
    points = selectors.action_points_for_session(session=session, user=user)
    started = session.starts_at <= timezone.now() and not session.is_cancelled
    can_add = started and permissions.can_create_action_point(user, community)
    # The form itself (with its list of owners) is fetched when "Add an action point" is
    # opened: most visits only read the page, and the form was a fifth of its rendering.
    add_url = None
    if can_add:
        add_url = (
            reverse("action-point-create", kwargs={"slug": community.slug})
            + "?"
            + urlencode(
                {"session": session.pk, "next": session.get_absolute_url() + "#action-points"}
            )
        )
    return {
        "learning": {
            "reflections": reflections,
            "mine": mine,
            "can_reflect": permissions.can_reflect(user, session),
            "can_highlight": can_highlight,
            "carried": _mark(points["carried"], user, today, community),
            "made_here": _mark(points["made_here"], user, today, community),
            "add_action_point_url": add_url,
            "next": session.get_absolute_url() + "#action-points",
        }
    }


# --- Reflections ----------------------------------------------------------------------------


@login_required
def reflection_create_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_reflect(request.user, session)
    existing = selectors.reflection_of(session=session, user=request.user)
    initial = {name: getattr(existing, name) for name in REFLECTION_FIELDS} if existing else {}
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_learning.reflection_save(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if existing:
                messages.success(request, _("Your reflection has been updated."))
            else:
                messages.success(
                    request, _("Thank you for looking back. Your reflection is shared.")
                )
            return redirect(session.get_absolute_url() + "#reflections")
    return render(
        request,
        "meetings/reflection_form.html",
        {
            **_frame(request, session.community, tab="sessions"),
            "session": session,
            "form": form,
            "existing": existing,
        },
    )


@login_required
@require_POST
def reflection_highlight_view(request, slug: str, pk: int, reflection_pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    reflection = selectors.reflection_get(user=request.user, session=session, pk=reflection_pk)
    highlighted = request.POST.get("highlighted", "1") != "0"
    services_learning.reflection_highlight(
        reflection=reflection, by=request.user, highlighted=highlighted
    )
    if highlighted:
        messages.success(request, _("Marked as worth carrying to the library."))
    else:
        messages.success(request, _("No longer marked for the library."))
    return redirect(f"{session.get_absolute_url()}#reflection-{reflection.pk}")


# --- Action points --------------------------------------------------------------------------


@login_required
def action_point_create_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_create_action_point(request.user, community)
    raw_session = request.POST.get("session") or request.GET.get("session") or ""
    session = None
    if raw_session:
        if not raw_session.isdigit() or len(raw_session) > 10:
            raise Http404
        session = selectors.session_get(user=request.user, community=community, pk=raw_session)
    initial = {"owner": request.user.pk} if permissions.is_member(request.user, community) else {}
    form = ActionPointForm(
        request.POST or None, community=community, session=session, initial=initial, prefix="ap"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_learning.action_point_create(
                community=community,
                by=request.user,
                session=session,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The action point has been added."))
            fallback = (
                session.get_absolute_url() + "#action-points" if session else _list_url(community)
            )
            return redirect(_next_or(request, fallback))
    return render(
        request,
        "meetings/action_point_form.html",
        {
            **_frame(request, community),
            "form": form,
            "session": session,
            "creating": True,
            "next": _next_or(request, ""),
        },
    )


@login_required
def action_point_update_view(request, slug: str, pk: int):
    point = selectors.action_point_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_update_action_point(request.user, point)
    form = ActionPointForm(
        request.POST or None,
        community=point.community,
        session=point.session,
        original_due=point.due_date,
        initial={"what": point.what, "owner": point.owner_id, "due_date": point.due_date},
        prefix="ap",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_learning.action_point_update(point=point, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(_next_or(request, _list_url(point.community)))
    return render(
        request,
        "meetings/action_point_form.html",
        {
            **_frame(request, point.community),
            "form": form,
            "point": point,
            "session": point.session,
            "creating": False,
            "next": _next_or(request, ""),
        },
    )


@login_required
@require_POST
def action_point_done_view(request, slug: str, pk: int):
    point = selectors.action_point_get_inside(slug=slug, pk=pk, user=request.user)
    done = request.POST.get("done", "") in ("1", "on", "true")
    services_learning.action_point_complete(point=point, by=request.user, done=done)
    if request.htmx:
        mine = request.POST.get("show_community") == "1"
        _mark([point], request.user, timezone.localdate())
        return render(
            request,
            "meetings/_action_point.html",
            {
                "point": point,
                "community": point.community,
                "show_community": mine,
                "hide_owner": mine,
                "next": _next_or(request, ""),
            },
        )
    if done:
        messages.success(request, _("Done: well done!"))
    else:
        messages.success(request, _("The action point is open again."))
    return redirect(_next_or(request, _list_url(point.community)))


@login_required
@require_http_methods(["GET", "POST"])
def action_point_delete_view(request, slug: str, pk: int):
    """Removing asks first: a GET, or a POST without confirm=yes, shows the question."""
    point = selectors.action_point_get_inside(slug=slug, pk=pk, user=request.user)
    community = point.community
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        permissions.check_update_action_point(request.user, point)
        return render(
            request,
            "meetings/action_point_confirm_delete.html",
            {
                **header_context(request, community, "action-points"),
                "point": point,
                "next": _next_or(request, _list_url(community)),
            },
        )
    services_learning.action_point_delete(point=point, by=request.user)
    messages.success(request, _("The action point has been removed."))
    return redirect(_next_or(request, _list_url(community)))


def _owner_filter(request, members: list[User]) -> User | None:
    raw = request.GET.get("owner", "")
    if not raw.isdigit() or len(raw) > 10:
        return None
    return next((m for m in members if m.pk == int(raw)), None)


@login_required
def action_point_list_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    members = selectors.action_point_owners(community=community, user=request.user)
    owner = _owner_filter(request, members)
    today = timezone.localdate()
    open_points = _mark(
        list(
            selectors.action_points_for_community(
                community=community, user=request.user, state="open", owner=owner
            )
        ),
        request.user,
        today,
        community,
    )
    done = Paginator(
        selectors.action_points_for_community(
            community=community, user=request.user, state="done", owner=owner
        ),
        DONE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    done.object_list = _mark(list(done.object_list), request.user, today, community)
    # The page's primary action: ticking off the first open point you may tick; when there is
    # none, adding an action point (the template links to the form).
    primary_point = next((p for p in open_points if p.can_update), None)
    if primary_point is not None:
        primary_point.is_primary = True
    return render(
        request,
        "meetings/action_point_list.html",
        {
            **_frame(request, community),
            "open_points": open_points,
            "overdue_count": sum(1 for p in open_points if p.is_overdue),
            "has_primary_point": primary_point is not None,
            "done_page": done,
            "owner": owner,
            "members": members,
            "can_create": permissions.can_create_action_point(request.user, community),
            "form": ActionPointForm(
                community=community,
                initial={"owner": request.user.pk}
                if permissions.is_member(request.user, community)
                else {},
                prefix="ap",
            ),
            "next": request.get_full_path(),
        },
    )


@login_required
def my_action_points_view(request):
    today = timezone.localdate()
    open_points = list(selectors.action_points_for_user(user=request.user, state="open"))
    done = Paginator(
        selectors.action_points_for_user(user=request.user, state="done"), DONE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    done.object_list = list(done.object_list)
    # Only your own points in your own communities are listed: you may tick each of them.
    for point in [*open_points, *done.object_list]:
        point.can_update = True
        point.is_overdue = (
            not point.is_done and point.due_date is not None and point.due_date < today
        )
    return render(
        request,
        "meetings/action_point_mine.html",
        {
            "nav": "action-points",
            "open_points": open_points,
            "overdue_count": sum(1 for p in open_points if p.is_overdue),
            "done_page": done,
            "next": request.get_full_path(),
        },
    )
