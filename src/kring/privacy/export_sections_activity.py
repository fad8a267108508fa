"""The sections of the data export about sessions, insights, activity, notifications and
moderation: each a function of the person that yields rows."""

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kring.accounts.models import User
from kring.communities.models import Membership
from kring.conversations.models import (
    Flag,
    ModerationAction,
    ModerationMessage,
    Notification,
)
from kring.core.models import ActivityEvent
from kring.insights import document, snapshot_split
from kring.insights import selectors as insights_selectors
from kring.insights.models import PulseParticipation, Suggestion
from kring.meetings.models import ActionPoint, Attendance, Reflection, Rsvp, Session
from kring.privacy.export_rows import CHUNK, community_ref, iso, person, session_ref


def rsvps(user: User) -> Iterator[dict]:
    rows = Rsvp.objects.filter(user=user).select_related("session__community")
    for r in rows.order_by("responded_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "session": session_ref(r.session),
            "response": r.response,
            "note": r.note,
            "on_waiting_list": r.waitlisted,
            "responded_at": iso(r.responded_at),
        }


def attendance(user: User) -> Iterator[dict]:
    rows = Attendance.objects.filter(user=user).select_related("session__community", "recorded_by")
    for a in rows.order_by("recorded_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "session": session_ref(a.session),
            "status": a.status,
            "recorded_by": person(a.recorded_by),
            "recorded_at": iso(a.recorded_at),
        }


def facilitated(user: User) -> Iterator[dict]:
    rows = Session.objects.filter(facilitators=user).select_related("community")
    for s in rows.order_by("starts_at", "id").iterator(chunk_size=CHUNK):
        yield session_ref(s)


def reflections(user: User) -> Iterator[dict]:
    rows = Reflection.objects.filter(author=user).select_related("session__community")
    for r in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "id": r.pk,
            "session": session_ref(r.session),
            "what_we_did": r.did,
            "what_we_noticed": r.noticed,
            "what_we_learned": r.learned,
            "doing_things_right": r.single_loop,
            "doing_the_right_things": r.double_loop,
            "who_we_are_and_how_we_decide": r.triple_loop,
            "highlighted": r.highlighted,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
        }


def action_points(user: User) -> Iterator[dict]:
    rows = (
        ActionPoint.objects.filter(Q(owner=user) | Q(created_by=user) | Q(done_by=user))
        .select_related("community", "session__community", "owner")
        .order_by("created_at", "id")
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": p.pk,
            "community": community_ref(p.community),
            "session": session_ref(p.session),
            "what": p.what,
            "who": person(p.owner),
            "before": iso(p.due_date),
            "done_at": iso(p.done_at),
            "you_are_the_owner": p.owner_id == user.pk,
            "you_made_it": p.created_by_id == user.pk,
            "you_completed_it": p.done_by_id == user.pk,
            "created_at": iso(p.created_at),
        }


def suggestion_reason(suggestion: Suggestion, user: User) -> str | None:
    """The sentence the facilitators read, written to you ("you can help")."""
    people = list(suggestion.members.all())
    raw = {
        "kind": suggestion.kind,
        "members": [m.email for m in people],
        "params": suggestion.params,
    }
    try:
        return str(
            document.suggestion_reason(
                raw, {m.email: m.full_name for m in people}, {}, reader=user.email
            )
        )
    except (KeyError, TypeError, ValueError, IndexError):
        # Facts from an older version of the rules: the kind and the facts still say it.
        return None


def suggestions(user: User) -> Iterator[dict]:
    rows = (
        Suggestion.objects.filter(members=user)
        .select_related("community", "decided_by")
        .prefetch_related("members")
        .order_by("created_at", "id")
    )
    for s in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(s.community),
            "kind": s.kind,
            "reason": suggestion_reason(s, user),
            "people": [person(m) for m in s.members.all()],
            "facts": s.params,
            "status": s.status,
            "created_at": iso(s.created_at),
            "last_seen_at": iso(s.last_seen_at),
            "decided_by": person(s.decided_by),
            "decided_at": iso(s.decided_at),
            "note": s.note,
        }


