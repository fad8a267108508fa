"""Who may do what with sessions, reflections and action points.

Everyone inside a community (guests too) sees its sessions, RSVPs, reflects and keeps action
points; facilitators plan, change and cancel sessions and register attendance."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community
from kring.meetings.models import ActionPoint, Reflection, Session

# Whoever asks: someone logged in, or not (the community's public page, the calendar feed).
Viewer = User | AnonymousUser


def can_view(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_plan(user: Viewer, community: Community) -> bool:
    return community_permissions.can_manage(user, community)


def is_member(user: Viewer, community: Community) -> bool:
    return community_permissions.membership_of(user, community) is not None


def can_rsvp(user: Viewer, session: Session) -> bool:
    return (
        is_member(user, session.community)
        and not session.is_cancelled
        and session.ends_at > timezone.now()
    )


def has_started(session: Session, now: datetime | None = None) -> bool:
    return session.starts_at <= (now or timezone.now())


def can_cancel(user: Viewer, session: Session) -> bool:
    """Facilitators cancel a session that is still ahead; one that started is history."""
    return (
        can_plan(user, session.community) and not session.is_cancelled and not has_started(session)
    )


def can_record_attendance(user: Viewer, session: Session) -> bool:
    return can_plan(user, session.community)


def can_reflect(user: Viewer, session: Session) -> bool:
    """After the session has started, anyone in the community may look back on it."""
    return (
        is_member(user, session.community)
        and not session.is_cancelled
        and session.starts_at <= timezone.now()
    )


def can_edit_reflection(user: Viewer, reflection: Reflection) -> bool:
    return user.is_authenticated and reflection.author_id == user.pk


def can_highlight(user: Viewer, reflection: Reflection) -> bool:
    return can_plan(user, reflection.session.community)


def can_create_action_point(user: Viewer, community: Community) -> bool:
    return is_member(user, community) or can_plan(user, community)


def can_update_action_point(user: Viewer, point: ActionPoint) -> bool:
    """The person who holds it, who made it, and the facilitators."""
    if not user.is_authenticated or not can_view(user, point.community):
        return False
    return user.pk in (point.owner_id, point.created_by_id) or can_plan(user, point.community)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def check_view(user: Viewer, community: Community) -> None:
    _check(can_view(user, community))


def check_plan(user: Viewer, community: Community) -> None:
    _check(can_plan(user, community))


def check_rsvp(user: Viewer, session: Session) -> None:
    _check(can_rsvp(user, session))


def check_record_attendance(user: Viewer, session: Session) -> None:
    _check(can_record_attendance(user, session))


def check_reflect(user: Viewer, session: Session) -> None:
    _check(can_reflect(user, session))


def check_highlight(user: Viewer, reflection: Reflection) -> None:
    _check(can_highlight(user, reflection))


def check_create_action_point(user: Viewer, community: Community) -> None:
    _check(can_create_action_point(user, community))


def check_update_action_point(user: Viewer, point: ActionPoint) -> None:
    _check(can_update_action_point(user, point))
