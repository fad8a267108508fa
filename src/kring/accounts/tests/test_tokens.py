"""Personal access tokens: made on the tokens page, shown once, stored hashed, revocable."""

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kring.accounts.models import ApiToken
from kring.accounts.services import api_token_authenticate, api_token_create, api_token_revoke


@pytest.fixture
def anna(make_user):
    return make_user(full_name="Anna")


def test_token_created_on_page(make_client, anna):
    """The page shows a new token once; only its hash is stored, and it works for the API."""
    client = make_client(anna)
    response = client.post("/me/tokens/", {"name": "intranet export", "scope": "read"})
    assert response.status_code == 200
    secret = re.search(rb"kr_[A-Za-z0-9_-]{40,}", response.content).group(0).decode()
    token = ApiToken.objects.get(user=anna)
    assert (token.name, token.scope) == ("intranet export", "read")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.prefix, token.token_hash)
    assert secret.encode() not in client.get("/me/tokens/").content
    api = make_client().get("/api/v1/communities", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200


def test_token_scope_must_be_known(make_client, anna):
    """An unknown scope is refused on the page and by the service; nothing is made."""
    response = make_client(anna).post("/me/tokens/", {"name": "x", "scope": "admin"})
    assert "scope" in response.context["form"].errors
    with pytest.raises(ValidationError):
        api_token_create(user=anna, scope="admin")
    assert not ApiToken.objects.exists()


def test_token_revoked_on_page(make_client, anna):
    """Revoking a token on the page stops it working at once."""
    token, secret = api_token_create(user=anna, scope="write")
    client = make_client(anna)
    response = client.post(f"/me/tokens/{token.pk}/revoke/", follow=True)
    assert b"The token has been revoked; it no longer works." in response.content
    assert api_token_authenticate(secret=secret) is None
    api = make_client().get("/api/v1/communities", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401


def test_token_revoke_by_someone_else(make_user, anna):
    """Only the owner (or staff) revokes a token."""
    token, secret = api_token_create(user=anna)
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=make_user())
    assert api_token_authenticate(secret=secret) == token


def test_token_authenticate_marks_use(anna):
    """Using a token records when it was last used."""
    token, secret = api_token_create(user=anna)
    assert token.last_used_at is None
    api_token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "kr_", "nonsense", "kr_" + "a" * 300])
def test_token_authenticate_rejects_nonsense(anna, secret):
    """Empty, unknown or absurdly long secrets find no token."""
    api_token_create(user=anna)
    assert api_token_authenticate(secret=secret) is None


def test_token_with_same_prefix_but_other_secret(anna):
    """A guessed secret that shares the visible prefix still doesn't match."""
    _token, secret = api_token_create(user=anna)
    forged = secret[:10] + "x" * (len(secret) - 10)
    assert api_token_authenticate(secret=forged) is None
