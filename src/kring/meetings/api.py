"""Sessions (single and series), RSVPs, attendance and action points over HTTP, with the same
rules as the web pages (see permissions.py): only people inside a community see its sessions
(anyone else gets 404, whatever the community's visibility); facilitators plan, change, cancel
and register attendance; members and guests RSVP and keep action points.

See docs/sessions-api.md.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from kring.accounts.models import User
from kring.communities.models import Community
from kring.core.api_types import PageNumberPagination
from kring.core.markdown import render_markdown
from kring.meetings import permissions, recurrence, selectors, services
from kring.meetings.models import (
    ActionPoint,
    AttendanceStatus,
    Rsvp,
    RsvpResponse,
    Session,
)
from kring.meetings.schemas import (
    ActionPointIn,
    ActionPointOut,
    ActionPointPatch,
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
STATES = ("open", "done", "all")
MAX_ATTENDANCE_ROWS = 1000


class _Lazy:
    """Lets the paginator slice the rows before they are turned into dicts; `convert` takes
    the whole page, so per-row extras are fetched in one query."""

    def __init__(self, rows: QuerySet, convert):
        self.rows = rows
        self.convert = convert

    def __len__(self):
        return self.rows.count()

    def __getitem__(self, item):
        return self.convert(list(self.rows[item]))


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name}


def _page_url(obj) -> str | None:
    try:
        return settings.SITE_URL + obj.get_absolute_url()
    except NoReverseMatch:
        return None


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
        "series_id": session.series_id,
        "moved": session.is_moved,
        "facilitators": [_person(p) for p in session.facilitators.all()],
        "going_count": getattr(session, "going_count", 0),
        "attended_count": getattr(session, "attended_count", 0),
        "my_rsvp": _rsvp_out(my_rsvp),
        "url": _page_url(session),
    }


def _summaries(request, sessions: list[Session]) -> list[dict]:
    mine = {}
    if request.user.is_authenticated and sessions:
        mine = {
            r.session_id: r
            for r in Rsvp.objects.filter(user=request.user, session__in=[s.pk for s in sessions])
        }
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
        "waiting_count": Rsvp.objects.filter(
            session=session, response=RsvpResponse.YES, waitlisted=True
        ).count(),
        "materials": [{"id": i.pk, "title": i.title} for i in session.materials.order_by("title")],
        "can_edit": permissions.can_plan(user, session.community),
        "can_rsvp": permissions.can_rsvp(user, session),
        "can_record_attendance": permissions.can_record_attendance(user, session),
    }


def _session(request, slug: str, session_id: int) -> Session:
    community = selectors.community_for(user=request.user, slug=slug)
    return selectors.session_get(user=request.user, community=community, pk=session_id)


def _aware(moment: datetime | None, tz: str) -> datetime | None:
    """A date-time without offset is local time in the session's time zone."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return recurrence._aware(moment, recurrence.zone(tz))


def _members(community: Community, ids: list[int], field: str) -> list[User]:
    """The members with these ids, in the order given; 422 for anyone else (no hint whether
    such a person exists)."""
    wanted = list(dict.fromkeys(ids))
    found = {u.pk: u for u in User.objects.filter(pk__in=wanted, memberships__community=community)}
    if len(found) != len(wanted):
        raise ValidationError({field: _("Choose members of this community.")})
    return [found[pk] for pk in wanted]


def _member(community: Community, pk: int | None, field: str) -> User | None:
    return None if pk is None else _members(community, [pk], field)[0]


# --- Sessions -------------------------------------------------------------------------------


@router.get("/{slug}/sessions", response=list[SessionSummaryOut], summary="Sessions")
@paginate(PageNumberPagination, page_size=50)
def session_list(request, slug: str, when: str = "upcoming", **kwargs):
    """`when=upcoming` (soonest first, the default), `past` (latest first) or `all`."""
    if when not in WHEN:
        raise ValidationError({"when": _("Choose when: %(values)s.") % {"values": ", ".join(WHEN)}})
    community = selectors.community_for(user=request.user, slug=slug)
    sessions = (
        selectors.sessions_for_community(community=community, user=request.user, when=when)
        .select_related("community")
        .prefetch_related("facilitators")
    )
    return _Lazy(sessions, lambda page: _summaries(request, page))


