"""Locks that hold across processes and machines, for background work that must not run
twice at once (the insights of one community).

They live in the "locks" cache alias: Redis when REDIS_URL is set, otherwise the database's
cache table; both are seen by every web and worker process. A lock is taken with the cache's
atomic add() (SET NX in Redis, an INSERT on the table's primary key) and expires after its
timeout, so the lock of a worker that crashed does not hold for ever.
"""

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import caches

ALIAS = "locks"


def _key(name: str) -> str:
    return f"lock:{name}"


def acquire(name: str, *, timeout: int) -> str | None:
    """Take the lock if nobody holds it; return the holder's token, or None."""
    token = f"{time.time():.6f}:{secrets.token_hex(8)}"
    return token if caches[ALIAS].add(_key(name), token, timeout=timeout) else None


def release(name: str, token: str) -> None:
    """Give the lock back, unless it expired and someone else holds it now."""
    cache = caches[ALIAS]
    if cache.get(_key(name)) == token:
        cache.delete(_key(name))


def held_since(name: str) -> float | None:
    """When the current holder took the lock (a Unix time), or None when nobody holds it."""
    token = caches[ALIAS].get(_key(name))
    return float(token.split(":", 1)[0]) if token else None


@contextmanager
def hold(name: str, *, timeout: int) -> Iterator[str | None]:
    """The lock for the duration of the block: yields the token, or None when it is taken."""
    token = acquire(name, timeout=timeout)
    try:
        yield token
    finally:
        if token is not None:
            release(name, token)
