"""Writes about invitations: by e-mail or as a shareable link, accepting them, and a
facilitator adding a person by e-mail (who gets an invitation to complete the account)."""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.accounts import oidc
from kring.accounts.models import Perspective, User
from kring.accounts.services import perspectives_changed, profiles_changed
from kring.communities import permissions
from kring.communities.models import (
    Community,
    Invitation,
    Membership,
    Role,
)
from kring.communities.services import membership_add, role_or_error
from kring.communities.verbs import CommunityVerb
from kring.core.csvimport import name_from_email
from kring.core.services import activity_record


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_url(secret: str) -> str:
    return settings.SITE_URL + reverse("invitation-accept", kwargs={"secret": secret})


def _send_invitation_email(*, invitation_id: int, secret: str) -> None:
    invitation = Invitation.objects.select_related("community", "created_by").get(pk=invitation_id)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "community": invitation.community,
            "inviter": invitation.created_by,
            "url": invitation_url(secret),
        }
        subject = _("Invitation to join %(community)s on Kring") % {
            "community": invitation.community.name
        }
        body = render_to_string("communities/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    community: Community,
    by: User,
    email: str = "",
    role: str = Role.MEMBER,
    message: str = "",
    days: int | None = None,
    send: bool = True,
) -> tuple[Invitation, str]:
    """Invite by e-mail (single use, sent at once) or create a shareable link (email='').

    Returns (invitation, secret); only the secret's hash is stored.
    """
    permissions.check_manage(by, community)
    role_or_error(role)
    if role == Role.FACILITATOR and not email:
        raise ValidationError({"role": _("A link cannot make people facilitators.")})
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
        if Membership.objects.filter(community=community, user__email__iexact=email).exists():
            raise ValidationError({"email": _("This person is already a member.")})
    if len(message) > 1000:
        raise ValidationError({"message": _("Keep the message to 1000 characters.")})
    days = days or settings.KRING_INVITATION_DAYS
    if not 1 <= days <= 90:
        raise ValidationError({"days": _("An invitation is valid for 1 to 90 days.")})
    return _invitation_make(
        community=community,
        by=by,
        email=email,
        role=role,
        message=message.strip(),
        days=days,
        send=send,
    )


def _invitation_make(
    *,
    community: Community,
    by: User,
    email: str,
    role: str,
    message: str = "",
    days: int | None = None,
    send: bool = True,
    other: User | None = None,
) -> tuple[Invitation, str]:
    secret = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        community=community,
        email=email,
        role=role,
        message=message,
        token_hash=_hash(secret),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days or settings.KRING_INVITATION_DAYS),
    )
    activity_record(
        actor=by,
        verb=CommunityVerb.INVITED,
        community=community,
        target=invitation,
        other=other,
        data={"by_link": not email, "role": role},
    )
    if email and send:
        transaction.on_commit(
            partial(_send_invitation_email, invitation_id=invitation.pk, secret=secret)
        )
    return invitation, secret


def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    permissions.check_manage(by, invitation.community)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationError(ValidationError):
    pass


def invitation_lookup(*, secret: str) -> Invitation:
    """The invitation for a secret, or InvitationError saying why it can't be used."""
    invitation = (
        Invitation.objects.select_related("community", "created_by")
        .filter(token_hash=_hash(secret or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), code="unknown")
    if invitation.revoked_at:
        raise InvitationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.email and invitation.accepted_at:
        raise InvitationError(_("This invitation has already been used."), code="used")
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired. Ask a facilitator for a new one."), code="expired"
        )
    return invitation


def _accept(invitation: Invitation, user: User) -> Membership:
    now = timezone.now()
    updated = Invitation.objects.filter(pk=invitation.pk)
    if invitation.email:
        # Only one acceptance wins, even when two arrive at once.
        count = updated.filter(accepted_at__isnull=True).update(
            accepted_at=now, accepted_by=user, use_count=1
        )
        if not count:
            raise InvitationError(_("This invitation has already been used."), code="used")
    else:
        existing = Membership.objects.filter(community=invitation.community, user=user).first()
        if existing is not None:
            # A member following a shared link again: nothing to count, nothing to record.
            return existing
        updated.update(use_count=F("use_count") + 1, accepted_at=now, accepted_by=user)
    membership = membership_add(
        community=invitation.community,
        user=user,
        role=invitation.role,
        by=invitation.created_by,
    )
    activity_record(
        actor=user,
        verb=CommunityVerb.INVITATION_ACCEPTED,
        community=invitation.community,
        target=invitation,
        other=invitation.created_by,
    )
    return membership


@transaction.atomic
def invitation_accept(*, secret: str, user: User) -> Membership:
    """A signed-in person accepts. E-mail invitations are personal: the address must match."""
    invitation = invitation_lookup(secret=secret)
    if invitation.email and invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _("This invitation was sent to another e-mail address."), code="wrong_person"
        )
    return _accept(invitation, user)