def signals(user: User) -> Iterator[dict]:
    """What the latest insights snapshot of each of your communities says about you: your
    entry (signals with their reasons, pace, network position) and all your ties, as on your
    own insights page. Reads your own part of each snapshot, not the whole document."""
    communities = Membership.objects.filter(user=user).select_related("community")
    for membership in communities.iterator(chunk_size=CHUNK):
        snapshot = insights_selectors.snapshot_latest(community=membership.community)
        if snapshot is None:
            continue
        part = insights_selectors.snapshot_member(snapshot=snapshot, user_id=user.pk)
        if part is None:
            continue
        entry = document.render_member(snapshot_split.member_of(part))
        others = insights_selectors.member_names(
            snapshot=snapshot, user_ids=[t[0] for t in part.get("ties", [])]
        )
        ties = [
            {
                "person": {"id": other, "name": others[other][1]},
                "strong": strong,
                "weight": weight,
            }
            for other, weight, strong in part.get("ties", [])
            if other in others
        ]
        yield {
            "community": community_ref(membership.community),
            "as_of": iso(snapshot.as_of),
            **{k: v for k, v in entry.items() if k not in ("id", "email", "broker", "isolate")},
            "ties": ties,
            "is_broker": bool(part.get("broker")),
            "is_isolate": bool(part.get("isolate")),
        }


def pulses(user: User) -> Iterator[dict]:
    rows = PulseParticipation.objects.filter(user=user).select_related("pulse__community")
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(p.pulse.community),
            "pulse_opened_at": iso(p.pulse.opened_at),
        }


def activity_events(user: User) -> Iterator[dict]:
    rows = (
        ActivityEvent.objects.filter(actor=user)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "verb",
            "community__slug",
            "target_type_id",
            "target_id",
            "other_id",
            "other__full_name",
            "created_at",
            "data",
        )
    )
    for pk, verb, community, type_id, target_id, other_id, other_name, at, data in rows.iterator(
        chunk_size=CHUNK
    ):
        target_type = None
        if type_id is not None:
            ct = ContentType.objects.get_for_id(type_id)
            target_type = f"{ct.app_label}.{ct.model}"
        yield {
            "id": pk,
            "verb": verb,
            "community": community,
            "target_type": target_type,
            "target_id": target_id,
            "other_person": {"id": other_id, "name": other_name} if other_id else None,
            "at": iso(at),
            "details": data,
        }


def notifications(user: User) -> Iterator[dict]:
    rows = (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "community")
        .order_by("created_at", "id")
    )
    for n in rows.iterator(chunk_size=CHUNK):
        yield {
            "kind": n.kind,
            "from": person(n.actor),
            "community": community_ref(n.community),
            "thread_id": n.thread_id,
            "reply_id": n.reply_id,
            "conversation_id": n.conversation_id,
            "created_at": iso(n.created_at),
            "read_at": iso(n.read_at),
            "emailed_at": iso(n.emailed_at),
        }


def flags(user: User) -> Iterator[dict]:
    rows = Flag.objects.filter(reporter=user).select_related("community")
    for f in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(f.community),
            "thread_id": f.thread_id,
            "reply_id": f.reply_id,
            "ground_rule": f.ground_rule_text,
            "reason": f.reason,
            "status": f.status,
            "created_at": iso(f.created_at),
            "resolved_at": iso(f.resolved_at),
        }


def moderation_actions(user: User) -> Iterator[dict]:
    rows = ModerationAction.objects.filter(subject=user).select_related("community", "actor")
    for a in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(a.community),
            "thread_id": a.thread_id,
            "reply_id": a.reply_id,
            "action": a.action,
            "by": person(a.actor),
            "reason": a.reason,
            "ground_rule": a.ground_rule_text,
            "at": iso(a.created_at),
        }


def moderation_messages(user: User) -> Iterator[dict]:
    rows = ModerationMessage.objects.filter(Q(subject=user) | Q(sender=user)).select_related(
        "community", "sender"
    )
    for m in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(m.community),
            "thread_id": m.thread_id,
            "reply_id": m.reply_id,
            "from": person(m.sender),
            "body": m.body,
            "at": iso(m.created_at),
        }
