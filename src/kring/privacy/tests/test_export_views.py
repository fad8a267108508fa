"""The export part of /me/data/ and the API: states in plain words, a plain form POST, a
download only for the owner, and /api/v1/me/export with tokens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.privacy import services as privacy_services
from kring.privacy.models import DataExport, ExportState
from kring.privacy.tests.conftest import read_zip

DATA = "/me/data/"
API = "/api/v1/me/export"


@pytest.fixture
def ready(world, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = privacy_services.data_export_request(user=world.anna)
    export.refresh_from_db()
    assert export.state == ExportState.READY
    return export


def test_page_offers_the_export_as_the_main_action(world, make_client):
    """Without an export, the page's main action is asking for one."""
    response = make_client(world.anna).get(DATA)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Download a copy of your data" in html
    assert "data-primary-action>Ask for my data" in html
    assert f'action="{reverse("data-export-request")}"' in html


def test_page_needs_login(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get(DATA)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_plain_form_post_builds_and_page_shows_ready(
    world, make_client, django_capture_on_commit_callbacks
):
    """A form POST without JS asks, redirects back, and the page offers the download."""
    client = make_client(world.anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("data-export-request"))
    assert response.status_code == 302 and response["Location"] == DATA
    export = DataExport.objects.get(user=world.anna)
    html = client.get(DATA).content.decode()
    assert "Ready: download until" in html
    assert reverse("data-export-download", args=[export.pk]) in html


def test_page_shows_pending_and_polls(world, make_client, django_capture_on_commit_callbacks):
    """While it is being made the page says so (and htmx polls the section)."""
    client = make_client(world.anna)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("data-export-request"))
    html = client.get(DATA).content.decode()
    assert "Your export is being made…" in html
    assert 'hx-trigger="every 5s"' in html
    fragment = client.get(reverse("data-export-section"), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()


def test_page_shows_expired_and_failed(world, make_client):
    """An export past its date reads "Expired"; a failed one offers to try again."""
    client = make_client(world.anna)
    DataExport.objects.create(
        user=world.anna,
        state=ExportState.READY,
        file_name="gone.zip",
        expires_at=timezone.now() - timedelta(hours=1),
    )
    assert "Expired" in client.get(DATA).content.decode()
    DataExport.objects.create(user=world.anna, state=ExportState.FAILED)
    html = client.get(DATA).content.decode()
    assert "Making your copy did not work." in html
    assert "data-primary-action>Try again" in html


def test_request_refuses_get_and_anonymous(world, client, make_client):
    """Asking takes a POST by a logged-in person; nothing is made otherwise."""
    assert client.post(reverse("data-export-request")).status_code == 302
    assert make_client(world.anna).get(reverse("data-export-request")).status_code == 405
    assert not DataExport.objects.exists()


def test_owner_downloads_the_zip(world, make_client, ready):
    """The owner gets the ZIP as an attachment."""
    response = make_client(world.anna).get(reverse("data-export-download", args=[ready.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    _zf, sections = read_zip(b"".join(response.streaming_content))
    assert sections["profile.json"]["email"] == world.anna.email


@pytest.mark.parametrize("who", ["bram", "outsider", "fenna"])
def test_others_get_404_for_the_download(world, make_client, ready, who):
    """Another member, an outsider and even the facilitator get 404."""
    client = make_client(getattr(world, who))
    assert client.get(reverse("data-export-download", args=[ready.pk])).status_code == 404


def test_anonymous_download_goes_to_login(client, ready):
    response = client.get(reverse("data-export-download", args=[ready.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_expired_download_says_so(world, make_client, ready):
    """After its date the download answers 410 with a clear message, even before cleanup."""
    DataExport.objects.filter(pk=ready.pk).update(expires_at=timezone.now())
    response = make_client(world.anna).get(reverse("data-export-download", args=[ready.pk]))
    assert response.status_code == 410
    assert "This copy has expired" in response.content.decode()


def test_profile_page_links_to_your_data(world, make_client):
    """The profile page points to /me/data/."""
    html = make_client(world.anna).get(reverse("profile-update")).content.decode()
    assert f'href="{DATA}"' in html


# API ---------------------------------------------------------------------------------------


def test_api_get_before_asking_says_none(world, client, bearer):
    response = client.get(API, **bearer(world.anna, "read"))
    assert response.status_code == 200
    assert response.json()["state"] == "none" and response.json()["download_url"] is None


def test_api_post_answers_202_then_get_tells_ready_and_download_works(
    world, client, bearer, django_capture_on_commit_callbacks
):
    """POST starts it (202, pending); GET then says ready with the address; the address
    gives the ZIP to the same token."""
    headers = bearer(world.anna)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(API, **headers)
    assert response.status_code == 202
    assert response.json()["state"] == "pending"
    assert len(callbacks) >= 1
    state = client.get(API, **headers).json()
    assert state["state"] == "ready"
    assert state["download_url"].endswith("/api/v1/me/export/download")
    assert state["size"] > 0
    download = client.get("/api/v1/me/export/download", **bearer(world.anna, "read"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    _zf, sections = read_zip(b"".join(download.streaming_content))
    assert [m["body"] for m in sections["messages.json"]] == [
        "Hello Bram, from Anna",
        "Hi Anna, from Bram",
    ]


def test_api_post_while_pending_returns_the_same(world, client, bearer):
    """Without a worker the export stays pending; a second POST starts nothing new."""
    headers = bearer(world.anna)
    first = client.post(API, **headers)
    second = client.post(API, **headers)
    assert first.status_code == second.status_code == 202
    assert DataExport.objects.filter(user=world.anna).count() == 1
    assert client.get(API, **headers).json()["state"] == "pending"
    download = client.get("/api/v1/me/export/download", **headers)
    assert download.status_code == 404 and download.json()["code"] == "not_found"
    assert "still being made" in download.json()["detail"]


def test_api_read_token_may_not_post(world, client, bearer):
    response = client.post(API, **bearer(world.anna, "read"))
    assert response.status_code == 403 and response.json()["code"] == "read_only_token"
    assert not DataExport.objects.exists()


def test_api_needs_auth(client, db):
    for method, path in (("get", API), ("post", API), ("get", API + "/download")):
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "unauthenticated"


def test_api_download_is_only_yours(world, client, bearer, ready):
    """Bram's token never reaches Anna's ZIP: he has none, so 404."""
    response = client.get("/api/v1/me/export/download", **bearer(world.bram))
    assert response.status_code == 404


def test_api_expired(world, client, bearer, ready):
    DataExport.objects.filter(pk=ready.pk).update(expires_at=timezone.now())
    headers = bearer(world.anna)
    assert client.get(API, **headers).json()["state"] == "expired"
    response = client.get("/api/v1/me/export/download", **headers)
    assert response.status_code == 404 and "expired" in response.json()["detail"]


def test_openapi_documents_the_export(client, db):
    """The document names DataExportOut, the 202, and the ZIP answer of the download."""
    doc = client.get("/api/v1/openapi.json").json()
    assert "DataExportOut" in doc["components"]["schemas"]
    assert "202" in doc["paths"][API]["post"]["responses"]
    download = doc["paths"][API + "/download"]["get"]["responses"]
    assert "application/zip" in download["200"]["content"]
    assert download["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_htmx_post_swaps_the_section(world, make_client, django_capture_on_commit_callbacks):
    """With htmx, asking answers the section itself (no redirect, no full page)."""
    client = make_client(world.anna)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("data-export-request"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="export-section"' in html and "<html" not in html
    assert "Your export is being made…" in html


def test_page_queries_do_not_grow_with_exports(world, make_client, django_assert_max_num_queries):
    """The page reads only the latest export, however many there were."""
    client = make_client(world.anna)
    client.get(DATA)
    for _ in range(20):
        DataExport.objects.create(user=world.anna, state=ExportState.FAILED)
    with django_assert_max_num_queries(12) as captured:
        client.get(DATA)
    assert sum("privacy_dataexport" in q["sql"] for q in captured.captured_queries) == 1
