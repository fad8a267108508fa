"""The cast for access tests: one person in each position relative to a community."""

import pytest

from kring.communities.models import Role
from kring.communities.tests.access import Cast


@pytest.fixture
def cast(make_user, make_admin, make_community, make_member) -> Cast:
    """Community "Zorg thuis" (private) with its facilitator, core group, member and guest;
    an outsider; the facilitator of another community; a platform admin."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    other_facilitator = make_user(full_name="Otto Elders", can_create=True)
    other = make_community(by=other_facilitator, name="Other place", slug="other-place")
    people = {
        "anonymous": None,
        "outsider": make_user(full_name="Olga Outsider"),
        "member": make_member(community, full_name="Mo Member").user,
        "core": make_member(community, role=Role.CORE, full_name="Cor Core").user,
        "guest": make_member(community, role=Role.GUEST, full_name="Guus Guest").user,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "admin": make_admin(full_name="Ada Admin"),
    }
    target = make_member(community, full_name="Tara Target", by=facilitator).user
    return Cast(community=community, other_community=other, people=people, target=target)
