"""Sessions are for the people inside: someone outside a public community gets 404 on the
sessions pages and API (its landing page is public; its sessions are not), as before the
community gateway became one."""

import pytest
from django.urls import reverse

from kring.communities.models import Visibility
from kring.core.testing import assert_error

pytestmark = pytest.mark.django_db


def test_outsider_of_public_community_gets_404_on_pages_and_api(
    make_community, make_user, make_client, bearer
):
    community = make_community(visibility=Visibility.PUBLIC)
    outsider = make_user()
    client = make_client(outsider)
    assert client.get(reverse("community-detail", args=[community.slug])).status_code == 200
    for name in ("session-list", "action-point-list", "session-create"):
        response = client.get(reverse(name, args=[community.slug]))
        assert response.status_code == 404, name
    api = make_client()
    for path in ("sessions", "action-points"):
        response = api.get(f"/api/v1/communities/{community.slug}/{path}", **bearer(outsider))
        assert_error(response, 404, "not_found")


def test_member_of_the_same_public_community_gets_in(
    make_community, make_member, make_client, bearer
):
    community = make_community(visibility=Visibility.PUBLIC)
    member = make_member(community).user
    assert (
        make_client(member).get(reverse("session-list", args=[community.slug])).status_code == 200
    )
    response = make_client().get(f"/api/v1/communities/{community.slug}/sessions", **bearer(member))
    assert response.status_code == 200
