"""Sessions: the list with the rhythm and attendance charts, one session's page, planning a
series or a single session, changing and cancelling (this one or the following), RSVPs with a
waiting list and the session's materials (the attendance checklist is in `attendance`).
Views parse input, call one service or selector, and render."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kring.communities.header import header_context
from kring.communities.selectors import community_get_inside, members_of
from kring.core.forms import apply_service_errors
from kring.meetings import charts, permissions, selectors, services, services_rsvp, services_series
from kring.meetings.forms import (
    CancelForm,
    MaterialsForm,
    RsvpForm,
    SeriesForm,
    SessionForm,
    SessionUpdateForm,
)
from kring.meetings.models import RsvpResponse
from kring.meetings.views.learning import learning_context

PAGE_SIZE = 20
# How far the rhythm looks back and ahead.
RHYTHM_PAST_DAYS = 365
RHYTHM_AHEAD_DAYS = 2 * 365
# Errors the services report under their own names, shown next to these form fields.
ERROR_FIELDS = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "first_start": "date",
    "duration_minutes": "end_time",
    "timezone": "tz",
    "rrule": "ends",
}


def sessions_frame(request, community) -> dict:
    """What the community header needs on every sessions page (attendance's too)."""
    return {
        **header_context(request, community, "sessions"),
        "can_plan": permissions.can_plan(request.user, community),
    }


def _members(community):
    # Everyone in the community, also who can no longer sign in (an earlier facilitator).
    return members_of(community=community, active_only=False).order_by("full_name")


def _ics_url(session) -> str | None:
    # The .ics download is built elsewhere; the page works without it.
    try:
        return reverse("session-ics", kwargs={"slug": session.community.slug, "pk": session.pk})
    except NoReverseMatch:
        return None


# --- The list -------------------------------------------------------------------------------


@login_required
def session_list_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    when = request.GET.get("when", "upcoming")
    if when not in ("upcoming", "past"):
        when = "upcoming"
    sessions = selectors.sessions_for_community(community=community, user=request.user, when=when)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = selectors.rsvps_of_user(user=request.user, sessions=page)
    now = timezone.now()
    rows = [
        {
            "session": s,
            "when": charts.session_when(s),
            "state": charts.session_state(s, now),
            "mine": mine[s.pk].response if s.pk in mine else None,
            "waiting": mine[s.pk].waitlisted if s.pk in mine else False,
            "moved_from": _moved_from(s),
        }
        for s in page
    ]
    context = {
        **sessions_frame(request, community),
        "page": page,
        "rows": rows,
        "when": when,
    }
    if request.htmx and request.htmx.target == "session-results":
        response = render(request, "meetings/_session_results.html", context)
    else:
        rhythm = list(
            selectors.sessions_for_community(community=community, user=request.user, when="all")
            .filter(
                starts_at__gte=now - timedelta(days=RHYTHM_PAST_DAYS),
                starts_at__lte=now + timedelta(days=RHYTHM_AHEAD_DAYS),
            )
            .order_by("starts_at")[:300]
        )
        attendance = selectors.attendance_by_session(community=community, user=request.user)
        context.update(
            rhythm_svg=charts.rhythm_svg(rhythm, community=community, now=now),
            attendance_svg=charts.attendance_svg(attendance),
            attendance_rows=[{"session": s, "when": charts.session_when(s)} for s in attendance],
        )
        response = render(request, "meetings/session_list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _moved_from(session) -> str | None:
    if not session.is_moved:
        return None
    return charts.when_text(session.original_start, session.timezone)


# --- Planning -------------------------------------------------------------------------------


@login_required
def series_create_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_plan(request.user, community)
    form = SeriesForm(request.POST or None, members=_members(community), community=community)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts = data["occurrences"]
        if "preview" in request.POST:
            preview = ngettext(
                "This makes %(count)s session, on %(last)s.",
                "This makes %(count)s sessions, the last on %(last)s.",
                len(starts),
            ) % {
                "count": len(starts),
                "last": charts.when_text(starts[-1], data["tz"]),
            }
        else:
            try:
                series = services_series.series_create(
                    community=community,
                    by=request.user,
                    first_start=data["starts_at"],
                    rule=data["rule"],
                    duration_minutes=int(
                        (data["ends_at"] - data["starts_at"]).total_seconds() // 60
                    ),
                    tz=data["tz"],
                    facilitators=list(data["facilitators"]) or None,
                    **form.details(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc, rename=ERROR_FIELDS)
            else:
                count = series.sessions.count()
                messages.success(
                    request,
                    ngettext(
                        "The series is planned: %(count)s session.",
                        "The series is planned: %(count)s sessions.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("session-list", slug=community.slug)
    return render(
        request,
        "meetings/series_form.html",
        {**sessions_frame(request, community), "form": form, "preview": preview},
    )


@login_required
def session_create_view(request, slug: str):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_plan(request.user, community)
    form = SessionForm(request.POST or None, members=_members(community), community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                community=community,
                by=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                tz=data["tz"],
                facilitators=list(data["facilitators"]) or None,
                **form.details(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("The session is planned."))
            return redirect(session)
    return _session_form_page(request, community, form, creating=True)


@login_required
def session_update_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_plan(request.user, session.community)
    form = SessionUpdateForm(
        request.POST or None, session=session, members=_members(session.community)
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        scope = form.cleaned_data.get("scope") or "this"
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(session)
        update = (
            services_series.session_update_following
            if scope == "following"
            else services.session_update
        )
        try:
            update(session=session, by=request.user, **changes)
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(session)
    return _session_form_page(request, session.community, form, session=session)


def _session_form_page(request, community, form, **extra) -> HttpResponse:
    """The form for planning one session or changing one, with what the services refused."""
    return render(
        request,
        "meetings/session_form.html",
        {**sessions_frame(request, community), "form": form, **extra},
    )


@login_required
def session_cancel_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_plan(request.user, session.community)
    if permissions.has_started(session):
        messages.error(request, services.CANCEL_STARTED)
        return redirect(session)
    form = CancelForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.session_cancel(
                session=session,
                by=request.user,
                reason=form.cleaned_data["reason"],
                scope=form.cleaned_data.get("scope") or "this",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            messages.success(
                request,
                ngettext(
                    "The session is cancelled.",
                    "%(count)s sessions are cancelled.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
            return redirect(session)
    return render(
        request,
        "meetings/session_cancel.html",
        {
            **sessions_frame(request, session.community),
            "form": form,
            "session": session,
            "when": charts.session_when(session),
        },
    )


@login_required
@require_POST
def session_restore_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    services.session_restore(session=session, by=request.user)
    messages.success(request, _("The session takes place again."))
    return redirect(session)


# --- One session ----------------------------------------------------------------------------


def _rsvp_context(request, session, groups, form=None) -> dict:
    mine = next((r for rows in groups.values() for r in rows if r.user_id == request.user.pk), None)
    position = None
    if mine is not None and mine.waitlisted:
        position = next(n for n, r in enumerate(groups["waiting"], 1) if r.pk == mine.pk)
    full = session.capacity is not None and len(groups["going"]) >= session.capacity
    if form is None:
        form = RsvpForm(
            initial={"response": mine.response, "note": mine.note} if mine else None,
        )
    return {
        "session": session,
        "community": session.community,
        "rsvp": mine,
        "rsvp_form": form,
        "waiting_position": position,
        "full": full,
        "can_rsvp": permissions.can_rsvp(request.user, session),
        "rsvp_choices": RsvpResponse.choices,
        "is_past": session.starts_at < timezone.now(),
        "going": groups["going"],
        "places_left": (
            max(session.capacity - len(groups["going"]), 0) if session.capacity else None
        ),
    }


@login_required
def session_detail_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    community = session.community
    groups = selectors.session_rsvps(session=session)
    can_plan = permissions.can_plan(request.user, community)
    learning = learning_context(request, session)
    is_over = session.ends_at <= timezone.now()
    context = {
        **learning,
        **sessions_frame(request, community),
        **_rsvp_context(request, session, groups),
        "groups": groups,
        "when": charts.session_when(session),
        "ends": charts.time_text(session.ends_at, session.timezone),
        "moved_from": _moved_from(session),
        "facilitators": list(session.facilitators.order_by("full_name")),
        "materials": list(session.materials.order_by("title")),
        # Open action points of earlier sessions stand on this one's agenda until done.
        "carried": learning["learning"]["carried"],
        "show_video": permissions.is_member(request.user, community) or can_plan,
        "can_record_attendance": permissions.can_record_attendance(request.user, session),
        "can_reflect": permissions.can_reflect(request.user, session),
        "ics_url": _ics_url(session),
        "can_cancel": permissions.can_cancel(request.user, session),
        # A session that is over shows who attended instead of who said they would come.
        "is_over": is_over,
        "attendees": (
            selectors.session_attendees(session=session)
            if is_over and not session.is_cancelled
            else []
        ),
    }
    # The materials picker is fetched when its section is opened (session_materials_view).
    context["materials_url"] = (
        reverse("session-materials", args=[community.slug, session.pk]) if can_plan else ""
    )
    return render(request, "meetings/session_detail.html", context)


def _materials_form(session, materials: list) -> MaterialsForm:
    return MaterialsForm(
        items=selectors.material_options(session=session),
        shown=selectors.material_choices(session=session),
        lookup_url=reverse("session-material-lookup", args=[session.community.slug, session.pk]),
        initial={"items": [m.pk for m in materials]},
    )


@login_required
def session_material_lookup_view(request, slug: str, pk: int):
    """Library items by title, as JSON, for the materials picker: this community's items,
    for the people who plan its sessions."""
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_plan(request.user, session.community)
    items = selectors.material_lookup(session=session, q=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {"id": item.pk, "name": item.title, "organisation": item.get_kind_display()}
                for item in items
            ]
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_materials_view(request, slug: str, pk: int):
    """GET: the materials picker, as a page of its own (the session page fetches its form
    when "Choose materials" is opened, and links here without JavaScript). POST: save."""
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_plan(request.user, session.community)
    if request.method == "GET":
        form = _materials_form(session, list(session.materials.order_by("title")))
        if request.htmx:  # the session page fetching the form for its "Choose materials"
            response = render(
                request,
                "meetings/_materials_form.html",
                {"session": session, "community": session.community, "materials_form": form},
            )
        else:
            response = render(
                request,
                "meetings/session_materials.html",
                {
                    **sessions_frame(request, session.community),
                    "session": session,
                    "materials_form": form,
                },
            )
        patch_vary_headers(response, ("HX-Request",))
        return response
    form = MaterialsForm(request.POST, items=selectors.material_options(session=session))
    if form.is_valid():
        try:
            services.session_materials_set(
                session=session, by=request.user, items=form.cleaned_data["items"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The materials are saved."))
    else:
        messages.error(request, _("Choose items from this community's library."))
    return redirect(session)


@login_required
@require_POST
def session_rsvp_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services_rsvp.rsvp_set(
                session=session,
                user=request.user,
                response=form.cleaned_data["response"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=ERROR_FIELDS)
        else:
            form = None
            if not request.htmx:
                messages.success(request, _("Thank you, your answer is saved."))
                return redirect(session)
    elif not permissions.can_rsvp(request.user, session):
        raise PermissionDenied
    groups = selectors.session_rsvps(session=session)
    context = _rsvp_context(request, session, groups, form=form)
    context["saved"] = form is None
    if request.htmx:
        # The box, and "who's coming" beside it, swapped out of band.
        context.update(groups=groups, oob=True)
        return render(request, "meetings/_rsvp_box.html", context)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "meetings/session_rsvp.html",
        {
            **sessions_frame(request, session.community),
            **context,
            "when": charts.session_when(session),
        },
        status=status,
    )
