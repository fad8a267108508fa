"""A member in two communities, and a third community they are not in, each with a little of
everything the week shows; all made through the services."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def town(make_user, make_community, make_member):
    """Mia is a member of "Zorg thuis" and "Energie"; "Elders" is not hers."""
    zorg_facilitator = make_user(full_name="Fenna Facilitator")
    zorg = make_community(by=zorg_facilitator, name="Zorg thuis", slug="zorg-thuis")
    energie_facilitator = make_user(full_name="Erik Energie")
    energie = make_community(by=energie_facilitator, name="Energie", slug="energie")
    elders_facilitator = make_user(full_name="Olga Elders")
    elders = make_community(by=elders_facilitator, name="Elders", slug="elders")
    mia = make_user(full_name="Mia Member")
    make_member(zorg, user=mia)
    make_member(energie, user=mia)
    asker = make_member(zorg, full_name="Aart Asker").user
    make_member(energie, user=asker)
    make_member(elders, user=asker)
    return SimpleNamespace(
        zorg=zorg,
        energie=energie,
        elders=elders,
        zorg_facilitator=zorg_facilitator,
        energie_facilitator=energie_facilitator,
        elders_facilitator=elders_facilitator,
        mia=mia,
        asker=asker,
    )