@transaction.atomic
def invitation_signup(
    *, secret: str, full_name: str, password: str, email: str = ""
) -> tuple[User, Membership]:
    """A new person accepts: creates (or completes) the account and joins the community."""
    invitation = invitation_lookup(secret=secret)
    email = (invitation.email or email).strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["full_name"] = [_("Your name is required: people here know each other by name.")]
    elif len(full_name) > 120:
        errors["full_name"] = [_("Keep your name to 120 characters.")]
    if oidc.only_sso():
        # Accounts are for logging in through the organisation: the invitation page sends the
        # person there and they accept once logged in (invitation_accept).
        raise ValidationError(_("Log in through your organisation to accept this invitation."))
    user = User.objects.filter(email__iexact=email).first() if "email" not in errors else None
    if user is not None and (user.has_joined or user.erased_at is not None):
        # Someone who has logged in before, with a password or through the organisation: an
        # invitation must neither set a password nor switch a switched-off account back on.
        errors["email"] = [_("An account with this e-mail address exists. Please log in first.")]
    elif user is not None and not invitation.email:
        # A pending account is completed only through the invitation sent to its address;
        # otherwise anyone holding a shared link could claim it by typing the address.
        errors["email"] = [_("This address has been invited already: use the link in that e-mail.")]
    if not errors:
        try:
            validate_password(password, user=User(email=email, full_name=full_name))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
    else:
        # An account that never joined: added by a facilitator, or imported (switched off
        # until its owner completes it through this invitation to its address).
        user.full_name = full_name
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["full_name", "password", "is_active"])
        transaction.on_commit(profiles_changed)  # a name kept from before is stale
    membership = _accept(invitation, user)
    return user, membership


@transaction.atomic
def invitation_sso_prepare(*, secret: str) -> None:
    """Only-SSO mode: give the address of an e-mail invitation an account, if it has none.

    The organisation's login matches existing accounts only (unless KRING_OIDC_CREATE_USERS),
    so without this the invited person could not log in to accept. The account has no
    password: only someone whose organisation vouches for that address gets in.
    """
    invitation = invitation_lookup(secret=secret)
    email = invitation.email.strip().lower()
    if not oidc.only_sso() or not email or User.objects.filter(email__iexact=email).exists():
        return
    try:
        with transaction.atomic():
            User.objects.create_user(email=email, password=None, full_name=name_from_email(email))
    except IntegrityError:
        pass  # Opened twice at once: the other request made it.


@transaction.atomic
def member_add_by_email(
    *,
    community: Community,
    by: User,
    email: str,
    full_name: str = "",
    role: str = Role.MEMBER,
    perspectives: list[str] | None = None,
) -> tuple[Membership, bool]:
    """A facilitator adds a person. Unknown addresses get an account and an invitation e-mail.

    Returns (membership, invited).
    """
    permissions.check_manage(by, community)
    role_or_error(role)
    email = (email or "").strip().lower()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    full_name = " ".join((full_name or "").split())
    if len(full_name) > 120:
        errors["full_name"] = _("Keep the name to 120 characters.")
    keys = list(dict.fromkeys(perspectives or []))
    found = list(Perspective.objects.filter(key__in=keys))
    if len(found) != len(keys):
        missing = sorted(set(keys) - {p.key for p in found})
        errors["perspectives"] = _("Unknown perspective: %(key)s") % {"key": ", ".join(missing)}
    user = User.objects.filter(email__iexact=email).first() if "email" not in errors else None
    if user is None and not full_name and "email" not in errors:
        errors["full_name"] = _("A new person needs a name.")
    if errors:
        raise ValidationError(errors)
    invited = False
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        invited = True
    if found and not user.perspectives.exists():
        user.perspectives.set(found)
        perspectives_changed()
    membership = membership_add(community=community, user=user, role=role, by=by)
    if not user.has_joined:
        # The person has no password yet: the invitation lets them complete their account.
        _invitation_make(community=community, by=by, email=email, role=role, other=user)
        invited = True
    return membership, invited


@transaction.atomic
def invitations_send(
    *,
    community: Community,
    by: User,
    emails: list[str],
    role: str = Role.MEMBER,
    message: str = "",
    days: int | None = None,
) -> list[Invitation]:
    """Invite several addresses at once; if one is refused, none is sent."""
    sent = []
    errors = []
    for email in emails:
        try:
            invitation, _secret = invitation_create(
                community=community, by=by, email=email, role=role, message=message, days=days
            )
        except ValidationError as exc:
            errors.append(f"{email}: {' '.join(exc.messages)}")
        else:
            sent.append(invitation)
    if errors:
        raise ValidationError({"emails": errors})
    return sent