@router.post("/{slug}/sessions", response={201: SessionOut}, summary="Plan one session")
def session_create(request, slug: str, payload: SessionIn):
    community = selectors.community_for(user=request.user, slug=slug)
    permissions.check_plan(request.user, community)
    tz = payload.timezone
    session = services.session_create(
        community=community,
        by=request.user,
        starts_at=_aware(payload.starts_at, tz),
        ends_at=_aware(payload.ends_at, tz),
        tz=tz,
        facilitators=(
            _members(community, payload.facilitator_ids, "facilitator_ids")
            if payload.facilitator_ids
            else None
        ),
        title=payload.title,
        agenda=payload.agenda,
        mode=payload.mode,
        location=payload.location,
        video_url=payload.video_url,
        capacity=payload.capacity,
        is_reflection=payload.is_reflection,
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
    community = selectors.community_for(user=request.user, slug=slug)
    permissions.check_plan(request.user, community)
    first_start = _aware(payload.first_start, payload.timezone)
    series = services.series_create(
        community=community,
        by=request.user,
        first_start=first_start,
        rule=_series_rule(payload, first_start),
        duration_minutes=payload.duration_minutes,
        tz=payload.timezone,
        facilitators=(
            _members(community, payload.facilitator_ids, "facilitator_ids")
            if payload.facilitator_ids
            else None
        ),
        title=payload.title,
        agenda=payload.agenda,
        mode=payload.mode,
        location=payload.location,
        video_url=payload.video_url,
        capacity=payload.capacity,
        is_reflection=payload.is_reflection,
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
    return _session_out(request, _session(request, slug, session_id))


@router.patch("/{slug}/sessions/{session_id}", response=SessionOut, summary="Change a session")
def session_update(request, slug: str, session_id: int, payload: SessionPatch):
    """Only the fields sent change. `scope=following` changes this session and the later ones
    of its series; moving them splits the series (RSVPs stay with their sessions)."""
    session = _session(request, slug, session_id)
    permissions.check_plan(request.user, session.community)
    values = payload.dict(exclude_unset=True)
    scope = values.pop("scope", "this")
    # Only capacity may be cleared with null; other fields sent as null are left alone.
    changes = {k: v for k, v in values.items() if v is not None or k == "capacity"}
    if "facilitator_ids" in changes:
        changes["facilitators"] = _members(
            session.community, changes.pop("facilitator_ids"), "facilitator_ids"
        )
    for name in ("starts_at", "ends_at"):
        if name in changes:
            changes[name] = _aware(changes[name], session.timezone)
    session = services.session_update(session=session, by=request.user, scope=scope, **changes)
    return _session_out(request, session)


@router.post(
    "/{slug}/sessions/{session_id}/cancel", response=SessionOut, summary="Cancel a session"
)
def session_cancel(request, slug: str, session_id: int, payload: CancelIn):
    """`scope=following` cancels the later ones of its series too. RSVPs are kept. A session
    that has started or taken place can't be cancelled (422)."""
    session = _session(request, slug, session_id)
    if payload.scope not in ("this", "following"):
        permissions.check_plan(request.user, session.community)
        raise ValidationError({"scope": _("Choose this session, or this and the following ones.")})
    services.session_cancel(
        session=session, by=request.user, reason=payload.reason, scope=payload.scope
    )
    return _session_out(request, session)


@router.post(
    "/{slug}/sessions/{session_id}/restore", response=SessionOut, summary="Undo a cancellation"
)
def session_restore(request, slug: str, session_id: int):
    session = _session(request, slug, session_id)
    services.session_restore(session=session, by=request.user)
    return _session_out(request, session)


# --- RSVP -----------------------------------------------------------------------------------


@router.put("/{slug}/sessions/{session_id}/rsvp", response=RsvpOut, summary="Your RSVP")
def rsvp_set(request, slug: str, session_id: int, payload: RsvpIn):
    """`yes`, `maybe` or `no` with an optional note. A `yes` when the session is full goes on
    the waiting list (`waitlisted: true`); the first waiting gets a place that frees up."""
    session = _session(request, slug, session_id)
    permissions.check_rsvp(request.user, session)
    rsvp = services.rsvp_set(
        session=session, user=request.user, response=payload.response, note=payload.note
    )
    return _rsvp_out(rsvp)


@router.get("/{slug}/sessions/{session_id}/rsvps", response=RsvpsOut, summary="Who's coming")
def rsvp_list(request, slug: str, session_id: int):
    session = _session(request, slug, session_id)
    groups = selectors.session_rsvps(session=session)
    return {
        name: [
            {"person": _person(r.user), "note": r.note, "responded_at": r.responded_at}
            for r in rsvps
        ]
        for name, rsvps in groups.items()
    }


# --- Attendance -----------------------------------------------------------------------------


def _sheet(request, session: Session) -> list[dict]:
    return [
        {"person": _person(row["user"]), "status": row["status"], "rsvp": row["rsvp"]}
        for row in selectors.attendance_sheet(session=session, user=request.user)
    ]


@router.get(
    "/{slug}/sessions/{session_id}/attendance",
    response=list[AttendanceRowOut],
    summary="Attendance (facilitators)",
)
def attendance_get(request, slug: str, session_id: int):
    """Every member with their RSVP and registered attendance (`null`: not registered)."""
    return _sheet(request, _session(request, slug, session_id))


@router.put(
    "/{slug}/sessions/{session_id}/attendance",
    response=list[AttendanceRowOut],
    summary="Register attendance (facilitators)",
)
def attendance_put(request, slug: str, session_id: int, payload: list[AttendanceIn]):
    """`[{"user_id": 12, "status": "attended"}, …]`: `attended`, `absent`, `excused`, or
    `null` to remove. People left out stay as they are. All or nothing: one bad row saves none."""
    session = _session(request, slug, session_id)
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
        u.pk: u for u in _members(session.community, [row.user_id for row in payload], "user_id")
    }
    with transaction.atomic():
        for row in payload:
            services.attendance_set(
                session=session, by=request.user, user=people[row.user_id], status=row.status
            )
    return _sheet(request, session)


# --- Action points --------------------------------------------------------------------------


def _point_out(request, point: ActionPoint) -> dict:
    today = timezone.localdate()
    return {
        "id": point.pk,
        "what": point.what,
        "owner": _person(point.owner),
        "due_date": point.due_date,
        "overdue": not point.is_done and point.due_date is not None and point.due_date < today,
        "done": point.is_done,
        "done_at": point.done_at,
        "done_by": _person(point.done_by),
        "session_id": point.session_id,
        "created_by": _person(point.created_by),
        "created_at": point.created_at,
        "can_edit": permissions.can_update_action_point(request.user, point),
    }


def _point(request, slug: str, point_id: int) -> ActionPoint:
    community = selectors.community_for(user=request.user, slug=slug)
    return selectors.action_point_get(user=request.user, community=community, pk=point_id)


def _fresh_point(request, point: ActionPoint) -> ActionPoint:
    return selectors.action_point_get(user=request.user, community=point.community, pk=point.pk)


@router.get("/{slug}/action-points", response=list[ActionPointOut], summary="Action points")
@paginate(PageNumberPagination, page_size=50)
def action_point_list(request, slug: str, state: str = "open", owner: str = "", **kwargs):
    """`state=open` (soonest due first, the default), `done` (latest first) or `all`;
    `owner` a member's id, or `me`."""
    community = selectors.community_for(user=request.user, slug=slug)
    errors = {}
    if state not in STATES:
        errors["state"] = _("Choose a state: %(values)s.") % {"values": ", ".join(STATES)}
    owner_user = None
    if owner == "me":
        owner_user = request.user
    elif owner:
        try:
            owner_user = _member(community, int(owner), "owner")
        except (ValueError, ValidationError):
            errors["owner"] = _("Choose a member of this community, or me.")
    if errors:
        raise ValidationError(errors)
    points = selectors.action_points_for_community(
        community=community, user=request.user, state=state, owner=owner_user
    ).select_related("done_by")
    if state == "all":
        points = points.order_by("-created_at", "-id")
    return _Lazy(points, lambda page: [_point_out(request, p) for p in page])


@router.post("/{slug}/action-points", response={201: ActionPointOut}, summary="New action point")
def action_point_create(request, slug: str, payload: ActionPointIn):
    """Who (`owner_id`, a member) does what before when (`due_date`), optionally made at a
    session (`session_id`); it shows on the next sessions' agenda until done."""
    community = selectors.community_for(user=request.user, slug=slug)
    permissions.check_create_action_point(request.user, community)
    session = None
    if payload.session_id is not None:
        try:
            session = selectors.session_get(
                user=request.user, community=community, pk=payload.session_id
            )
        except Http404:
            raise ValidationError(
                {"session_id": _("That session is not in this community.")}
            ) from None
    point = services.action_point_create(
        community=community,
        by=request.user,
        what=payload.what,
        owner=_member(community, payload.owner_id, "owner_id"),
        due_date=payload.due_date,
        session=session,
    )
    return Status(201, _point_out(request, _fresh_point(request, point)))


@router.patch(
    "/{slug}/action-points/{point_id}", response=ActionPointOut, summary="Change an action point"
)
def action_point_update(request, slug: str, point_id: int, payload: ActionPointPatch):
    """The person who holds it, who made it, or a facilitator. Only the fields sent change."""
    point = _point(request, slug, point_id)
    permissions.check_update_action_point(request.user, point)
    values = payload.dict(exclude_unset=True)
    owner = (
        _member(point.community, values["owner_id"], "owner_id")
        if "owner_id" in values
        else point.owner
    )
    services.action_point_update(
        point=point,
        by=request.user,
        what=values["what"] if values.get("what") is not None else point.what,
        owner=owner,
        due_date=values.get("due_date", point.due_date),
    )
    return _point_out(request, _fresh_point(request, point))


def _complete(request, slug: str, point_id: int, done: bool) -> dict:
    point = _point(request, slug, point_id)
    services.action_point_complete(point=point, by=request.user, done=done)
    return _point_out(request, _fresh_point(request, point))


@router.post("/{slug}/action-points/{point_id}/done", response=ActionPointOut, summary="Mark done")
def action_point_done(request, slug: str, point_id: int):
    return _complete(request, slug, point_id, True)


@router.delete(
    "/{slug}/action-points/{point_id}/done", response=ActionPointOut, summary="Open it again"
)
def action_point_undone(request, slug: str, point_id: int):
    return _complete(request, slug, point_id, False)


@router.delete(
    "/{slug}/action-points/{point_id}", response={204: None}, summary="Delete an action point"
)
def action_point_delete(request, slug: str, point_id: int):
    point = _point(request, slug, point_id)
    services.action_point_delete(point=point, by=request.user)
    return Status(204, None)
