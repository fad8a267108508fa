"""A community with people in every role around its development path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kring.communities.models import Role, Visibility
from kring.growth import services
from kring.growth.tests.helpers import community_since, with_perspective
from kring.insights.tests.histories import join, session


@pytest.fixture
def cast(make_community, make_user, make_member, make_admin):
    """A public community (its existence is no secret) with a history: two facilitators,
    members who lead sessions and own action points, an override with a note, a mandate."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = community_since(
        make_community, days=300, by=facilitator, name="Zorg thuis", visibility=Visibility.PUBLIC
    )
    with_perspective(facilitator, "municipality")
    second = make_member(community, role=Role.FACILITATOR, full_name="Sem Second").user
    with_perspective(second, "municipality")
    start = timezone.now() - timedelta(days=290)
    anna = join(community, make_user, at=start, full_name="Anna Ånström")
    made = session(community, facilitator, timezone.now() - timedelta(days=30))
    made.facilitators.add(anna)
    from kring.meetings.services_learning import action_point_create

    action_point_create(community=community, by=facilitator, what="Call the library", owner=anna)
    services.step_judge(
        community=community,
        by=facilitator,
        step="urgency",
        status="done",
        note="Nadia Notename told us at the kick-off",
    )
    services.mandate_record(
        community=community, by=facilitator, given_by="Wethouder Willemsen", scope="Try new visits"
    )
    other = make_community(name="Elsewhere")
    people = {
        "facilitator": facilitator,
        "second facilitator": second,
        "core": make_member(community, role=Role.CORE, full_name="Cor Core").user,
        "member": anna,
        "guest": make_member(community, role=Role.GUEST, full_name="Gus Guest").user,
        "outsider": make_user(full_name="Otto Outsider"),
        "other facilitator": other.created_by,
        "platform admin": make_admin(full_name="Petra Platform"),
    }
    return community, people


# What a member must never read on the path: the names of people.
NAMES = (
    "Fenna Facilitator",
    "Sem Second",
    "Anna Ånström",
    "Nadia Notename",
    "Wethouder Willemsen",
)

# Who reads the path (pages and API alike): everyone inside; outsiders do not learn it exists.
READERS = [
    ("facilitator", 200),
    ("second facilitator", 200),
    ("platform admin", 200),
    ("core", 200),
    ("member", 200),
    ("guest", 200),
    ("outsider", 404),
    ("other facilitator", 404),
]
