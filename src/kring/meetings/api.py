"""Sessions (single and series), RSVPs and attendance over HTTP, with the same rules as the web
pages (see permissions.py): only people inside a community see its sessions (anyone else gets
404, for a public community too); facilitators plan, change, cancel and register
attendance; members and guests RSVP. Action points are in `api_learning`, under this router.

See docs/sessions-api.md.
"""

from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from kring.accounts.models import User
from kring.communities.models import Community
from kring.communities.selectors import community_get_inside
from kring.core.api_kit import LazyPage, page_url, person_ref
from kring.core.api_types import PageNumberPagination
from kring.core.markdown import render_markdown
from kring.meetings import (
    permissions,
    recurrence,
    selectors,
    services,
    services_rsvp,
    services_series,
)
from kring.meetings.api_learning import router as learning_router
from kring.meetings.details import DETAIL_FIELDS
from kring.meetings.models import (
    AttendanceStatus,
    Rsvp,
    Session,
)
from kring.meetings.schemas import (
    AttendanceIn,
    AttendanceRowOut,
    CancelIn,
    RsvpIn,
    RsvpOut,
    RsvpsOut,
    SeriesIn,
    SeriesOut,
    SessionIn,
    SessionOut,
    SessionPatch,
    SessionSummaryOut,
)

router = Router(tags=["sessions"])

WHEN = ("upcoming", "past", "all")
MAX_ATTENDANCE_ROWS = 1000


def _rsvp_out(rsvp: Rsvp | None) -> dict | None:
    if rsvp is None:
        return None
    return {
        "response": rsvp.response,
        "note": rsvp.note,
        "waitlisted": rsvp.waitlisted,
        "responded_at": rsvp.responded_at,
    }


def _in_zone(moment: datetime, zone) -> datetime:
    """The moment in a time zone; one with an impossible date (stored before dates were
    checked) stays as stored rather than failing the whole list."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


def _summary(session: Session, my_rsvp: Rsvp | None) -> dict:
    local = recurrence.zone(session.timezone)
    return {
        "id": session.pk,
        "title": session.title,
        "status": session.status,
        "cancel_reason": session.cancel_reason,
        "mode": session.mode,
        "location": session.location,
        "video_url": session.video_url,
        # In the session's own time zone, so the offset says what the local clock shows.
        "starts_at": _in_zone(session.starts_at, local),
        "ends_at": _in_zone(session.ends_at, local),
        "timezone": session.timezone,
        "capacity": session.capacity,
        "is_reflection": session.is_reflection,
        "is_open": session.is_open,
        "series_id": session.series_id,
        "moved": session.is_moved,
        "facilitators": [person_ref(p) for p in session.facilitators.all()],
        "going_count": getattr(session, "going_count", 0),
        "attended_count": getattr(session, "attended_count", 0),
        "my_rsvp": _rsvp_out(my_rsvp),
        "url": page_url(session),
    }


def _summaries(request, sessions: list[Session]) -> list[dict]:
    mine = selectors.rsvps_of_user(user=request.user, sessions=sessions)
    return [_summary(s, mine.get(s.pk)) for s in sessions]


def _with_counts(community: Community, user, pks: list[int]) -> list[Session]:
    by_pk = {
        s.pk: s
        for s in selectors.sessions_for_community(community=community, user=user, when="all")
        .filter(pk__in=pks)
        .select_related("community")
        .prefetch_related("facilitators")
    }
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _session_out(request, session: Session) -> dict:
    user = request.user
    counted = _with_counts(session.community, user, [session.pk])[0]
    return {
        **_summary(counted, selectors.rsvp_of(session=session, user=user)),
        "agenda": session.agenda,
        "agenda_html": render_markdown(session.agenda),
        "waiting_count": selectors.waiting_count(session=session),
        "materials": [{"id": i.pk, "title": i.title} for i in session.materials.order_by("title")],
        "can_edit": permissions.can_plan(user, session.community),
        "can_rsvp": permissions.can_rsvp(user, session),
        "can_record_attendance": permissions.can_record_attendance(user, session),
    }


def _aware(moment: datetime | None, tz: str) -> datetime | None:
    """A date-time without offset is local time in the session's time zone."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return recurrence._aware(moment, recurrence.zone(tz))


def _facilitators(community: Community, ids: list[int] | None) -> list[User] | None:
    """The facilitators named (422 for anyone not a member); none named: the planner leads."""
    if not ids:
        return None
    return selectors.members_by_ids(community=community, ids=ids, field="facilitator_ids")


