"""The stage every page shows (Community.stage): kept in step by the periodic task, held by
a facilitator's correction, and the hand-set stages of before kept as corrections."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from kring.communities.models import Community
from kring.growth import services, tasks
from kring.growth.charts import stage_timeline_svg
from kring.growth.models import StageCorrection
from kring.growth.selectors import StagePoint
from kring.growth.tests.helpers import community_since, founder, members, sessions_every

pytestmark = pytest.mark.django_db


def _coalescing(make_community, make_user):
    community = community_since(make_community, days=200)
    now = timezone.now()
    members(community, make_user, count=4, at=now - timedelta(days=190))
    sessions_every(community, founder(community), first=now - timedelta(days=90), days=42, count=3)
    return community


def test_the_task_stores_the_derived_stage(make_community, make_user):
    """The periodic task writes the derived stage where it changed, and says how many."""
    community = _coalescing(make_community, make_user)
    assert Community.objects.get(pk=community.pk).stage == "potential"
    assert tasks.stages_refresh.call() == 1
    assert Community.objects.get(pk=community.pk).stage == "coalescing"
    assert tasks.stages_refresh.call() == 0


def test_a_correction_holds_over_the_task(make_community, make_user):
    """A facilitator's correction stays what the community shows."""
    community = _coalescing(make_community, make_user)
    services.stage_correct(
        community=community, by=founder(community), stage="maturing", note="Our focus is set"
    )
    tasks.stages_refresh.call()
    assert Community.objects.get(pk=community.pk).stage == "maturing"


def test_hand_set_stages_of_before_become_corrections(make_community):
    """A stage set by hand before Kring derived it is kept as a correction without an
    author; the starting stage is not."""
    hand = make_community(name="Set by hand")
    make_community(name="Left alone")
    Community.objects.filter(pk=hand.pk).update(stage="stewardship")
    migration = importlib.import_module("kring.growth.migrations.0002_hand_set_stages")
    migration.forwards(apps, None)
    rows = list(StageCorrection.objects.values_list("community__name", "stage", "by"))
    assert rows == [("Set by hand", "stewardship", None)]


def test_the_timeline_is_an_accessible_picture():
    """One point per moment, a title and a description in words, text escaped."""
    now = timezone.now()
    points = [
        StagePoint(now - timedelta(days=200), "potential", False),
        StagePoint(now - timedelta(days=100), "coalescing", False),
        StagePoint(now, "maturing", True),
    ]
    svg = str(stage_timeline_svg(points))
    assert svg.count("<circle") == 3
    assert 'role="img"' in svg and "<desc" in svg
    assert "Coalescing from" in svg and "(corrected by a facilitator)" in svg
