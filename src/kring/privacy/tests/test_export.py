"""Your data export: the ZIP holds what is yours (and nothing private of others), the e-mail
says it is ready, only you can download it, and expired copies are deleted."""

import os
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kring.privacy import export as services
from kring.privacy import export_zip
from kring.privacy import services as privacy_services
from kring.privacy.models import DataExport, ExportState
from kring.privacy.tests.conftest import PDF, read_zip


def build(user, capture) -> DataExport:
    with capture(execute=True):
        export, created = privacy_services.data_export_request(user=user)
    assert created
    export.refresh_from_db()
    return export


@pytest.fixture
def anna_export(world, django_capture_on_commit_callbacks):
    export = build(world.anna, django_capture_on_commit_callbacks)
    assert export.state == ExportState.READY
    return export


def test_zip_holds_each_section_with_your_rows(world, anna_export):
    """The ZIP has a README and one JSON file per section, each with Anna's own rows."""
    data = services.export_path(anna_export).read_bytes()
    zf, s = read_zip(data)
    names = set(zf.namelist())
    assert {"README.txt", *export_zip.SECTIONS} <= names
    readme = zf.read("README.txt").decode()
    assert "NEDERLANDS" in readme and "ENGLISH" in readme and "messages.json" in readme

    assert s["profile.json"]["email"] == world.anna.email
    assert s["profile.json"]["full_name"] == "Anna Asker"
    assert [m["community"]["name"] for m in s["memberships.json"]["memberships"]] == ["Zorg thuis"]

    items = s["library_items.json"]["items"]
    assert [i["title"] for i in items] == ["Anna's hand-out"]
    assert items[0]["attachments"][0]["name"] == "plan.pdf"
    assert [r["item_id"] for r in s["library_items.json"]["revisions_you_wrote"]] == [world.item.pk]

    assert [t["title"] for t in s["questions_and_discussions.json"]] == ["Anna's discussion"]
    replies = s["replies.json"]["replies"]
    assert [(r["body"], r["thread"]["title"]) for r in replies] == [
        ("Anna answers Bram", "Bram asks")
    ]

    messages = {(m["direction"], m["body"], m["other_person"]["name"]) for m in s["messages.json"]}
    assert messages == {
        ("sent", "Hello Bram, from Anna", "Bram Builder"),
        ("received", "Hi Anna, from Bram", "Bram Builder"),
    }

    sessions = s["sessions.json"]
    assert [(r["session"]["title"], r["response"]) for r in sessions["rsvps"]] == [
        ("Leerkring", "yes")
    ]
    assert [(a["session"]["title"], a["status"]) for a in sessions["attendance"]] == [
        ("Leerkring", "attended")
    ]
    assert [r["what_we_learned"] for r in s["reflections.json"]] == ["Anna learned a lot"]
    points = s["action_points.json"]
    assert [(p["what"], p["you_are_the_owner"]) for p in points] == [
        ("Anna calls the alderman", True)
    ]

    events = s["activity_events.json"]
    verbs = {e["verb"] for e in events}
    assert {"answered", "messaged", "reflected", "rsvped"} <= verbs
    messaged = [e for e in events if e["verb"] == "messaged"]
    assert messaged[0]["other_person"]["name"] == "Bram Builder"
    assert all(e["at"].endswith("Z") or "+" in e["at"] for e in events)
    assert "insights_about_you.json" in s


def test_zip_holds_your_files(world, anna_export):
    """Your photo and the attachment of your library item are in files/, byte for byte."""
    zf, s = read_zip(services.export_path(anna_export).read_bytes())
    world.anna.refresh_from_db()
    photo = s["profile.json"]["photo"]
    assert photo.startswith("files/photo/")
    with world.anna.photo.open("rb") as f:
        assert zf.read(photo) == f.read()
    attachment_file = s["library_items.json"]["items"][0]["attachments"][0]["file"]
    assert zf.read(attachment_file) == PDF
    assert {f["file"] for f in s["files.json"]} == {photo, attachment_file}


def test_zip_leaves_out_other_peoples_private_data(world, anna_export):
    """A message between Bram and Carl, Bram's reflection and Bram's action point are not in
    Anna's copy."""
    data = services.export_path(anna_export).read_bytes()
    zf = zipfile.ZipFile(__import__("io").BytesIO(data))
    everything = b"".join(zf.read(n) for n in zf.namelist())
    assert b"Between Bram and Carl only" not in everything
    assert b"Bram's own thoughts" not in everything
    assert b"Bram's task" not in everything
    assert world.carl.email.encode() not in everything


def test_export_of_many_events_streams_all_rows(world, django_capture_on_commit_callbacks):
    """Every activity event is written, beyond one iterator chunk."""
    from kring.core.models import ActivityEvent

    ActivityEvent.objects.bulk_create(
        ActivityEvent(actor=world.anna, verb="posted", community=world.community)
        for _ in range(services.CHUNK + 5)
    )
    total = ActivityEvent.objects.filter(actor=world.anna).count()
    export = build(world.anna, django_capture_on_commit_callbacks)
    _zf, s = read_zip(services.export_path(export).read_bytes())
    assert len(s["activity_events.json"]) == total


def test_ready_email_is_sent_with_the_link(world, anna_export):
    """Anna gets an e-mail in her language with a link to /me/data/."""
    sent = [m for m in mail.outbox if world.anna.email in m.to]
    assert len(sent) == 1
    assert sent[0].subject == "Your Kring data is ready to download"
    assert "/me/data/" in sent[0].body
    assert "/me/data/" in sent[0].alternatives[0][0]


