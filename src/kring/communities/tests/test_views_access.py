"""Who gets which community page. Private communities don't exist for outsiders (404); pages
of a known community that someone may not use give 403; anonymous people are sent to log in."""

import pytest

from kring.accounts.services import api_token_create, photo_prepare, profile_update
from kring.communities.models import Invitation, Membership, Role
from kring.communities.services_invitations import invitation_create
from kring.communities.tests.access import DONE, LOGIN, assert_outcome, by_visibility, table


@pytest.fixture
def as_(make_client, cast):
    """A client logged in as one member of the cast (anonymous: not logged in)."""
    return lambda who: make_client(cast[who])


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=404,
        outsider=404,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=404,
        admin=200,
    ),
)
def test_private_community_page(cast, as_, who, expected):
    """A private community's page shows only to its members and admins; others get 404."""
    response = as_(who).get("/communities/zorg-thuis/")
    assert response.status_code == expected
    if expected == 200:
        assert b"Zorg thuis" in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=200,
        outsider=200,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=200,
        admin=200,
    ),
)
def test_public_community_page(cast, as_, who, expected):
    """A public community's landing page is open to everyone; the inside only to members."""
    cast.make_public()
    response = as_(who).get("/communities/zorg-thuis/")
    assert response.status_code == expected
    inside = who in {"member", "core", "guest", "facilitator", "admin"}
    assert response.context["inside"] is inside
    assert (b"Newest members" in response.content) is inside


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=(404, 403),
        member=403,
        core=403,
        guest=403,
        facilitator=200,
        other_facilitator=(404, 403),
        admin=200,
    ),
)
def test_community_update_page(cast, as_, who, expected, visibility):
    """Only the community's facilitators and admins may open its edit page."""
    if visibility == "public":
        cast.make_public()
    response = as_(who).get("/communities/zorg-thuis/update/")
    assert_outcome(response, by_visibility(expected, visibility))


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=DONE,
        other_facilitator=404,
        admin=DONE,
    ),
)
def test_community_update_post(cast, as_, who, expected):
    """Saving the edit form changes the community only for its facilitators and admins."""
    response = as_(who).post(
        "/communities/zorg-thuis/update/",
        {"name": "Zorg thuis, renamed", "visibility": "private"},
    )
    assert_outcome(response, expected)
    cast.community.refresh_from_db()
    assert (cast.community.name == "Zorg thuis, renamed") is (expected == DONE)


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=(404, 403),
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=(404, 403),
        admin=200,
    ),
)
def test_members_directory(cast, as_, who, expected, visibility):
    """Every member, guests included, sees the directory; outsiders don't."""
    if visibility == "public":
        cast.make_public()
    response = as_(who).get("/communities/zorg-thuis/members/")
    assert_outcome(response, by_visibility(expected, visibility))
    if response.status_code == 200:
        assert b"Tara Target" in response.content
        # Only managers get the role and remove controls.
        can_manage = who in {"facilitator", "admin"}
        assert (b"/members/%d/remove/" % cast.target.pk in response.content) is can_manage


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=(404, 403),
        member=403,
        core=403,
        guest=403,
        facilitator=DONE,
        other_facilitator=(404, 403),
        admin=DONE,
    ),
)
def test_member_role_change(cast, as_, who, expected, visibility):
    """Only the community's facilitators and admins change someone's role."""
    if visibility == "public":
        cast.make_public()
    url = f"/communities/zorg-thuis/members/{cast.target.pk}/role/"
    assert_outcome(as_(who).post(url, {"role": Role.CORE}), by_visibility(expected, visibility))
    role = Membership.objects.get(community=cast.community, user=cast.target).role
    assert role == (Role.CORE if expected == DONE else Role.MEMBER)


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=DONE,
        other_facilitator=404,
        admin=DONE,
    ),
)
def test_member_remove(cast, as_, who, expected):
    """Only the community's facilitators and admins remove someone else."""
    url = f"/communities/zorg-thuis/members/{cast.target.pk}/remove/"
    assert_outcome(as_(who).post(url, {"confirm": "yes"}), expected)
    still = Membership.objects.filter(community=cast.community, user=cast.target).exists()
    assert still is (expected != DONE)


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=200,
        other_facilitator=404,
        admin=200,
    ),
)
def test_member_remove_asks_first(cast, as_, who, expected):
    """Opening the remove link, or posting without the confirmation, only asks; nobody is
    removed until the confirmation is sent."""
    url = f"/communities/zorg-thuis/members/{cast.target.pk}/remove/"
    client = as_(who)
    for response in (client.get(url), client.post(url), client.post(url, {"confirm": "no"})):
        assert_outcome(response, expected)
        if expected == 200:
            assert b"Remove Tara Target from the community?" in response.content
            assert b'name="confirm" value="yes"' in response.content
    assert Membership.objects.filter(community=cast.community, user=cast.target).exists()


