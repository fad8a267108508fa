"""E-mails about sessions: a place from the waiting list, reminders, cancellations.

Sent with Django's send_mail, which goes through the queued backend (kring.core.mail), so
delivery happens in `kring worker`."""


def waitlist_promoted(*, rsvp_ids: list[int]) -> int:
    """Tell people who moved from the waiting list that they have a place. Returns how many."""
    return 0


def reminders_send() -> int:
    """Reminders before sessions and for action points that are due."""
    return 0
