"""Reads about people."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from kring.accounts.models import ApiToken, User

# A number that changes whenever someone's perspectives change: caches of counts per
# perspective (the community home's mix) put it in their keys, so a change makes them stale.
PERSPECTIVES_VERSION_KEY = "accounts:perspectives-version"

# Bumped by services.profiles_changed() whenever a profile changes.
PROFILES_VERSION_KEY = "accounts:profiles-version"
# Addresses per query: well under SQLite's limit of parameters per statement.
EMAIL_CHUNK = 500


def people_by_email(*, emails: list[str]) -> dict[str, User | None]:
    """The account of each (lower-case) address, or None where there is none. Also finds an
    account stored with other capitals (stored before addresses were lower-cased)."""
    found: dict[str, User] = {}
    for start in range(0, len(emails), EMAIL_CHUNK):
        chunk = emails[start : start + EMAIL_CHUNK]
        found.update({u.email.lower(): u for u in User.objects.filter(email__in=chunk)})
    for email in set(emails) - set(found):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            found[email] = user
    return {email: found.get(email) for email in emails}


def person_get_active_by_email(*, email: str) -> User | None:
    """The active account with this address (any capitals), or None."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def api_tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """The person's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_get_own(*, user: User, pk: int) -> ApiToken:
    """One of the person's own tokens; 404 for anyone else's, so ids reveal nothing."""
    token = ApiToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404
    return token


def perspectives_version() -> int:
    """The current version of everyone's perspectives (see PERSPECTIVES_VERSION_KEY)."""
    return int(cache.get(PERSPECTIVES_VERSION_KEY, 0))


def profiles_version() -> int:
    """A number that changes whenever a profile changes: part of the key of anything cached
    from member profiles."""
    return int(cache.get(PROFILES_VERSION_KEY, 0))
