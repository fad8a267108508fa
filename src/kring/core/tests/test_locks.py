"""Locks across processes (kring.core.locks): one holder at a time, given back by the holder
only, and held for a block."""

import time

import pytest

from kring.core import locks

pytestmark = pytest.mark.django_db


def test_one_holder_at_a_time():
    """A second acquire gets nothing until the first holder releases."""
    token = locks.acquire("job", timeout=60)
    assert token
    assert locks.acquire("job", timeout=60) is None
    assert locks.acquire("other-job", timeout=60)
    locks.release("job", token)
    assert locks.acquire("job", timeout=60)


def test_only_the_holder_releases():
    """A stale token (a lock that expired and was taken again) releases nothing."""
    token = locks.acquire("job", timeout=60)
    locks.release("job", "0:not-the-holder")
    assert locks.acquire("job", timeout=60) is None
    locks.release("job", token)
    assert locks.held_since("job") is None


def test_hold_for_a_block_and_when_it_was_taken():
    """Inside the block the lock is held since it was taken; a second hold gets None."""
    before = time.time()
    with locks.hold("job", timeout=60) as token:
        assert token
        assert before <= locks.held_since("job") <= time.time()
        with locks.hold("job", timeout=60) as second:
            assert second is None
        assert locks.held_since("job") is not None
    assert locks.held_since("job") is None
