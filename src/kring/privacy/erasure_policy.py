"""What erasing an account does with each relation to the person (`POLICY`): the table,
and how to find every relation in the installed models (a test checks that each has one)."""

import enum
from collections.abc import Iterator

from django.apps import apps
from django.db import models

from kring.accounts.models import User


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
    "insights.SnapshotMember.user": (
        Policy.CUSTOM,
        "every snapshot that describes the person is deleted with its rows, and computed again",
    ),
    "insights.Pulse.started_by": (Policy.TOMBSTONE, "bookkeeping"),
    "insights.PulseParticipation.user": (
        Policy.TOMBSTONE,
        "the answers are anonymous already; the number of participants stays",
    ),
    # illuminate
    "illuminate.ValueStory.author": (
        Policy.CUSTOM,
        "like reflections: keep: tombstone; remove: deleted",
    ),
    "illuminate.ValueStory.featured_by": (Policy.TOMBSTONE, "bookkeeping"),
    "illuminate.ValueStory.people": (
        Policy.DELETE,
        "others' stories stay, no longer naming them",
    ),
    "illuminate.StoryPrompt.user": (Policy.DELETE, "private"),
    "illuminate.ReportText.updated_by": (Policy.TOMBSTONE, "bookkeeping"),
    # growth: the facilitators' decisions on the development path stay with the community
    "growth.StepOverride.by": (Policy.TOMBSTONE, "the community's decision stays"),
    "growth.Mandate.recorded_by": (Policy.TOMBSTONE, "the community's record stays"),
    "growth.StageCorrection.by": (Policy.TOMBSTONE, "the community's decision stays"),
    # decisions: polls stay with the community; counts stay right
    "decisions.Poll.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "decisions.PollParticipation.user": (
        Policy.TOMBSTONE,
        "the number of voters stays right; it never said what they chose in an anonymous poll",
    ),
    "decisions.PollVote.user": (Policy.TOMBSTONE, "the results stay right"),
    # ground rules set together
    "communities.GroundRulesVersion.recorded_by": (Policy.TOMBSTONE, "bookkeeping"),
    "communities.GroundRulesVersion.agreed_by": (
        Policy.DELETE,
        "the version no longer names them; the number who agreed stays",
    ),
    "decisions.RulesProposal.proposed_by": (Policy.TOMBSTONE, "the group's record stays"),
    "decisions.RulesProposal.decided_by": (Policy.TOMBSTONE, "bookkeeping"),
    "decisions.RulesComment.author": (
        Policy.CUSTOM,
        "like reflections: keep: tombstone; remove: deleted",
    ),
    "decisions.RulesAgreement.user": (
        Policy.DELETE,
        "an open proposal no longer counts them; an agreed version keeps its count",
    ),
    # growth: teams
    "growth.TeamMember.user": (Policy.DELETE, "a former member belongs to no team"),
    "growth.TeamTask.owner": (Policy.TOMBSTONE, "the team's task stays"),
    "growth.TeamTask.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "growth.TeamPost.author": (Policy.TOMBSTONE, "the team's discussion stays readable"),
    # networks: the network and its links stay; a coordinator no longer is one
    "networks.Network.created_by": (Policy.TOMBSTONE, "bookkeeping"),
    "networks.Network.coordinators": (Policy.DELETE, "a former member coordinates nothing"),
    "networks.NetworkLink.requested_by": (Policy.TOMBSTONE, "bookkeeping"),
    "networks.NetworkLink.accepted_by": (Policy.TOMBSTONE, "bookkeeping"),
    "networks.NetworkShare.shared_by": (Policy.TOMBSTONE, "the community's choice stays"),
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
