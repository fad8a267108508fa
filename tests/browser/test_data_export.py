"""A member asks for a copy of their data on /me/data/ (htmx swaps the section in place),
sees it is ready, and downloads the ZIP, in a real headless Chromium against a live server."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

PASSWORD = "a-long-and-unusual-passphrase"  # the root conftest's make_user password

pytestmark = pytest.mark.browser


def test_member_asks_for_and_downloads_their_data(
    page, make_community, make_member, log_in, settings, tmp_path
):
    """The main action asks; the answer (tasks run at once here) offers the download; the
    download is the member's ZIP."""
    settings.KRING_EXPORT_DIR = tmp_path / "exports"
    community = make_community(name="Zorg thuis")
    member = make_member(community, full_name="Mila Member").user
    log_in(page, member.email, PASSWORD, "Mila Member")

    page.goto("/me/data/")
    section = page.locator("#export-section")
    with page.expect_response(lambda r: r.url.endswith("/me/data/export/")) as answer:
        section.locator("[data-primary-action]").click()
    assert answer.value.status == 200  # htmx: the section, not a redirect
    download_link = page.locator('#export-section a[href$="/download/"]')
    expect(download_link).to_be_visible()
    expect(download_link).to_have_attribute("data-primary-action", "")

    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as f:
        data = f.read()
    profile = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("profile.json"))
    assert profile["email"] == member.email
