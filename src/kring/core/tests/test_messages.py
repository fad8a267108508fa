"""The messages after an action (“Your poll is open.”) sit in one status region that screen
readers announce, in markup that stays valid: no list items outside a list."""

from html.parser import HTMLParser

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


class _Outline(HTMLParser):
    """Each element's tag, attributes and the tags it sits in; the text inside role=status."""

    VOID = {"meta", "link", "img", "input", "br", "hr", "source", "wbr", "area", "base", "col"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.status_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes, [t for t, _ in self.stack]))
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(a.get("role") == "status" for _, a in self.stack):
            self.status_text.append(data)


def _page_with_messages() -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "Your poll is open.")
    messages.error(request, "This poll is closed.")
    return render_to_string("base.html", request=request)


def test_messages_are_one_status_region_without_loose_list_items():
    """Both messages in the region (role=status on a <ul> made its <li>s orphans: axe's
    "listitem" rule, serious)."""
    outline = _Outline()
    outline.feed(_page_with_messages())
    regions = [(tag, a) for tag, a, _ in outline.elements if a.get("role") == "status"]
    assert len(regions) == 1
    assert regions[0][0] not in {"ul", "ol"}
    text = " ".join(" ".join(outline.status_text).split())
    assert "Your poll is open." in text and "This poll is closed." in text
    for tag, attributes, parents in outline.elements:
        if tag == "li":
            assert parents and parents[-1] in {"ul", "ol", "menu"}, attributes
