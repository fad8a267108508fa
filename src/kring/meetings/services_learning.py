"""Writes for the learning cycle after a session: reflections (and a facilitator's mark on the
ones worth carrying to the library) and action points, who does what before when."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.core import daterange
from kring.core.models import Verb
from kring.core.services import activity_record
from kring.meetings import permissions
from kring.meetings.models import LEARNING_LEVELS, ActionPoint, Reflection, Session

REFLECTION_FIELDS = ("did", "noticed", "learned", *(key for key, _label in LEARNING_LEVELS))


@transaction.atomic
def reflection_save(
    *, session: Session, by: User, at: datetime | None = None, **texts: str
) -> Reflection:
    """Write (or rewrite) your reflection on a session. At least one part, none required."""
    permissions.check_reflect(by, session)
    unknown = set(texts) - set(REFLECTION_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown part: %(name)s") % {"name": ", ".join(sorted(unknown))}}
        )
    clean = {name: (texts.get(name) or "").strip() for name in REFLECTION_FIELDS}
    errors = {
        name: _("Keep each part to 5000 characters.")
        for name, value in clean.items()
        if len(value) > 5000
    }
    if errors:
        raise ValidationError(errors)
    if not any(clean.values()):
        raise ValidationError({"__all__": _("Write at least one part of your reflection.")})
    at = at or timezone.now()
    existing = Reflection.objects.filter(session=session, author=by).first()
    created = existing is None
    reflection = existing or Reflection(session=session, author=by, created_at=at)
    for name, value in clean.items():
        setattr(reflection, name, value)
    reflection.save()
    if created:
        activity_record(
            actor=by, verb=Verb.REFLECTED, community=session.community, target=session, at=at
        )
    return reflection


@transaction.atomic
def reflection_highlight(
    *, reflection: Reflection, by: User, highlighted: bool = True
) -> Reflection:
    permissions.check_highlight(by, reflection)
    reflection.highlighted = highlighted
    reflection.highlighted_by = by if highlighted else None
    reflection.save(update_fields=["highlighted", "highlighted_by", "updated_at"])
    return reflection


def _clean_action(
    community: Community, what: str, owner: User | None, due_date: Any
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    what = " ".join((what or "").split())
    if not what:
        errors["what"] = _("Say what will be done.")
    elif len(what) > 300:
        errors["what"] = _("Keep it to 300 characters.")
    if (
        owner is not None
        and not Membership.objects.filter(community=community, user=owner).exists()
    ):
        errors["owner"] = _("Choose a member of this community.")
    if due_date is not None and not isinstance(due_date, date):
        errors["due_date"] = _("Enter a date.")
    elif not daterange.in_range(due_date):
        errors["due_date"] = daterange.message()
    if errors:
        raise ValidationError(errors)
    return {"what": what, "owner": owner, "due_date": due_date}


@transaction.atomic
def action_point_create(
    *,
    community: Community,
    by: User,
    what: str,
    owner: User | None = None,
    due_date: date | None = None,
    session: Session | None = None,
    at: datetime | None = None,
) -> ActionPoint:
    """Who does what before when. It shows on the next sessions' agenda until it is done."""
    permissions.check_create_action_point(by, community)
    if session is not None and session.community_id != community.pk:
        raise ValidationError({"session": _("That session belongs to another community.")})
    clean = _clean_action(community, what, owner, due_date)
    at = at or timezone.now()
    point = ActionPoint.objects.create(
        community=community, session=session, created_by=by, created_at=at, **clean
    )
    activity_record(
        actor=by,
        verb=Verb.ACTION_POINT_CREATED,
        community=community,
        target=point,
        other=owner if owner is not None and owner.pk != by.pk else None,
        at=at,
        data={"session": session.pk if session else None},
    )
    return point


@transaction.atomic
def action_point_update(
    *, point: ActionPoint, by: User, what: str, owner: User | None, due_date: date | None
) -> ActionPoint:
    permissions.check_update_action_point(by, point)
    clean = _clean_action(point.community, what, owner, due_date)
    for name, value in clean.items():
        setattr(point, name, value)
    point.reminder_sent_at = None
    point.save()
    return point


@transaction.atomic
def action_point_complete(
    *, point: ActionPoint, by: User, done: bool = True, at: datetime | None = None
) -> ActionPoint:
    permissions.check_update_action_point(by, point)
    if done == point.is_done:
        return point
    at = at or timezone.now()
    point.done_at, point.done_by = (at, by) if done else (None, None)
    point.save(update_fields=["done_at", "done_by", "updated_at"])
    if done:
        activity_record(
            actor=by,
            verb=Verb.ACTION_POINT_DONE,
            community=point.community,
            target=point,
            other=point.owner if point.owner_id and point.owner_id != by.pk else None,
            at=at,
        )
    return point


@transaction.atomic
def action_point_delete(*, point: ActionPoint, by: User) -> None:
    permissions.check_update_action_point(by, point)
    point.delete()
