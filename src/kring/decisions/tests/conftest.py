"""A community with people in every role, and helpers to start polls through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.communities.models import Role
from kring.decisions import services


@pytest.fixture
def cast(make_community, make_user, make_member, make_admin):
    """A private community: a facilitator, a core member, a member, a guest, and people from
    outside (an outsider, another community's facilitator, a platform admin)."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Samen wonen")
    other = make_community(name="Elsewhere")
    people = {
        "anonymous": None,
        "facilitator": facilitator,
        "core": make_member(community, role=Role.CORE).user,
        "member": make_member(community, full_name="Mo Member").user,
        "guest": make_member(community, role=Role.GUEST).user,
        "outsider": make_user(full_name="Otto Outsider"),
        "other facilitator": other.created_by,
        "platform admin": make_admin(full_name="Petra Platform"),
    }
    return community, people


@pytest.fixture
def voters(cast, make_member):
    """Five more members of the cast's community."""
    community, _people = cast
    return [make_member(community, full_name=f"Voter {n}").user for n in range(5)]


def soon(days: int = 7):
    return timezone.now() + timedelta(days=days)


def make_poll(community, by, **fields):
    values = {
        "question": "Where do we meet?",
        "options": ["Library", "Town hall", "Online"],
        "closes_at": soon(),
    }
    values.update(fields)
    return services.poll_create(community=community, by=by, **values)


def make_date_poll(community, by, **fields):
    start = (timezone.now() + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    values = {
        "question": "When do we meet next?",
        "starts": [start, start + timedelta(days=1), start + timedelta(days=2)],
        "closes_at": soon(),
        "session_title": "Leerkring in spring",
        "session_location": "Stadhuisplein 1",
    }
    values.update(fields)
    return services.date_poll_create(community=community, by=by, **values)
