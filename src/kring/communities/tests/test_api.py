"""The HTTP API at /api/v1/: the same access rules as the pages, tokens, one error format."""

import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from kring.accounts.models import User
from kring.accounts.services import api_token_create, api_token_revoke
from kring.communities.models import Community, Invitation, Membership, Role
from kring.communities.services import ground_rules_set
from kring.communities.tests.access import by_visibility, table
from kring.communities.verbs import CommunityVerb
from kring.core.models import ActivityEvent
from kring.core.testing import assert_error

BASE = "/api/v1/communities"


def post_json(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def call(client, cast, bearer):
    """Make an API request as one member of the cast, with their own write token."""

    def request(who, method, url, data=None):
        headers = bearer(cast[who]) if cast[who] is not None else {}
        if method == "get":
            return client.get(url, data or {}, **headers)
        return post_json(client, url, data or {}, **headers)

    return request


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=None,
        outsider=[],
        member=["zorg-thuis"],
        core=["zorg-thuis"],
        guest=["zorg-thuis"],
        facilitator=["zorg-thuis"],
        other_facilitator=["other-place"],
        admin=["other-place", "zorg-thuis"],
    ),
)
def test_list_communities(call, who, expected):
    """The list holds the communities someone may see; anonymous callers get 401."""
    response = call(who, "get", BASE)
    if expected is None:
        assert_error(response, 401, "unauthenticated")
        return
    assert response.status_code == 200
    assert sorted(item["slug"] for item in response.json()["items"]) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=401,
        outsider=404,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=404,
        admin=200,
    ),
)
def test_private_community_detail(call, who, expected):
    """A private community exists only for its members and admins."""
    response = call(who, "get", f"{BASE}/zorg-thuis")
    if expected == 200:
        assert response.status_code == 200
        assert response.json()["name"] == "Zorg thuis"
    else:
        assert_error(response, expected, {401: "unauthenticated", 404: "not_found"}[expected])


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=401,
        outsider=200,
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=200,
        admin=200,
    ),
)
def test_public_community_detail(cast, call, who, expected):
    """A public community's framing is readable by every caller with a valid token."""
    cast.make_public()
    response = call(who, "get", f"{BASE}/zorg-thuis")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["my_role"] == {
            "member": "member",
            "core": "core",
            "guest": "guest",
            "facilitator": "facilitator",
        }.get(who)


CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=401,
        outsider=(404, 403),
        member=200,
        core=200,
        guest=200,
        facilitator=200,
        other_facilitator=(404, 403),
        admin=200,
    ),
)
def test_list_members(cast, call, who, expected, visibility):
    """Members (guests too) list the members; outsiders get 404 (private) or 403 (public)."""
    if visibility == "public":
        cast.make_public()
    expected = by_visibility(expected, visibility)
    response = call(who, "get", f"{BASE}/zorg-thuis/members")
    if expected == 200:
        assert response.status_code == 200
        assert response.json()["count"] == 5
    else:
        assert_error(response, expected, CODES[expected])


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=401,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=201,
        other_facilitator=404,
        admin=201,
    ),
)
def test_add_member(cast, call, who, expected):
    """Only the community's facilitators and admins add people."""
    response = call(who, "post", f"{BASE}/zorg-thuis/members", {"email": cast["outsider"].email})
    added = Membership.objects.filter(community=cast.community, user=cast["outsider"])
    if expected == 201:
        assert response.status_code == 201
        assert response.json()["invited"] is False
        assert added.exists()
    else:
        assert_error(response, expected, CODES[expected])
        assert not added.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=401,
        outsider=403,
        member=403,
        core=403,
        guest=403,
        # The cast's facilitators were given the right to found communities.
        facilitator=201,
        other_facilitator=201,
        admin=201,
    ),
)
def test_create_community(cast, call, who, expected):
    """Founding a community takes the add_community permission (or being an admin)."""
    response = call(who, "post", BASE, {"name": "Brand new"})
    created = Community.objects.filter(name="Brand new")
    if expected == 201:
        assert response.status_code == 201
        assert created.exists()
    else:
        assert_error(response, expected, CODES[expected])
        assert not created.exists()


# --- Tokens and sessions --------------------------------------------------------------------


