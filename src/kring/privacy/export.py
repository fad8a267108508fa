"""Your data export (GDPR art. 15 and 20): ask for it, build the ZIP, hand it out, clean up.

The flow: `data_export_request` makes a pending DataExport and enqueues `data_export_build`
after the commit. The task writes a ZIP with one JSON file per section and your uploaded
files into settings.KRING_EXPORT_DIR (private, not media), marks the export ready for
EXPORT_DAYS days and e-mails you. `data_exports_purge` (a periodic task of `kring worker`)
deletes files past their date.

Sections are written row by row from `.iterator()` straight into the ZIP, so a person with
tens of thousands of activity events never needs them all in memory at once.
"""

import json
import logging
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename

from kring.accounts.models import User
from kring.communities.models import Invitation, JoinRequest, Membership
from kring.conversations.models import (
    Block,
    Flag,
    Message,
    ModerationAction,
    ModerationMessage,
    Notification,
    NotificationPreference,
    PostAttachment,
    PostRevision,
    Reaction,
    Reply,
    Thread,
)
from kring.core.models import ActivityEvent
from kring.insights import document
from kring.insights.models import PulseParticipation, Snapshot, Suggestion
from kring.knowledge.models import Attachment, Comment, KnowledgeItem, Revision, Useful
from kring.meetings.models import ActionPoint, Attendance, Reflection, Rsvp, Session
from kring.privacy.models import DataExport, ExportState

logger = logging.getLogger(__name__)

# How long a finished export can be downloaded.
EXPORT_DAYS = 7
# A pending export whose build never started or never finished (the worker died) stops
# blocking a new request after this long.
STALE_AFTER = timedelta(hours=6)
CHUNK = 2000


