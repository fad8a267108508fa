"""Writes for the personal calendar feed: its secret is made, replaced and looked up here;
only a hash of it is stored."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.meetings.models import CalendarFeed


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> str:
    """Make (or replace) the secret of someone's calendar feed; the old URL stops working."""
    secret = "cal_" + secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(secret), "created_at": timezone.now()}
    )
    return secret


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_lookup(*, secret: str) -> User | None:
    """The active person a feed secret belongs to. The hash is looked up, not compared by hand:
    an index lookup on a SHA-256 leaks nothing useful about the secret."""
    if not secret or not secret.startswith("cal_") or len(secret) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(secret)).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
