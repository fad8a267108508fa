"""Writes for RSVPs: answering for a session, and the waiting list behind a full one."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.core.models import Verb
from kring.core.services import activity_record
from kring.meetings import notices, permissions
from kring.meetings.models import Rsvp, RsvpResponse, Session

MAX_NOTE = 300


def _going_count(session: Session) -> int:
    return Rsvp.objects.filter(session=session, response=RsvpResponse.YES, waitlisted=False).count()


def waiting_list_promote(session: Session) -> list[Rsvp]:
    """Fill free places from the waiting list, first come first served. Part of a service
    that freed places (an answer changed, more places, someone erased)."""
    if session.capacity is None:
        waiting = list(Rsvp.objects.filter(session=session, waitlisted=True))
    else:
        free = session.capacity - _going_count(session)
        if free <= 0:
            return []
        waiting = list(
            Rsvp.objects.filter(session=session, waitlisted=True).order_by("responded_at", "id")[
                :free
            ]
        )
    for rsvp in waiting:
        rsvp.waitlisted = False
    Rsvp.objects.bulk_update(waiting, ["waitlisted"])
    if waiting:
        transaction.on_commit(lambda: notices.waitlist_promoted(rsvp_ids=[r.pk for r in waiting]))
    return waiting


@transaction.atomic
def rsvp_set(
    *, session: Session, user: User, response: str, note: str = "", at: datetime | None = None
) -> Rsvp:
    """Answer for one session. A "yes" when it is full goes on the waiting list; a place that
    frees up goes to the first person waiting."""
    if response not in RsvpResponse.values:
        raise ValidationError({"response": _("Choose coming, maybe or not coming.")})
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep the note to 300 characters.")})
    # Lock the session row so two last-place answers can't both get it.
    session = Session.objects.select_for_update().get(pk=session.pk)
    permissions.check_rsvp(user, session)
    at = at or timezone.now()
    rsvp = Rsvp.objects.filter(session=session, user=user).first()
    was_going = rsvp is not None and rsvp.response == RsvpResponse.YES and not rsvp.waitlisted
    if rsvp is None:
        rsvp = Rsvp(session=session, user=user)
    changed = rsvp.response != response
    rsvp.response, rsvp.note = response, note
    if response == RsvpResponse.YES:
        if not was_going:
            full = session.capacity is not None and _going_count(session) >= session.capacity
            rsvp.waitlisted = full
            if changed:
                rsvp.responded_at = at
    else:
        rsvp.waitlisted = False
        if changed:
            rsvp.responded_at = at
    rsvp.save()
    if was_going and response != RsvpResponse.YES:
        waiting_list_promote(session)
    if changed:
        activity_record(
            actor=user,
            verb=Verb.RSVPED,
            community=session.community,
            target=session,
            at=at,
            data={"response": response, "waitlisted": rsvp.waitlisted},
        )
    return rsvp
