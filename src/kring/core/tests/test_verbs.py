"""The verb registry: apps register their own activity verbs, core refuses unknown ones, and a
new verb needs no migration."""

import pytest
from django.apps import apps
from django.db import models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import translation

from kring.core import verbs
from kring.core.models import ActivityEvent
from kring.core.services import activity_record
from kring.core.verbs import (
    VerbError,
    check_verb,
    register_verbs,
    verb_is_registered,
    verb_label,
    verbs_registered,
)

# Every value events were stored with before the verbs moved to their apps: they must all
# stay registered, with these very values, or old events lose their meaning.
STORED_VERBS = [
    "joined",
    "left",
    "removed",
    "role_changed",
    "invited",
    "invitation_accepted",
    "profile_updated",
    "community_created",
    "community_updated",
    "item_created",
    "item_updated",
    "item_deleted",
    "item_featured",
    "marked_useful",
    "commented",
    "asked",
    "discussion_started",
    "answered",
    "replied",
    "answer_accepted",
    "reacted",
    "mentioned",
    "post_edited",
    "messaged",
    "flagged",
    "post_hidden",
    "post_restored",
    "thread_locked",
    "thread_unlocked",
    "flag_dismissed",
    "session_planned",
    "session_updated",
    "session_cancelled",
    "rsvped",
    "attended",
    "reflected",
    "action_point_created",
    "action_point_done",
    "story_told",
    "story_featured",
    "development_step_judged",
    "mandate_recorded",
    "stage_corrected",
    "poll_created",
    "poll_closed",
    "rules_proposed",
    "rules_adopted",
    "rules_withdrawn",
    "network_created",
    "network_link_requested",
    "network_linked",
    "network_unlinked",
    "shared_with_network",
    "team_created",
    "team_joined",
    "team_deleted",
]


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps left it; whatever a test registers is gone afterwards."""
    monkeypatch.setattr(verbs, "_verbs", dict(verbs._verbs))
    return verbs


def test_apps_register_every_stored_verb():
    """After start-up every verb ever stored is registered, by the apps themselves."""
    registered = [value for value, _label in verbs_registered()]
    assert sorted(registered) == sorted(STORED_VERBS)


def test_verb_label_is_translated():
    """A verb's label follows the active language; an unknown value shows as stored."""
    with translation.override("en"):
        assert verb_label("asked") == "asked a question"
    with translation.override("nl"):
        assert verb_label("asked") not in ("", "asked", "asked a question")
        assert dict(verbs_registered())["asked"] == verb_label("asked")
    assert verb_label("no_such_verb") == "no_such_verb"


def test_register_verbs_refuses_a_value_taken_by_another_class(registry):
    """Two classes cannot claim one value; the same class may register again."""

    @register_verbs
    class FirstVerb(models.TextChoices):
        WAVED = "test_waved", "waved"

    register_verbs(FirstVerb)
    with pytest.raises(VerbError, match="test_waved.*already registered"):

        @register_verbs
        class SecondVerb(models.TextChoices):
            WAVED = "test_waved", "waved too"

    assert verb_label("test_waved") == "waved"


def test_register_verbs_refuses_a_value_too_long_to_store(registry):
    """A value longer than ActivityEvent.verb can hold is refused and nothing of the class
    is registered."""
    with pytest.raises(VerbError, match="over 40 characters"):

        @register_verbs
        class LongVerb(models.TextChoices):
            SHORT = "test_short", "short"
            LONG = "x" * 41, "long"

    assert not verb_is_registered("test_short")
    assert ActivityEvent._meta.get_field("verb").max_length == verbs.VERB_MAX_LENGTH


def test_activity_record_refuses_an_unregistered_verb(make_user):
    """A verb nobody registered never lands in the ledger, with an error that says why."""
    with pytest.raises(VerbError, match="Unknown activity verb 'no_such_verb'.*verbs.py"):
        activity_record(actor=make_user(), verb="no_such_verb")
    assert not ActivityEvent.objects.exists()


def test_activity_record_takes_a_newly_registered_verb(registry, make_user):
    """A verb registered by any app is recorded as its plain value."""

    @register_verbs
    class NewVerb(models.TextChoices):
        WAVED = "test_waved", "waved"

    check_verb(NewVerb.WAVED)
    event = activity_record(actor=make_user(), verb=NewVerb.WAVED)
    event.refresh_from_db()
    assert event.verb == "test_waved"


def test_a_new_verb_needs_no_migration(registry):
    """Registering a verb changes nothing the migration autodetector sees in core."""

    @register_verbs
    class NewVerb(models.TextChoices):
        WAVED = "test_waved", "waved"

    loader = MigrationLoader(None, ignore_no_migrations=True)
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
        graph=loader.graph, trim_to_apps={"core"}
    )
    assert changes.get("core", []) == []


def test_admin_lists_and_filters_events_by_verb(make_admin, make_user, client):
    """The admin shows each event's verb label, offers every registered verb as a filter
    and filters by it."""
    admin = make_admin()
    activity_record(actor=make_user(full_name="Asker"), verb="asked")
    activity_record(actor=make_user(full_name="Joiner"), verb="joined")
    client.force_login(admin)
    url = reverse("admin:core_activityevent_changelist")

    page = client.get(url)
    assert page.status_code == 200
    assert "asked a question" in page.text
    assert "?verb__exact=session_planned" in page.text

    filtered = client.get(url, {"verb__exact": "asked"})
    assert filtered.status_code == 200
    assert "Asker" in filtered.text and "Joiner" not in filtered.text
