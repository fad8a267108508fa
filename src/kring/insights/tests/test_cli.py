"""`kring insights SLUG`: the JSON document (the contract of docs/insights.md), the readable
summary, --as-of on history, and bad options."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kring.conversations.verbs import ConversationVerb
from kring.insights.tests.histories import act, backdate_everyone, join, local

pytestmark = pytest.mark.django_db

MEMBER_KEYS = {"email", "name", "role", "perspectives", "signals", "degree", "betweenness", "group"}
DOCUMENT_KEYS = {
    "community",
    "as_of",
    "members",
    "groups",
    "modularity",
    "coverage",
    "suggestions",
    "trends",
}


def run(*args) -> str:
    out = StringIO()
    call_command("insights", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kring(make_community, make_user):
    """A community with a drifting member (Zoë), a steady one and a pair that talks."""
    facilitator = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=facilitator, name="Zorg thuis")
    backdate_everyone(community, local(2025, 1, 1))
    zoe = join(community, make_user, at=local(2025, 2, 1), full_name="Zoë Ünal")
    bram = join(community, make_user, at=local(2025, 2, 1), full_name="Bram Steady")
    day = local(2026, 1, 5, 10)
    while day < local(2026, 5, 1):
        act(zoe, community, day, ConversationVerb.ASKED)
        act(bram, community, day, ConversationVerb.REPLIED, other=zoe)
        day += timedelta(days=7)
    act(bram, community, local(2026, 6, 20, 10), ConversationVerb.REPLIED, other=facilitator)
    return community, zoe, bram


def test_json_document_has_the_contract_shape(kring):
    """--json prints the document with every key the contract promises, signal kinds from the
    contract, and reasons in words."""
    community, zoe, _bram = kring
    doc = json.loads(run(community.slug, "--as-of", "2026-06-30", "--json"))
    assert set(doc) >= DOCUMENT_KEYS
    assert doc["community"] == community.slug
    assert doc["as_of"] == "2026-06-30T23:59:59.999999+02:00"
    for member in doc["members"]:
        assert set(member) >= MEMBER_KEYS
        for signal in member["signals"]:
            assert {"kind", "reason", "since"} <= set(signal)
            assert signal["kind"] in {"drifting", "core_silent", "unconnected", "lurker", "rising"}
            assert signal["reason"]
    for group in doc["groups"]:
        assert all("@" in email for email in group)
    for suggestion in doc["suggestions"]:
        assert {"kind", "members", "reason"} <= set(suggestion)
    zoe_doc = next(m for m in doc["members"] if m["email"] == zoe.email)
    assert [s["kind"] for s in zoe_doc["signals"]] == ["drifting"]
    call = next(s for s in doc["suggestions"] if s["kind"] == "call")
    assert call["members"] == [zoe.email]
    assert call["reason"].startswith("Call Zoë Ünal: ")


def test_json_is_sorted_and_not_ascii_escaped(kring):
    """Keys are sorted and names are printed as they are (no \\u escapes)."""
    community, _zoe, _bram = kring
    text = run(community.slug, "--as-of", "2026-06-30", "--json")
    assert "Zoë Ünal" in text
    assert "\\u00eb" not in text
    top_keys = [line.split('"')[1] for line in text.splitlines() if line.startswith('  "')]
    assert top_keys == sorted(top_keys)


def test_as_of_works_on_history(kring):
    """As of a day before the drift, the same member was rising (she had just started), and
    the trends end in that month."""
    community, zoe, _bram = kring
    doc = json.loads(run(community.slug, "--as-of", "2026-04-01", "--json"))
    zoe_doc = next(m for m in doc["members"] if m["email"] == zoe.email)
    assert [s["kind"] for s in zoe_doc["signals"]] == ["rising"]
    assert doc["trends"]["months"][-1] == "2026-04"


def test_as_of_counts_the_whole_day_in_amsterdam(kring, make_user):
    """An event at 23:30 Amsterdam time on the as-of day counts; one just after midnight
    does not."""
    community, _zoe, _bram = kring
    late = join(
        community, make_user, at=local(2025, 1, 1), email="late@example.org", full_name="Late"
    )
    act(late, community, local(2026, 6, 30, 23, 30), ConversationVerb.ASKED)
    act(late, community, local(2026, 7, 1, 0, 15), ConversationVerb.ASKED)
    doc = json.loads(run(community.slug, "--as-of", "2026-06-30", "--json"))
    member = next(m for m in doc["members"] if m["email"] == late.email)
    assert member["recent"] == 1
    assert member["last_active"] == "2026-06-30"


def test_period_days_changes_the_network(kring):
    """--period-days sets the network's period: a short one leaves only the latest tie."""
    community, _zoe, bram = kring
    doc = json.loads(run(community.slug, "--as-of", "2026-06-30", "--period-days", "14", "--json"))
    assert doc["period_days"] == 14
    assert [(e["a"], e["b"]) for e in doc["network"]["edges"]] == [
        ("fenna@example.org", bram.email)
    ]


def test_summary_without_json(kring):
    """Without --json: a readable summary with the signals and their reasons."""
    community, _zoe, _bram = kring
    text = run(community.slug, "--as-of", "2026-06-30")
    assert f"Insights of {community.slug} as of 2026-06-30" in text
    assert "drifting     Zoë Ünal" in text
    assert "Usually active every 7 days; nothing for" in text
    assert "Suggestions:" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "No community with short name 'nope'"),
        (["SLUG", "--as-of", "30-06-2026"], "is not a date as YYYY-MM-DD"),
        (["SLUG", "--as-of", "2026-02-30"], "is not a date as YYYY-MM-DD"),
        (["SLUG", "--period-days", "0"], "--period-days must be between 1 and 3660"),
    ],
)
def test_bad_options_say_what_is_wrong(kring, args, message):
    """An unknown community, a malformed date or a silly period: a clear error."""
    community, _zoe, _bram = kring
    args = [community.slug if a == "SLUG" else a for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_as_of_in_the_future_is_refused(kring):
    """The future has no insights yet."""
    community, _zoe, _bram = kring
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="in the future"):
        run(community.slug, "--as-of", tomorrow)
    assert date.fromisoformat(tomorrow)
