"""The public landing page: facilitators' photos for everyone, and a way to ask to join that
reaches the facilitators (and only them), limited so it can't be used to flood them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kring.accounts.services import photo_prepare, profile_update
from kring.communities import services_join_requests as services
from kring.communities.models import Invitation, JoinRequest, JoinRequestStatus, Membership, Role
from kring.communities.tests.access import DONE, LOGIN, assert_outcome, table

VISITOR = {"name": "Vera Visitor", "email": "vera@example.org", "message": "I run a care café."}


@pytest.fixture
def as_(make_client, cast):
    return lambda who: make_client(cast[who])


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST to a URL with on-commit work (the e-mails) carried out."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def _give_photo(person, make_image):
    profile_update(user=person, by=person, photo=photo_prepare(upload=make_image()))


# --- Photos ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_public_facilitator_photo_is_public(cast, as_, make_image, who):
    """The photo of a public community's facilitator shows to anyone, signed in or not."""
    cast.make_public()
    facilitator = cast["facilitator"]
    _give_photo(facilitator, make_image)
    response = as_(who).get(f"/people/{facilitator.pk}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_landing_page_shows_facilitator_photo_that_loads(cast, as_, make_image):
    """An anonymous visitor's landing page points at a facilitator photo they may load."""
    cast.make_public()
    facilitator = cast["facilitator"]
    _give_photo(facilitator, make_image)
    client = as_("anonymous")
    page = client.get("/communities/zorg-thuis/").content.decode()
    assert f"/people/{facilitator.pk}/photo/" in page
    assert client.get(f"/people/{facilitator.pk}/photo/").status_code == 200


@pytest.mark.parametrize(("who", "expected"), [("anonymous", LOGIN), ("outsider", 404)])
def test_private_facilitator_photo_stays_protected(cast, as_, make_image, who, expected):
    """A private community's facilitator keeps their photo behind the profile rule."""
    facilitator = cast["facilitator"]
    _give_photo(facilitator, make_image)
    assert_outcome(as_(who).get(f"/people/{facilitator.pk}/photo/"), expected)


@pytest.mark.parametrize(("who", "expected"), [("anonymous", LOGIN), ("outsider", 404)])
def test_public_member_photo_stays_protected(cast, as_, make_image, who, expected):
    """An ordinary member of a public community keeps their photo private."""
    cast.make_public()
    _give_photo(cast.target, make_image)
    assert_outcome(as_(who).get(f"/people/{cast.target.pk}/photo/"), expected)


# --- Who may ask ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=200,
        outsider=200,
        member=403,
        core=403,
        guest=403,
        facilitator=403,
        other_facilitator=200,
        admin=403,
    ),
)
def test_join_page_on_public_community(cast, as_, who, expected):
    """Outsiders of a public community get the form; those already inside don't."""
    cast.make_public()
    response = as_(who).get("/communities/zorg-thuis/join/")
    assert response.status_code == expected
    landing = as_(who).get("/communities/zorg-thuis/")
    assert (b'action="/communities/zorg-thuis/join/"' in landing.content) is (expected == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=404,
        outsider=404,
        member=403,
        core=403,
        guest=403,
        facilitator=403,
        other_facilitator=404,
        admin=403,
    ),
)
def test_private_community_offers_no_form(cast, as_, who, expected):
    """A private community has no way to ask: it does not exist for outsiders (404)."""
    assert as_(who).get("/communities/zorg-thuis/join/").status_code == expected
    response = as_(who).post("/communities/zorg-thuis/join/", VISITOR)
    assert response.status_code == expected
    assert not JoinRequest.objects.exists()


def test_signed_in_outsider_writes_only_a_message(cast, as_):
    """A signed-in outsider is known by their account: the form asks only for a message."""
    cast.make_public()
    page = as_("outsider").get("/communities/zorg-thuis/").content
    assert b'name="message"' in page
    assert b'name="email"' not in page
    anonymous_page = as_("anonymous").get("/communities/zorg-thuis/").content
    assert b'name="email"' in anonymous_page and b'name="name"' in anonymous_page


# --- Sending --------------------------------------------------------------------------------


