"""Erasing an account (GDPR art. 17), by the person or by a platform admin.

Deleting a User row used to cascade into other people's content (their replies under the
person's threads, their side of direct messages, the community's activity history). So
nothing here relies on `on_delete`: `account_erase` deals with every relation to the user
explicitly, following `POLICY`, and refuses to delete the row while anything still points at
it. A test walks every model and fails when a relation to User has no policy.

What an erased person leaves behind for others moves to a "former member": a fresh, empty,
inactive User row per erasure (`erased_at` set), shown as "Former member" in the reader's
language. Activity events move there too, so the community's figures (active members, ties,
trends) stay exactly as they were while no longer pointing at the person.
"""

import enum
import json
import logging
import secrets
from collections.abc import Iterator
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Count, Max, Min, ProtectedError, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.accounts.models import FORMER_MEMBER, User

logger = logging.getLogger(__name__)


class Contributions(enum.StrEnum):
    KEEP = "keep"
    REMOVE = "remove"


class Policy(enum.StrEnum):
    TOMBSTONE = "tombstone"  # the row stays and points at the former member instead
    DELETE = "delete"  # the row is the person's own, private or meaningless without them
    # Handled by a step in account_erase (the note says how); whatever the step leaves in
    # place then moves to the former member, like TOMBSTONE.
    CUSTOM = "custom"


