"""The unread counts in the header (bell and messages), one small query each per page."""


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from kring.conversations import selectors

    return {
        "unread_notifications": selectors.notifications_unread_count(user=user),
        "unread_messages": selectors.messages_unread_count(user=user),
    }
