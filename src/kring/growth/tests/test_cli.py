"""`kring development SLUG [--as-of] [--json]`: the summary, the document, bad input."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kring.growth.tests.helpers import community_since, founder, members, sessions_every

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("development", *args, stdout=out)
    return out.getvalue()


def test_the_summary_lists_the_stage_and_the_nine_steps(make_community):
    """Without --json: the stage with its reasons, then the nine steps with their status."""
    make_community(name="Buurtzorg", slug="buurtzorg")
    text = run("buurtzorg", "--language", "en")
    assert text.startswith("Buurtzorg: potential\n")
    assert "1. theme: open" in text and "9. results: open" in text


def test_the_json_follows_the_stage_over_as_of(make_community, make_user):
    """--as-of before the first session reads potential; today, coalescing."""
    community = community_since(make_community, days=300, slug="kring-west")
    now = timezone.now()
    members(community, make_user, count=4, at=now - timedelta(days=290))
    sessions_every(community, founder(community), first=now - timedelta(days=100), days=42, count=3)
    early = (now - timedelta(days=200)).date().isoformat()
    assert json.loads(run("kring-west", "--json", "--as-of", early))["stage"]["key"] == "potential"
    assert json.loads(run("kring-west", "--json"))["stage"]["key"] == "coalescing"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere",), "No community with short name 'nowhere'."),
        (("west", "--as-of", "31-12-2025"), "is not a date as YYYY-MM-DD"),
        (("west", "--as-of", "2199-01-01"), "Choose a day that has passed"),
        (("west", "--as-of", "1899-01-01"), "is outside 1900-2200"),
        (("west", "--as-of", "1950-01-01"), "The community did not exist yet on that day"),
    ],
)
def test_bad_input_is_answered_clearly(make_community, args, message):
    """An unknown community, a date that is no date, in the future or before the start."""
    make_community(slug="west")
    with pytest.raises(CommandError, match=message):
        run(*args)
