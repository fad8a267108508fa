"""Networks: starting one, linking communities (both sides agree), the public page, the
links page, insights and the API contracts; permission tables; bad input answered clearly."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.conversations.models import Notification, NotificationKind
from kring.networks import services
from kring.networks.insights import network_insights
from kring.networks.models import LinkStatus, Network, NetworkLink, Side


def link(world, community, *bys):
    """Link through the services, each `by` in turn."""
    result = None
    for by in bys:
        result = services.link_request(
            network=world["network"], community=world[community], by=world["people"][by]
        )
    return result


# --- linking needs both sides -------------------------------------------------------------


def test_someone_on_both_sides_links_in_one_step(world):
    made = link(world, "tiel", "both")
    assert made.status == LinkStatus.LINKED
    assert made.accepted_by == world["people"]["both"]


def test_a_facilitator_asks_and_a_coordinator_accepts(world):
    asked = link(world, "culemborg", "facilitator")
    assert (asked.status, asked.requested_from) == (LinkStatus.REQUESTED, Side.COMMUNITY)
    # The coordinators hear of it, in Kring only.
    told = Notification.objects.filter(kind=NotificationKind.NETWORK)
    assert set(told.values_list("recipient__full_name", flat=True)) == {
        "Fenna Facilitator",
        "Olga Coordinator",
    }
    with pytest.raises(ValidationError):
        link(world, "culemborg", "facilitator")  # asking twice
    services.link_accept(link=asked, by=world["people"]["coordinator"])
    assert NetworkLink.objects.get(pk=asked.pk).status == LinkStatus.LINKED


def test_a_coordinator_asks_and_only_the_communitys_facilitator_accepts(world):
    asked = link(world, "culemborg", "coordinator")
    assert asked.requested_from == Side.NETWORK
    for who in ("coordinator", "member", "both"):
        with pytest.raises(PermissionDenied):
            services.link_accept(link=asked, by=world["people"][who])
    # The facilitator asking as well accepts the waiting request.
    assert link(world, "culemborg", "facilitator").status == LinkStatus.LINKED


@pytest.mark.parametrize("who", ["outsider", "guest", "member", "mo"])
def test_people_on_neither_side_cannot_link(world, who):
    with pytest.raises(PermissionDenied):
        link(world, "tiel", who)
    assert not NetworkLink.objects.exists()


def test_either_side_unlinks(world):
    made = link(world, "culemborg", "facilitator", "coordinator")
    services.link_remove(link=made, by=world["people"]["facilitator"])
    assert not NetworkLink.objects.exists()
    made = link(world, "culemborg", "facilitator", "coordinator")
    with pytest.raises(PermissionDenied):
        services.link_remove(link=made, by=world["people"]["mo"])
    services.link_remove(link=made, by=world["people"]["coordinator"])
    assert not NetworkLink.objects.exists()


# --- starting a network: bad input --------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "zorg-gelderland"}, "slug"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"level": "galactic"}, "level"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_networks_are_refused_and_save_nothing(world, fields, field):
    values = {"slug": "zorg-betuwe", "name": "Zorg Betuwe", "level": "local", **fields}
    with pytest.raises(ValidationError) as error:
        services.network_create(by=world["people"]["admin"], **values)
    assert field in error.value.message_dict
    assert Network.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "member", "facilitator", "coordinator"])
def test_only_allowed_people_start_networks(world, who):
    with pytest.raises(PermissionDenied):
        services.network_create(by=world["people"][who], slug="nieuw", name="Nieuw", level="local")


# --- insights -----------------------------------------------------------------------------


def test_a_person_in_two_linked_communities_is_one_bridge(world):
    link(world, "tiel", "both")
    link(world, "culemborg", "facilitator", "coordinator")
    document = network_insights(network=world["network"], viewer=None)
    assert document["links"] == [
        {
            "a": world["culemborg"].slug,
            "b": world["tiel"].slug,
            "shared_members": 1,
            "bridges": ["Mo Member"],
        }
    ]
    assert document["bridges"] == 1
    assert document["isolated_communities"] == []
    tiel = next(c for c in document["communities"] if c["slug"] == world["tiel"].slug)
    assert tiel["members"] == 4  # Fenna, Mo, Gert, Mia


def test_a_community_without_a_shared_member_is_isolated(world, make_community, make_user):
    link(world, "tiel", "both")
    alone = make_community(by=make_user(can_create=True), name="Zorg Buren")
    services.link_request(network=world["network"], community=alone, by=world["people"]["admin"])
    document = network_insights(network=world["network"], viewer=None)
    assert document["isolated_communities"] == sorted([alone.slug, world["tiel"].slug])
    assert document["links"] == []


def test_a_coordinator_sees_bridge_names_only_where_they_may_look_inside(world):
    link(world, "tiel", "both")
    link(world, "culemborg", "facilitator", "coordinator")
    olga = network_insights(network=world["network"], viewer=world["people"]["coordinator"])
    assert olga["links"][0]["shared_members"] == 1 and olga["links"][0]["bridges"] is None
    fenna = network_insights(network=world["network"], viewer=world["people"]["both"])
    assert fenna["links"][0]["bridges"] is None  # Fenna is not in Culemborg
    admin = network_insights(network=world["network"], viewer=world["people"]["admin"])
    assert admin["links"][0]["bridges"] == ["Mo Member"]


def test_insights_queries_do_not_grow_with_the_communities(world, make_community, make_member):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            network_insights(network=world["network"], viewer=None)
        return len(queries)

    link(world, "tiel", "both")
    link(world, "culemborg", "facilitator", "coordinator")
    few = count()
    for n in range(5):
        extra = make_community(by=world["people"]["both"], name=f"Extra {n}")
        make_member(extra, user=world["people"]["mo"])
        services.link_request(network=world["network"], community=extra, by=world["people"]["both"])
    assert count() == few


# --- the pages ----------------------------------------------------------------------------

LOGIN = "login"


def status_of(response):
    if response.status_code == 302 and "/login" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(
    ("who", "detail", "links", "insights"),
    [
        ("anonymous", 200, LOGIN, LOGIN),
        ("outsider", 200, 404, 404),
        ("guest", 200, 404, 404),
        ("member", 200, 404, 404),
        ("facilitator", 200, 200, 404),  # may ask to join with Culemborg
        ("coordinator", 200, 200, 200),
        ("both", 200, 200, 200),
        ("admin", 200, 200, 200),
    ],
)
def test_who_gets_the_network_pages(world, make_client, who, detail, links, insights):
    link(world, "tiel", "both")
    client = make_client(world["people"][who])
    slug = world["network"].slug
    page = client.get(reverse("network-detail", args=[slug]))
    assert page.status_code == detail
    assert "Zorg Tiel" in page.content.decode()
    assert status_of(client.get(reverse("network-links", args=[slug]))) == links
    assert status_of(client.get(reverse("network-insights", args=[slug]))) == insights


def test_a_private_community_is_named_only_to_its_members_and_the_coordinators(world, make_client):
    link(world, "culemborg", "facilitator", "coordinator")
    url = reverse("network-detail", args=[world["network"].slug])
    for who, named in (("outsider", False), ("member", False), ("mo", True), ("coordinator", True)):
        text = make_client(world["people"][who]).get(url).content.decode()
        assert ("Zorg Culemborg" in text) == named, who
        assert named or "1 private community" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", LOGIN), ("outsider", 403), ("member", 403), ("admin", 302), ("both", 302)],
)
def test_who_starts_a_network_on_the_page(world, make_client, who, status):
    response = make_client(world["people"][who]).post(
        reverse("network-create"), {"name": "Zorg Betuwe", "slug": "zorg-betuwe", "level": "local"}
    )
    assert status_of(response) == status
    assert Network.objects.filter(slug="zorg-betuwe").exists() == (status == 302)


def test_a_facilitator_asks_on_the_page_and_the_coordinator_accepts(world, make_client):
    slug = world["network"].slug
    facilitator = make_client(world["people"]["facilitator"])
    response = facilitator.post(
        reverse("network-links", args=[slug]),
        {"community": world["culemborg"].slug, "note": "We work on the same question."},
    )
    assert response.status_code == 302
    asked = NetworkLink.objects.get()
    assert (asked.status, asked.note) == (LinkStatus.REQUESTED, "We work on the same question.")
    # The facilitator cannot accept their own request.
    accept = reverse("network-link-accept", args=[slug, world["culemborg"].slug])
    facilitator.post(accept)
    assert NetworkLink.objects.get().status == LinkStatus.REQUESTED
    make_client(world["people"]["coordinator"]).post(accept)
    assert NetworkLink.objects.get().status == LinkStatus.LINKED
    # An outsider can neither accept nor unlink (404: the request is not theirs to see).
    remove = reverse("network-link-remove", args=[slug, world["culemborg"].slug])
    assert make_client(world["people"]["outsider"]).post(remove).status_code == 404
    assert NetworkLink.objects.exists()


# --- the API contracts ----------------------------------------------------------------------


def test_api_start_read_link_unlink(world, client, bearer):
    admin = bearer(world["people"]["admin"])
    response = client.post(
        "/api/v1/networks",
        {"slug": "zorg-nl", "name": "Zorg Nederland", "level": "national"},
        content_type="application/json",
        **admin,
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "zorg-nl"
    bad = client.post(
        "/api/v1/networks",
        {"slug": "zorg-nl", "name": "", "level": "cosmic"},
        content_type="application/json",
        **admin,
    )
    assert bad.status_code == 422
    assert Network.objects.filter(slug="zorg-nl").count() == 1

    # A facilitator asks; the request waits; the coordinator's same call links it.
    gijs = bearer(world["people"]["facilitator"])
    body = {"community": world["culemborg"].slug}
    asked = client.post(
        "/api/v1/networks/zorg-gelderland/communities",
        body,
        content_type="application/json",
        **gijs,
    )
    assert (asked.status_code, asked.json()["status"]) == (201, "requested")
    olga = bearer(world["people"]["coordinator"])
    accepted = client.post(
        "/api/v1/networks/zorg-gelderland/communities",
        body,
        content_type="application/json",
        **olga,
    )
    assert (accepted.status_code, accepted.json()["status"]) == (200, "linked")
    read = client.get("/api/v1/networks/zorg-gelderland", **olga).json()
    assert [c["slug"] for c in read["communities"]] == [world["culemborg"].slug]
    insights = client.get("/api/v1/networks/zorg-gelderland/insights", **olga).json()
    assert {"communities", "links", "isolated_communities"} <= set(insights)
    assert insights["communities"][0].keys() >= {
        "slug",
        "members",
        "active_members",
        "sessions_held",
    }
    gone = client.generic(
        "DELETE",
        "/api/v1/networks/zorg-gelderland/communities",
        json.dumps({"community": world["culemborg"].slug}),
        content_type="application/json",
        **gijs,
    )
    assert gone.status_code == 204
    assert not NetworkLink.objects.exists()


@pytest.mark.parametrize(
    ("who", "read", "insights", "link_tiel"),
    [
        ("outsider", 200, 404, 404),
        ("guest", 200, 404, 403),
        ("member", 200, 404, 403),
        ("facilitator", 200, 404, 404),  # not in Tiel: learns nothing about it
        ("coordinator", 200, 200, 201),
        ("both", 200, 200, 201),
        ("admin", 200, 200, 201),
    ],
)
def test_api_permission_table(world, client, bearer, who, read, insights, link_tiel):
    headers = bearer(world["people"][who])
    slug = world["network"].slug
    assert client.get(f"/api/v1/networks/{slug}", **headers).status_code == read
    assert client.get(f"/api/v1/networks/{slug}/insights", **headers).status_code == insights
    response = client.post(
        f"/api/v1/networks/{slug}/communities",
        {"community": world["tiel"].slug},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == link_tiel


def test_api_without_a_token_is_401(world, client):
    assert client.get("/api/v1/networks/zorg-gelderland").status_code == 401
    assert client.get("/api/v1/networks/nope", **{}).status_code == 401


def test_api_unknown_network_or_community_is_404(world, client, bearer):
    admin = bearer(world["people"]["admin"])
    assert client.get("/api/v1/networks/nope", **admin).status_code == 404
    response = client.post(
        "/api/v1/networks/zorg-gelderland/communities",
        {"community": "nope"},
        content_type="application/json",
        **admin,
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN),
        ("outsider", 404),
        ("guest", 404),
        ("member", 404),
        ("facilitator", 404),
        ("coordinator", 302),
        ("both", 302),
        ("admin", 302),
    ],
)
def test_who_edits_a_network(world, make_client, who, status):
    """Coordinators and platform admins; to anyone else the page does not exist."""
    url = reverse("network-update", args=[world["network"].slug])
    client = make_client(world["people"][who])
    response = client.post(url, {"name": "Zorg Gelderland-Zuid", "level": "regional"})
    assert status_of(response) == status
    world["network"].refresh_from_db()
    assert (world["network"].name == "Zorg Gelderland-Zuid") == (status == 302)
    if status == 302:
        bad = client.post(url, {"name": "", "level": "cosmic"})
        assert bad.status_code == 400
        assert set(bad.context["form"].errors) >= {"name", "level"}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN),
        ("outsider", 404),
        ("guest", 200),  # a guest of Tiel, which is linked
        ("member", 200),
        ("facilitator", 200),  # of Culemborg, linked too
        ("coordinator", 404),  # in no linked community: reads nothing shared
        ("both", 200),
        ("admin", 200),
    ],
)
def test_who_reads_what_is_shared(world, make_client, who, status):
    from kring.knowledge.services import item_create
    from kring.networks.services_sharing import share

    link(world, "tiel", "both")
    link(world, "culemborg", "facilitator", "coordinator")
    item = item_create(
        community=world["tiel"], by=world["people"]["both"], kind="toolkit", title="Toolkit"
    )
    share(network=world["network"], by=world["people"]["both"], item=item)
    client = make_client(world["people"][who])
    slug = world["network"].slug
    for url in (
        reverse("network-shared", args=[slug]),
        reverse("network-shared-item", args=[slug, item.pk]),
    ):
        assert status_of(client.get(url)) == status


def test_api_a_coordinator_cannot_probe_a_private_communitys_name(world, client, bearer):
    """Culemborg is private and not linked: its name is not confirmed to a coordinator outside
    it; once its facilitator asked, the coordinator's same call accepts."""
    olga = bearer(world["people"]["coordinator"])
    body = {"community": world["culemborg"].slug}
    url = "/api/v1/networks/zorg-gelderland/communities"
    response = client.post(url, body, content_type="application/json", **olga)
    assert response.status_code == 404
    assert not NetworkLink.objects.exists()
    link(world, "culemborg", "facilitator")
    accepted = client.post(url, body, content_type="application/json", **olga)
    assert (accepted.status_code, accepted.json()["status"]) == (200, "linked")
