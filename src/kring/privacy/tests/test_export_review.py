"""Your data export after the security review (issue 11): odd file names others chose do
not stop it, and it holds no one else's words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.knowledge.services import attachment_add, item_create
from kring.privacy import export as services
from kring.privacy import export_rows
from kring.privacy.models import ExportState
from kring.privacy.tests.conftest import PDF, read_zip
from kring.privacy.tests.test_export import build

pytestmark = pytest.mark.django_db(transaction=False)


def test_file_named_without_a_letter_does_not_stop_the_export(
    world, django_capture_on_commit_callbacks
):
    """Bram, a co-author, adds a file named "!!!" to an item with Anna: her copy still works."""
    item = item_create(
        community=world.community,
        by=world.bram,
        kind="handout",
        title="Together",
        body="Both.",
        authors=[world.bram, world.anna],
    )
    odd = attachment_add(
        item=item, by=world.bram, upload=SimpleUploadedFile("!!!", PDF, "application/pdf")
    )
    assert odd.original_name == "!!!"

    export = build(world.anna, django_capture_on_commit_callbacks)

    assert export.state == ExportState.READY
    zf, _sections = read_zip(services.export_path(export).read_bytes())
    path = f"files/library/{item.pk}/{odd.pk}-file"
    assert path in zf.namelist() and zf.read(path) == PDF


@pytest.mark.parametrize("name", ["photos/💾", "photos/!!!"])
def test_photo_named_without_a_letter_gets_a_plain_name(world, name):
    world.anna.photo.name = name
    assert export_rows.photo_file(world.anna) == "files/photo/photo"


def test_join_requests_are_only_the_ones_she_made_signed_in(
    world, make_community, django_capture_on_commit_callbacks
):
    """A request typed while signed out with Anna's address (by anyone) is not hers to get:
    it holds someone else's name and message."""
    from kring.communities.models import JoinRequest

    other = make_community(by=world.fenna, name="Buurtwerk")
    JoinRequest.objects.create(
        community=other, user=world.anna, name="Anna Asker", email=world.anna.email, message="Mine"
    )
    JoinRequest.objects.create(
        community=other, name="Otto Outsider", email=world.anna.email, message="Otto's words"
    )

    export = build(world.anna, django_capture_on_commit_callbacks)

    _zf, sections = read_zip(services.export_path(export).read_bytes())
    requests = sections["memberships.json"]["requests_to_join"]
    assert [(r["name"], r["message"]) for r in requests] == [("Anna Asker", "Mine")]