def test_member_leaves(cast, as_):
    """A member may remove themselves: that is leaving."""
    member = cast["member"]
    url = f"/communities/zorg-thuis/members/{member.pk}/remove/"
    asked = as_("member").post(url)
    assert b"Leave Zorg thuis?" in asked.content
    assert Membership.objects.filter(community=cast.community, user=member).exists()
    response = as_("member").post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Membership.objects.filter(community=cast.community, user=member).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=200,
        other_facilitator=404,
        admin=200,
    ),
)
def test_invitation_list(cast, as_, who, expected):
    """Only the community's facilitators and admins see its open invitations."""
    invitation_create(
        community=cast.community, by=cast["facilitator"], email="new@example.org", send=False
    )
    response = as_(who).get("/communities/zorg-thuis/invitations/")
    assert_outcome(response, expected)
    if expected == 200:
        assert b"new@example.org" in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=DONE,
        other_facilitator=404,
        admin=DONE,
    ),
)
def test_invitation_create(cast, as_, who, expected):
    """Only the community's facilitators and admins invite people."""
    response = as_(who).post(
        "/communities/zorg-thuis/invitations/",
        {"kind": "email", "emails": "new@example.org", "role": "member", "days": 14},
    )
    assert_outcome(response, expected)
    created = Invitation.objects.filter(community=cast.community, email="new@example.org")
    assert created.exists() is (expected == DONE)


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=DONE,
        other_facilitator=404,
        admin=DONE,
    ),
)
def test_invitation_revoke(cast, as_, who, expected):
    """Only the community's facilitators and admins withdraw an invitation."""
    invitation, _secret = invitation_create(
        community=cast.community, by=cast["facilitator"], email="new@example.org", send=False
    )
    url = f"/communities/zorg-thuis/invitations/{invitation.pk}/revoke/"
    client = as_(who)
    asked = client.get(url)
    assert_outcome(asked, 200 if expected == DONE else expected)
    assert_outcome(client.post(url), 200 if expected == DONE else expected)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # nothing happens before the confirmation
    assert_outcome(client.post(url, {"confirm": "yes"}), expected)
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) is (expected == DONE)


def test_invitation_of_another_community_cannot_be_revoked(cast, as_):
    """A facilitator can't withdraw another community's invitation through their own URL."""
    invitation, _secret = invitation_create(
        community=cast.other_community, by=cast["other_facilitator"], send=False
    )
    response = as_("facilitator").post(
        f"/communities/zorg-thuis/invitations/{invitation.pk}/revoke/", {"confirm": "yes"}
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


PERSON_TABLE = table(
    anonymous=LOGIN,
    outsider=404,
    member=200,
    core=200,
    guest=200,
    facilitator=200,
    other_facilitator=404,
    admin=200,
)


@pytest.mark.parametrize(("who", "expected"), PERSON_TABLE)
def test_person_profile(cast, as_, who, expected):
    """A person is visible only to people who share a community with them, and to admins."""
    response = as_(who).get(f"/people/{cast.target.pk}/")
    assert_outcome(response, expected)
    if expected == 200:
        assert b"Tara Target" in response.content


@pytest.mark.parametrize(("who", "expected"), PERSON_TABLE)
def test_person_photo(cast, as_, make_image, who, expected):
    """A person's photo follows the same rule as their profile."""
    target = cast.target
    profile_update(user=target, by=target, photo=photo_prepare(upload=make_image()))
    response = as_(who).get(f"/people/{target.pk}/photo/")
    assert_outcome(response, expected)
    if expected == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_own_profile_without_communities(make_user, make_client):
    """Everyone sees their own profile, even before joining a community."""
    loner = make_user(full_name="Lone Wolf")
    response = make_client(loner).get(f"/people/{loner.pk}/")
    assert response.status_code == 200
    assert b"Lone Wolf" in response.content


def test_person_without_photo_has_no_photo(cast, as_):
    """Asking for the photo of someone without one gives 404."""
    assert as_("member").get(f"/people/{cast.target.pk}/photo/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=200,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=200,
        admin=200,
    ),
)
def test_token_page(cast, as_, who, expected):
    """Every signed-in person manages their own tokens and sees only theirs."""
    api_token_create(user=cast.target, name="target's secret integration")
    response = as_(who).get("/me/tokens/")
    assert_outcome(response, expected)
    if expected == 200:
        assert b"target&#x27;s secret integration" not in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=404,
        member=404,
        core=404,
        guest=404,
        facilitator=404,
        other_facilitator=404,
        admin=404,
    ),
)
def test_token_revoke_of_someone_else(cast, as_, who, expected):
    """Nobody revokes someone else's token through the page, admins included."""
    token, _secret = api_token_create(user=cast.target)
    assert_outcome(as_(who).post(f"/me/tokens/{token.pk}/revoke/"), expected)
    token.refresh_from_db()
    assert token.revoked_at is None
