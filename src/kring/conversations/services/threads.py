"""Writes for threads: questions and discussions, replies, accepted answers, useful marks and
the files attached to posts."""

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.communities.selectors import members_of
from kring.conversations import mention_text, permissions
from kring.conversations.models import (
    NotificationKind,
    PostAttachment,
    PostRevision,
    Reaction,
    Reply,
    Thread,
    ThreadKind,
)
from kring.conversations.services.notifications import notify, post_author_notify
from kring.conversations.verbs import ConversationVerb
from kring.core import search
from kring.core.attachments import attachments_save
from kring.core.services import activity_record, tags_get_or_create

MAX_TITLE = 200
MAX_BODY = 20000
MAX_TAGS = 10


def _mentioned_members(
    community: Community, text: str, *, exclude: Iterable[int] = ()
) -> list[User]:
    """The people mentioned in `text` who are members of the community (others are ignored:
    a mention must not leak a conversation to outsiders)."""
    ids = [pk for pk in mention_text.stored_ids(text) if pk not in set(exclude)]
    if not ids:
        return []
    return list(members_of(community=community).filter(pk__in=ids))


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give it a title.")})
    if len(title) > MAX_TITLE:
        raise ValidationError(
            {"title": _("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}}
        )
    return title


def _clean_body(body: str, *, required: bool, field: str = "body") -> str:
    body = (body or "").strip()
    if required and not body:
        raise ValidationError({field: _("Write something first.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {field: _("The text is too long (at most %(max)s characters).") % {"max": MAX_BODY}}
        )
    return body


def _clean_tags(tags: Iterable[str]) -> list[str]:
    names = [t for t in (tags or []) if t and t.strip()]
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": _("%(max)s themes at most, please.") % {"max": MAX_TAGS}})
    if any(len(t.strip()) > 60 for t in names):
        raise ValidationError({"tags": _("Keep each theme to 60 characters.")})
    return names


def _clean_post(
    *, title: str, body: str, body_required: bool, tags: Iterable[str] | None
) -> tuple[str, str, list[str] | None]:
    """The cleaned title, body and theme names (None when `tags` is None), with every
    field's error reported at once."""
    errors: dict = {}
    tag_names = None
    try:
        title = _clean_title(title)
    except ValidationError as e:
        errors.update(e.message_dict)
    try:
        body = _clean_body(body, required=body_required)
    except ValidationError as e:
        errors.update(e.message_dict)
    if tags is not None:
        try:
            tag_names = _clean_tags(tags)
        except ValidationError as e:
            errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, body, tag_names


def _revision(thread: Thread, *, reply: Reply | None, by: User, at: datetime) -> PostRevision:
    last = (
        PostRevision.objects.filter(thread=thread, reply=reply)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return PostRevision.objects.create(
        thread=thread,
        reply=reply,
        number=(last or 0) + 1,
        title=thread.title if reply is None else "",
        body=thread.body if reply is None else reply.body,
        edited_by=by,
        created_at=at,
    )


def _attachments_add(
    thread: Thread, reply: Reply | None, by: User, uploads: Iterable[UploadedFile]
) -> None:
    owner = {"thread": thread, "reply": reply}
    attachments_save(model=PostAttachment, owner=owner, uploads=uploads, by=by)


def _index_thread(thread_id: int) -> None:
    transaction.on_commit(partial(search.index_objects, "thread", [thread_id]))


def _notify_mentions(
    thread: Thread, reply: Reply | None, *, by: User, people: list[User], at: datetime
) -> None:
    """Record each mention as an activity event and notify the people mentioned."""
    for person in people:
        activity_record(
            actor=by,
            verb=ConversationVerb.MENTIONED,
            community=thread.community,
            target=reply or thread,
            other=person,
            at=at,
        )
    notify(
        recipients=dict.fromkeys(people, NotificationKind.MENTION),
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )


# Threads ------------------------------------------------------------------------------------


@transaction.atomic
def thread_create(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    body: str = "",
    tags: Iterable[str] = (),
    attachments: Iterable[UploadedFile] = (),
    at: datetime | None = None,
) -> Thread:
    """Ask a question or start a discussion."""
    permissions.check_start_thread(by, community)
    if kind not in ThreadKind.values:
        raise ValidationError({"kind": _("Choose a question or a discussion.")})
    title, body, tag_names = _clean_post(
        title=title, body=body, body_required=kind == ThreadKind.DISCUSSION, tags=tags
    )
    at = at or timezone.now()
    thread = Thread.objects.create(
        community=community,
        kind=kind,
        title=title,
        body=body,
        author=by,
        created_at=at,
        last_activity_at=at,
    )
    if tag_names:
        thread.tags.set(tags_get_or_create(names=tag_names))
    _revision(thread, reply=None, by=by, at=at)
    _attachments_add(thread, None, by, attachments)
    verb = (
        ConversationVerb.ASKED
        if kind == ThreadKind.QUESTION
        else ConversationVerb.DISCUSSION_STARTED
    )
    activity_record(actor=by, verb=verb, community=community, target=thread, at=at)
    mentioned = _mentioned_members(community, body, exclude=[by.pk])
    _notify_mentions(thread, None, by=by, people=mentioned, at=at)
    _index_thread(thread.pk)
    return thread


@transaction.atomic
def thread_update(
    *,
    thread: Thread,
    by: User,
    title: str,
    body: str,
    tags: Iterable[str] | None = None,
    attachments: Iterable[UploadedFile] = (),
    at: datetime | None = None,
) -> Thread:
    """Edit the opening post and add files to it, all or nothing; the earlier text stays in
    the history. Text and themes as they were add no version."""
    permissions.check_edit_post(by, thread)
    title, body, tag_names = _clean_post(
        title=title, body=body, body_required=thread.kind == ThreadKind.DISCUSSION, tags=tags
    )
    if title != thread.title or body != thread.body or tag_names is not None:
        _thread_text_update(
            thread, by=by, title=title, body=body, tag_names=tag_names, at=at or timezone.now()
        )
    for upload in attachments:
        attachment_add(thread=thread, by=by, upload=upload)
    return thread


def _thread_text_update(
    thread: Thread,
    *,
    by: User,
    title: str,
    body: str,
    tag_names: list[str] | None,
    at: datetime,
) -> None:
    before = set(mention_text.stored_ids(thread.body))
    thread.title, thread.body, thread.edited_at = title, body, at
    thread.save(update_fields=["title", "body", "edited_at", "updated_at"])
    if tag_names is not None:
        thread.tags.set(tags_get_or_create(names=tag_names))
    _revision(thread, reply=None, by=by, at=at)
    activity_record(
        actor=by,
        verb=ConversationVerb.POST_EDITED,
        community=thread.community,
        target=thread,
        at=at,
    )
    _notify_new_mentions(thread, None, by=by, before=before, body=body, at=at)
    _index_thread(thread.pk)


def _notify_new_mentions(
    thread: Thread, reply: Reply | None, *, by: User, before: set[int], body: str, at: datetime
) -> None:
    """An edit notifies only the people it newly mentions."""
    new = _mentioned_members(thread.community, body, exclude=before | {by.pk})
    _notify_mentions(thread, reply, by=by, people=new, at=at)


# Replies ------------------------------------------------------------------------------------


@transaction.atomic
def reply_create(
    *,
    thread: Thread,
    by: User,
    body: str,
    parent: Reply | None = None,
    attachments: Iterable[UploadedFile] = (),
    at: datetime | None = None,
) -> Reply:
    """Answer a question or reply in a discussion; a reply to a reply stays one level deep."""
    permissions.check_reply(by, thread)
    body = _clean_body(body, required=True)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError({"parent": _("That reply is not in this thread.")})
        if parent.hidden:
            raise ValidationError({"parent": _("You can't reply to a hidden reply.")})
        if parent.parent_id is not None:
            parent = parent.parent
    at = at or timezone.now()
    reply = Reply.objects.create(thread=thread, parent=parent, author=by, body=body, created_at=at)
    _revision(thread, reply=reply, by=by, at=at)
    _attachments_add(thread, reply, by, attachments)
    fields: dict = {"reply_count": F("reply_count") + 1, "last_activity_at": at}
    if by.pk != thread.author_id and thread.first_response_at is None:
        fields["first_response_at"] = at
        thread.first_response_at = at
    Thread.objects.filter(pk=thread.pk).update(**fields)
    thread.reply_count += 1
    thread.last_activity_at = at

    replied_to = parent.author if parent is not None else thread.author
    verb = (
        ConversationVerb.ANSWERED
        if thread.is_question and parent is None
        else ConversationVerb.REPLIED
    )
    activity_record(
        actor=by,
        verb=verb,
        community=thread.community,
        target=reply,
        other=replied_to if replied_to.pk != by.pk else None,
        at=at,
        data={"thread": thread.pk},
    )
    # One notification per person per event: a mention says more than "a reply".
    recipients: dict[User, str] = {}
    for person in (thread.author, parent.author if parent is not None else None):
        if person is not None and person.pk != by.pk:
            recipients[person] = NotificationKind.REPLY
    mentioned = _mentioned_members(thread.community, body, exclude=[by.pk])
    for person in mentioned:
        recipients[person] = NotificationKind.MENTION
        activity_record(
            actor=by,
            verb=ConversationVerb.MENTIONED,
            community=thread.community,
            target=reply,
            other=person,
            at=at,
        )
    notify(
        recipients=recipients,
        actor=by,
        community=thread.community,
        thread=thread,
        reply=reply,
        at=at,
    )
    _index_thread(thread.pk)
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, by: User, body: str, at: datetime | None = None) -> Reply:
    permissions.check_edit_post(by, reply)
    body = _clean_body(body, required=True)
    if body == reply.body:
        return reply
    at = at or timezone.now()
    before = set(mention_text.stored_ids(reply.body))
    reply.body, reply.edited_at = body, at
    reply.save(update_fields=["body", "edited_at", "updated_at"])
    _revision(reply.thread, reply=reply, by=by, at=at)
    activity_record(
        actor=by,
        verb=ConversationVerb.POST_EDITED,
        community=reply.thread.community,
        target=reply,
        at=at,
    )
    _notify_new_mentions(reply.thread, reply, by=by, before=before, body=body, at=at)
    _index_thread(reply.thread_id)
    return reply


@transaction.atomic
def answer_accept(*, thread: Thread, reply: Reply, by: User, at: datetime | None = None) -> Thread:
    """Mark the reply that answered the question. Accepting another replaces it."""
    permissions.check_accept(by, thread)
    if reply.thread_id != thread.pk or reply.hidden:
        raise ValidationError({"reply": _("Choose a visible reply in this question.")})
    if thread.accepted_reply_id == reply.pk:
        return thread
    at = at or timezone.now()
    thread.accepted_reply, thread.accepted_at, thread.accepted_by = reply, at, by
    thread.save(update_fields=["accepted_reply", "accepted_at", "accepted_by", "updated_at"])
    post_author_notify(
        by=by,
        thread=thread,
        reply=reply,
        verb=ConversationVerb.ANSWER_ACCEPTED,
        kind=NotificationKind.ANSWER_ACCEPTED,
        at=at,
    )
    return thread


@transaction.atomic
def answer_unaccept(*, thread: Thread, by: User) -> Thread:
    permissions.check_accept(by, thread)
    thread.accepted_reply, thread.accepted_at, thread.accepted_by = None, None, None
    thread.save(update_fields=["accepted_reply", "accepted_at", "accepted_by", "updated_at"])
    return thread


@transaction.atomic
def reaction_set(
    *,
    thread: Thread,
    by: User,
    reply: Reply | None = None,
    useful: bool = True,
    at: datetime | None = None,
) -> Thread | Reply:
    """Say (or unsay) that a post was useful. Counted once per person. Returns the post."""
    post: Thread | Reply = reply or thread
    # Taking back your own mark always works, even on a post hidden since you made it.
    own = Reaction.objects.filter(user=by, thread=thread, reply=reply)
    if useful or not own.exists():
        permissions.check_react(by, post)
    model = Reply if reply is not None else Thread
    if useful:
        _reaction, created = Reaction.objects.get_or_create(
            user=by, thread=thread, reply=reply, defaults={"created_at": at or timezone.now()}
        )
        if created:
            model.objects.filter(pk=post.pk).update(useful_count=F("useful_count") + 1)
            activity_record(
                actor=by,
                verb=ConversationVerb.REACTED,
                community=thread.community,
                target=post,
                other=post.author,
                at=at,
            )
    else:
        deleted, _rows = own.delete()
        if deleted:
            model.objects.filter(pk=post.pk).update(useful_count=F("useful_count") - 1)
    post.refresh_from_db(fields=["useful_count"])
    return post


@transaction.atomic
def attachment_add(
    *, thread: Thread, by: User, upload: UploadedFile, reply: Reply | None = None
) -> PostAttachment | None:
    permissions.check_edit_post(by, reply or thread)
    _attachments_add(thread, reply, by, [upload])
    return PostAttachment.objects.filter(thread=thread, reply=reply).last()