def _details(payload: SessionIn | SeriesIn) -> dict[str, Any]:
    """The descriptive fields of a new session or series, for the services to check."""
    return {name: getattr(payload, name) for name in DETAIL_FIELDS}


# --- Sessions -------------------------------------------------------------------------------


@router.get("/{slug}/sessions", response=list[SessionSummaryOut], summary="Sessions")
@paginate(PageNumberPagination, page_size=50)
def session_list(request, slug: str, when: str = "upcoming", **kwargs):
    """`when=upcoming` (soonest first, the default), `past` (latest first) or `all`."""
    if when not in WHEN:
        raise ValidationError({"when": _("Choose when: %(values)s.") % {"values": ", ".join(WHEN)}})
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    sessions = (
        selectors.sessions_for_community(community=community, user=request.user, when=when)
        .select_related("community")
        .prefetch_related("facilitators")
    )
    return LazyPage(sessions, page=lambda rows: _summaries(request, rows))


@router.post("/{slug}/sessions", response={201: SessionOut}, summary="Plan one session")
def session_create(request, slug: str, payload: SessionIn):
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_plan(request.user, community)
    tz = payload.timezone
    session = services.session_create(
        community=community,
        by=request.user,
        starts_at=_aware(payload.starts_at, tz),
        ends_at=_aware(payload.ends_at, tz),
        tz=tz,
        facilitators=_facilitators(community, payload.facilitator_ids),
        **_details(payload),
    )
    return Status(201, _session_out(request, session))


def _series_rule(payload: SeriesIn, first_start: datetime) -> str | None:
    monthly = payload.monthly_nth is not None or payload.monthly_weekday is not None
    if monthly and payload.every_weeks is not None:
        raise ValidationError(
            {"every_weeks": _("Choose every so many weeks, or a day of the month: not both.")}
        )
    until, count = payload.until, payload.count
    if not monthly and payload.every_weeks is None and until is None and count is None:
        return None  # the method's rhythm: every six weeks for eighteen months
    if until is None and count is None:
        local_day = first_start.astimezone(recurrence.zone(payload.timezone)).date()
        until = local_day + relativedelta(months=recurrence.DEFAULT_MONTHS)
    if monthly:
        if payload.monthly_nth is None:
            raise ValidationError({"monthly_nth": _("Choose the first to fourth, or the last.")})
        return recurrence.rule_monthly_nth_weekday(
            payload.monthly_nth, (payload.monthly_weekday or "").upper(), until=until, count=count
        )
    return recurrence.rule_every_weeks(
        payload.every_weeks if payload.every_weeks is not None else recurrence.DEFAULT_EVERY_WEEKS,
        until=until,
        count=count,
    )


@router.post("/{slug}/series", response={201: SeriesOut}, summary="Plan a series of sessions")
def series_create(request, slug: str, payload: SeriesIn):
    """Without a rhythm: every six weeks for eighteen months, as the method recommends."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
    permissions.check_plan(request.user, community)
    first_start = _aware(payload.first_start, payload.timezone)
    series = services_series.series_create(
        community=community,
        by=request.user,
        first_start=first_start,
        rule=_series_rule(payload, first_start),
        duration_minutes=payload.duration_minutes,
        tz=payload.timezone,
        facilitators=_facilitators(community, payload.facilitator_ids),
        **_details(payload),
    )
    pks = list(series.sessions.order_by("starts_at").values_list("pk", flat=True))
    sessions = _with_counts(community, request.user, pks)
    return Status(
        201,
        {
            "id": series.pk,
            "title": series.title,
            "rrule": series.rrule,
            "first_start": series.first_start.astimezone(recurrence.zone(series.timezone)),
            "duration_minutes": series.duration_minutes,
            "timezone": series.timezone,
            "sessions": _summaries(request, sessions),
        },
    )


@router.get("/{slug}/sessions/{session_id}", response=SessionOut, summary="A session")
def session_detail(request, slug: str, session_id: int):
    return _session_out(
        request, selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    )


@router.patch("/{slug}/sessions/{session_id}", response=SessionOut, summary="Change a session")
def session_update(request, slug: str, session_id: int, payload: SessionPatch):
    """Only the fields sent change. `scope=following` changes this session and the later ones
    of its series; moving them splits the series (RSVPs stay with their sessions)."""
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    permissions.check_plan(request.user, session.community)
    values = payload.dict(exclude_unset=True)
    scope = values.pop("scope", "this")
    # Only capacity may be cleared with null; other fields sent as null are left alone.
    changes = {k: v for k, v in values.items() if v is not None or k == "capacity"}
    if "facilitator_ids" in changes:
        changes["facilitators"] = selectors.members_by_ids(
            community=session.community, ids=changes.pop("facilitator_ids"), field="facilitator_ids"
        )
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = _aware(changes[name], session.timezone)
    services.scope_check(scope)
    update = (
        services_series.session_update_following
        if scope == "following"
        else services.session_update
    )
    session = update(session=session, by=request.user, **changes)
    return _session_out(request, session)


@router.post(
    "/{slug}/sessions/{session_id}/cancel", response=SessionOut, summary="Cancel a session"
)
def session_cancel(request, slug: str, session_id: int, payload: CancelIn):
    """`scope=following` cancels the later ones of its series too. RSVPs are kept. A session
    that has started or taken place can't be cancelled (422)."""
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    if payload.scope not in services.SCOPES:
        permissions.check_plan(request.user, session.community)
        services.scope_check(payload.scope)
    services.session_cancel(
        session=session, by=request.user, reason=payload.reason, scope=payload.scope
    )
    return _session_out(request, session)


