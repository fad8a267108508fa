"""E-mail preferences: what each person wants by e-mail, changing it in the settings, and the
one-click unsubscribe link every e-mail carries."""

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.conversations.models import (
    EMAIL_PREFERENCE,
    IN_APP_ONLY,
    DigestFrequency,
    NotificationPreference,
)

PREFERENCE_FIELDS = (
    "email_mentions",
    "email_replies",
    "email_accepted",
    "email_messages",
    "email_sessions",
)
# Switches for what appears in Kring itself (no e-mail, so no unsubscribe link).
IN_APP_FIELDS = ("story_prompts",)
UNSUBSCRIBE_SALT = "kring.conversations.unsubscribe"
# What a one-click unsubscribe link can switch off: one kind of e-mail, the digest, or all.
UNSUBSCRIBE_SCOPES = (*PREFERENCE_FIELDS, "digest", "all")


def preference_for(user: User) -> NotificationPreference:
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def wants_email(user: User, kind: str) -> bool:
    if not user.is_active or not user.email or kind in IN_APP_ONLY:
        return False
    preference = preference_for(user)
    field = EMAIL_PREFERENCE.get(kind)
    if field is None:
        # Moderation e-mails have no switch of their own (and no field to store one), yet
        # they carry a one-click unsubscribe for "all". "All" switches every e-mail kind off,
        # so all switches off is read as "unsubscribed from everything": then moderation
        # news arrives in Kring only (the in-app notification is always made).
        return any(getattr(preference, name) for name in PREFERENCE_FIELDS)
    return bool(getattr(preference, field))


@transaction.atomic
def preference_update(*, user: User, **fields: Any) -> NotificationPreference:
    unknown = set(fields) - set(PREFERENCE_FIELDS) - set(IN_APP_FIELDS) - {"digest"}
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown setting: %(name)s") % {"name": ", ".join(sorted(unknown))}}
        )
    if "digest" in fields and fields["digest"] not in DigestFrequency.values:
        raise ValidationError({"digest": _("Choose no digest, daily or weekly.")})
    preference = preference_for(user)
    if preference.digest == DigestFrequency.OFF and fields.get("digest", "off") != "off":
        # Switching the digest on starts its first period now: it never reaches back to
        # things from before the person asked for it.
        preference.digest_sent_at = timezone.now()
    for name, value in fields.items():
        setattr(preference, name, value if name == "digest" else bool(value))
    preference.save()
    return preference


def unsubscribe_token(*, user: User, scope: str) -> str:
    assert scope in UNSUBSCRIBE_SCOPES
    return signing.dumps({"u": user.pk, "s": scope}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[User, str]:
    """The person and scope a token stands for; ValidationError when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"])
        scope = data["s"]
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError(_("This unsubscribe link is not valid.")) from exc
    if scope not in UNSUBSCRIBE_SCOPES:
        raise ValidationError(_("This unsubscribe link is not valid."))
    return user, scope


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    user, scope = unsubscribe_read(token=token)
    if scope == "all":
        preference_update(
            user=user, digest=DigestFrequency.OFF, **dict.fromkeys(PREFERENCE_FIELDS, False)
        )
    elif scope == "digest":
        preference_update(user=user, digest=DigestFrequency.OFF)
    else:
        preference_update(user=user, **{scope: False})
    return user, scope