def export_dir() -> Path:
    path = Path(settings.KRING_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(export: DataExport) -> Path:
    return Path(settings.KRING_EXPORT_DIR) / export.file_name


def download_name(export: DataExport) -> str:
    day = timezone.localdate(export.finished_at or export.requested_at)
    return f"kring-export-{day.isoformat()}.zip"


# Asking ----------------------------------------------------------------------------------


@transaction.atomic
def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """Ask for a copy of your data. While one is being made, that one is returned and no
    second build starts. Returns (export, created)."""
    # Lock the person's row, so two quick clicks (or two tabs) can't both start a build.
    User.objects.select_for_update().filter(pk=user.pk).first()
    pending = (
        DataExport.objects.filter(user=user, state=ExportState.PENDING)
        .order_by("-requested_at", "-id")
        .first()
    )
    if pending is not None:
        if pending.requested_at > timezone.now() - STALE_AFTER:
            return pending, False
        pending.state = ExportState.FAILED
        pending.error = "Not finished in time (worker stopped?)."
        pending.finished_at = timezone.now()
        pending.save(update_fields=["state", "error", "finished_at"])
    export = DataExport.objects.create(user=user)
    from kring.privacy.tasks import data_export_build as build_task

    transaction.on_commit(lambda: build_task.enqueue(export_id=export.pk))
    return export, True


# Building --------------------------------------------------------------------------------


def data_export_build(*, export_id: int) -> bool:
    """Build the ZIP of one pending export; returns whether this run built it.

    Claimed first with a compare-and-set on `started_at`, so a task that runs twice builds
    once. A failure is recorded (state failed) and the person can ask again."""
    now = timezone.now()
    claimed = DataExport.objects.filter(
        pk=export_id, state=ExportState.PENDING, started_at__isnull=True
    ).update(started_at=now)
    if not claimed:
        return False
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:  # the account was erased meanwhile
        return False
    file_name = f"{export.user_id}-{export.pk}-{secrets.token_hex(16)}.zip"
    target = export_dir() / file_name
    partial = target.with_suffix(".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            export_write(zf=zf, user=export.user)
        partial.replace(target)
    except Exception as exc:
        logger.exception("Data export %s failed", export_id)
        partial.unlink(missing_ok=True)
        DataExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return False
    with transaction.atomic():
        finished = timezone.now()
        updated = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
            state=ExportState.READY,
            file_name=file_name,
            size=target.stat().st_size,
            finished_at=finished,
            expires_at=finished + timedelta(days=EXPORT_DAYS),
        )
        if not updated:  # erased or replaced meanwhile
            target.unlink(missing_ok=True)
            return False
        # A new export replaces the older ones: their files go now.
        for old in DataExport.objects.filter(user_id=export.user_id).exclude(pk=export_id):
            _delete_file(old)
            old.delete()
        transaction.on_commit(lambda: data_export_ready_email(export_id=export_id))
    return True


def data_export_ready_email(*, export_id: int) -> None:
    """Tell the person their export is ready, in their language, with a link to /me/data/."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.READY:
        return
    user = export.user
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "recipient": user,
            "export": export,
            "url": settings.SITE_URL + reverse("my-data"),
            "days": EXPORT_DAYS,
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(
            render_to_string("privacy/email/export_ready_subject.txt", context).split()
        )
        body = render_to_string("privacy/email/export_ready_body.txt", context)
        html = render_to_string("privacy/email/export_ready_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


# Cleaning up -----------------------------------------------------------------------------


def _delete_file(export: DataExport) -> None:
    if export.file_name:
        export_path(export).unlink(missing_ok=True)


def data_exports_delete(*, user: User) -> int:
    """Delete every export of `user`, files first (for erasing an account: the rows would go
    with the person, the files would wait for the purge). Returns how many."""
    count = 0
    for export in DataExport.objects.filter(user=user):
        _delete_file(export)
        export.delete()
        count += 1
    return count


def data_exports_purge(*, now=None) -> int:
    """Delete the files of exports past their date (the row stays, as expired); also old
    files in the folder that no export points at (a crashed build, an erased account).
    Returns how many exports expired."""
    now = now or timezone.now()
    count = 0
    expired = DataExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for export in expired.iterator(chunk_size=CHUNK):
        _delete_file(export)
        DataExport.objects.filter(pk=export.pk).update(
            state=ExportState.EXPIRED, file_name="", size=0
        )
        count += 1
    folder = Path(settings.KRING_EXPORT_DIR)
    if folder.is_dir():
        known = set(DataExport.objects.exclude(file_name="").values_list("file_name", flat=True))
        # Only left-overs older than any build can take: a file written a moment ago may
        # belong to a build that has not saved its row yet.
        before = (now - STALE_AFTER).timestamp()
        for path in folder.iterdir():
            if path.is_file() and path.name not in known and path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
    return count


# Writing the ZIP -------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict | None:
    return {"id": user.pk, "name": user.full_name} if user is not None else None


def _dumps(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def _write_array(out, rows: Iterable) -> int:
    out.write(b"[")
    count = 0
    for row in rows:
        out.write(b",\n" if count else b"\n")
        out.write(_dumps(row))
        count += 1
    out.write(b"\n]" if count else b"]")
    return count


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry dated now (zf.open(name, "w") would date it 1980)."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_json(zf: zipfile.ZipFile, name: str, content) -> int:
    """Write one JSON file. `content` is a row iterator (an array), or a dict whose values
    may be row iterators (an object of arrays). Returns how many rows were written."""
    count = 0
    with zf.open(_entry(name), "w", force_zip64=True) as out:
        if isinstance(content, dict):
            out.write(b"{")
            for i, (key, value) in enumerate(content.items()):
                out.write(b",\n" if i else b"\n")
                out.write(_dumps(key) + b": ")
                if isinstance(value, Iterator):
                    count += _write_array(out, value)
                else:
                    out.write(_dumps(value))
            out.write(b"\n}\n")
        else:
            count = _write_array(out, content)
            out.write(b"\n")
    return count


def _community(community) -> dict | None:
    if community is None:
        return None
    return {"id": community.pk, "name": community.name, "slug": community.slug}


def _session(session: Session | None) -> dict | None:
    if session is None:
        return None
    return {
        "id": session.pk,
        "title": session.title,
        "community": _community(session.community),
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
    }


def _safe_name(name: str, fallback: str) -> str:
    """A file name fit for the ZIP. get_valid_filename raises (rather than returning "") for a
    name without a single letter, digit, "-", "_" or "." ("!!!", "💾"): that must not stop
    the export, and others (co-authors) choose the names of files in it."""
    try:
        return get_valid_filename(Path(name).name) or fallback
    except SuspiciousFileOperation:
        return fallback


def _file_path(prefix: str, pk: int, name: str) -> str:
    safe = _safe_name(name, "file")
    return f"files/{prefix}/{pk}-{safe}"


def _library_file(attachment: Attachment) -> str:
    return _file_path(f"library/{attachment.item_id}", attachment.pk, attachment.original_name)


def _post_file(attachment: PostAttachment) -> str:
    return _file_path(f"posts/{attachment.thread_id}", attachment.pk, attachment.original_name)


def _photo_file(user: User) -> str | None:
    if not user.photo:
        return None
    return f"files/photo/{_safe_name(user.photo.name, 'photo')}"


def profile_section(user: User) -> dict:
    # Without a saved choice the defaults apply: show those.
    preference = NotificationPreference.objects.filter(user=user).first() or (
        NotificationPreference(user=user)
    )
    feed = getattr(user, "calendar_feed", None)
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "job_title": user.job_title,
        "bio": user.bio,
        "language": user.language,
        "photo": _photo_file(user),
        "perspectives": [p.key for p in user.perspectives.all()],
        "i_can_help_with": [t.name for t in user.help_tags.all()],
        "i_am_looking_for": [t.name for t in user.seeking_tags.all()],
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "notification_settings": {
            "email_mentions": preference.email_mentions,
            "email_replies": preference.email_replies,
            "email_accepted": preference.email_accepted,
            "email_messages": preference.email_messages,
            "email_sessions": preference.email_sessions,
            "digest": preference.digest,
            "digest_sent_at": _iso(preference.digest_sent_at),
        },
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scope": t.scope,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in user.api_tokens.all()
        ],
        "calendar_feed": (
            {"created_at": _iso(feed.created_at), "last_used_at": _iso(feed.last_used_at)}
            if feed is not None
            else None
        ),
        "people_you_blocked": [
            {**_person(b.blocked), "since": _iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).select_related("blocked")
        ],
    }


def _memberships(user: User) -> Iterator[dict]:
    rows = Membership.objects.filter(user=user).select_related("community", "invited_by")
    for m in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": _community(m.community),
            "role": m.role,
            "joined_at": _iso(m.joined_at),
            "invited_by": _person(m.invited_by),
            "note": m.note,
        }


def _join_requests(user: User) -> Iterator[dict]:
    # Only the ones made signed in: a request typed while signed out with the person's
    # address may come from anyone, with that other person's name and message.
    rows = JoinRequest.objects.filter(user=user)
    for r in rows.select_related("community").iterator(chunk_size=CHUNK):
        yield {
            "community": _community(r.community),
            "name": r.name,
            "email": r.email,
            "message": r.message,
            "status": r.status,
            "created_at": _iso(r.created_at),
            "handled_at": _iso(r.handled_at),
        }


def _invitations(user: User) -> Iterator[dict]:
    rows = Invitation.objects.filter(accepted_by=user).select_related("community", "created_by")
    for i in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": _community(i.community),
            "role": i.role,
            "message": i.message,
            "invited_by": _person(i.created_by),
            "accepted_at": _iso(i.accepted_at),
        }


def _library_items(user: User) -> Iterator[dict]:
    mine = KnowledgeItem.objects.filter(
        Q(pk__in=KnowledgeItem.authors.through.objects.filter(user=user).values("item_id"))
        | Q(created_by=user)
    )
    rows = (
        mine.select_related("community", "created_by")
        .prefetch_related("item_authors__user", "tags", "attachments")
        .order_by("created_at", "id")
    )
    for item in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": item.pk,
            "community": _community(item.community),
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "sections": item.sections,
            "url": item.url,
            "themes": [t.name for t in item.tags.all()],
            "authors": [_person(a.user) for a in item.item_authors.all()],
            "shared_by": _person(item.created_by),
            "created_at": _iso(item.created_at),
            "updated_at": _iso(item.updated_at),
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "file": _library_file(a),
                }
                for a in item.attachments.all()
            ],
        }


def _library_revisions(user: User) -> Iterator[dict]:
    rows = Revision.objects.filter(edited_by=user).select_related("item").order_by("created_at")
    for r in rows.iterator(chunk_size=CHUNK):
        yield {
            "item_id": r.item_id,
            "item_title": r.item.title,
            "number": r.number,
            "kind": r.kind,
            "title": r.title,
            "body": r.body,
            "sections": r.sections,
            "url": r.url,
            "themes": r.tags,
            "note": r.note,
            "created_at": _iso(r.created_at),
        }


def _library_comments(user: User) -> Iterator[dict]:
    rows = Comment.objects.filter(author=user).select_related("item").order_by("created_at")
    for c in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": c.pk,
            "item_id": c.item_id,
            "item_title": c.item.title,
            "body": c.body,
            "created_at": _iso(c.created_at),
            "updated_at": _iso(c.updated_at),
        }


def _useful_marks(user: User) -> Iterator[dict]:
    rows = Useful.objects.filter(user=user).select_related("item").order_by("created_at")
    for u in rows.iterator(chunk_size=CHUNK):
        yield {"item_id": u.item_id, "item_title": u.item.title, "created_at": _iso(u.created_at)}


def _threads(user: User) -> Iterator[dict]:
    rows = (
        Thread.objects.filter(author=user)
        .select_related("community")
        .prefetch_related("tags", "attachments")
        .order_by("created_at", "id")
    )
    for t in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": t.pk,
            "community": _community(t.community),
            "kind": t.kind,
            "title": t.title,
            "body": t.body,
            "themes": [tag.name for tag in t.tags.all()],
            "created_at": _iso(t.created_at),
            "edited_at": _iso(t.edited_at),
            "accepted_reply_id": t.accepted_reply_id,
            "reply_count": t.reply_count,
            "locked": t.locked,
            "hidden_by_facilitator": t.hidden,
            "attachments": [
                {"id": a.pk, "name": a.original_name, "file": _post_file(a)}
                for a in t.attachments.all()
                if a.reply_id is None and a.uploaded_by_id == user.pk
            ],
        }


def _replies(user: User) -> Iterator[dict]:
    rows = (
        Reply.objects.filter(author=user)
        .select_related("thread__community")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    for r in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": r.pk,
            "thread": {"id": r.thread_id, "title": r.thread.title},
            "community": _community(r.thread.community),
            "in_reply_to": r.parent_id,
            "body": r.body,
            "created_at": _iso(r.created_at),
            "edited_at": _iso(r.edited_at),
            "accepted_as_answer": r.thread.accepted_reply_id == r.pk,
            "hidden_by_facilitator": r.hidden,
            "attachments": [
                {"id": a.pk, "name": a.original_name, "file": _post_file(a)}
                for a in r.attachments.all()
                if a.uploaded_by_id == user.pk
            ],
        }


def _post_revisions(user: User) -> Iterator[dict]:
    rows = PostRevision.objects.filter(edited_by=user).order_by("created_at", "id")
    for r in rows.iterator(chunk_size=CHUNK):
        yield {
            "thread_id": r.thread_id,
            "reply_id": r.reply_id,
            "number": r.number,
            "title": r.title,
            "body": r.body,
            "created_at": _iso(r.created_at),
        }


def _reactions(user: User) -> Iterator[dict]:
    rows = Reaction.objects.filter(user=user).order_by("created_at", "id")
    for r in rows.iterator(chunk_size=CHUNK):
        yield {"thread_id": r.thread_id, "reply_id": r.reply_id, "created_at": _iso(r.created_at)}


def _messages(user: User) -> Iterator[dict]:
    rows = (
        Message.objects.filter(Q(sender=user) | Q(recipient=user))
        .select_related("sender", "recipient")
        .order_by("created_at", "id")
    )
    for m in rows.iterator(chunk_size=CHUNK):
        sent = m.sender_id == user.pk
        yield {
            "id": m.pk,
            "conversation_id": m.conversation_id,
            "direction": "sent" if sent else "received",
            "other_person": _person(m.recipient if sent else m.sender),
            "body": m.body,
            "sent_at": _iso(m.created_at),
            "read_at": _iso(m.read_at),
        }


def _rsvps(user: User) -> Iterator[dict]:
    rows = Rsvp.objects.filter(user=user).select_related("session__community")
    for r in rows.order_by("responded_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "session": _session(r.session),
            "response": r.response,
            "note": r.note,
            "on_waiting_list": r.waitlisted,
            "responded_at": _iso(r.responded_at),
        }


def _attendance(user: User) -> Iterator[dict]:
    rows = Attendance.objects.filter(user=user).select_related("session__community", "recorded_by")
    for a in rows.order_by("recorded_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "session": _session(a.session),
            "status": a.status,
            "recorded_by": _person(a.recorded_by),
            "recorded_at": _iso(a.recorded_at),
        }


def _facilitated(user: User) -> Iterator[dict]:
    rows = Session.objects.filter(facilitators=user).select_related("community")
    for s in rows.order_by("starts_at", "id").iterator(chunk_size=CHUNK):
        yield _session(s)


def _reflections(user: User) -> Iterator[dict]:
    rows = Reflection.objects.filter(author=user).select_related("session__community")
    for r in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "id": r.pk,
            "session": _session(r.session),
            "what_we_did": r.did,
            "what_we_noticed": r.noticed,
            "what_we_learned": r.learned,
            "doing_things_right": r.single_loop,
            "doing_the_right_things": r.double_loop,
            "who_we_are_and_how_we_decide": r.triple_loop,
            "highlighted": r.highlighted,
            "created_at": _iso(r.created_at),
            "updated_at": _iso(r.updated_at),
        }


def _action_points(user: User) -> Iterator[dict]:
    rows = (
        ActionPoint.objects.filter(Q(owner=user) | Q(created_by=user) | Q(done_by=user))
        .select_related("community", "session__community", "owner")
        .order_by("created_at", "id")
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": p.pk,
            "community": _community(p.community),
            "session": _session(p.session),
            "what": p.what,
            "who": _person(p.owner),
            "before": _iso(p.due_date),
            "done_at": _iso(p.done_at),
            "you_are_the_owner": p.owner_id == user.pk,
            "you_made_it": p.created_by_id == user.pk,
            "you_completed_it": p.done_by_id == user.pk,
            "created_at": _iso(p.created_at),
        }


def _suggestion_reason(suggestion: Suggestion, user: User) -> str | None:
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


def _suggestions(user: User) -> Iterator[dict]:
    rows = (
        Suggestion.objects.filter(members=user)
        .select_related("community", "decided_by")
        .prefetch_related("members")
        .order_by("created_at", "id")
    )
    for s in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": _community(s.community),
            "kind": s.kind,
            "reason": _suggestion_reason(s, user),
            "people": [_person(m) for m in s.members.all()],
            "facts": s.params,
            "status": s.status,
            "created_at": _iso(s.created_at),
            "last_seen_at": _iso(s.last_seen_at),
            "decided_by": _person(s.decided_by),
            "decided_at": _iso(s.decided_at),
            "note": s.note,
        }


def _signals(user: User) -> Iterator[dict]:
    """What the latest insights snapshot of each of your communities says about you: your
    entry (signals with their reasons, pace, network position) and your ties, as on your own
    insights page. One snapshot document at a time: they can be large."""
    communities = Membership.objects.filter(user=user).select_related("community")
    for membership in communities.iterator(chunk_size=CHUNK):
        latest = (
            Snapshot.objects.filter(community_id=membership.community_id)
            .order_by("-computed_at", "-id")
            .values_list("as_of", "data")
            .first()
        )
        if latest is None:
            continue
        as_of, raw = latest
        raw = raw or {}
        members = raw.get("members", [])
        mine = next((m for m in members if m.get("id") == user.pk), None)
        if mine is None:
            continue
        entry = document.render({**raw, "members": [mine], "suggestions": []})["members"][0]
        by_email = {m["email"]: m for m in members}
        ties = []
        for edge in raw.get("network", {}).get("edges", []):
            if mine["email"] not in (edge["a"], edge["b"]):
                continue
            other = by_email.get(edge["b"] if edge["a"] == mine["email"] else edge["a"])
            if other is not None:
                ties.append(
                    {
                        "person": {"id": other["id"], "name": other["name"]},
                        "strong": edge.get("strong"),
                        "weight": edge.get("weight"),
                    }
                )
        network = raw.get("network", {})
        yield {
            "community": _community(membership.community),
            "as_of": _iso(as_of),
            **{k: v for k, v in entry.items() if k not in ("id", "email")},
            "ties": ties,
            "is_broker": mine["email"] in network.get("brokers", []),
            "is_isolate": mine["email"] in network.get("isolates", []),
        }


def _pulses(user: User) -> Iterator[dict]:
    rows = PulseParticipation.objects.filter(user=user).select_related("pulse__community")
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": _community(p.pulse.community),
            "pulse_opened_at": _iso(p.pulse.opened_at),
        }


def _activity_events(user: User) -> Iterator[dict]:
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
            "at": _iso(at),
            "details": data,
        }


def _notifications(user: User) -> Iterator[dict]:
    rows = (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "community")
        .order_by("created_at", "id")
    )
    for n in rows.iterator(chunk_size=CHUNK):
        yield {
            "kind": n.kind,
            "from": _person(n.actor),
            "community": _community(n.community),
            "thread_id": n.thread_id,
            "reply_id": n.reply_id,
            "conversation_id": n.conversation_id,
            "created_at": _iso(n.created_at),
            "read_at": _iso(n.read_at),
            "emailed_at": _iso(n.emailed_at),
        }


def _flags(user: User) -> Iterator[dict]:
    rows = Flag.objects.filter(reporter=user).select_related("community")
    for f in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": _community(f.community),
            "thread_id": f.thread_id,
            "reply_id": f.reply_id,
            "ground_rule": f.ground_rule_text,
            "reason": f.reason,
            "status": f.status,
            "created_at": _iso(f.created_at),
            "resolved_at": _iso(f.resolved_at),
        }


def _moderation_actions(user: User) -> Iterator[dict]:
    rows = ModerationAction.objects.filter(subject=user).select_related("community", "actor")
    for a in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": _community(a.community),
            "thread_id": a.thread_id,
            "reply_id": a.reply_id,
            "action": a.action,
            "by": _person(a.actor),
            "reason": a.reason,
            "ground_rule": a.ground_rule_text,
            "at": _iso(a.created_at),
        }


def _moderation_messages(user: User) -> Iterator[dict]:
    rows = ModerationMessage.objects.filter(Q(subject=user) | Q(sender=user)).select_related(
        "community", "sender"
    )
    for m in rows.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "community": _community(m.community),
            "thread_id": m.thread_id,
            "reply_id": m.reply_id,
            "from": _person(m.sender),
            "body": m.body,
            "at": _iso(m.created_at),
        }


def _files(user: User) -> Iterator[tuple[str, str, str]]:
    """(path in the ZIP, storage name, what it is) for every file you uploaded."""
    photo = _photo_file(user)
    if photo:
        yield photo, user.photo.name, "profile photo"
    library = Attachment.objects.filter(
        Q(item__item_authors__user=user) | Q(uploaded_by=user)
    ).distinct()
    for a in library.order_by("id").iterator(chunk_size=CHUNK):
        yield _library_file(a), a.file.name, f"library item {a.item_id}: {a.original_name}"
    posts = PostAttachment.objects.filter(uploaded_by=user)
    for a in posts.order_by("id").iterator(chunk_size=CHUNK):
        yield _post_file(a), a.file.name, f"post in thread {a.thread_id}: {a.original_name}"


def _copy_files(zf: zipfile.ZipFile, user: User) -> list[dict]:
    manifest = []
    for path, stored, what in _files(user):
        row = {"file": path, "what": what}
        try:
            with (
                default_storage.open(stored, "rb") as src,
                zf.open(path, "w", force_zip64=True) as out,
            ):
                shutil.copyfileobj(src, out, 1024 * 1024)
        except OSError:
            # The upload is gone from the disk (restored from an older backup, say).
            row["missing"] = True
        manifest.append(row)
    return manifest


SECTIONS = (
    "profile.json",
    "memberships.json",
    "library_items.json",
    "questions_and_discussions.json",
    "replies.json",
    "messages.json",
    "sessions.json",
    "reflections.json",
    "action_points.json",
    "insights_about_you.json",
    "activity_events.json",
    "notifications.json",
    "moderation.json",
    "files.json",
)


def export_write(*, zf: zipfile.ZipFile, user: User) -> dict[str, int]:
    """Write every section of `user`'s data into `zf`; returns the row count per file.
    Sentences (the reasons of signals and suggestions) are in the person's language."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return _export_write(zf, user)


def _sections(user: User) -> list[tuple[str, Callable[[], object]]]:
    """Each file of the export and what makes its content, called only when it is written
    (so one section's rows are never held in memory beside another's)."""
    return [
        ("profile.json", lambda: profile_section(user)),
        (
            "memberships.json",
            lambda: {
                "memberships": _memberships(user),
                "requests_to_join": _join_requests(user),
                "invitations_accepted": _invitations(user),
            },
        ),
        (
            "library_items.json",
            lambda: {
                "items": _library_items(user),
                "revisions_you_wrote": _library_revisions(user),
                "comments": _library_comments(user),
                "found_useful": _useful_marks(user),
            },
        ),
        ("questions_and_discussions.json", lambda: _threads(user)),
        (
            "replies.json",
            lambda: {
                "replies": _replies(user),
                "earlier_versions_of_your_posts": _post_revisions(user),
                "found_useful": _reactions(user),
            },
        ),
        ("messages.json", lambda: _messages(user)),
        (
            "sessions.json",
            lambda: {
                "rsvps": _rsvps(user),
                "attendance": _attendance(user),
                "sessions_you_facilitate": _facilitated(user),
            },
        ),
        ("reflections.json", lambda: _reflections(user)),
        ("action_points.json", lambda: _action_points(user)),
        (
            "insights_about_you.json",
            lambda: {
                "signals": _signals(user),
                "suggestions": _suggestions(user),
                "pulses_answered": _pulses(user),
            },
        ),
        ("activity_events.json", lambda: _activity_events(user)),
        ("notifications.json", lambda: _notifications(user)),
        (
            "moderation.json",
            lambda: {
                "flags_you_made": _flags(user),
                "actions_on_your_posts": _moderation_actions(user),
                "messages_about_your_posts": _moderation_messages(user),
            },
        ),
    ]


def _export_write(zf: zipfile.ZipFile, user: User) -> dict[str, int]:
    counts = {name: _write_json(zf, name, content()) for name, content in _sections(user)}
    manifest = _copy_files(zf, user)
    counts["files.json"] = _write_json(zf, "files.json", iter(manifest))
    with translation.override("en"):
        readme = render_to_string(
            "privacy/export_readme.txt",
            {"user": user, "counts": counts, "made_at": timezone.now(), "days": EXPORT_DAYS},
        )
    zf.writestr(_entry("README.txt"), readme)
    return counts