def test_ready_email_speaks_dutch_to_a_dutch_member(world, django_capture_on_commit_callbacks):
    """Carl reads Kring in Dutch: his e-mail is in Dutch (not the English source)."""
    build(world.carl, django_capture_on_commit_callbacks)
    sent = [m for m in mail.outbox if world.carl.email in m.to]
    assert len(sent) == 1
    assert sent[0].extra_headers["Content-Language"] == "nl"


def test_asking_again_while_pending_returns_the_pending_one(
    world, django_capture_on_commit_callbacks
):
    """A second request while one is being made starts no second build."""
    with django_capture_on_commit_callbacks() as callbacks:
        first, created = privacy_services.data_export_request(user=world.anna)
    assert created and len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        second, created = privacy_services.data_export_request(user=world.anna)
    assert not created and second.pk == first.pk and callbacks == []
    assert DataExport.objects.filter(user=world.anna).count() == 1


def test_a_stale_pending_export_does_not_block_a_new_one(world):
    """One that never finished (the worker died) is marked failed after a while."""
    old = DataExport.objects.create(
        user=world.anna, requested_at=timezone.now() - services.STALE_AFTER - timedelta(1)
    )
    new, created = privacy_services.data_export_request(user=world.anna)
    assert created and new.pk != old.pk
    old.refresh_from_db()
    assert old.state == ExportState.FAILED


def test_build_runs_once(world, anna_export):
    """Running the task again for the same export does nothing."""
    assert services.data_export_build(export_id=anna_export.pk) is False


def test_new_export_replaces_the_older_ready_one(
    world, anna_export, django_capture_on_commit_callbacks
):
    """The older copy's row and file are deleted when the new one is ready."""
    old_path = services.export_path(anna_export)
    assert old_path.exists()
    new = build(world.anna, django_capture_on_commit_callbacks)
    assert new.state == ExportState.READY
    assert not old_path.exists()
    assert list(DataExport.objects.filter(user=world.anna)) == [new]


def test_failed_build_is_recorded_and_can_be_retried(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """A crash marks the export failed (no file left behind); asking again works."""

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "export_write", boom)
    failed = build(world.anna, django_capture_on_commit_callbacks)
    assert failed.state == ExportState.FAILED
    assert "disk full" in failed.error
    assert list(services.export_dir().iterdir()) == []
    monkeypatch.undo()
    retried = build(world.anna, django_capture_on_commit_callbacks)
    assert retried.state == ExportState.READY


def test_purge_deletes_expired_files(
    world, anna_export, make_user, django_capture_on_commit_callbacks
):
    """Past its date, the file is deleted and the export shows as expired; a fresh export
    stays; an old file no export points at goes, a new one stays."""
    other = build(world.bram, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=anna_export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    path = services.export_path(anna_export)
    stray = services.export_dir() / "left-over.zip"
    stray.write_bytes(b"x")
    old = (timezone.now() - services.STALE_AFTER - timedelta(minutes=1)).timestamp()
    os.utime(stray, (old, old))
    fresh = services.export_dir() / "just-written.zip.part"
    fresh.write_bytes(b"x")
    assert services.data_exports_purge() == 1
    assert not path.exists() and not stray.exists()
    assert fresh.exists()  # may be a build that has not saved its row yet
    anna_export.refresh_from_db()
    assert anna_export.state == ExportState.EXPIRED and anna_export.file_name == ""
    assert services.export_path(other).exists()


def test_purge_is_a_periodic_task(settings):
    """`kring worker` runs the cleanup on its schedule."""
    assert any(
        path == "kring.privacy.tasks.data_exports_purge"
        for path, _interval in settings.KRING_PERIODIC_TASKS
    )


def test_insights_about_you_hold_only_your_entry(world, django_capture_on_commit_callbacks):
    """The latest snapshot's entry for you (signals, pace), and the suggestions that name
    you; not another member's entry or a suggestion only about someone else."""
    from kring.insights.models import Suggestion
    from kring.insights.services import snapshot_create

    snapshot_create(community=world.community)
    # Suggestions come from the snapshot's rules; these two stand in for what it would find.
    about_anna = Suggestion.objects.create(
        community=world.community, key="intro:anna", kind="introduce", params={"tag": "zorg"}
    )
    about_anna.members.add(world.anna, world.bram)
    only_bram = Suggestion.objects.create(
        community=world.community, key="call:bram", kind="call", params={"signal": "x"}
    )
    only_bram.members.add(world.bram)

    export = build(world.anna, django_capture_on_commit_callbacks)
    _zf, s = read_zip(services.export_path(export).read_bytes())
    insights = s["insights_about_you.json"]
    assert [(e["community"]["name"], e["name"]) for e in insights["signals"]] == [
        ("Zorg thuis", "Anna Asker")
    ]
    mine = insights["signals"][0]
    assert "signals" in mine and "ties" in mine and "email" not in mine
    assert {t["person"]["name"] for t in mine["ties"]} <= {
        "Bram Builder",
        "Carl Crew",
        "Fenna Facilitator",
    }
    assert [x["kind"] for x in insights["suggestions"]] == ["introduce"]
    assert "reason" in insights["suggestions"][0]
    assert {p["name"] for p in insights["suggestions"][0]["people"]} == {
        "Anna Asker",
        "Bram Builder",
    }


def test_exports_delete_removes_files_and_rows(world, anna_export):
    """For erasing an account: every export of the person goes, file and row."""
    path = services.export_path(anna_export)
    assert services.data_exports_delete(user=world.anna) == 1
    assert not path.exists()
    assert not DataExport.objects.filter(user=world.anna).exists()