def test_visitor_request_is_stored_and_mailed_to_facilitators_only(
    cast, as_, send, make_member, monkeypatch
):
    """A visitor's request is kept, and each facilitator (only they) gets an e-mail in their
    own language that can be answered straight to the visitor."""
    cast.make_public()
    second = make_member(cast.community, role=Role.FACILITATOR, full_name="Sam Second").user
    second.language = "nl"
    second.save(update_fields=["language"])
    cast["facilitator"].language = "en"
    cast["facilitator"].save(update_fields=["language"])
    languages = []
    render = services.render_to_string

    def recording_render(*args, **kwargs):
        languages.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(services, "render_to_string", recording_render)
    mail.outbox.clear()
    response = send(as_("anonymous"), "/communities/zorg-thuis/join/", VISITOR)
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.name, request.email, request.user) == ("Vera Visitor", VISITOR["email"], None)
    assert request.status == JoinRequestStatus.OPEN
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cast["facilitator"].email, second.email])
    for message in mail.outbox:
        assert message.reply_to == [VISITOR["email"]]
        assert "I run a care café." in message.body
    english = next(m for m in mail.outbox if m.to == [cast["facilitator"].email])
    assert english.subject == "Vera Visitor asks to join Zorg thuis"
    # Each message is written in its reader's language (in the order they were sent).
    order = [m.to[0] for m in mail.outbox]
    assert dict(zip(order, languages, strict=True)) == {
        cast["facilitator"].email: "en",
        second.email: "nl",
    }


def test_signed_in_request_uses_account(cast, as_, send):
    """A signed-in outsider's request carries their own name and address."""
    cast.make_public()
    outsider = cast["outsider"]
    response = send(
        as_("outsider"),
        "/communities/zorg-thuis/join/",
        {"message": "Hello", "name": "Someone Else", "email": "forged@example.org"},
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    assert (request.user, request.name, request.email) == (
        outsider,
        outsider.full_name,
        outsider.email,
    )
    page = as_("outsider").get("/communities/zorg-thuis/").content
    assert b"You have asked to join." in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**VISITOR, "message": ""}, "message"),
        ({**VISITOR, "message": "x" * 1001}, "message"),
        ({**VISITOR, "name": "n" * 121}, "name"),
        ({**VISITOR, "name": ""}, "name"),
        ({**VISITOR, "email": "not-an-address"}, "email"),
        ({**VISITOR, "email": "vera@example.org\nBcc: all@example.org"}, "email"),
        ({**VISITOR, "email": "a" * 250 + "@example.org"}, "email"),
        ({**VISITOR, "message": "hi\x00there"}, "message"),
        ({**VISITOR, "message": "hi\x07there"}, "message"),
    ],
)
def test_bad_input_saves_and_sends_nothing(cast, as_, send, data, field):
    """Missing, oversized and hostile input is refused next to its field; nothing is kept
    or sent."""
    cast.make_public()
    mail.outbox.clear()
    response = send(as_("anonymous"), "/communities/zorg-thuis/join/", data)
    assert response.status_code == 200
    assert response.context["join_form"].errors.get(field)
    assert not JoinRequest.objects.exists()
    assert mail.outbox == []


def test_service_refuses_name_with_line_breaks(cast):
    """A name that would break an e-mail header is refused by the service itself."""
    cast.make_public()
    with pytest.raises(ValidationError) as caught:
        services.join_request_create(
            community=cast.community,
            by=None,
            name="Vera\r\nBcc: all@example.org",
            email="vera@example.org",
            message="Hello",
        )
    assert "name" in caught.value.message_dict
    assert not JoinRequest.objects.exists()


def test_markup_in_message_is_shown_as_text(cast, as_, send):
    """Markup in a request reaches the facilitators' page as plain text."""
    cast.make_public()
    send(
        as_("anonymous"),
        "/communities/zorg-thuis/join/",
        {**VISITOR, "message": "<script>alert(1)</script>"},
    )
    page = as_("facilitator").get("/communities/zorg-thuis/invitations/").content
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_second_open_request_from_same_address_is_refused(cast, as_, send):
    """Someone who asked already is told so, and nothing new is stored."""
    cast.make_public()
    send(as_("anonymous"), "/communities/zorg-thuis/join/", VISITOR)
    response = send(as_("anonymous"), "/communities/zorg-thuis/join/", VISITOR)
    assert response.status_code == 200
    assert b"You have asked already." in response.content
    assert JoinRequest.objects.count() == 1


