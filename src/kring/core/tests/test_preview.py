"""The writing box's preview: the same renderer and sanitiser as saved text, for signed-in
people only, behind CSRF, with a size limit."""

import pytest
from django.test import Client
from django.urls import reverse

from kring.core.views import MAX_PREVIEW

URL = "markdown-preview"


def test_preview_renders_the_text_as_it_will_be_saved(make_client, make_user):
    """Bold, a list and a link come back as HTML."""
    response = make_client(make_user()).post(
        reverse(URL), {"text": "**Bold**\n\n- one\n- two\n\n[site](https://example.org)"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in html and "<li>one</li>" in html
    assert 'href="https://example.org"' in html
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ("![x](data:text/html;base64,PHNjcmlwdD4=)", 'src="data'),
        ('<a href="https://x" onclick="alert(1)">x</a>', "<a href"),
    ],
)
def test_preview_sanitises_hostile_input(make_client, make_user, text, forbidden):
    """Raw HTML, script links and event handlers never come back as markup."""
    response = make_client(make_user()).post(reverse(URL), {"text": text})
    assert response.status_code == 200
    assert forbidden not in response.content.decode()


def test_preview_refuses_oversized_text(make_client, make_user):
    """Text longer than any form takes is refused with a clear message."""
    response = make_client(make_user()).post(reverse(URL), {"text": "x" * (MAX_PREVIEW + 1)})
    assert response.status_code == 400
    assert "too long" in response.content.decode()


def test_preview_is_for_signed_in_people_only(client):
    """Someone not signed in is sent to the login page, not given a renderer."""
    response = client.post(reverse(URL), {"text": "**x**"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_preview_takes_posts_only(make_client, make_user):
    """A GET is not allowed."""
    assert make_client(make_user()).get(reverse(URL), {"text": "x"}).status_code == 405


def test_preview_needs_the_csrf_token(make_user):
    """A post from another site (no CSRF token) is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.post(reverse(URL), {"text": "**x**"}).status_code == 403
