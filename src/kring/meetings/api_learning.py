"""Action points over HTTP: who does what before when, made at a session or on their own. The
same rules as the web pages (see permissions.py): only people inside a community see them;
members and guests make them; the person who holds one, who made it, and facilitators change,
complete and delete it.

Mounted on the sessions router (`api.py`); see docs/sessions-api.md.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from kring.accounts.models import User
from kring.communities.models import Community
from kring.communities.selectors import community_get_inside
from kring.core.api_kit import LazyPage, person_ref
from kring.core.api_types import PageNumberPagination
from kring.meetings import permissions, selectors, services_learning
from kring.meetings.models import ActionPoint
from kring.meetings.schemas import ActionPointIn, ActionPointOut, ActionPointPatch

# No tags of its own: mounted on the sessions router, it takes the "sessions" tag from there.
router = Router()

STATES = ("open", "done", "all")


def _operation_id(name: str) -> str:
    """The id each endpoint had while it lived in meetings/api.py: clients made from the
    OpenAPI document call it by that name."""
    return f"kring_meetings_api_{name}"


def _member(community: Community, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    return selectors.members_by_ids(community=community, ids=[pk], field=field)[0]


def _point_out(request, point: ActionPoint) -> dict:
    today = timezone.localdate()
    return {
        "id": point.pk,
        "what": point.what,
        "owner": person_ref(point.owner),
        "due_date": point.due_date,
        "overdue": not point.is_done and point.due_date is not None and point.due_date < today,
        "done": point.is_done,
        "done_at": point.done_at,
        "done_by": person_ref(point.done_by),
        "session_id": point.session_id,
        "created_by": person_ref(point.created_by),
        "created_at": point.created_at,
        "can_edit": permissions.can_update_action_point(request.user, point),
    }


def _fresh_point(request, point: ActionPoint) -> ActionPoint:
    return selectors.action_point_get(user=request.user, community=point.community, pk=point.pk)


@router.get(
    "/{slug}/action-points",
    response=list[ActionPointOut],
    summary="Action points",
    operation_id=_operation_id("action_point_list"),
)
@paginate(PageNumberPagination, page_size=50)
def action_point_list(request, slug: str, state: str = "open", owner: str = "", **kwargs):
    """`state=open` (soonest due first, the default), `done` (latest first) or `all`;
    `owner` a member's id, or `me`."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
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
    return LazyPage(points, row=lambda p: _point_out(request, p))


@router.post(
    "/{slug}/action-points",
    response={201: ActionPointOut},
    summary="New action point",
    operation_id=_operation_id("action_point_create"),
)
def action_point_create(request, slug: str, payload: ActionPointIn):
    """Who (`owner_id`, a member) does what before when (`due_date`), optionally made at a
    session (`session_id`); it shows on the next sessions' agenda until done."""
    community = community_get_inside(slug=slug, user=request.user, hidden_from_outsiders=True)
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
    point = services_learning.action_point_create(
        community=community,
        by=request.user,
        what=payload.what,
        owner=_member(community, payload.owner_id, "owner_id"),
        due_date=payload.due_date,
        session=session,
    )
    return Status(201, _point_out(request, _fresh_point(request, point)))


@router.patch(
    "/{slug}/action-points/{point_id}",
    response=ActionPointOut,
    summary="Change an action point",
    operation_id=_operation_id("action_point_update"),
)
def action_point_update(request, slug: str, point_id: int, payload: ActionPointPatch):
    """The person who holds it, who made it, or a facilitator. Only the fields sent change."""
    point = selectors.action_point_get_inside(slug=slug, pk=point_id, user=request.user)
    permissions.check_update_action_point(request.user, point)
    values = payload.dict(exclude_unset=True)
    owner = (
        _member(point.community, values["owner_id"], "owner_id")
        if "owner_id" in values
        else point.owner
    )
    services_learning.action_point_update(
        point=point,
        by=request.user,
        what=values["what"] if values.get("what") is not None else point.what,
        owner=owner,
        due_date=values.get("due_date", point.due_date),
    )
    return _point_out(request, _fresh_point(request, point))


def _complete(request, slug: str, point_id: int, done: bool) -> dict:
    point = selectors.action_point_get_inside(slug=slug, pk=point_id, user=request.user)
    services_learning.action_point_complete(point=point, by=request.user, done=done)
    return _point_out(request, _fresh_point(request, point))


@router.post(
    "/{slug}/action-points/{point_id}/done",
    response=ActionPointOut,
    summary="Mark done",
    operation_id=_operation_id("action_point_done"),
)
def action_point_done(request, slug: str, point_id: int):
    return _complete(request, slug, point_id, True)


@router.delete(
    "/{slug}/action-points/{point_id}/done",
    response=ActionPointOut,
    summary="Open it again",
    operation_id=_operation_id("action_point_undone"),
)
def action_point_undone(request, slug: str, point_id: int):
    return _complete(request, slug, point_id, False)


@router.delete(
    "/{slug}/action-points/{point_id}",
    response={204: None},
    summary="Delete an action point",
    operation_id=_operation_id("action_point_delete"),
)
def action_point_delete(request, slug: str, point_id: int):
    point = selectors.action_point_get_inside(slug=slug, pk=point_id, user=request.user)
    services_learning.action_point_delete(point=point, by=request.user)
    return Status(204, None)
