"""Fixtures for sessions: a community with a facilitator, members and a guest; factories for
series and single sessions made through the services."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kring.communities.models import Role

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def kring(make_community, make_member, make_user):
    """Facilitator Fenna, members Anna and Bram, guest Gijs, outsider Otto (all English)."""
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    anna = make_member(community, full_name="Anna Member", language="en").user
    bram = make_member(community, full_name="Bram Member", language="en").user
    guest = make_member(community, full_name="Gijs Guest", role=Role.GUEST, language="en").user
    outsider = make_user(full_name="Otto Outsider", language="en")
    return SimpleNamespace(
        community=community,
        facilitator=facilitator,
        anna=anna,
        bram=bram,
        guest=guest,
        outsider=outsider,
    )


def local(*args) -> datetime:
    """An aware Amsterdam time: local(2027, 3, 1, 19, 30)."""
    return datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def make_series(kring):
    from kring.meetings.services_series import series_create

    def make(*, first_start=None, by=None, **kw):
        kw.setdefault("title", "Leerkring")
        kw.setdefault("location", "Buurthuis De Spreeuw, Dorpsstraat 1")
        return series_create(
            community=kw.pop("community", kring.community),
            by=by or kring.facilitator,
            first_start=first_start or local(2027, 1, 12, 19, 30),
            **kw,
        )

    return make


@pytest.fixture
def make_session(kring):
    from kring.meetings.services import session_create

    def make(*, starts_at=None, by=None, hours=2, **kw):
        if starts_at is None:
            # A week ahead, in the afternoon: a start taken from the clock could end after
            # midnight (a run after 22:00 in Amsterdam), which the edit form refuses.
            day = timezone.localtime(timezone.now(), AMSTERDAM).date() + timedelta(days=7)
            starts_at = datetime(day.year, day.month, day.day, 14, 0, tzinfo=AMSTERDAM)
        kw.setdefault("title", "Bijeenkomst")
        kw.setdefault("location", "Buurthuis De Spreeuw, Dorpsstraat 1")
        return session_create(
            community=kw.pop("community", kring.community),
            by=by or kring.facilitator,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            **kw,
        )

    return make
