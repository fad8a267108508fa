"""Invitations: the only way in. E-mail invitations are personal and single use; links work
for anyone until they expire. A refused invitation says why and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Invitation, Membership, Role
from kring.communities.services_invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_add_by_email,
)
from kring.communities.verbs import CommunityVerb
from kring.core.models import ActivityEvent

NEW_PASSWORD = "tulips-and-canals-42"


@pytest.fixture
def community(make_community):
    return make_community(name="Zorg thuis", slug="zorg-thuis")


@pytest.fixture
def facilitator(community):
    return community.created_by


@pytest.fixture
def invite(community, facilitator):
    """Create an invitation through the service; returns (invitation, accept URL)."""

    def make(email: str = "", role: str = Role.MEMBER):
        invitation, secret = invitation_create(
            community=community, by=facilitator, email=email, role=role, send=False
        )
        return invitation, f"/invitations/{secret}/"

    return make


def expire(invitation: Invitation) -> None:
    # Moving the clock for one row is simpler and clearer than freezing time everywhere.
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def signup(client, url, *, full_name="Nina Nieuw", password=NEW_PASSWORD, email=""):
    data = {"full_name": full_name, "password": password}
    if email:
        data["email"] = email
    return client.post(url, data)


# --- Accepting ------------------------------------------------------------------------------


def test_email_invitation_signup(client, community, facilitator, invite):
    """Signing up through an e-mail invitation creates the account, logs in, joins with the
    invitation's role and records who joined through whose invitation."""
    invitation, url = invite(email="nina@example.org", role=Role.CORE)
    page = client.get(url)
    assert page.status_code == 200
    assert b"nina@example.org" in page.content

    response = signup(client, url)

    assert response.status_code == 302
    assert response["Location"] == "/me/profile/"
    nina = User.objects.get(email="nina@example.org")
    assert nina.full_name == "Nina Nieuw"
    assert nina.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(nina.pk)
    assert Membership.objects.get(community=community, user=nina).role == Role.CORE
    invitation.refresh_from_db()
    assert invitation.accepted_by == nina
    assert invitation.accepted_at is not None
    events = {e.verb: e for e in ActivityEvent.objects.filter(actor=nina)}
    assert set(events) == {CommunityVerb.JOINED, CommunityVerb.INVITATION_ACCEPTED}
    for event in events.values():
        assert event.community == community
        assert event.other == facilitator
    assert events[CommunityVerb.JOINED].data == {"role": Role.CORE}


def test_link_invitation_is_multi_use(make_client, community, invite):
    """A link invitation lets several people join until it expires."""
    invitation, url = invite()
    for n in (1, 2):
        response = signup(make_client(), url, full_name=f"Linda {n}", email=f"linda{n}@example.org")
        assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.use_count == 2
    joined = Membership.objects.filter(community=community, user__email__startswith="linda")
    assert joined.count() == 2
    assert set(joined.values_list("role", flat=True)) == {Role.MEMBER}


def test_email_invitation_is_single_use(make_client, community, invite):
    """A used e-mail invitation can't be used again: a clear message, nothing changes."""
    invitation, url = invite(email="nina@example.org")
    assert signup(make_client(), url).status_code == 302
    people = User.objects.count()

    again = make_client()
    page = again.get(url)
    assert page.status_code == 410
    assert b"This invitation has already been used." in page.content
    response = signup(again, url, full_name="Someone Else", password="other-long-passphrase")
    assert response.status_code == 410
    assert User.objects.count() == people
    assert not User.objects.get(email="nina@example.org").check_password("other-long-passphrase")
    assert "_auth_user_id" not in again.session


def test_email_invitation_accepted_once_by_service(make_user, community, invite):
    """The service refuses a second acceptance of an e-mail invitation."""
    nina = make_user(email="nina@example.org")
    invitation, url = invite(email="nina@example.org")
    secret = url.split("/")[2]
    invitation_accept(secret=secret, user=nina)
    with pytest.raises(InvitationError) as refused:
        invitation_accept(secret=secret, user=nina)
    assert refused.value.code == "used"
    assert ActivityEvent.objects.filter(verb=CommunityVerb.INVITATION_ACCEPTED).count() == 1


