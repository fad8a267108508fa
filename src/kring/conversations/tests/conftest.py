"""Fixtures for conversations: a community with a facilitator, two members and a guest, and
factories for threads and replies made through the services."""

import pytest

from kring.communities.models import Role


@pytest.fixture
def circle(make_community, make_member, make_user):
    """A small community: facilitator, asker, answerer, guest; plus an outsider. They all read
    Kring (and their e-mail) in English, so tests compare against the English source text."""
    from types import SimpleNamespace

    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    asker = make_member(community, full_name="Anna Asker", language="en").user
    answerer = make_member(community, full_name="Bram Answerer", language="en").user
    guest = make_member(community, full_name="Gijs Guest", role=Role.GUEST, language="en").user
    outsider = make_user(full_name="Otto Outsider", language="en")
    return SimpleNamespace(
        community=community,
        facilitator=facilitator,
        asker=asker,
        answerer=answerer,
        guest=guest,
        outsider=outsider,
    )


@pytest.fixture
def make_thread(circle):
    from kring.conversations.services.threads import thread_create

    def make(*, by=None, kind="question", title="How do we start?", body="", **kw):
        return thread_create(
            community=kw.pop("community", circle.community),
            by=by or circle.asker,
            kind=kind,
            title=title,
            body=body,
            **kw,
        )

    return make


@pytest.fixture
def make_reply(circle):
    from kring.conversations.services.threads import reply_create

    def make(thread, *, by=None, body="Start small, with one street.", **kw):
        return reply_create(thread=thread, by=by or circle.answerer, body=body, **kw)

    return make
