"""Fixtures for value stories: a community with a facilitator, a teller, another member, a
guest; an outsider and a platform admin; a factory for stories made through the service."""

from types import SimpleNamespace

import pytest

from kring.communities.models import Role


@pytest.fixture
def circle(make_community, make_member, make_user, make_admin):
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    teller = make_member(community, full_name="Tara Teller", language="en").user
    member = make_member(community, full_name="Mo Member", language="en").user
    guest = make_member(community, full_name="Gijs Guest", role=Role.GUEST, language="en").user
    outsider = make_user(full_name="Otto Outsider", language="en")
    admin = make_admin(full_name="Ada Admin", language="en")
    return SimpleNamespace(
        community=community,
        facilitator=facilitator,
        teller=teller,
        member=member,
        guest=guest,
        outsider=outsider,
        admin=admin,
    )


@pytest.fixture
def make_story(circle):
    from kring.illuminate.services import value_story_create

    def make(*, by=None, title="A new contact", cycles=None, **kw):
        return value_story_create(
            community=kw.pop("community", circle.community),
            by=by or circle.teller,
            title=title,
            cycles=cycles or {"immediate": "We met at the session.", "potential": "A contact."},
            **kw,
        )

    return make