@pytest.mark.parametrize("kind", ["email", "link"])
def test_expired_invitation(client, community, invite, kind):
    """An expired invitation says so and lets nobody in."""
    invitation, url = invite(email="nina@example.org" if kind == "email" else "")
    expire(invitation)
    page = client.get(url)
    assert page.status_code == 410
    message = b"This invitation has expired. Ask a facilitator for a new one."
    assert message in page.content
    response = signup(client, url, email="nina@example.org")
    assert response.status_code == 410
    assert message in response.content
    assert not User.objects.filter(email="nina@example.org").exists()
    assert Membership.objects.filter(community=community).count() == 1


@pytest.mark.parametrize("kind", ["email", "link"])
def test_revoked_invitation(client, community, facilitator, invite, kind):
    """A withdrawn invitation says so and lets nobody in."""
    invitation, url = invite(email="nina@example.org" if kind == "email" else "")
    invitation_revoke(invitation=invitation, by=facilitator)
    response = signup(client, url, email="nina@example.org")
    assert response.status_code == 410
    assert b"This invitation was withdrawn." in response.content
    assert not User.objects.filter(email="nina@example.org").exists()


def test_unknown_invitation(client, community):
    """A made-up invitation link gives 404 with a clear message."""
    response = client.get("/invitations/made-up-secret/")
    assert response.status_code == 404
    assert b"This invitation link is not valid." in response.content


def test_wrong_person_accepting(make_client, make_user, community, invite):
    """Someone logged in can't accept an e-mail invitation meant for someone else."""
    invitation, url = invite(email="nina@example.org")
    intruder = make_user(email="intruder@example.org")
    response = make_client(intruder).post(url, follow=True)
    assert b"This invitation was sent to another e-mail address." in response.content
    assert not Membership.objects.filter(community=community, user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not ActivityEvent.objects.filter(actor=intruder).exists()


def test_right_person_accepting_while_logged_in(make_client, make_user, community, invite):
    """The addressee, logged in with an existing account, joins with one click."""
    nina = make_user(email="Nina@Example.org")
    _invitation, url = invite(email="nina@example.org", role=Role.GUEST)
    client = make_client(nina)
    assert b"Join Zorg thuis" in client.get(url).content
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/communities/zorg-thuis/"
    assert Membership.objects.get(community=community, user=nina).role == Role.GUEST


def test_existing_account_must_log_in(client, make_user, community, invite):
    """Signing up with the address of an existing account asks to log in; nothing changes."""
    existing = make_user(email="known@example.org")
    _invitation, url = invite()
    response = signup(client, url, email="known@example.org", password="hijack-attempt-123")
    assert response.status_code == 200
    assert b"An account with this e-mail address exists. Please log in first." in response.content
    existing.refresh_from_db()
    assert not existing.check_password("hijack-attempt-123")
    assert not Membership.objects.filter(community=community, user=existing).exists()


def test_link_cannot_claim_a_pending_account(
    client, make_community, make_user, community, facilitator, invite
):
    """A shared link can't be used to set the password of someone who was invited by e-mail
    (to any community) but has not joined yet: only their own invitation completes it."""
    elsewhere = make_community(name="Elsewhere")
    pending, _invited = member_add_by_email(
        community=elsewhere, by=elsewhere.created_by, email="pending@example.org", full_name="Pim"
    )
    _invitation, url = invite()
    response = signup(client, url, email="pending@example.org", full_name="Not Pim")
    assert response.status_code == 200
    assert b"use the link in that e-mail" in response.content
    person = User.objects.get(email="pending@example.org")
    assert not person.has_usable_password()
    assert person.full_name == "Pim"
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(community=community, user=person).exists()


def test_pending_account_completed_by_own_invitation(
    make_client, community, facilitator, django_capture_on_commit_callbacks
):
    """Someone added by e-mail completes their account through the invitation sent to them."""
    with django_capture_on_commit_callbacks(execute=True):
        membership, invited = member_add_by_email(
            community=community,
            by=facilitator,
            email="pim@example.org",
            full_name="Pim",
            role="core",
        )
    assert invited
    assert not membership.user.has_usable_password()
    url = re.search(r"/invitations/[^/\s]+/", mail.outbox[0].body).group(0)
    client = make_client()
    response = signup(client, url, full_name="Pim Jansen")
    assert response.status_code == 302
    pim = User.objects.get(email="pim@example.org")
    assert pim.pk == membership.user.pk
    assert pim.full_name == "Pim Jansen"
    assert pim.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(pim.pk)
    assert Membership.objects.get(community=community, user=pim).role == Role.CORE


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "", "password": NEW_PASSWORD}, "full_name", "This field is required."),
        (
            {"full_name": "n" * 121, "password": NEW_PASSWORD},
            "full_name",
            "Ensure this value has at most 120 characters (it has 121).",
        ),
        (
            {"full_name": "Nina", "password": "short"},
            "password",
            "This password is too short. It must contain at least 8 characters.",
        ),
        ({"full_name": "Nina", "password": "password123"}, "password", "too common"),
        ({"full_name": "Nina", "password": "90817263544"}, "password", "entirely numeric"),
        (
            {"full_name": "Nina", "password": NEW_PASSWORD, "email": "not-an-address"},
            "email",
            "Enter a valid email address.",
        ),
    ],
    ids=["no-name", "long-name", "short-password", "common-password", "numeric", "bad-email"],
)
def test_signup_bad_input(client, community, invite, data, field, message):
    """Sign-up input that doesn't pass shows the message at the field; nothing is saved."""
    invitation, url = invite()
    data.setdefault("email", "nina@example.org")
    people, events = User.objects.count(), ActivityEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message.encode() in response.content.replace(b"&#x27;", b"'")
    assert User.objects.count() == people
    assert ActivityEvent.objects.count() == events
    invitation.refresh_from_db()
    assert invitation.use_count == 0


