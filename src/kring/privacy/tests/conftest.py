"""Fixtures for your data: a private export folder per test, and a small community where
Anna (who asks for her data) wrote, messaged, came to a session and uploaded files, next to
Bram and Carl, whose private things must stay out of her copy."""

import io
import json
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    settings.KRING_EXPORT_DIR = tmp_path / "exports"


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(make_community, make_member, make_user, make_image):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kring.accounts.services import photo_prepare, profile_update
    from kring.conversations.services import message_send, reply_create, thread_create
    from kring.knowledge.services import attachment_add, item_create
    from kring.meetings.models import Session
    from kring.meetings.services import attendance_set, session_create
    from kring.meetings.services_learning import action_point_create, reflection_save
    from kring.meetings.services_rsvp import rsvp_set

    fenna = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=fenna, name="Zorg thuis")
    anna = make_member(community, full_name="Anna Asker", language="en").user
    bram = make_member(community, full_name="Bram Builder", language="en").user
    carl = make_member(community, full_name="Carl Crew", language="nl").user
    outsider = make_user(full_name="Otto Outsider", language="en")

    anna = profile_update(user=anna, by=anna, photo=photo_prepare(upload=make_image()))
    item = item_create(
        community=community, by=anna, kind="handout", title="Anna's hand-out", body="Steps."
    )
    attachment = attachment_add(
        item=item,
        by=anna,
        upload=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    bram_thread = thread_create(
        community=community, by=bram, kind="question", title="Bram asks", body="How?"
    )
    anna_reply = reply_create(thread=bram_thread, by=anna, body="Anna answers Bram")
    anna_thread = thread_create(
        community=community,
        by=anna,
        kind="discussion",
        title="Anna's discussion",
        body="Let us talk.",
    )
    to_bram = message_send(sender=anna, recipient=bram, body="Hello Bram, from Anna")
    from_bram = message_send(sender=bram, recipient=anna, body="Hi Anna, from Bram")
    secret = message_send(sender=bram, recipient=carl, body="Between Bram and Carl only")
    start = timezone.now() + timedelta(days=2)
    session = session_create(
        community=community,
        by=fenna,
        title="Leerkring",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Buurthuis",
    )
    rsvp_set(session=session, user=anna, response="yes")
    # Time passes: the session took place, so attendance and reflections can follow.
    Session.objects.filter(pk=session.pk).update(
        starts_at=start - timedelta(days=4), ends_at=start - timedelta(days=4, hours=-2)
    )
    session.refresh_from_db()
    attendance_set(session=session, by=fenna, user=anna, status="attended")
    anna_reflection = reflection_save(session=session, by=anna, learned="Anna learned a lot")
    bram_reflection = reflection_save(session=session, by=bram, learned="Bram's own thoughts")
    point = action_point_create(
        community=community, by=fenna, what="Anna calls the alderman", owner=anna
    )
    bram_point = action_point_create(community=community, by=bram, what="Bram's task", owner=bram)
    return SimpleNamespace(**locals())


def read_zip(data: bytes) -> tuple[zipfile.ZipFile, dict]:
    """The ZIP and its JSON sections by file name."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    sections = {n: json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json")}
    return zf, sections
