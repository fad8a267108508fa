"""Conversations turns community notices into notifications by verb value; it may not import
the meetings app that owns the verb, so the values must stay registered verbs."""

from kring.conversations.services.notifications import NOTICE_KINDS
from kring.core.verbs import verb_is_registered


def test_every_notice_kind_is_a_registered_verb():
    assert NOTICE_KINDS
    assert [verb for verb in NOTICE_KINDS if not verb_is_registered(verb)] == []
