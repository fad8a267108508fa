"""Who may do what in conversations.

Threads live inside a community: members (guests too) read them, reply, react and flag;
members, the core group and facilitators start them. Facilitators moderate. A hidden post is
seen only by its author and the facilitators. Direct messages are private to the two people:
nobody else, facilitators and platform admins included, can read them.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Membership, Role
from kring.conversations.models import Block, Conversation, Reply, Thread
from kring.core import grants

# Who is asking: pages and the API may be reached by someone not signed in.
Viewer = User | AnonymousUser


def can_view(user: Viewer, community: Community) -> bool:
    return community_permissions.can_view_inside(user, community)


def can_moderate(user: Viewer, community: Community) -> bool:
    return community_permissions.can_manage(user, community)


def can_start_thread(user: Viewer, community: Community) -> bool:
    """Guests read, reply and react; starting a question or discussion takes membership."""
    if community_permissions.is_platform_admin(user):
        return True
    membership = community_permissions.membership_of(user, community)
    return membership is not None and membership.role != Role.GUEST


def _is_author(user: Viewer, post: Thread | Reply) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def can_see_thread(user: Viewer, thread: Thread) -> bool:
    if not can_view(user, thread.community):
        return False
    return not thread.hidden or _is_author(user, thread) or can_moderate(user, thread.community)


def can_see_reply(user: Viewer, reply: Reply) -> bool:
    """Inside a visible thread: a hidden reply is only for its author and the facilitators."""
    return not reply.hidden or _is_author(user, reply) or can_moderate(user, reply.thread.community)


def can_reply(user: Viewer, thread: Thread) -> bool:
    """Anyone inside may reply, until a facilitator locks the thread (they still may). An app
    above may open one visible thread to more people for this alone (kring.networks: a
    question shared with their network): not to accept, flag, react or edit."""
    if not can_see_thread(user, thread):
        if thread.hidden or thread.locked:
            return False
        return grants.granted("conversations.thread", user, thread)
    if thread.hidden:
        return False
    return not thread.locked or can_moderate(user, thread.community)


def can_edit_post(user: Viewer, post: Thread | Reply) -> bool:
    """Only authors edit their own words (facilitators hide, they don't rewrite); not once
    the thread is locked or the post is hidden."""
    thread = post if isinstance(post, Thread) else post.thread
    return (
        _is_author(user, post)
        and can_view(user, thread.community)
        and not thread.locked
        and not post.hidden
    )


def can_accept(user: Viewer, thread: Thread) -> bool:
    """The asker or a facilitator chooses the accepted answer of a question."""
    if not thread.is_question or not can_see_thread(user, thread):
        return False
    return _is_author(user, thread) or can_moderate(user, thread.community)


def can_react(user: Viewer, post: Thread | Reply) -> bool:
    """Useful: for other people's posts, by anyone inside."""
    thread = post if isinstance(post, Thread) else post.thread
    return can_see_thread(user, thread) and not _is_author(user, post) and not post.hidden


def can_flag(user: Viewer, post: Thread | Reply) -> bool:
    thread = post if isinstance(post, Thread) else post.thread
    return can_see_thread(user, thread) and not _is_author(user, post)


class PostAbilities(NamedTuple):
    edit: bool
    react: bool
    flag: bool


def post_abilities(user: Viewer, thread: Thread) -> Callable[[Thread | Reply], PostAbilities]:
    """can_edit_post, can_react and can_flag for many posts of one thread: what depends on the
    thread and the viewer is worked out once, the rest per post (same rules as those three)."""
    sees_thread = can_see_thread(user, thread)
    views = can_view(user, thread.community)
    locked = thread.locked

    def abilities(post: Thread | Reply) -> PostAbilities:
        mine = _is_author(user, post)
        return PostAbilities(
            edit=mine and views and not locked and not post.hidden,
            react=sees_thread and not mine and not post.hidden,
            flag=sees_thread and not mine,
        )

    return abilities


def can_see_moderation_post(user: Viewer, thread: Thread, reply: Reply | None) -> bool:
    """The private side of a post: its facilitators and its author, nobody else. The page
    names the thread, so a reply's author is kept out while the thread itself is hidden
    (unless the thread is theirs too): its title is not theirs to read."""
    if not can_view(user, thread.community):
        return False
    if can_moderate(user, thread.community):
        return True
    if not user.is_authenticated:
        return False
    if thread.hidden and thread.author_id != user.pk:
        return False
    post = reply or thread
    return post.author_id == user.pk


# Direct messages ----------------------------------------------------------------------------


def share_a_community(user: User, other: User) -> bool:
    return Membership.objects.filter(
        user=user, community__in=Membership.objects.filter(user=other).values("community_id")
    ).exists()


def is_blocked_between(user: User, other: User) -> bool:
    """True when either has blocked the other: a block stops messages both ways."""
    return (
        Block.objects.filter(blocker=user, blocked=other).exists()
        or Block.objects.filter(blocker=other, blocked=user).exists()
    )


def can_message(sender: Viewer, recipient: User) -> bool:
    return (
        sender.is_authenticated
        and sender.pk != recipient.pk
        and recipient.is_active
        and share_a_community(sender, recipient)
        and not is_blocked_between(sender, recipient)
    )


def can_view_conversation(user: Viewer, conversation: Conversation) -> bool:
    return user.is_authenticated and conversation.has(user)


# Raising versions --------------------------------------------------------------------------


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def check_view(user: Viewer, community: Community) -> None:
    _check(can_view(user, community))


def check_moderate(user: Viewer, community: Community) -> None:
    _check(can_moderate(user, community))


def check_start_thread(user: Viewer, community: Community) -> None:
    _check(can_start_thread(user, community))


def check_reply(user: Viewer, thread: Thread) -> None:
    _check(can_reply(user, thread))


def check_edit_post(user: Viewer, post: Thread | Reply) -> None:
    _check(can_edit_post(user, post))


def check_accept(user: Viewer, thread: Thread) -> None:
    _check(can_accept(user, thread))


def check_react(user: Viewer, post: Thread | Reply) -> None:
    _check(can_react(user, post))


def check_flag(user: Viewer, post: Thread | Reply) -> None:
    _check(can_flag(user, post))


def check_message(sender: Viewer, recipient: User) -> None:
    _check(can_message(sender, recipient))
