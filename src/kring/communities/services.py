"""Writes about communities: framing, ground rules, membership, roles, invitations."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kring.accounts import oidc
from kring.accounts.models import Perspective, User
from kring.communities import permissions
from kring.communities.models import (
    Community,
    GroundRule,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Role,
    Stage,
    Visibility,
)
from kring.communities.verbs import CommunityVerb
from kring.core import search, throttle
from kring.core.csvimport import name_from_email
from kring.core.services import activity_record

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"create", "mine", "new", "edit", "api", "admin", "static", "media"}
COMMUNITY_TEXT_FIELDS = ("theme", "urgency", "shared_goal", "signature")
COMMUNITY_FIELDS = ("name", *COMMUNITY_TEXT_FIELDS, "visibility", "stage", "target_mix")


def _validate_slug(slug: str, *, exclude_pk: int | None = None) -> str:
    slug = slug.strip().lower()
    if not slug or len(slug) > 60 or not SLUG_RE.match(slug):
        raise ValidationError(
            {
                "slug": _(
                    "Use 1 to 60 lowercase letters, digits and single hyphens, e.g. 'zorg-thuis'."
                )
            }
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is reserved; choose another.")})
    clash = Community.objects.filter(slug=slug)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"slug": _("Another community already uses this short name.")})
    return slug


def _derive_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "community"
    if base in RESERVED_SLUGS:
        base = f"{base}-community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _validate_fields(values: dict) -> dict:
    errors: dict[str, str] = {}
    if "name" in values:
        values["name"] = " ".join((values["name"] or "").split())
        if not values["name"]:
            errors["name"] = _("A community needs a name.")
        elif len(values["name"]) > 120:
            errors["name"] = _("Keep the name to 120 characters at most.")
    for field in COMMUNITY_TEXT_FIELDS:
        if field in values:
            values[field] = (values[field] or "").strip()
            if len(values[field]) > 2000:
                errors[field] = _("Keep this to 2000 characters at most.")
    if "visibility" in values and values["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose private or public.")
    if "stage" in values and values["stage"] not in Stage.values:
        errors["stage"] = _("Choose one of the lifecycle stages.")
    if "target_mix" in values:
        mix = values["target_mix"] or {}
        known = set(Perspective.objects.values_list("key", flat=True))
        clean: dict[str, int] = {}
        if not isinstance(mix, dict):
            errors["target_mix"] = _("The target mix is a share in percent per perspective.")
        else:
            for key, share in mix.items():
                if key not in known:
                    errors["target_mix"] = _("Unknown perspective: %(key)s") % {"key": key}
                    break
                try:
                    share = int(share)
                except (TypeError, ValueError):
                    share = -1
                if not 0 <= share <= 100:
                    errors["target_mix"] = _("Each share is a whole percentage from 0 to 100.")
                    break
                if share:
                    clean[key] = share
            if "target_mix" not in errors and sum(clean.values()) > 100:
                errors["target_mix"] = _("The shares add up to more than 100%.")
        values["target_mix"] = clean
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def community_create(
    *, by: User, name: str, slug: str = "", at: datetime | None = None, **fields
) -> Community:
    """Create a community; its creator becomes its first facilitator.

    `at` backdates the creation (imports of history, demo data); it defaults to now.
    """
    permissions.check_create_community(by)
    unknown = set(fields) - set(COMMUNITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = _validate_fields({"name": name, **fields})
    values["slug"] = _validate_slug(slug) if slug else _derive_slug(values["name"])
    try:
        with transaction.atomic():
            community = Community.objects.create(
                created_by=by, created_at=at or timezone.now(), **values
            )
    except IntegrityError:
        raise ValidationError(
            {"slug": _("Another community already uses this short name.")}
        ) from None
    founder = Membership.objects.create(
        community=community, user=by, role=Role.FACILITATOR, joined_at=community.created_at
    )
    permissions.forget_membership(by, community)
    search.index_objects("person", [by.pk])
    activity_record(
        actor=by,
        verb=CommunityVerb.COMMUNITY_CREATED,
        community=community,
        target=community,
        at=community.created_at,
    )
    activity_record(
        actor=by,
        verb=CommunityVerb.JOINED,
        community=community,
        target=founder,
        at=community.created_at,
        data={"role": Role.FACILITATOR},
    )
    return community


@transaction.atomic
def community_update(*, community: Community, by: User, **fields) -> Community:
    permissions.check_manage(by, community)
    unknown = set(fields) - set(COMMUNITY_FIELDS) - {"slug"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = _validate_fields(dict(fields))
    if "slug" in values:
        values["slug"] = _validate_slug(values["slug"], exclude_pk=community.pk)
    changed = [f for f, v in values.items() if getattr(community, f) != v]
    for field in changed:
        setattr(community, field, values[field])
    if changed:
        community.save()
        activity_record(
            actor=by,
            verb=CommunityVerb.COMMUNITY_UPDATED,
            community=community,
            target=community,
            data={"fields": changed},
        )
    return community


@transaction.atomic
def ground_rules_set(*, community: Community, by: User, rules: list[str]) -> list[GroundRule]:
    """Replace the list of ground rules, keeping the identity of rules whose text stays."""
    permissions.check_edit_ground_rules(by, community)
    clean = [" ".join(rule.split()) for rule in rules]
    clean = [rule for rule in clean if rule]
    too_long = [rule for rule in clean if len(rule) > 300]
    if too_long:
        raise ValidationError({"ground_rules": _("Keep each ground rule to 300 characters.")})
    if len(clean) > 30:
        raise ValidationError({"ground_rules": _("Keep the list to 30 ground rules at most.")})
    current = list(community.ground_rules.all())
    before = [rule.text for rule in current]
    existing = {rule.text: rule for rule in current}
    kept = []
    for position, text in enumerate(clean):
        rule = existing.pop(text, None)
        if rule is None:
            rule = GroundRule.objects.create(community=community, text=text, position=position)
        elif rule.position != position:
            rule.position = position
            rule.save(update_fields=["position"])
        kept.append(rule)
    if existing:
        GroundRule.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    if before != clean:
        activity_record(
            actor=by,
            verb=CommunityVerb.COMMUNITY_UPDATED,
            community=community,
            target=community,
            data={"fields": ["ground_rules"]},
        )
    return kept


def _role_or_error(role: str) -> str:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose facilitator, core group, member or guest.")})
    return role


@transaction.atomic
def membership_add(
    *,
    community: Community,
    user: User,
    role: str = Role.MEMBER,
    by: User | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Membership:
    """Add a person to a community (idempotent: an existing membership is returned as is)."""
    _role_or_error(role)
    membership, created = Membership.objects.get_or_create(
        community=community,
        user=user,
        defaults={
            "role": role,
            "invited_by": by if by and by.pk != user.pk else None,
            "note": note[:300],
            "joined_at": at or timezone.now(),
        },
    )
    if created:
        permissions.forget_membership(user, community)
        search.index_objects("person", [user.pk])
        activity_record(
            actor=user,
            verb=CommunityVerb.JOINED,
            community=community,
            target=membership,
            other=by if by and by.pk != user.pk else None,
            at=at,
            data={"role": role},
        )
    return membership


def _facilitator_count(community: Community) -> int:
    return Membership.objects.filter(community=community, role=Role.FACILITATOR).count()


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, by: User) -> Membership:
    community = membership.community
    permissions.check_manage(by, community)
    _role_or_error(role)
    if membership.role == role:
        return membership
    if membership.role == Role.FACILITATOR and _facilitator_count(community) <= 1:
        raise ValidationError(
            {"role": _("A community keeps at least one facilitator. Appoint another first.")}
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.forget_membership(membership.user, community)
    activity_record(
        actor=by,
        verb=CommunityVerb.ROLE_CHANGED,
        community=community,
        target=membership,
        other=membership.user,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """A facilitator removes someone, or a person leaves."""
    community = membership.community
    leaving = by.pk == membership.user_id
    if not leaving:
        permissions.check_manage(by, community)
    if membership.role == Role.FACILITATOR and _facilitator_count(community) <= 1:
        raise ValidationError(
            _("A community keeps at least one facilitator. Appoint another first.")
        )
    user = membership.user
    activity_record(
        actor=by,
        verb=CommunityVerb.LEFT if leaving else CommunityVerb.REMOVED,
        community=community,
        target=community,
        other=None if leaving else user,
    )
    membership.delete()
    permissions.forget_membership(user, community)
    search.index_objects("person", [user.pk])


# --- Invitations ----------------------------------------------------------------------------


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
    _role_or_error(role)
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
    _role_or_error(role)
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
    membership = membership_add(community=community, user=user, role=role, by=by)
    if not user.has_joined:
        # The person has no password yet: the invitation lets them complete their account.
        _invitation_make(community=community, by=by, email=email, role=role, other=user)
        invited = True
    return membership, invited


@transaction.atomic
def community_create_with_rules(*, by: User, ground_rules: list[str], **fields) -> Community:
    """Create a community and its first ground rules in one go (all or nothing)."""
    community = community_create(by=by, **fields)
    if ground_rules:
        ground_rules_set(community=community, by=by, rules=ground_rules)
    return community


@transaction.atomic
def community_update_with_rules(
    *, community: Community, by: User, ground_rules: list[str], **fields
) -> Community:
    community_update(community=community, by=by, **fields)
    ground_rules_set(community=community, by=by, rules=ground_rules)
    return community


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


# --- Requests to join -----------------------------------------------------------------------

# Per hour: a few requests per e-mail address, a few more per client address (a shared office
# network may hold several honest people). Anything beyond is refused before it is stored.
JOIN_REQUEST_WINDOW_SECONDS = 3600
JOIN_REQUESTS_PER_EMAIL = 3
JOIN_REQUESTS_PER_CLIENT = 6
JOIN_MESSAGE_MAX = 1000
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class JoinRequestThrottled(ValidationError):
    pass


def _join_request_clean(*, name: str, email: str, message: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = name or ""
    if _CONTROL_CHARS.search(name) or "\n" in name or "\r" in name:
        errors["name"] = _("Write your name on one line, without special characters.")
    name = " ".join(name.split())
    if not name and "name" not in errors:
        errors["name"] = _("Tell the facilitators your name.")
    elif len(name) > 120:
        errors["name"] = _("Keep your name to 120 characters.")
    email = (email or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address, so the facilitators can answer.")
    message = (message or "").strip()
    if _CONTROL_CHARS.sub("", message.replace("\t", " ")) != message.replace("\t", " "):
        errors["message"] = _("The message contains characters that cannot be sent.")
    elif not message:
        errors["message"] = _("Write a few words: who you are and why you want to take part.")
    elif len(message) > JOIN_MESSAGE_MAX:
        errors["message"] = _("Keep the message to %(max)s characters.") % {"max": JOIN_MESSAGE_MAX}
    if errors:
        raise ValidationError(errors)
    return name, email, message


@transaction.atomic
def join_request_create(
    *,
    community: Community,
    by: User | None,
    message: str,
    name: str = "",
    email: str = "",
    client: str = "unknown",
) -> JoinRequest:
    """Someone outside a public community asks its facilitators to join; they get an e-mail.

    A signed-in person is known by their account; a visitor gives a name and an address.
    Limited per address and per client, so the form can't be used to flood the facilitators.
    """
    by = by if by is not None and by.is_authenticated else None
    permissions.check_request_to_join(by, community)
    if by is not None:
        name, email = by.full_name, by.email
    if throttle.is_blocked(
        "join-client", client, limit=JOIN_REQUESTS_PER_CLIENT
    ) or throttle.is_blocked("join-email", (email or "").strip(), limit=JOIN_REQUESTS_PER_EMAIL):
        raise JoinRequestThrottled(
            _("You have sent several requests already. Please try again in an hour."),
            code="throttled",
        )
    name, email, message = _join_request_clean(name=name, email=email, message=message)
    if JoinRequest.objects.filter(
        community=community, email=email, status=JoinRequestStatus.OPEN
    ).exists():
        raise ValidationError(
            _("You have asked already. The facilitators will answer you by e-mail."),
            code="duplicate",
        )
    throttle.register_failure("join-client", client, window=JOIN_REQUEST_WINDOW_SECONDS)
    throttle.register_failure("join-email", email, window=JOIN_REQUEST_WINDOW_SECONDS)
    join_request = JoinRequest.objects.create(
        community=community, user=by, name=name, email=email, message=message
    )
    transaction.on_commit(partial(_send_join_request_emails, join_request_id=join_request.pk))
    return join_request


def _send_join_request_emails(*, join_request_id: int) -> None:
    """One message per facilitator, in their own language; answering by e-mail reaches the
    person who asked."""
    join_request = JoinRequest.objects.select_related("community").get(pk=join_request_id)
    community = join_request.community
    facilitators = User.objects.filter(
        memberships__community=community,
        memberships__role=Role.FACILITATOR,
        is_active=True,
    ).distinct()
    url = settings.SITE_URL + reverse("invitation-list", kwargs={"slug": community.slug})
    for facilitator in facilitators:
        with translation.override(facilitator.language or settings.LANGUAGE_CODE):
            subject = _("%(name)s asks to join %(community)s") % {
                "name": join_request.name,
                "community": community.name,
            }
            body = render_to_string(
                "communities/email/join_request.txt",
                {"join_request": join_request, "community": community, "url": url},
            )
        EmailMessage(
            subject=subject,
            body=body,
            to=[facilitator.email],
            reply_to=[join_request.email],
        ).send()


def _join_request_close(*, join_request: JoinRequest, by: User, status: str) -> JoinRequest:
    join_request.status = status
    join_request.handled_by = by
    join_request.handled_at = timezone.now()
    join_request.save(update_fields=["status", "handled_by", "handled_at"])
    return join_request


@transaction.atomic
def join_request_invite(*, join_request: JoinRequest, by: User) -> JoinRequest:
    """Answer a request with an invitation (as a member) to the address it came from."""
    community = join_request.community
    permissions.check_manage(by, community)
    if not join_request.is_open:
        raise ValidationError(_("This request has been answered already."))
    invitation_create(
        community=community,
        by=by,
        email=join_request.email,
        role=Role.MEMBER,
        message=_("Thank you for your message. Welcome!"),
    )
    return _join_request_close(join_request=join_request, by=by, status=JoinRequestStatus.INVITED)


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, by: User) -> JoinRequest:
    """Close a request without an invitation (the person is not told by Kring)."""
    permissions.check_manage(by, join_request.community)
    if not join_request.is_open:
        raise ValidationError(_("This request has been answered already."))
    return _join_request_close(join_request=join_request, by=by, status=JoinRequestStatus.DECLINED)
