"""Writes about requests to join a public community: asking, and the facilitators'
answer (an invitation or a no)."""

import re
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities import permissions
from kring.communities.models import (
    Community,
    JoinRequest,
    JoinRequestStatus,
    Role,
)
from kring.communities.selectors import members_of
from kring.communities.services_invitations import invitation_create
from kring.core import throttle

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
    facilitators = members_of(community=community, role=Role.FACILITATOR).distinct()
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
