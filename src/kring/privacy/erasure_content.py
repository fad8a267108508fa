"""The steps of erasing an account that handle what the person wrote or did in each app
(conversations, library, sessions, communities, insights), keeping others' content in place.
`Work` collects what is done after the rows are settled (files, search documents)."""

import json
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, Max, Min, Q, TextField
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext as _

from kring.accounts.models import FORMER_MEMBER, User
from kring.privacy.erasure_policy import Contributions


def removed_text() -> tuple[str, str]:
    """Stored once, so in the platform's language: a post has no language of its own."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Removed by its author"), _("The author removed this post.")


class Work:
    """What to do after the rows are settled: files to delete, search documents to fix."""

    def __init__(self) -> None:
        self.files: list[tuple] = []  # (storage, name)
        self.threads_deleted: set[int] = set()
        self.threads_changed: set[int] = set()
        self.items_deleted: set[int] = set()
        self.items_changed: set[int] = set()
        self.communities: set[int] = set()
        self.paths: list = []  # files outside a storage (data exports)

    def file(self, fieldfile: FieldFile) -> None:
        if fieldfile:
            self.files.append((fieldfile.storage, fieldfile.name))


def _moderated(user: User, model: Any) -> set[int]:  # Thread or Reply (imported lazily)
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


def conversations(user: User, tombstone: User, contributions: str, work: Work) -> None:
    from kring.conversations.models import Reply, Thread

    own_threads = Thread.objects.filter(author=user)
    own_replies = Reply.objects.filter(author=user)
    work.threads_changed |= set(own_replies.values_list("thread_id", flat=True))
    work.threads_changed |= set(own_threads.values_list("pk", flat=True))

    if contributions == Contributions.REMOVE:
        title, body = removed_text()
        _replies_remove(user, tombstone, body, work)
        _threads_remove(user, tombstone, title, body, work)
        _thread_counts_refresh(work)
    else:
        own_threads.update(author=tombstone)
        own_replies.update(author=tombstone)
    _direct_messages_hand_over(user, tombstone)


def _replies_remove(user: User, tombstone: User, body: str, work: Work) -> None:
    """Replies: deleted, unless someone else replied to one (a reply to a reply): then it
    stays, emptied, so the other person's reply keeps its place."""
    from kring.conversations.models import PostAttachment, PostRevision, Reply, Thread

    answered = set(
        Reply.objects.filter(parent__author=user)
        .exclude(author=user)
        .values_list("parent_id", flat=True)
    )
    # A post someone else flagged, or a facilitator acted on, stays emptied as well: the
    # flags and the moderation log are the others' record (deleting the post would
    # delete them with it).
    answered |= _moderated(user, Reply)
    emptied_replies = list(Reply.objects.filter(author=user, pk__in=answered))
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


def _threads_remove(user: User, tombstone: User, title: str, body: str, work: Work) -> None:
    """Threads: deleted when nobody else replied, flagged or moderated in them; else
    emptied (title and text), so the others' replies and moderation record stay."""
    from kring.conversations.models import PostAttachment, PostRevision, Reply, Thread

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


def _thread_counts_refresh(work: Work) -> None:
    """Counts and answer state of the threads that lost replies."""
    from kring.conversations.models import Thread

    for thread in Thread.objects.filter(pk__in=work.threads_changed).annotate(
        n=Count("replies", distinct=True),
        first=Min("replies__created_at", filter=~Q(replies__author_id=models.F("author_id"))),
    ):
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=thread.n, first_response_at=thread.first
        )


def _direct_messages_hand_over(user: User, tombstone: User) -> None:
    """Direct messages: the other person keeps the conversation. The former member is the
    newest row, so it is always the higher id of the pair."""
    from kring.conversations.models import Conversation

    for conversation in Conversation.objects.filter(Q(user_low=user) | Q(user_high=user)):
        other_id = (
            conversation.user_high_id
            if conversation.user_low_id == user.pk
            else conversation.user_low_id
        )
        conversation.user_low_id, conversation.user_high_id = other_id, tombstone.pk
        conversation.save(update_fields=["user_low", "user_high"])


def mentions(user: User, work: Work) -> None:
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


def knowledge(user: User, tombstone: User, contributions: str, work: Work) -> None:
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
        title, body = removed_text()
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


def meetings(user: User, tombstone: User, contributions: str, now: datetime) -> None:
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


def illuminate(user: User, tombstone: User, contributions: str) -> None:
    """Value stories go as reflections do: removed with the contributions, or kept on the
    former member (the teller's perspective stays: it is part of what the story says)."""
    from kring.illuminate.models import ValueStory

    if contributions == Contributions.REMOVE:
        ValueStory.objects.filter(author=user).delete()
    else:
        ValueStory.objects.filter(author=user).update(author=tombstone)


def decisions(user: User, tombstone: User, contributions: str) -> None:
    """Comments on proposed ground rules go as reflections do."""
    from kring.decisions.models import RulesComment

    if contributions == Contributions.REMOVE:
        RulesComment.objects.filter(author=user).delete()
    else:
        RulesComment.objects.filter(author=user).update(author=tombstone)


def communities(user: User, tombstone: User, work: Work) -> None:
    from kring.communities.models import FormerMembership, Invitation, JoinRequest, Membership
    from kring.communities.selectors import member_stats_forget

    memberships = list(Membership.objects.filter(user=user))
    work.communities |= {m.community_id for m in memberships}
    for m in memberships:  # the member counts of the community home (after the commit)
        transaction.on_commit(partial(member_stats_forget, community_id=m.community_id))
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


def json_needles(text: str) -> list[str]:
    """`text` as it may appear in stored JSON: SQLite stores non-ASCII escaped (\u0131),
    PostgreSQL as it is."""
    return list({text, json.dumps(text)[1:-1]})


def insights(user: User, work: Work) -> None:
    from kring.insights.models import Snapshot, SnapshotMember, Suggestion, SuggestionStatus
    from kring.insights.selectors import dashboard_part_key

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
    for needle in json_needles(user.email):
        mentioning |= Q(data_text__icontains=needle) | Q(dashboard_text__icontains=needle)
    # A snapshot in parts (format 2) has a row of the person's own (their e-mail address is
    # in it, and their id in the ties of others).
    # (A subquery, not a join: a join would scan every document once per member row.)
    mentioning |= Q(pk__in=SnapshotMember.objects.filter(user=user).values("snapshot_id"))
    left = list(
        Snapshot.objects.annotate(data_text=data, dashboard_text=dashboard)
        .filter(mentioning)
        .values_list("pk", "community_id")
    )
    erased = Snapshot.objects.filter(
        Q(community_id__in=work.communities) | Q(pk__in=[pk for pk, _c in left])
    )
    # Their dashboard parts, kept decoded by the dashboard, go with them.
    kept = [dashboard_part_key(pk) for pk in erased.values_list("pk", flat=True)]
    transaction.on_commit(partial(cache.delete_many, kept))
    erased.delete()
    work.communities |= {community_id for _pk, community_id in left}
