"""How a notification is put into words, the same in the bell's list and in the e-mail."""

from django.utils.translation import gettext as _

from kring.conversations.models import NotificationKind


def notification_pattern(notification, viewer) -> str:
    """The sentence with %(name)s (who) and %(title)s (the thread) still to fill in; never
    anything of a direct message's content."""
    kind = notification.kind
    thread = notification.thread
    if notification.notice is not None:
        return notification.notice.pattern
    if kind == NotificationKind.STORY_PROMPT:
        return _("What did “%(title)s” give you? Tell the others.")
    if kind == NotificationKind.MESSAGE:
        return _("%(name)s sent you a message")
    if kind == NotificationKind.MODERATION:
        if thread is None:
            return _("A facilitator took a moderation step on your post")
        return _("A facilitator took a moderation step on your post in “%(title)s”")
    if thread is None:
        return str(notification.get_kind_display())
    if kind == NotificationKind.MENTION:
        return _("%(name)s mentioned you in “%(title)s”")
    if kind == NotificationKind.ANSWER_ACCEPTED:
        return _("Your answer in “%(title)s” was accepted")
    if kind == NotificationKind.REPLY:
        if thread.author_id != viewer.pk:
            return _("%(name)s replied to you in “%(title)s”")
        if thread.is_question:
            return _("%(name)s replied to your question “%(title)s”")
        return _("%(name)s replied to your discussion “%(title)s”")
    return str(notification.get_kind_display())
