"""Helpers for table-driven access tests: who is asking, and what they should get."""

from dataclasses import dataclass

import pytest

from kring.communities.models import Community, Visibility
from kring.communities.services import community_update

ROLES = (
    "anonymous",
    "outsider",
    "member",
    "core",
    "guest",
    "facilitator",
    "other_facilitator",
    "admin",
)

LOGIN = "login"  # redirected to the login page
DONE = "done"  # redirected onwards after the action was carried out


def table(**expected) -> list:
    """pytest parameters (who, expected) with every role of ROLES spelled out."""
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return [pytest.param(who, expected[who], id=who) for who in ROLES]


def assert_outcome(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    elif expected == DONE:
        assert response.status_code == 302
        assert not response["Location"].startswith("/login/")
    else:
        assert response.status_code == expected


def by_visibility(expected, visibility: str):
    """Expectations written as (private, public) pick the one for the community's visibility."""
    if isinstance(expected, tuple):
        return expected[0] if visibility == "private" else expected[1]
    return expected


@dataclass
class Cast:
    community: Community
    other_community: Community
    people: dict
    target: object  # a plain member of `community` that actions are aimed at

    def __getitem__(self, who):
        return self.people[who]

    def make_public(self) -> None:
        community_update(
            community=self.community, by=self.people["facilitator"], visibility=Visibility.PUBLIC
        )
