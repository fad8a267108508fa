"""Two communities (one public, one private) and people in every role, plus a network."""

import pytest
from django.contrib.auth.models import Permission

from kring.communities.models import Role, Visibility
from kring.networks import services


@pytest.fixture
def world(make_user, make_community, make_member, make_admin):
    """Fenna facilitates "Zorg Tiel" (public) and coordinates "Zorg Gelderland"; Gijs
    facilitates "Zorg Culemborg" (private); Mo is a member of both; Olga coordinates with Fenna
    but is in no community."""
    fenna = make_user(full_name="Fenna Facilitator", can_create=True)
    gijs = make_user(full_name="Gijs Facilitator", can_create=True)
    tiel = make_community(by=fenna, name="Zorg Tiel", visibility=Visibility.PUBLIC)
    culemborg = make_community(by=gijs, name="Zorg Culemborg")
    mo = make_member(tiel, full_name="Mo Member").user
    make_member(culemborg, user=mo)
    guest = make_member(tiel, role=Role.GUEST, full_name="Gert Guest").user
    member = make_member(tiel, full_name="Mia Member").user
    fenna.user_permissions.add(Permission.objects.get(codename="add_network"))
    olga = make_user(full_name="Olga Coordinator")
    network = services.network_create(
        by=type(fenna).objects.get(pk=fenna.pk),
        slug="zorg-gelderland",
        name="Zorg Gelderland",
        level="regional",
    )
    network.coordinators.add(olga)
    return {
        "network": network,
        "tiel": tiel,
        "culemborg": culemborg,
        "people": {
            "anonymous": None,
            "outsider": make_user(full_name="Otto Outsider"),
            "guest": guest,
            "member": member,
            "facilitator": gijs,  # of Culemborg only
            "coordinator": olga,  # of the network only
            "both": fenna,  # coordinator and facilitator of Tiel
            "admin": make_admin(full_name="Petra Platform"),
            "mo": mo,
        },
    }
