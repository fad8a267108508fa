"""Creating and editing a community through its form: the happy path and bad input."""

import pytest

from kring.communities.models import Community, GroundRule, Membership, Role
from kring.communities.verbs import CommunityVerb
from kring.core.models import ActivityEvent


def form_data(**changes) -> dict:
    data = {
        "name": "Zorg thuis",
        "slug": "",
        "theme": "Care at home",
        "visibility": "private",
        "ground_rules": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def founder(make_user):
    return make_user(full_name="Frida Founder", can_create=True)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("without permission", 403), ("with permission", 200), ("admin", 200)],
)
def test_create_page_access(make_client, make_user, make_admin, who, expected):
    """Founding a community takes the add_community permission; anonymous people log in."""
    user = {
        "anonymous": None,
        "without permission": make_user(),
        "with permission": make_user(can_create=True),
        "admin": make_admin(),
    }[who]
    response = make_client(user).get("/communities/create/")
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/login/")


def test_create(make_client, founder):
    """The creator becomes facilitator and goes on to invite people; rules and mix are kept."""
    response = make_client(founder).post(
        "/communities/create/",
        form_data(
            name="Zorg  thuis ", ground_rules="Listen first\n\n  Share freely ", mix_citizen=30
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/communities/zorg-thuis/invitations/"
    community = Community.objects.get(slug="zorg-thuis")
    assert community.name == "Zorg thuis"
    assert community.target_mix == {"citizen": 30}
    assert [r.text for r in community.ground_rules.all()] == ["Listen first", "Share freely"]
    assert Membership.objects.get(community=community).user == founder
    assert Membership.objects.get(community=community).role == Role.FACILITATOR


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"slug": "taken"},
            "slug",
            "Another community already uses this short name.",
        ),
        (
            {"slug": "Not a slug"},
            "slug",
            "Use 1 to 60 lowercase letters, digits and single hyphens, e.g. 'zorg-thuis'.",
        ),
        ({"slug": "create"}, "slug", "This short name is reserved; choose another."),
        (
            {"name": "n" * 121},
            "name",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
        ({"name": "   "}, "name", "This field is required."),
        (
            {"ground_rules": "Fine rule\n" + "r" * 301},
            "ground_rules",
            "Keep each ground rule to 300 characters.",
        ),
        (
            {"mix_citizen": 60, "mix_municipality": 50},
            "__all__",
            "The target shares add up to more than 100%.",
        ),
        (
            {"mix_citizen": 101},
            "mix_citizen",
            "Ensure this value is less than or equal to 100.",
        ),
        ({"visibility": "secret"}, "visibility", "Select a valid choice."),
    ],
    ids=[
        "duplicate-slug",
        "malformed-slug",
        "reserved-slug",
        "long-name",
        "blank-name",
        "long-rule",
        "mix-over-100",
        "share-over-100",
        "bad-visibility",
    ],
)
def test_create_bad_input(make_client, make_community, founder, changes, field, message):
    """Bad community input shows a clear message and saves nothing at all."""
    make_community(name="Existing", slug="taken")
    before = (Community.objects.count(), GroundRule.objects.count(), ActivityEvent.objects.count())
    response = make_client(founder).post("/communities/create/", form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message.encode() in response.content.replace(b"&#x27;", b"'")
    after = (Community.objects.count(), GroundRule.objects.count(), ActivityEvent.objects.count())
    assert after == before


def test_update(make_client, make_community, founder):
    """The facilitator edits the framing; an empty slug keeps the current one. Ground rules
    sent along change nothing: they change only as the group agrees (kring.decisions)."""
    community = make_community(by=founder, name="Zorg thuis", slug="zorg-thuis")
    response = make_client(founder).post(
        "/communities/zorg-thuis/update/",
        form_data(name="Zorg thuis", urgency="Now", ground_rules="Be kind"),
    )
    assert response.status_code == 302
    assert response["Location"] == "/communities/zorg-thuis/"
    community.refresh_from_db()
    assert (community.urgency, community.slug) == ("Now", "zorg-thuis")
    events = ActivityEvent.objects.filter(verb=CommunityVerb.COMMUNITY_UPDATED)
    assert {(e.actor, e.community) for e in events} == {(founder, community)}
    changed = {field for e in events for field in e.data["fields"]}
    assert changed == {"theme", "urgency"}
    assert not community.ground_rules.exists()


def test_update_duplicate_slug(make_client, make_community, founder):
    """Renaming to another community's slug is refused with a message; nothing changes."""
    make_community(name="Other", slug="taken")
    community = make_community(by=founder, name="Zorg thuis", slug="zorg-thuis", theme="Old")
    response = make_client(founder).post(
        "/communities/zorg-thuis/update/", form_data(slug="taken", theme="New")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another community already uses this short name."
    ]
    community.refresh_from_db()
    assert (community.slug, community.theme) == ("zorg-thuis", "Old")
    assert not ActivityEvent.objects.filter(verb=CommunityVerb.COMMUNITY_UPDATED).exists()