def test_rate_limit_per_email(cast, make_community, as_, send, monkeypatch):
    """Past the limit per e-mail address, requests (even to other communities) are refused."""
    monkeypatch.setattr(services, "JOIN_REQUESTS_PER_EMAIL", 2)
    cast.make_public()
    others = [make_community(visibility="public", name=f"Open {n}") for n in range(3)]
    client = as_("anonymous")
    for community in others[:2]:
        response = send(client, f"/communities/{community.slug}/join/", VISITOR)
        assert response.status_code == 302
    mail.outbox.clear()
    response = send(client, f"/communities/{others[2].slug}/join/", VISITOR)
    assert response.status_code == 429
    assert b"Please try again in an hour." in response.content
    assert JoinRequest.objects.count() == 2
    assert mail.outbox == []


def test_rate_limit_per_client(cast, as_, send, monkeypatch):
    """Past the limit per client address, new addresses from it are refused too."""
    monkeypatch.setattr(services, "JOIN_REQUESTS_PER_CLIENT", 2)
    cast.make_public()
    client = as_("anonymous")
    for n in range(2):
        data = {**VISITOR, "email": f"v{n}@example.org"}
        assert send(client, "/communities/zorg-thuis/join/", data).status_code == 302
    response = send(client, "/communities/zorg-thuis/join/", {**VISITOR, "email": "v9@ex.org"})
    assert response.status_code == 429
    assert JoinRequest.objects.count() == 2


# --- Answering ------------------------------------------------------------------------------


@pytest.fixture
def open_request(cast):
    cast.make_public()
    return services.join_request_create(community=cast.community, by=None, **VISITOR)


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=403,
        member=403,
        core=403,
        guest=403,
        facilitator=200,
        other_facilitator=403,
        admin=200,
    ),
)
def test_facilitators_see_open_requests(cast, as_, open_request, who, expected):
    """Only the facilitators (and admins) see who asked to join."""
    response = as_(who).get("/communities/zorg-thuis/invitations/")
    assert_outcome(response, expected)
    if expected == 200:
        assert b"Vera Visitor" in response.content
        assert b"I run a care caf" in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    table(
        anonymous=LOGIN,
        outsider=403,
        member=403,
        core=403,
        guest=403,
        facilitator=302,
        other_facilitator=403,
        admin=302,
    ),
)
def test_answer_with_invitation(cast, as_, send, open_request, who, expected):
    """A facilitator answers with an invitation to the address the request came from."""
    mail.outbox.clear()
    url = f"/communities/zorg-thuis/join-requests/{open_request.pk}/invite/"
    assert_outcome(send(as_(who), url, {}), DONE if expected == 302 else expected)
    open_request.refresh_from_db()
    invited = expected == 302
    assert (open_request.status == JoinRequestStatus.INVITED) is invited
    assert Invitation.objects.filter(email=VISITOR["email"]).exists() is invited
    assert [m.to for m in mail.outbox] == ([[VISITOR["email"]]] if invited else [])


def test_decline_closes_request(cast, as_, open_request):
    """Declining closes the request without an invitation; it can't be answered twice."""
    url = f"/communities/zorg-thuis/join-requests/{open_request.pk}/"
    response = as_("facilitator").post(url + "decline/")
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.status == JoinRequestStatus.DECLINED
    assert open_request.handled_by == cast["facilitator"]
    assert as_("facilitator").post(url + "invite/").status_code == 404
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(user__email=VISITOR["email"]).exists()


def test_answer_needs_post(cast, as_, open_request):
    """Opening an answer link changes nothing."""
    url = f"/communities/zorg-thuis/join-requests/{open_request.pk}/invite/"
    assert as_("facilitator").get(url).status_code == 405
    open_request.refresh_from_db()
    assert open_request.is_open


def test_requests_page_queries_do_not_grow(cast, as_, open_request, django_assert_num_queries):
    """The invitations page costs the same number of queries for one request as for several."""
    client = as_("facilitator")
    url = "/communities/zorg-thuis/invitations/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        services.join_request_create(
            community=cast.community,
            by=None,
            name=f"Visitor {n}",
            email=f"visitor{n}@example.org",
            message="Hello",
            client=f"10.0.0.{n}",
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


@pytest.mark.parametrize(("who", "shown"), [("facilitator", True), ("member", False)])
def test_community_page_tells_facilitators_who_waits(cast, as_, open_request, who, shown):
    """Facilitators see on the community page that someone asks to join; members don't."""
    page = as_(who).get("/communities/zorg-thuis/").content
    assert (b"1 person asks to join." in page) is shown
