"""Builders for constructed histories of a community's development."""

from datetime import datetime, timedelta

from django.utils import timezone

from kring.accounts.models import Perspective
from kring.communities.models import Community, Role
from kring.growth import selectors
from kring.insights.tests.histories import backdate_everyone, join, session


def community_since(make_community, *, days: int, **fields) -> Community:
    """A community that began `days` ago (its founder a facilitator since then)."""
    started = timezone.now() - timedelta(days=days)
    community = make_community(at=started, **fields)
    backdate_everyone(community, started)
    return community


def founder(community: Community):
    return community.memberships.get(role=Role.FACILITATOR).user


def with_perspective(user, key: str):
    user.perspectives.add(Perspective.objects.get(key=key))
    return user


def sessions_every(community, by, *, first: datetime, days: int, count: int) -> list:
    return [session(community, by, first + timedelta(days=days * n)) for n in range(count)]


def members(community, make_user, *, count: int, at: datetime, role: str = Role.MEMBER) -> list:
    return [join(community, make_user, at=at, role=role) for _ in range(count)]


def document(community, *, viewer=None, day=None) -> dict:
    moment = selectors.development_moment(community=community, day=day)
    return selectors.development_document(
        selectors.development_read(community=community, viewer=viewer, moment=moment)
    )


def step(doc: dict, key: str) -> dict:
    return next(s for s in doc["steps"] if s["key"] == key)
