"""The facilitator's attendance checklist for a session: every member with their RSVP, saved
all at once or one row at a time (htmx). Views parse input, call one service or selector, and
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kring.communities.selectors import members_of
from kring.meetings import charts, permissions, selectors, services
from kring.meetings.forms import attendance_value
from kring.meetings.models import AttendanceStatus
from kring.meetings.views.sessions import sessions_frame


def _attendance_rows(request, session) -> list[dict]:
    return selectors.attendance_sheet(session=session, user=request.user)


@login_required
def session_attendance_view(request, slug: str, pk: int):
    session = selectors.session_get_inside(slug=slug, pk=pk, user=request.user)
    permissions.check_record_attendance(request.user, session)
    if request.method == "POST" and "user" in request.POST:
        return _attendance_one(request, session)
    errors = []
    if request.method == "POST":
        rows = _attendance_rows(request, session)
        wanted = {}
        for row in rows:
            person = row["user"]
            try:
                wanted[person] = attendance_value(request.POST.get(f"status-{person.pk}"))
            except ValueError:
                errors.append(person.full_name)
        if not errors:
            services.attendance_set_many(
                session=session,
                by=request.user,
                statuses=[
                    (row["user"], wanted[row["user"]])
                    for row in rows
                    if wanted[row["user"]] != row["status"]
                ],
            )
            messages.success(request, _("The attendance is saved."))
            return redirect("session-attendance", slug=session.community.slug, pk=session.pk)
    rows = _attendance_rows(request, session)
    return render(
        request,
        "meetings/session_attendance.html",
        {
            **sessions_frame(request, session.community),
            "session": session,
            "when": charts.session_when(session),
            "rows": rows,
            "choices": AttendanceStatus.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _attendance_one(request, session):
    """One row, saved by htmx (or a single-row form); answers with the row again."""
    raw = request.POST.get("user", "")
    person = (
        members_of(community=session.community, active_only=False).filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    if person is None:
        raise Http404
    error = None
    try:
        status = attendance_value(request.POST.get(f"status-{person.pk}"))
    except ValueError:
        error = _("Choose attended, absent or excused.")
    else:
        services.attendance_set(session=session, by=request.user, user=person, status=status)
    row = next(r for r in _attendance_rows(request, session) if r["user"].pk == person.pk)
    context = {
        "session": session,
        "community": session.community,
        "row": row,
        "choices": AttendanceStatus.choices,
        "error": error,
        "saved": error is None,
    }
    if request.htmx:
        return render(
            request, "meetings/_attendance_row.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The attendance is saved."))
    return redirect("session-attendance", slug=session.community.slug, pk=session.pk)
