"""A small fixed-window counter, used against password guessing.

The counters live in the "throttle" cache alias: Redis when REDIS_URL is set, otherwise the
database. Both are shared by every worker process, so a limit means the same with one worker
or with many.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

ALIAS = "throttle"


def _cache():
    return caches[ALIAS]


def digest(value: str) -> str:
    """A short, stable digest of a value (an e-mail address, a client address)."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _key(scope: str, value: str) -> str:
    return f"throttle:{scope}:{digest(value)}"


def count(scope: str, value: str) -> int:
    """How many events were counted for the value in the current window."""
    stored = _cache().get(_key(scope, value), 0)
    return stored[0] if isinstance(stored, tuple) else stored


def is_blocked(scope: str, value: str, *, limit: int | None = None) -> bool:
    limit = limit or settings.KRING_LOGIN_MAX_FAILURES
    return count(scope, value) >= limit


def register_failure(scope: str, value: str, *, window: int | None = None) -> int:
    """Count one event (a failed login, a message sent) in the current window."""
    cache = _cache()
    key = _key(scope, value)
    window = window or settings.KRING_LOGIN_WINDOW_SECONDS
    if isinstance(cache, DatabaseCache):
        return _register_in_database(cache, key, window)
    # Redis and the local-memory cache increment in place and keep the key's expiry.
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def _register_in_database(cache, key: str, window: int) -> int:
    # The database cache's incr() would restart the expiry at the default timeout, so the
    # window's end is stored with the count and kept on every write. Concurrent failures
    # may be counted once instead of twice; across workers the count still adds up.
    now = time.time()
    stored = cache.get(key)
    count, ends = stored if isinstance(stored, tuple) and stored[1] > now else (0, now + window)
    count += 1
    cache.set(key, (count, ends), timeout=max(1, ends - now))
    return count


def reset(scope: str, value: str) -> None:
    _cache().delete(_key(scope, value))