# Every relation to User, as "app_label.Model.field" -> (policy, why). account_erase runs
# the CUSTOM steps first, then applies TOMBSTONE and DELETE to whatever is left. Relations
# of the privacy app itself (export requests and their files) are the person's own: DELETE.
POLICY: dict[str, tuple[Policy, str]] = {
    # accounts
    "accounts.ApiToken.user": (Policy.DELETE, "private; the token stops working at once"),
    # core
    "core.ActivityEvent.actor": (Policy.TOMBSTONE, "community figures stay exact"),
    "core.ActivityEvent.other": (Policy.TOMBSTONE, "ties and counts stay exact"),
    # communities
    "communities.Community.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "communities.Membership.user": (Policy.DELETE, "a former member belongs nowhere"),
    "communities.FormerMembership.user": (
        Policy.DELETE,
        "made for the former member only (the trends keep counting its events)",
    ),
    "communities.Membership.invited_by": (Policy.TOMBSTONE, "the other member's history"),
    "communities.Invitation.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "communities.Invitation.accepted_by": (
        Policy.CUSTOM,
        "invitations sent to the person's e-mail address are deleted, others to tombstone",
    ),
    "communities.JoinRequest.user": (Policy.DELETE, "holds their name and e-mail address"),
    "communities.JoinRequest.handled_by": (Policy.TOMBSTONE, "bookkeeping"),
    # conversations
    "conversations.Thread.author": (
        Policy.CUSTOM,
        "keep: tombstone; remove: deleted, or emptied when others replied, flagged or moderated",
    ),
    "conversations.Thread.accepted_by": (Policy.TOMBSTONE, "bookkeeping"),
    "conversations.Reply.author": (
        Policy.CUSTOM,
        "keep: tombstone; remove: deleted, or emptied when others replied, flagged or moderated",
    ),
    "conversations.PostRevision.edited_by": (
        Policy.TOMBSTONE,
        "on posts that stay (remove: the history of their emptied posts is deleted first)",
    ),
    "conversations.Reaction.user": (Policy.TOMBSTONE, "useful counts stay right"),
    "conversations.PostAttachment.uploaded_by": (Policy.TOMBSTONE, "on others' posts"),
    "conversations.Conversation.user_low": (
        Policy.CUSTOM,
        "the other person keeps the conversation, with the former member",
    ),
    "conversations.Conversation.user_high": (Policy.CUSTOM, "see user_low"),
    "conversations.Message.sender": (Policy.TOMBSTONE, "the other side keeps their messages"),
    "conversations.Message.recipient": (Policy.TOMBSTONE, "the other side keeps their messages"),
    "conversations.Block.blocker": (Policy.DELETE, "private"),
    "conversations.Block.blocked": (Policy.DELETE, "a former member cannot write anyway"),
    "conversations.Notification.recipient": (Policy.DELETE, "private"),
    "conversations.Notification.actor": (Policy.TOMBSTONE, "others keep their notifications"),
    "conversations.NotificationPreference.user": (Policy.DELETE, "private"),
    "conversations.Flag.reporter": (Policy.DELETE, "their reports"),
    "conversations.Flag.resolved_by": (Policy.TOMBSTONE, "the moderation record"),
    "conversations.ModerationAction.subject": (Policy.TOMBSTONE, "the moderation record"),
    "conversations.ModerationAction.actor": (Policy.TOMBSTONE, "the moderation record"),
    "conversations.ModerationMessage.subject": (
        Policy.DELETE,
        "a private exchange with them about their post",
    ),
    "conversations.ModerationMessage.sender": (
        Policy.TOMBSTONE,
        "as a facilitator, in an exchange with someone else",
    ),
    # knowledge
    "knowledge.KnowledgeItem.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "knowledge.ItemAuthor.user": (
        Policy.CUSTOM,
        "keep: tombstone; remove: items only they wrote are deleted (emptied when others "
        "commented, edited or added files), co-authors stay",
    ),
    "knowledge.Revision.edited_by": (
        Policy.TOMBSTONE,
        "an item's text is shared work: their edits stay, by the former member",
    ),
    "knowledge.Useful.user": (Policy.TOMBSTONE, "useful counts stay right"),
    "knowledge.Comment.author": (Policy.CUSTOM, "keep: tombstone; remove: deleted"),
    "knowledge.Attachment.uploaded_by": (Policy.TOMBSTONE, "on items that stay"),
    # meetings
    "meetings.Series.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.Session.facilitators": (
        Policy.CUSTOM,
        "past sessions: tombstone; future sessions: removed",
    ),
    "meetings.Session.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.Rsvp.user": (
        Policy.CUSTOM,
        "past sessions: tombstone (counts stay); future: deleted, the waiting list moves up",
    ),
    "meetings.Attendance.user": (
        Policy.CUSTOM,
        "past sessions: tombstone (attendance counts stay); future: deleted",
    ),
    "meetings.Attendance.recorded_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.Reflection.author": (Policy.CUSTOM, "keep: tombstone; remove: deleted"),
    "meetings.Reflection.highlighted_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.ActionPoint.owner": (Policy.CUSTOM, "unassigned; the point stays"),
    "meetings.ActionPoint.done_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.ActionPoint.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "meetings.CalendarFeed.user": (Policy.DELETE, "private"),
    # insights
    "insights.Suggestion.members": (
        Policy.CUSTOM,
        "open and dismissed suggestions about them are deleted; done ones stay (the follow-up "
        "trend counts them) on the former member, without their address or the note",
    ),
    "insights.Suggestion.decided_by": (Policy.TOMBSTONE, "bookkeeping"),
    "insights.Pulse.started_by": (Policy.TOMBSTONE, "bookkeeping"),
    "insights.PulseParticipation.user": (
        Policy.TOMBSTONE,
        "the answers are anonymous already; the number of participants stays",
    ),
    # two-step login (django-otp): the person's authenticator app and backup codes
    "otp_totp.TOTPDevice.user": (Policy.DELETE, "private: their sign-in secret"),
    "otp_static.StaticDevice.user": (Policy.DELETE, "private: their backup codes"),
    # Django
    "admin.LogEntry.user": (Policy.TOMBSTONE, "the admin's audit trail stays"),
}

# Apps whose every relation to User is the person's own (the export requests and files).
DELETE_APPS = {"privacy"}


def user_relations() -> Iterator[tuple[str, models.Field]]:
    """Every field in every installed model that points at User: foreign keys, one-to-ones
    and many-to-manys, hidden ones (related_name="+") included. A many-to-many with its own
    through model (KnowledgeItem.authors through ItemAuthor) counts as that model's key."""
    for model in apps.get_models():
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if not field.is_relation or field.related_model is not User or model is User:
                continue
            if field.many_to_many and not field.remote_field.through._meta.auto_created:
                continue  # an explicit through model (ItemAuthor) has its own foreign key
            yield f"{model._meta.app_label}.{model.__name__}.{field.name}", field


def policy_for(key: str) -> Policy | None:
    if key in POLICY:
        return POLICY[key][0]
    if key.split(".", 1)[0] in DELETE_APPS:
        return Policy.DELETE
    return None


def communities_without_facilitator_after(user: User) -> list:
    """The communities where this person is the only facilitator: erasing them leaves those
    communities without one (nothing stops it; the page says so, so it can be fixed first)."""
    from kring.communities.models import Community, Membership, Role

    mine = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("community_id")
    others = (
        Membership.objects.filter(role=Role.FACILITATOR).exclude(user=user).values("community_id")
    )
    return list(Community.objects.filter(pk__in=mine).exclude(pk__in=others).order_by("name"))


