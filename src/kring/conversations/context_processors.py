"""The unread counts in the header (bell and messages), one small query per page."""


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from kring.conversations import selectors

    notifications, messages = selectors.unread_counts(user=user)
    return {"unread_notifications": notifications, "unread_messages": messages}
