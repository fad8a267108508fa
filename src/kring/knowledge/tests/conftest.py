"""Small factories for library tests: people, communities and members, built through the
services the way the application builds them."""

import itertools

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

PASSWORD = "a-long-and-unusual-passphrase"


def pytest_configure(config):
    # WhiteNoise warns that collectstatic has not run; tests serve static files from the apps.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _library_slate(settings, tmp_path):
    """Uploads go to a temporary folder, passwords hash fast, and code outside a request
    speaks English."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def _allow_creating_communities(user) -> None:
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="communities", codename="add_community")
    )
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


@pytest.fixture
def make_user(db):
    """A person; can_create=True lets them found communities."""
    from kring.accounts.models import User

    numbers = itertools.count(1)

    def make(*, email=None, full_name=None, password=PASSWORD, can_create=False, **extra):
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
    """A community made through the service; its creator (`by`) becomes its facilitator."""
    from kring.communities.models import Visibility
    from kring.communities.services import community_create

    numbers = itertools.count(1)

    def make(*, by=None, name=None, visibility=Visibility.PRIVATE, **fields):
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
    """A membership added through the service; a new person unless `user` is given."""
    from kring.communities.models import Role
    from kring.communities.services import membership_add

    def make(community, *, user=None, role=Role.MEMBER, by=None, **user_fields):
        user = user or make_user(**user_fields)
        return membership_add(community=community, user=user, role=role, by=by)

    return make