# --- Permissions ----------------------------------------------------------------------------


def can_erase(by: User, user: User) -> bool:
    if not by.is_authenticated or not by.is_active:
        return False
    if by.pk == user.pk:
        return True
    if (user.is_superuser or user.is_staff) and not by.is_superuser:
        return False  # staff with the delete permission may not remove staff or administrators
    return by.is_staff and by.has_perm("accounts.delete_user")


def check_erase(by: User, user: User) -> None:
    if not can_erase(by, user):
        if by.is_authenticated and by.is_active and by.is_staff and user.is_staff:
            raise PermissionDenied(_("Only a platform administrator may erase a staff account."))
        raise PermissionDenied
    if user.is_erased:
        raise ValidationError(_("This account has already been erased."))
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ValidationError(
            _("This is the last platform administrator. Make someone else an administrator first.")
        )


# --- The service ----------------------------------------------------------------------------


def _tombstone_create(at) -> User:
    tombstone = User(
        email=f"former-{secrets.token_hex(12)}@erased.invalid",
        full_name="",
        is_active=False,
        erased_at=at,
        date_joined=at,
    )
    tombstone.set_unusable_password()
    tombstone.save()
    return tombstone


def _removed_text() -> tuple[str, str]:
    """Stored once, so in the platform's language: a post has no language of its own."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Removed by its author"), _("The author removed this post.")


class _Work:
    """What to do after the rows are settled: files to delete, search documents to fix."""

    def __init__(self) -> None:
        self.files: list[tuple] = []  # (storage, name)
        self.threads_deleted: set[int] = set()
        self.threads_changed: set[int] = set()
        self.items_deleted: set[int] = set()
        self.items_changed: set[int] = set()
        self.communities: set[int] = set()
        self.paths: list = []  # files outside a storage (data exports)

    def file(self, fieldfile) -> None:
        if fieldfile:
            self.files.append((fieldfile.storage, fieldfile.name))


def _moderated(user: User, model) -> set[int]:
    """The person's threads or replies (`model`) that carry someone else's flag or any
    moderation action. A thread counts the flags and actions on every post in it: deleting
    it deletes them all."""
    from kring.conversations.models import Flag, ModerationAction

    flagged = Flag.objects.exclude(reporter=user).values(
        "thread_id" if model.__name__ == "Thread" else "reply_id"
    )
    acted = ModerationAction.objects.values(
        "thread_id" if model.__name__ == "Thread" else "reply_id"
    )
    return set(
        model.objects.filter(author=user)
        .filter(Q(pk__in=flagged) | Q(pk__in=acted))
        .values_list("pk", flat=True)
    )


def _conversations(user: User, tombstone: User, contributions: str, work: _Work) -> None:
    from kring.conversations.models import (
        Conversation,
        PostAttachment,
        PostRevision,
        Reply,
        Thread,
    )

    own_threads = Thread.objects.filter(author=user)
    own_replies = Reply.objects.filter(author=user)
    work.threads_changed |= set(own_replies.values_list("thread_id", flat=True))
    work.threads_changed |= set(own_threads.values_list("pk", flat=True))

    if contributions == Contributions.REMOVE:
        title, body = _removed_text()
        # Replies: deleted, unless someone else replied to one (a reply to a reply): then it
        # stays, emptied, so the other person's reply keeps its place.
        answered = set(
            Reply.objects.filter(parent__author=user)
            .exclude(author=user)
            .values_list("parent_id", flat=True)
        )
        # A post someone else flagged, or a facilitator acted on, stays emptied as well: the
        # flags and the moderation log are the others' record (deleting the post would
        # delete them with it).
        answered |= _moderated(user, Reply)
        emptied_replies = list(own_replies.filter(pk__in=answered))
        for reply in emptied_replies:
            reply.body = body
            reply.author = tombstone
            reply.edited_at = None
        Reply.objects.bulk_update(emptied_replies, ["body", "author", "edited_at"])
        emptied_reply_ids = [r.pk for r in emptied_replies]
        PostRevision.objects.filter(reply_id__in=emptied_reply_ids).delete()
        for attachment in PostAttachment.objects.filter(reply_id__in=emptied_reply_ids):
            work.file(attachment.file)
            attachment.delete()
        gone = Reply.objects.filter(author=user)
        for attachment in PostAttachment.objects.filter(reply__in=gone):
            work.file(attachment.file)
        Thread.objects.filter(accepted_reply__in=gone).update(
            accepted_reply=None, accepted_at=None, accepted_by=None
        )
        gone.delete()

        # Threads: deleted when nobody else replied, flagged or moderated in them; else
        # emptied (title and text), so the others' replies and moderation record stay.
        with_others = set(
            Reply.objects.filter(thread__author=user)
            .exclude(author=user)
            .values_list("thread_id", flat=True)
        )
        with_others |= _moderated(user, Thread)
        doomed = Thread.objects.filter(author=user).exclude(pk__in=with_others)
        for attachment in PostAttachment.objects.filter(thread__in=doomed):
            work.file(attachment.file)
        work.threads_deleted |= set(doomed.values_list("pk", flat=True))
        doomed.delete()
        for attachment in PostAttachment.objects.filter(thread__author=user, reply__isnull=True):
            work.file(attachment.file)
            attachment.delete()
        PostRevision.objects.filter(thread__author=user, reply__isnull=True).delete()
        Thread.tags.through.objects.filter(thread__author=user).delete()
        Thread.objects.filter(author=user).update(
            title=title, body=body, author=tombstone, edited_at=None
        )
        work.threads_changed -= work.threads_deleted
        # Counts and answer state of the threads that lost replies.
        for thread in Thread.objects.filter(pk__in=work.threads_changed).annotate(
            n=Count("replies", distinct=True),
            first=Min("replies__created_at", filter=~Q(replies__author_id=models.F("author_id"))),
        ):
            Thread.objects.filter(pk=thread.pk).update(
                reply_count=thread.n, first_response_at=thread.first
            )
    else:
        own_threads.update(author=tombstone)
        own_replies.update(author=tombstone)

    # Direct messages: the other person keeps the conversation. The former member is the
    # newest row, so it is always the higher id of the pair.
    for conversation in Conversation.objects.filter(Q(user_low=user) | Q(user_high=user)):
        other_id = (
            conversation.user_high_id
            if conversation.user_low_id == user.pk
            else conversation.user_low_id
        )
        conversation.user_low_id, conversation.user_high_id = other_id, tombstone.pk
        conversation.save(update_fields=["user_low", "user_high"])


def _mentions(user: User, work: _Work) -> None:
    """Others' posts that mention the person keep the mention as plain "@Former member" (in
    the platform's language, like all stored text): no name, no link to a profile that is
    gone. Edit histories too."""
    from kring.conversations.mention_text import MENTION_RE
    from kring.conversations.models import PostRevision, Reply, Thread

    with translation.override(settings.LANGUAGE_CODE):
        name = str(FORMER_MEMBER)

    def scrub(text: str) -> str:
        return MENTION_RE.sub(
            lambda m: f"@{name}" if m.group(2) == str(user.pk) else m.group(0), text
        )

    marker = f"(/people/{user.pk}/)"
    for model in (Thread, Reply, PostRevision):
        rows = list(model.objects.filter(body__contains=marker))
        for row in rows:
            row.body = scrub(row.body)
        model.objects.bulk_update(rows, ["body"])
        work.threads_changed |= {row.pk if model is Thread else row.thread_id for row in rows}


def _knowledge(user: User, tombstone: User, contributions: str, work: _Work) -> None:
    from kring.knowledge.models import Attachment, Comment, ItemAuthor, KnowledgeItem, Revision

    authored = ItemAuthor.objects.filter(user=user)
    work.items_changed |= set(authored.values_list("item_id", flat=True))
    commented = set(Comment.objects.filter(author=user).values_list("item_id", flat=True))
    if contributions == Contributions.REMOVE:
        # The ids first: a filter on item_authors before the Count would count only this one.
        solo_ids = list(
            KnowledgeItem.objects.filter(pk__in=list(work.items_changed))
            .annotate(n=Count("item_authors"))
            .filter(n=1)
            .values_list("pk", flat=True)
        )
        # A solo item others commented on, edited or added files to stays, emptied like a
        # thread with replies: deleting it would delete their work with it. Only the
        # person's own versions and files go.
        others = (
            Q(comments__in=Comment.objects.exclude(author=user))
            | Q(
                revisions__in=Revision.objects.filter(edited_by__isnull=False).exclude(
                    edited_by=user
                )
            )
            | Q(
                attachments__in=Attachment.objects.filter(uploaded_by__isnull=False).exclude(
                    uploaded_by=user
                )
            )
        )
        kept = set(
            KnowledgeItem.objects.filter(pk__in=solo_ids)
            .filter(others)
            .values_list("pk", flat=True)
        )
        doomed = set(solo_ids) - kept
        title, body = _removed_text()
        for attachment in Attachment.objects.filter(item_id__in=kept, uploaded_by=user):
            work.file(attachment.file)
            attachment.delete()
        Revision.objects.filter(item_id__in=kept, edited_by=user).delete()
        KnowledgeItem.tags.through.objects.filter(knowledgeitem_id__in=kept).delete()
        KnowledgeItem.objects.filter(pk__in=kept).update(
            title=title, body=body, sections={}, url="", featured="", featured_at=None
        )
        ItemAuthor.objects.filter(user=user, item_id__in=kept).update(user=tombstone)
        # The emptied text is the newest version, so the history always has one (and a
        # restore of an older one is a choice, of someone else's version).
        last = dict(
            Revision.objects.filter(item_id__in=kept)
            .values_list("item_id")
            .annotate(n=Max("number"))
            .order_by()
        )
        Revision.objects.bulk_create(
            Revision(
                item=item,
                number=last.get(item.pk, 0) + 1,
                kind=item.kind,
                title=title,
                body=body,
                edited_by=tombstone,
                created_at=tombstone.erased_at,
            )
            for item in KnowledgeItem.objects.filter(pk__in=kept)
        )
        for attachment in Attachment.objects.filter(item_id__in=doomed):
            work.file(attachment.file)
        KnowledgeItem.objects.filter(pk__in=doomed).delete()
        work.items_deleted |= doomed
        ItemAuthor.objects.filter(user=user).delete()  # co-authored: the others stay
        Comment.objects.filter(author=user).delete()
        for item in KnowledgeItem.objects.filter(pk__in=commented).annotate(n=Count("comments")):
            KnowledgeItem.objects.filter(pk=item.pk).update(comment_count=item.n)
    else:
        authored.update(user=tombstone)
        Comment.objects.filter(author=user).update(author=tombstone)
    work.items_changed = (work.items_changed | commented) - work.items_deleted


def _meetings(user: User, tombstone: User, contributions: str, now) -> None:
    from kring.meetings.models import ActionPoint, Attendance, Reflection, Rsvp, Session
    from kring.meetings.services_rsvp import waiting_list_promote

    Rsvp.objects.filter(user=user, session__starts_at__lt=now).update(user=tombstone)
    freed = list(
        Session.objects.filter(rsvps__user=user, rsvps__response="yes", rsvps__waitlisted=False)
    )
    Rsvp.objects.filter(user=user).delete()
    for session in freed:
        waiting_list_promote(session)
    Attendance.objects.filter(user=user, session__starts_at__lt=now).update(user=tombstone)
    Attendance.objects.filter(user=user).delete()
    past = Session.objects.filter(facilitators=user, starts_at__lt=now)
    for session in past:
        session.facilitators.add(tombstone)
    Session.facilitators.through.objects.filter(user=user).delete()
    if contributions == Contributions.REMOVE:
        Reflection.objects.filter(author=user).delete()
    else:
        Reflection.objects.filter(author=user).update(author=tombstone)
    ActionPoint.objects.filter(owner=user).update(owner=None)


def _communities(user: User, tombstone: User, work: _Work) -> None:
    from kring.communities.models import FormerMembership, Invitation, JoinRequest, Membership

    memberships = list(Membership.objects.filter(user=user))
    work.communities |= {m.community_id for m in memberships}
    # The memberships themselves go (a former member belongs nowhere), but the insights
    # trends count the events of the community's members: this keeps counting the person's.
    FormerMembership.objects.bulk_create(
        FormerMembership(community_id=m.community_id, user=tombstone, joined_at=m.joined_at)
        for m in memberships
    )
    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(accepted_by=user).update(accepted_by=tombstone)
    # Requests to join made while signed out carry the address but no link to the account.
    JoinRequest.objects.filter(email__iexact=user.email).delete()


def _json_needles(text: str) -> list[str]:
    """`text` as it may appear in stored JSON: SQLite stores non-ASCII escaped (\u0131),
    PostgreSQL as it is."""
    return list({text, json.dumps(text)[1:-1]})


def _insights(user: User, work: _Work) -> None:
    from kring.insights.models import Snapshot, Suggestion, SuggestionStatus

    about = Suggestion.objects.filter(members=user)
    # Done ones are the facilitators' follow-ups, a trend of their own: they stay, but their
    # key holds the person's e-mail address and the facilitator's note may name them.
    done = list(about.filter(status=SuggestionStatus.DONE))
    for suggestion in done:
        suggestion.key = f"erased:{suggestion.pk}"
        suggestion.note = ""
    Suggestion.objects.bulk_update(done, ["key", "note"])
    about.exclude(status=SuggestionStatus.DONE).delete()
    # Snapshots hold names and e-mail addresses of the members they describe: the ones of
    # the person's communities go, and so do older ones of communities they had left (every
    # member in a snapshot comes with their address). Those communities are computed again
    # afterwards.
    data = Cast("data", TextField())
    dashboard = Cast("dashboard", TextField())
    mentioning = Q()
    for needle in _json_needles(user.email):
        mentioning |= Q(data_text__icontains=needle) | Q(dashboard_text__icontains=needle)
    left = list(
        Snapshot.objects.annotate(data_text=data, dashboard_text=dashboard)
        .filter(mentioning)
        .values_list("pk", "community_id")
    )
    Snapshot.objects.filter(
        Q(community_id__in=work.communities) | Q(pk__in=[pk for pk, _c in left])
    ).delete()
    work.communities |= {community_id for _pk, community_id in left}


def _generic(user: User, tombstone: User) -> None:
    """TOMBSTONE and DELETE for every relation the steps above left alone."""
    for key, field in user_relations():
        policy = policy_for(key)
        if policy is None:
            raise RuntimeError(f"No erasure policy for {key}: add it to POLICY.")
        model = field.model
        if field.many_to_many:
            through = field.remote_field.through
            column = field.m2m_reverse_field_name()
            links = through.objects.filter(**{column: user})
            if policy in (Policy.TOMBSTONE, Policy.CUSTOM):
                links.update(**{column: tombstone})
            elif policy == Policy.DELETE:
                links.delete()
            continue
        rows = model._base_manager.filter(**{field.name: user})
        if policy in (Policy.TOMBSTONE, Policy.CUSTOM):
            rows.update(**{field.name: tombstone})
        elif policy == Policy.DELETE:
            rows.delete()


def _pointers(user: User, tombstone: User) -> None:
    """What points at the person without a foreign key: the admin's history of changes to
    their account (named by their name then), activity events about the account itself (a
    profile update), and the attendance events that name who recorded them."""
    from kring.core.models import ActivityEvent

    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_id=str(tombstone.pk), object_repr=f"former member {tombstone.pk}"
    )
    ActivityEvent.objects.filter(target_type=user_type, target_id=user.pk).update(
        target_id=tombstone.pk
    )
    recorded = list(ActivityEvent.objects.filter(data__recorded_by=user.pk))
    for event in recorded:
        event.data = {**event.data, "recorded_by": tombstone.pk}
    ActivityEvent.objects.bulk_update(recorded, ["data"], batch_size=1000)


def refuse_plain_delete(sender, instance: User, **kwargs) -> None:
    """pre_delete of User: only an account with nothing left pointing at it may be deleted
    (account_erase checks that itself just before)."""
    if getattr(instance, "_erased", False):
        return
    left = _still_pointing(instance)
    if left:
        raise ProtectedError(
            f"Deleting this account would delete other rows too ({', '.join(left)}). "
            "Erase it with kring.privacy.erasure.account_erase instead.",
            set(),
        )


def _mail_queue(user: User) -> None:
    """E-mails go out through background tasks, whose rows keep the whole message (address,
    name, text) until they are pruned (docs/operations.md: after 14 days). The ones to the
    person go now, sent or not; sent ones to others that name them too. Unsent mail to others
    is left to go out."""
    from django_tasks_db.models import DBTaskResult

    mails = DBTaskResult.objects.filter(task_path="kring.core.tasks.email_deliver").annotate(
        text=Cast("args_kwargs", TextField())
    )
    to_them = Q()
    for needle in _json_needles(user.email):
        to_them |= Q(text__icontains=needle)
    naming = Q()
    for needle in _json_needles(user.full_name) if user.full_name.strip() else []:
        naming |= Q(text__contains=needle)
    ids = list(mails.filter(to_them).values_list("pk", flat=True))
    if naming:
        ids += mails.filter(naming).exclude(status="READY").values_list("pk", flat=True)
    DBTaskResult.objects.filter(pk__in=ids).delete()


def _still_pointing(user: User) -> list[str]:
    left = []
    for key, field in user_relations():
        if field.many_to_many:
            through = field.remote_field.through
            if through.objects.filter(**{field.m2m_reverse_field_name(): user}).exists():
                left.append(key)
        elif field.model._base_manager.filter(**{field.name: user}).exists():
            left.append(key)
    return left


def _exports(user: User, work: _Work) -> None:
    """Copies of the person's data: the rows go with them, the files once committed."""
    from kring.privacy.export import export_path
    from kring.privacy.models import DataExport

    for export in DataExport.objects.filter(user=user).exclude(file_name=""):
        work.paths.append(export_path(export))


