"""The error pages say what happened and where to go, in Dutch and English; the 500 page
renders without the database."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = [pytest.mark.urls("kring.core.tests.error_urls"), pytest.mark.django_db]

EXPLANATIONS = {
    "/test-errors/400/": (400, "We could not handle this request"),
    "/test-errors/403/": (403, "This page is not open to you"),
    "/no-such-page/": (404, "We can't find this page"),
    "/test-errors/500/": (500, "Something went wrong on our side"),
}


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["kring_language"] = language
    return client


@pytest.mark.parametrize("path", EXPLANATIONS)
def test_error_page_explains_and_offers_a_way_back(path):
    """Each error page: its status, a plain explanation, the start page, a log in link."""
    status, heading = EXPLANATIONS[path]
    response = _client("en").get(path, HTTP_REFERER="http://testserver/communities/")
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert '<html lang="en">' in html
    assert f"Error {status}" in html
    assert 'href="/communities/"' in html and "Back to the previous page" in html
    assert "Go to the start page" in html
    assert f'href="/login/?next={path}"' in html
    assert "kring/kring.css" in html


@pytest.mark.parametrize("path", EXPLANATIONS)
def test_error_page_in_dutch(path):
    """A Dutch reader gets the error page in Dutch."""
    status, _heading = EXPLANATIONS[path]
    response = _client("nl").get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Inloggen" in html


def test_back_link_only_for_pages_on_this_site():
    """A referrer from another site is not offered as the way back."""
    html = (
        _client("en").get("/no-such-page/", HTTP_REFERER="https://evil.example/x").content.decode()
    )
    assert "evil.example" not in html
    assert "Back to the previous page" not in html


def test_signed_in_person_gets_no_log_in_link(make_client, make_user):
    """Someone already signed in is not asked to log in on a 403."""
    client = make_client(make_user())
    client.raise_request_exception = False
    response = client.get("/test-errors/403/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ask the facilitator of your community" in html
    assert 'href="/login/' not in html


def test_real_permission_denied_uses_the_page(make_client, make_user, make_community):
    """A member who may not edit a community sees the styled 403 page."""
    from kring.communities.models import Visibility

    community = make_community(visibility=Visibility.PUBLIC)
    response = make_client(make_user()).get(f"/communities/{community.slug}/update/")
    assert response.status_code in (403, 404)
    assert "Go to the start page" in response.content.decode()


def test_500_renders_without_the_database(make_client, make_user):
    """With every database query failing, the 500 page still renders in the reader's language."""
    client = make_client(make_user())
    client.raise_request_exception = False
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("database is down"),
    ):
        response = client.get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Go to the start page" in html
    assert '<html lang="en">' in html


def test_500_makes_no_queries(django_assert_num_queries):
    """The 500 page itself asks nothing of the database."""
    client = _client("en")
    with django_assert_num_queries(0):
        response = client.get("/test-errors/500/")
    assert response.status_code == 500


def test_expired_form_page(make_user):
    """A form posted without a valid security token gets the plain "form has expired" page."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["kring_language"] = "en"
    response = client.post(
        "/login/",
        {"username": "x@example.org", "password": "y"},
        HTTP_REFERER="http://testserver/login/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert "Nothing was saved" in html
    assert 'href="/login/"' in html
    nl = Client(enforce_csrf_checks=True)
    nl.cookies["kring_language"] = "nl"
    assert '<html lang="nl">' in nl.post("/login/", {}).content.decode()
