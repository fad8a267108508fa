"""The sections of the data export about you, your communities, the library and the
conversations: each a function of the person that yields rows (or returns one object)."""

from collections.abc import Iterator

from django.db.models import Q

from kring.accounts.models import User
from kring.communities.models import Invitation, JoinRequest, Membership
from kring.conversations.models import (
    Block,
    Message,
    NotificationPreference,
    PostRevision,
    Reaction,
    Reply,
    Thread,
)
from kring.knowledge.models import Comment, KnowledgeItem, Revision, Useful
from kring.privacy.export_rows import (
    CHUNK,
    community_ref,
    iso,
    library_file,
    person,
    photo_file,
    post_file,
)


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
        "photo": photo_file(user),
        "perspectives": [p.key for p in user.perspectives.all()],
        "i_can_help_with": [t.name for t in user.help_tags.all()],
        "i_am_looking_for": [t.name for t in user.seeking_tags.all()],
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "notification_settings": {
            "email_mentions": preference.email_mentions,
            "email_replies": preference.email_replies,
            "email_accepted": preference.email_accepted,
            "email_messages": preference.email_messages,
            "email_sessions": preference.email_sessions,
            "digest": preference.digest,
            "digest_sent_at": iso(preference.digest_sent_at),
        },
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scope": t.scope,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
                "revoked_at": iso(t.revoked_at),
            }
            for t in user.api_tokens.all()
        ],
        "calendar_feed": (
            {"created_at": iso(feed.created_at), "last_used_at": iso(feed.last_used_at)}
            if feed is not None
            else None
        ),
        "people_you_blocked": [
            {**person(b.blocked), "since": iso(b.created_at)}
            for b in Block.objects.filter(blocker=user).select_related("blocked")
        ],
    }


def memberships(user: User) -> Iterator[dict]:
    rows = Membership.objects.filter(user=user).select_related("community", "invited_by")
    for m in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(m.community),
            "role": m.role,
            "joined_at": iso(m.joined_at),
            "invited_by": person(m.invited_by),
            "note": m.note,
        }


def join_requests(user: User) -> Iterator[dict]:
    # Only the ones made signed in: a request typed while signed out with the person's
    # address may come from anyone, with that other person's name and message.
    rows = JoinRequest.objects.filter(user=user)
    for r in rows.select_related("community").iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(r.community),
            "name": r.name,
            "email": r.email,
            "message": r.message,
            "status": r.status,
            "created_at": iso(r.created_at),
            "handled_at": iso(r.handled_at),
        }


def invitations(user: User) -> Iterator[dict]:
    rows = Invitation.objects.filter(accepted_by=user).select_related("community", "created_by")
    for i in rows.iterator(chunk_size=CHUNK):
        yield {
            "community": community_ref(i.community),
            "role": i.role,
            "message": i.message,
            "invited_by": person(i.created_by),
            "accepted_at": iso(i.accepted_at),
        }


def library_items(user: User) -> Iterator[dict]:
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
            "community": community_ref(item.community),
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "sections": item.sections,
            "url": item.url,
            "themes": [t.name for t in item.tags.all()],
            "authors": [person(a.user) for a in item.item_authors.all()],
            "shared_by": person(item.created_by),
            "created_at": iso(item.created_at),
            "updated_at": iso(item.updated_at),
            "attachments": [
                {
                    "id": a.pk,
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "file": library_file(a),
                }
                for a in item.attachments.all()
            ],
        }


def library_revisions(user: User) -> Iterator[dict]:
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
            "created_at": iso(r.created_at),
        }


def library_comments(user: User) -> Iterator[dict]:
    rows = Comment.objects.filter(author=user).select_related("item").order_by("created_at")
    for c in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": c.pk,
            "item_id": c.item_id,
            "item_title": c.item.title,
            "body": c.body,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
        }


def useful_marks(user: User) -> Iterator[dict]:
    rows = Useful.objects.filter(user=user).select_related("item").order_by("created_at")
    for u in rows.iterator(chunk_size=CHUNK):
        yield {"item_id": u.item_id, "item_title": u.item.title, "created_at": iso(u.created_at)}


def threads(user: User) -> Iterator[dict]:
    rows = (
        Thread.objects.filter(author=user)
        .select_related("community")
        .prefetch_related("tags", "attachments")
        .order_by("created_at", "id")
    )
    for t in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": t.pk,
            "community": community_ref(t.community),
            "kind": t.kind,
            "title": t.title,
            "body": t.body,
            "themes": [tag.name for tag in t.tags.all()],
            "created_at": iso(t.created_at),
            "edited_at": iso(t.edited_at),
            "accepted_reply_id": t.accepted_reply_id,
            "reply_count": t.reply_count,
            "locked": t.locked,
            "hidden_by_facilitator": t.hidden,
            "attachments": [
                {"id": a.pk, "name": a.original_name, "file": post_file(a)}
                for a in t.attachments.all()
                if a.reply_id is None and a.uploaded_by_id == user.pk
            ],
        }


def replies(user: User) -> Iterator[dict]:
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
            "community": community_ref(r.thread.community),
            "in_reply_to": r.parent_id,
            "body": r.body,
            "created_at": iso(r.created_at),
            "edited_at": iso(r.edited_at),
            "accepted_as_answer": r.thread.accepted_reply_id == r.pk,
            "hidden_by_facilitator": r.hidden,
            "attachments": [
                {"id": a.pk, "name": a.original_name, "file": post_file(a)}
                for a in r.attachments.all()
                if a.uploaded_by_id == user.pk
            ],
        }


def post_revisions(user: User) -> Iterator[dict]:
    rows = PostRevision.objects.filter(edited_by=user).order_by("created_at", "id")
    for r in rows.iterator(chunk_size=CHUNK):
        yield {
            "thread_id": r.thread_id,
            "reply_id": r.reply_id,
            "number": r.number,
            "title": r.title,
            "body": r.body,
            "created_at": iso(r.created_at),
        }


def reactions(user: User) -> Iterator[dict]:
    rows = Reaction.objects.filter(user=user).order_by("created_at", "id")
    for r in rows.iterator(chunk_size=CHUNK):
        yield {"thread_id": r.thread_id, "reply_id": r.reply_id, "created_at": iso(r.created_at)}


def messages(user: User) -> Iterator[dict]:
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
            "other_person": person(m.recipient if sent else m.sender),
            "body": m.body,
            "sent_at": iso(m.created_at),
            "read_at": iso(m.read_at),
        }