def _after_commit(*, work: _Work, old_pk: int, email: str, language: str) -> None:
    from kring.core import search
    from kring.insights.tasks import snapshot_refresh

    # The erasure is saved by now: a file that cannot be deleted must not stop the rest (the
    # search index still names the person), nor turn the answer into an error.
    search.remove_objects("person", [old_pk])
    search.remove_objects("thread", work.threads_deleted)
    search.remove_objects("item", work.items_deleted)
    search.index_objects("thread", work.threads_changed)
    search.index_objects("item", work.items_changed)
    for storage, name in work.files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Erasure: could not delete the file %s; delete it by hand.", name)
    for path in work.paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("Erasure: could not delete the export %s; delete it by hand.", path)
    for community_id in work.communities:
        snapshot_refresh.enqueue(community_id=community_id)
    with translation.override(language):
        send_mail(
            _("Your Kring account has been erased"),
            _(
                "Your account on Kring has been erased, as asked. You can no longer sign in.\n\n"
                "This is the last e-mail Kring sends to this address: it is no longer stored."
            ),
            None,
            [email],
        )


@transaction.atomic
def account_erase(*, user: User, contributions: str, by: User) -> User:
    """Erase `user` and return the former member that now stands in for them.

    contributions="keep": their posts, library items, comments and reflections stay, by a
    "former member". "remove": their own posts, solo library items, comments and reflections
    go; a post others replied to, flagged or moderated, and a solo item others commented on,
    edited or added files to, stay with their text replaced (others' rows never go); their
    edits of shared library items stay (the text is shared work). Both: direct messages stay
    for the other person; everything private goes; the community's activity history stays,
    on the former member.
    """
    if contributions not in {c.value for c in Contributions}:
        raise ValidationError(_("Choose whether to keep or remove your contributions."))
    try:
        # Locked: a second erasure at the same moment (a double click, a retried request)
        # waits here, then finds the account gone.
        user = User.objects.select_for_update().get(pk=user.pk)
    except User.DoesNotExist:
        raise ValidationError(_("This account has already been erased.")) from None
    check_erase(by, user)
    now = timezone.now()
    work = _Work()
    work.file(user.photo)
    tombstone = _tombstone_create(now)
    old_pk, email, language = user.pk, user.email, user.language

    _mentions(user, work)
    _conversations(user, tombstone, contributions, work)
    _knowledge(user, tombstone, contributions, work)
    _meetings(user, tombstone, contributions, now)
    _communities(user, tombstone, work)
    _insights(user, work)
    _exports(user, work)
    _generic(user, tombstone)
    left = _still_pointing(user)
    if left:
        raise RuntimeError(f"Erasure left rows pointing at the user: {', '.join(left)}")

    _pointers(user, tombstone)
    _mail_queue(user)
    LogEntry.objects.create(
        user=tombstone if by.pk == user.pk else by,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(tombstone.pk),
        object_repr=f"former member {tombstone.pk}",
        action_flag=DELETION,
        change_message=(
            f"Erased an account ({'self-service' if by.pk == user.pk else 'by an admin'}); "
            f"contributions: {contributions}; former member {tombstone.pk}."
        ),
    )
    user._erased = True  # checked just above: nothing points at it
    user.delete()
    transaction.on_commit(
        partial(_after_commit, work=work, old_pk=old_pk, email=email, language=language)
    )
    return tombstone