@router.post(
    "/{slug}/sessions/{session_id}/restore", response=SessionOut, summary="Undo a cancellation"
)
def session_restore(request, slug: str, session_id: int):
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    services.session_restore(session=session, by=request.user)
    return _session_out(request, session)


# --- RSVP -----------------------------------------------------------------------------------


@router.put("/{slug}/sessions/{session_id}/rsvp", response=RsvpOut, summary="Your RSVP")
def rsvp_set(request, slug: str, session_id: int, payload: RsvpIn):
    """`yes`, `maybe` or `no` with an optional note. A `yes` when the session is full goes on
    the waiting list (`waitlisted: true`); the first waiting gets a place that frees up."""
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    permissions.check_rsvp(request.user, session)
    rsvp = services_rsvp.rsvp_set(
        session=session, user=request.user, response=payload.response, note=payload.note
    )
    return _rsvp_out(rsvp)


@router.get("/{slug}/sessions/{session_id}/rsvps", response=RsvpsOut, summary="Who's coming")
def rsvp_list(request, slug: str, session_id: int):
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    groups = selectors.session_rsvps(session=session)
    return {
        name: [
            {"person": person_ref(r.user), "note": r.note, "responded_at": r.responded_at}
            for r in rsvps
        ]
        for name, rsvps in groups.items()
    }


# --- Attendance -----------------------------------------------------------------------------


def _sheet(request, session: Session) -> list[dict]:
    return [
        {"person": person_ref(row["user"]), "status": row["status"], "rsvp": row["rsvp"]}
        for row in selectors.attendance_sheet(session=session, user=request.user)
    ]


@router.get(
    "/{slug}/sessions/{session_id}/attendance",
    response=list[AttendanceRowOut],
    summary="Attendance (facilitators)",
)
def attendance_get(request, slug: str, session_id: int):
    """Every member with their RSVP and registered attendance (`null`: not registered)."""
    return _sheet(
        request, selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    )


@router.put(
    "/{slug}/sessions/{session_id}/attendance",
    response=list[AttendanceRowOut],
    summary="Register attendance (facilitators)",
)
def attendance_put(request, slug: str, session_id: int, payload: list[AttendanceIn]):
    """`[{"user_id": 12, "status": "attended"}, …]`: `attended`, `absent`, `excused`, or
    `null` to remove. People left out stay as they are. All or nothing: one bad row saves none."""
    session = selectors.session_get_inside(slug=slug, pk=session_id, user=request.user)
    permissions.check_record_attendance(request.user, session)
    if len(payload) > MAX_ATTENDANCE_ROWS:
        raise ValidationError(
            {"__all__": _("At most %(max)s people at once.") % {"max": MAX_ATTENDANCE_ROWS}}
        )
    errors = {}
    for i, row in enumerate(payload):
        if row.status is not None and row.status not in AttendanceStatus.values:
            errors[f"{i}.status"] = _("Choose attended, absent or excused.")
    if errors:
        raise ValidationError(errors)
    people = {
        u.pk: u
        for u in selectors.members_by_ids(
            community=session.community, ids=[row.user_id for row in payload], field="user_id"
        )
    }
    services.attendance_set_many(
        session=session,
        by=request.user,
        statuses=[(people[row.user_id], row.status) for row in payload],
    )
    return _sheet(request, session)


# Action points (the learning cycle) live in their own module, under the same paths and tag.
router.add_router("", learning_router)
