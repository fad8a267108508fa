"""Shared test fixtures: a clean slate per test, and small factories that build data through
the services, the way the application itself does."""

import io
import itertools

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

PASSWORD = "a-long-and-unusual-passphrase"


def pytest_configure(config):
    # WhiteNoise warns once per process that collectstatic has not run; tests serve from the apps.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _clean_slate(settings, tmp_path):
    """Uploads go to a temporary folder, the cache (login throttle) starts empty, passwords
    hash fast, and code outside a request speaks English, like the test clients."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test process gets its own cache, even when REDIS_URL is set for the app: the
    # login throttle must not leak between parallel workers.
    # The throttle's counters are in the database, as without REDIS_URL; each test's
    # transaction is rolled back, so they start empty.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": django_settings.THROTTLE_CACHE_TABLE,
        },
        "locks": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": django_settings.THROTTLE_CACHE_TABLE,
            "KEY_PREFIX": "kring-locks",
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, in-process; tests that need the real queue and worker
    # (tests/test_worker*.py) switch to the database backend themselves.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


def _allow_creating_communities(user) -> None:
    # Founding a community takes the add_community permission, which an admin grants.
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="communities", codename="add_community")
    )
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


def _english(client: Client) -> Client:
    # The UI is Dutch by default and translations change; tests read the English source strings.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client(client):
    """pytest-django's test client, asking for the English interface."""
    return _english(client)


@pytest.fixture
def make_client(db):
    """A fresh English test client, logged in as `user` when one is given."""

    def make(user=None) -> Client:
        client = _english(Client())
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def make_user(db):
    """A person with a usable password (PASSWORD). can_create=True lets them found communities."""
    from kring.accounts.models import User

    numbers = itertools.count(1)

    def make(
        *,
        email: str | None = None,
        full_name: str | None = None,
        password: str | None = PASSWORD,
        can_create: bool = False,
        **extra,
    ) -> User:
        n = next(numbers)
        user = User.objects.create_user(
            email=email or f"person{n}@example.org",
            password=password,
            full_name=full_name or f"Person {n}",
            **extra,
        )
        if can_create:
            _allow_creating_communities(user)
        return user

    return make


@pytest.fixture
def make_admin(make_user):
    """A platform administrator (superuser)."""

    def make(**fields):
        return make_user(is_staff=True, is_superuser=True, **fields)

    return make


@pytest.fixture
def make_community(make_user):
    """A community created through the service; its creator (`by`) becomes its facilitator."""
    from kring.communities.models import Visibility
    from kring.communities.services import community_create

    numbers = itertools.count(1)

    def make(*, by=None, name: str | None = None, visibility: str = Visibility.PRIVATE, **fields):
        n = next(numbers)
        if by is None:
            by = make_user(full_name=f"Facilitator {n}", can_create=True)
        elif not by.has_perm("communities.add_community"):
            _allow_creating_communities(by)
        return community_create(
            by=by, name=name or f"Community {n}", visibility=visibility, **fields
        )

    return make


@pytest.fixture
def make_member(make_user):
    """A membership added through the service; a new person is made unless `user` is given."""
    from kring.communities.models import Role
    from kring.communities.services import membership_add

    def make(community, *, user=None, role: str = Role.MEMBER, by=None, **user_fields):
        user = user or make_user(**user_fields)
        return membership_add(community=community, user=user, role=role, by=by)

    return make


@pytest.fixture
def plan(db):
    """plan(community, by, days=7, title=...) plans a two-hour session `days` from now (a
    negative number: in the past) in Buurthuis De Spreeuw."""
    from datetime import timedelta

    from django.utils import timezone

    from kring.meetings.services import session_create

    def make(community, by, *, days: float = 7, title: str = "Bijeenkomst", **kw):
        starts_at = timezone.now() + timedelta(days=days)
        return session_create(
            community=community,
            by=by,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            title=title,
            location="Buurthuis De Spreeuw",
            **kw,
        )

    return make


@pytest.fixture
def bearer(db):
    """Request headers with a new personal access token for `user` (write scope by default)."""
    from kring.accounts.services import api_token_create

    def make(user, scope: str = "write") -> dict:
        _token, secret = api_token_create(user=user, scope=scope)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def make_image():
    """An uploaded image file (PNG unless told otherwise), small enough to keep tests fast."""

    def make(
        *, size=(40, 30), fmt: str = "PNG", name: str = "photo.png", colour="teal"
    ) -> SimpleUploadedFile:
        out = io.BytesIO()
        Image.new("RGB", size, colour).save(out, format=fmt)
        return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")

    return make