# --- Inviting -------------------------------------------------------------------------------


def test_invite_by_email_sends_one_mail(
    make_client, community, facilitator, django_capture_on_commit_callbacks
):
    """Inviting two addresses sends each one e-mail with a personal link, after commit."""
    client = make_client(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/communities/zorg-thuis/invitations/",
            {
                "kind": "email",
                "emails": "a@example.org;\nB@example.org",
                "role": "guest",
                "message": "Come and join us",
                "days": 7,
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    first = next(m for m in mail.outbox if m.to == ["a@example.org"])
    assert "Come and join us" in first.body
    url = re.search(r"/invitations/[^/\s]+/", first.body).group(0)
    assert make_client().get(url).status_code == 200
    invitation = Invitation.objects.get(email="a@example.org")
    assert invitation.role == Role.GUEST
    assert timedelta(days=6) < invitation.expires_at - timezone.now() <= timedelta(days=7)


def test_invite_by_link_shows_the_link(make_client, community, facilitator, settings):
    """A link invitation is shown once on the page and works for a new person."""
    client = make_client(facilitator)
    response = client.post(
        "/communities/zorg-thuis/invitations/", {"kind": "link", "role": "member", "days": 14}
    )
    assert response.status_code == 200
    pattern = re.escape(settings.SITE_URL) + r"(/invitations/[^/<\s]+/)"
    link = re.search(pattern.encode(), response.content)
    assert make_client().get(link.group(1).decode()).status_code == 200
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "email", "emails": "good@example.org, bad@", "role": "member", "days": 14},
            "emails",
            "Not a valid e-mail address: bad@",
        ),
        (
            {"kind": "email", "emails": "", "role": "member", "days": 14},
            "emails",
            "Enter at least one e-mail address.",
        ),
        (
            {
                "kind": "email",
                "emails": ",".join(f"p{n}@example.org" for n in range(51)),
                "role": "member",
                "days": 14,
            },
            "emails",
            "Invite at most 50 people at once.",
        ),
        (
            {"kind": "link", "role": "facilitator", "days": 14},
            "role",
            "A link cannot make people facilitators.",
        ),
        (
            {"kind": "link", "role": "member", "days": 91},
            "days",
            "Ensure this value is less than or equal to 90.",
        ),
        (
            {
                "kind": "email",
                "emails": "a@example.org",
                "role": "member",
                "message": "m" * 1001,
                "days": 14,
            },
            "message",
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
    ],
    ids=["malformed", "none", "too-many", "facilitator-link", "too-long-valid", "long-message"],
)
def test_invite_bad_input(
    make_client, community, facilitator, django_capture_on_commit_callbacks, data, field, message
):
    """Invalid invitations show the message at the field; nothing is saved or sent."""
    with django_capture_on_commit_callbacks(execute=True):
        response = make_client(facilitator).post("/communities/zorg-thuis/invitations/", data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_existing_member_refuses_all(
    make_client, make_member, community, facilitator, django_capture_on_commit_callbacks
):
    """If one address is already a member, none of the invitations is made or sent."""
    make_member(community, email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = make_client(facilitator).post(
            "/communities/zorg-thuis/invitations/",
            {
                "kind": "email",
                "emails": "new@example.org, member@example.org",
                "days": 14,
                "role": "member",
            },
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["emails"]
    assert errors == ["member@example.org: This person is already a member."]
    assert not Invitation.objects.exists()
    assert mail.outbox == []