def test_read_token_reads(client, make_community):
    """A read token lists communities."""
    community = make_community(name="Readable")
    _token, secret = api_token_create(user=community.created_by, scope="read")
    response = client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["items"]] == ["readable"]


def test_read_token_cannot_write(client, make_user):
    """A read-scope token is refused for POST with 403 read_only_token; nothing is created."""
    founder = make_user(can_create=True)
    _token, secret = api_token_create(user=founder, scope="read")
    response = post_json(client, BASE, {"name": "Nope"}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert_error(response, 403, "read_only_token")
    assert not Community.objects.exists()


def test_revoked_token_is_refused(client, make_community):
    """A revoked token no longer works: 401."""
    community = make_community()
    user = community.created_by
    token, secret = api_token_create(user=user, scope="write")
    api_token_revoke(token=token, by=user)
    assert_error(client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {secret}"), 401, "unauthenticated")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer garbage",
        "Bearer kr_" + "x" * 43,
        "Bearer " + "kr_" * 100,
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ],
)
def test_garbage_token_is_refused(client, make_community, header):
    """Made-up, malformed or wrong-kind credentials get 401 with the standard error body."""
    make_community()
    assert_error(client.get(BASE, HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_token_of_deactivated_person_is_refused(client, make_user):
    """A token stops working when its owner's account is deactivated."""
    user = make_user()
    _token, secret = api_token_create(user=user, scope="write")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_error(client.get(BASE, HTTP_AUTHORIZATION=f"Bearer {secret}"), 401, "unauthenticated")


def test_session_reads(make_client, make_community):
    """A logged-in browser session may call the API."""
    community = make_community()
    response = make_client(community.created_by).get(f"{BASE}/{community.slug}")
    assert response.status_code == 200
    assert response.json()["my_role"] == "facilitator"


def test_session_write_needs_csrf(make_user):
    """A session POST without the CSRF token is refused and creates nothing."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(can_create=True))
    response = post_json(client, BASE, {"name": "Forged"})
    assert_error(response, 403, "error")
    assert not Community.objects.exists()


def test_createtoken_command_prints_a_working_token(client, make_user):
    """`kring createtoken EMAIL --scope write` prints a token that can write."""
    user = make_user(email="maker@example.org", can_create=True)
    out = StringIO()
    call_command("createtoken", "Maker@Example.org", "--scope", "write", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("kr_")
    response = post_json(
        client, BASE, {"name": "Made by CLI"}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 201
    assert Membership.objects.get(community__slug="made-by-cli").user == user


def test_createtoken_command_defaults_to_read(client, make_user):
    """Without --scope the printed token may only read."""
    make_user(email="reader@example.org", can_create=True)
    out = StringIO()
    call_command("createtoken", "reader@example.org", stdout=out)
    response = post_json(
        client, BASE, {"name": "x"}, HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}"
    )
    assert_error(response, 403, "read_only_token")


def test_createtoken_command_unknown_email(db):
    """createtoken refuses an unknown address with a clear message."""
    with pytest.raises(CommandError, match="No person with e-mail address"):
        call_command("createtoken", "nobody@example.org", stdout=StringIO())


# --- Creating communities -------------------------------------------------------------------


@pytest.fixture
def founder(make_user):
    return make_user(full_name="Frida Founder", can_create=True)


def test_create_with_name_only(client, founder, bearer):
    """POST with only a name derives the slug and makes the creator its facilitator."""
    response = post_json(client, BASE, {"name": "Zorg & Welzijn Thuis"}, **bearer(founder))
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "zorg-welzijn-thuis"
    assert body["my_role"] == "facilitator"
    assert body["member_count"] == 1
    assert body["visibility"] == "private"
    community = Community.objects.get(slug="zorg-welzijn-thuis")
    assert Membership.objects.get(community=community).user == founder
    assert Membership.objects.get(community=community).role == Role.FACILITATOR
    verbs = set(ActivityEvent.objects.filter(community=community).values_list("verb", flat=True))
    assert verbs == {CommunityVerb.COMMUNITY_CREATED, CommunityVerb.JOINED}


def test_create_with_same_name_gets_a_free_slug(client, founder, bearer, make_community):
    """A derived slug that is taken gets a number rather than failing."""
    make_community(name="Buurtzorg")
    response = post_json(client, BASE, {"name": "Buurtzorg"}, **bearer(founder))
    assert response.status_code == 201
    assert response.json()["slug"] == "buurtzorg-2"


def test_create_with_ground_rules(client, founder, bearer):
    """Ground rules sent along are stored in order."""
    response = post_json(
        client,
        BASE,
        {"name": "Rules", "ground_rules": ["Listen first", "  Share   freely "]},
        **bearer(founder),
    )
    assert response.status_code == 201
    assert response.json()["ground_rules"] == ["Listen first", "Share freely"]


def test_create_duplicate_slug(client, founder, bearer, make_community):
    """An explicit slug that is taken gives 422 and saves nothing."""
    make_community(name="First", slug="taken")
    communities, events = Community.objects.count(), ActivityEvent.objects.count()
    response = post_json(client, BASE, {"name": "Second", "slug": "taken"}, **bearer(founder))
    body = assert_error(response, 422, "invalid")
    assert body["errors"]["slug"] == ["Another community already uses this short name."]
    assert body["detail"] == "Another community already uses this short name."
    assert Community.objects.count() == communities
    assert ActivityEvent.objects.count() == events


def test_create_missing_name(client, founder, bearer):
    """A request without a name gets 422 with an error for the name field."""
    body = assert_error(post_json(client, BASE, {"slug": "x"}, **bearer(founder)), 422, "invalid")
    assert "name" in body["errors"]
    assert not Community.objects.exists()


def test_create_not_json(client, founder, bearer):
    """A body that is not JSON gets 400 in the same error format."""
    response = client.post(BASE, "{not json", content_type="application/json", **bearer(founder))
    assert_error(response, 400, "error")
    assert not Community.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": "x" * 121}, "name", "Keep the name to 120 characters at most."),
        ({"name": "   "}, "name", "A community needs a name."),
        (
            {"name": "Ok", "slug": "Not A Slug!"},
            "slug",
            "Use 1 to 60 lowercase letters, digits and single hyphens, e.g. 'zorg-thuis'.",
        ),
        ({"name": "Ok", "slug": "admin"}, "slug", "This short name is reserved; choose another."),
        ({"name": "Ok", "theme": "t" * 2001}, "theme", "Keep this to 2000 characters at most."),
        ({"name": "Ok", "visibility": "secret"}, "visibility", "Choose private or public."),
        (
            {"name": "Ok", "stage": "maturing"},
            "stage",
            "The stage is read-only: Kring derives it from the community's data. Facilitators "
            "correct it with POST /api/v1/communities/{slug}/development/stage.",
        ),
        (
            {"name": "Ok", "target_mix": {"citizen": 60, "municipality": 50}},
            "target_mix",
            "The shares add up to more than 100%.",
        ),
        (
            {"name": "Ok", "target_mix": {"martians": 10}},
            "target_mix",
            "Unknown perspective: martians",
        ),
        (
            {"name": "Ok", "target_mix": {"citizen": 101}},
            "target_mix",
            "Each share is a whole percentage from 0 to 100.",
        ),
        (
            {"name": "Ok", "ground_rules": ["r" * 301]},
            "ground_rules",
            "Keep each ground rule to 300 characters.",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_create_bad_input(client, founder, bearer, payload, field, message):
    """Invalid community fields give 422 with the field's message; nothing is saved."""
    body = assert_error(post_json(client, BASE, payload, **bearer(founder)), 422, "invalid")
    assert body["errors"][field] == [message]
    assert not Community.objects.exists()
    assert not ActivityEvent.objects.exists()


# --- Members --------------------------------------------------------------------------------


def test_members_pagination(client, cast, bearer):
    """The members list is paginated: "items" holds one page, "count" the total."""
    headers = bearer(cast["member"])
    url = f"{BASE}/zorg-thuis/members"
    first = client.get(url, {"page_size": 2}, **headers).json()
    last = client.get(url, {"page_size": 2, "page": 3}, **headers).json()
    assert first["count"] == last["count"] == 5
    assert len(first["items"]) == 2
    assert len(last["items"]) == 1
    everyone = client.get(url, **headers).json()["items"]
    names = [m["name"] for m in everyone]
    assert names == sorted(names)
    assert {m["name"] for m in first["items"] + last["items"]} < set(names)


def test_members_filters(client, cast, bearer):
    """The members list filters by role."""
    response = client.get(f"{BASE}/zorg-thuis/members", {"role": "guest"}, **bearer(cast["member"]))
    assert [m["name"] for m in response.json()["items"]] == ["Guus Guest"]


def test_add_unknown_email_invites(
    client, cast, bearer, settings, django_capture_on_commit_callbacks
):
    """An unknown address gets an account, a membership and an invitation e-mail that works."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            client,
            f"{BASE}/zorg-thuis/members",
            {"email": "New.Person@Example.org", "name": "Nina New", "role": "core"},
            **bearer(cast["facilitator"]),
        )
    assert response.status_code == 201
    body = response.json()
    assert body["invited"] is True
    assert body["has_joined"] is False
    assert body["role"] == "core"
    person = User.objects.get(email="new.person@example.org")
    assert person.full_name == "Nina New"
    assert not person.has_usable_password()
    assert Membership.objects.get(community=cast.community, user=person).role == Role.CORE

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Zorg thuis" in message.subject
    url = re.search(re.escape(settings.SITE_URL) + r"(/invitations/[^/\s]+/)", message.body).group(
        1
    )
    signup = client.post(url, {"full_name": "Nina New", "password": "another-long-passphrase"})
    assert signup.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another-long-passphrase")


def test_add_existing_person(client, cast, bearer):
    """A known address is added straight away, without an invitation."""
    response = post_json(
        client,
        f"{BASE}/zorg-thuis/members",
        {"email": cast["other_facilitator"].email, "role": "guest"},
        **bearer(cast["facilitator"]),
    )
    assert response.status_code == 201
    assert response.json()["invited"] is False
    assert response.json()["role"] == "guest"
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
        ({"email": "a@b@example.org", "name": "X"}, "email", "Enter a valid e-mail address."),
        ({"email": "new@example.org"}, "full_name", "A new person needs a name."),
        (
            {"email": "new@example.org", "name": "n" * 121},
            "full_name",
            "Keep the name to 120 characters.",
        ),
        (
            {"email": "new@example.org", "name": "N", "role": "boss"},
            "role",
            "Choose facilitator, core group, member or guest.",
        ),
        (
            {"email": "new@example.org", "name": "N", "perspectives": ["citizen", "martians"]},
            "perspectives",
            "Unknown perspective: martians",
        ),
    ],
    ids=["malformed", "two-at-signs", "no-name", "long-name", "bad-role", "bad-perspective"],
)
def test_add_member_bad_input(client, cast, bearer, payload, field, message):
    """Invalid member input gives 422 with the field's message; no account or membership."""
    people, memberships = User.objects.count(), Membership.objects.count()
    response = post_json(
        client, f"{BASE}/zorg-thuis/members", payload, **bearer(cast["facilitator"])
    )
    body = assert_error(response, 422, "invalid")
    assert body["errors"][field] == [message]
    assert User.objects.count() == people
    assert Membership.objects.count() == memberships
    assert not Invitation.objects.exists()


def test_community_detail_fields(client, cast, bearer):
    """The detail answer carries framing, ground rules, member count and the caller's role."""
    ground_rules_set(community=cast.community, by=cast["facilitator"], rules=["Be kind"])
    body = client.get(f"{BASE}/zorg-thuis", **bearer(cast["guest"])).json()
    assert body["ground_rules"] == ["Be kind"]
    assert body["member_count"] == 5
    assert body["my_role"] == "guest"
    assert body["url"].endswith("/communities/zorg-thuis/")


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize("who", ["member", "facilitator", "admin"])
def test_list_member_counts(client, cast, bearer, who, visibility):
    """The list counts every member of each community, not only the caller's own membership."""
    if visibility == "public":
        cast.make_public()
    items = client.get(BASE, **bearer(cast[who])).json()["items"]
    counts = {item["slug"]: item["member_count"] for item in items}
    assert counts["zorg-thuis"] == 5


@pytest.mark.parametrize("language", ["nl", "en"])
def test_api_docs_page_has_language_and_kring_stylesheet(client, settings, language):
    """/api/v1/docs names the page's language, loads Kring's contrast fixes and no deep links."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/api/v1/docs").content.decode()
    assert f'<html lang="{language}">' in html
    assert "kring/api-docs.css" in html
    assert '"deepLinking": false' in html
