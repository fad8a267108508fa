"""A small fixed-window counter in the cache, used against password guessing."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def is_blocked(scope: str, value: str, *, limit: int | None = None) -> bool:
    limit = limit or settings.KRING_LOGIN_MAX_FAILURES
    return cache.get(_key(scope, value), 0) >= limit


def register_failure(scope: str, value: str, *, window: int | None = None) -> int:
    """Count one event (a failed login, a message sent) in the current window."""
    key = _key(scope, value)
    window = window or settings.KRING_LOGIN_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def reset(scope: str, value: str) -> None:
    cache.delete(_key(scope, value))
