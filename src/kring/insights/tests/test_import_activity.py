"""`kring import-activity`: kinds to events, new people, bad rows with line numbers, nothing
saved unless --skip-invalid, --dry-run, duplicates skipped, the snapshot refreshed after."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Membership
from kring.conversations.verbs import ConversationVerb
from kring.core.csvimport import ImportProblem
from kring.core.models import ActivityEvent
from kring.insights import importing
from kring.insights.models import Snapshot, SnapshotMember
from kring.knowledge.verbs import KnowledgeVerb
from kring.meetings.verbs import MeetingVerb

pytestmark = pytest.mark.django_db

HEADER = "actor_email,target_email,kind,timestamp\n"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import-activity", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def kring(make_community, make_user, make_member):
    facilitator = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=facilitator, name="Zorg thuis")
    anna = make_member(community, email="anna@example.org", full_name="Anna").user
    return community, anna


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "activity.csv") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def imported():
    return ActivityEvent.objects.filter(data__source="import-activity")


def test_import_maps_kinds_and_adds_people(kring, csv_file, make_user):
    """Every kind becomes its verb; a message has no community; kinds without another person
    need no target; an existing account and new addresses are added as members with a note,
    new accounts inactive with a name from the address; the summary lists them."""
    community, anna = kring
    known = make_user(email="karin@example.org", full_name="Karin Known")
    path = csv_file(
        HEADER
        + "anna@example.org,karin@example.org,reply,2026-01-05T10:00:00+01:00\n"
        + "karin@example.org,anna@example.org,answer,2026-01-05T11:00:00Z\n"
        + "anna@example.org,karin@example.org,accepted,2026-01-05 12:00\n"
        + "anna@example.org,karin@example.org,accept,2026-01-05 12:30\n"
        + "anna@example.org,piet.de.boer@example.org,mention,2026-01-06\n"
        + "KARIN@example.org,anna@example.org,useful,2026-01-07T09:00\n"
        + "anna@example.org,,comment,2026-01-08T09:00\n"
        + "anna@example.org,karin@example.org,message,2026-01-09T09:00\n"
        + "anna@example.org,,ask,2026-01-10T09:00\n"
        + "anna@example.org,,question,2026-01-10T10:00\n"
        + "karin@example.org,,share,2026-01-11T09:00\n"
        + "karin@example.org,,item,2026-01-11T10:00\n"
        + "karin@example.org,,reflect,2026-01-12T09:00\n"
        + "karin@example.org,,attend,2026-01-12T19:30\n"
    )
    out, _err = run(community.slug, path)
    assert "Imported 14 events into" in out
    assert "Added as members (2):" in out
    assert "  karin@example.org\n" in out
    assert "  piet.de.boer@example.org (new account, not active until invited)" in out
    verbs = sorted(imported().values_list("verb", flat=True))
    assert verbs == sorted(
        [
            ConversationVerb.REPLIED,
            ConversationVerb.ANSWERED,
            ConversationVerb.ANSWER_ACCEPTED,
            ConversationVerb.ANSWER_ACCEPTED,
            ConversationVerb.MENTIONED,
            ConversationVerb.REACTED,
            KnowledgeVerb.COMMENTED,
            ConversationVerb.MESSAGED,
            ConversationVerb.ASKED,
            ConversationVerb.ASKED,
            KnowledgeVerb.ITEM_CREATED,
            KnowledgeVerb.ITEM_CREATED,
            MeetingVerb.REFLECTED,
            MeetingVerb.ATTENDED,
        ]
    )
    message = imported().get(verb=ConversationVerb.MESSAGED)
    assert message.community_id is None and message.other == known
    assert (
        imported().exclude(verb=ConversationVerb.MESSAGED).filter(community=community).count() == 13
    )
    reply = imported().get(verb=ConversationVerb.REPLIED)
    assert (reply.actor, reply.other) == (anna, known)
    assert reply.created_at == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    # Naive times are Amsterdam time (CET in January: UTC+1).
    useful = imported().get(verb=ConversationVerb.REACTED)
    assert useful.created_at == datetime(2026, 1, 7, 8, 0, tzinfo=UTC)
    assert useful.actor == known
    piet = User.objects.get(email="piet.de.boer@example.org")
    assert piet.full_name == "Piet de Boer"
    assert not piet.is_active and not piet.has_usable_password()
    membership = Membership.objects.get(community=community, user=piet)
    assert membership.note == "added by import-activity"
    # Members since they first appear in the file.
    assert membership.joined_at == datetime(2026, 1, 5, 23, 0, tzinfo=UTC)
    assert Membership.objects.get(community=community, user=known).note == (
        "added by import-activity"
    )
    assert Membership.objects.get(community=community, user=anna).note == ""


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("not-an-address,anna@example.org,reply,2026-01-05", "'not-an-address' is not a valid"),
        ("anna@example.org,x@,reply,2026-01-05", "'x@' is not a valid e-mail address"),
        ("anna@example.org,karin@example.org,shout,2026-01-05", "unknown kind 'shout'"),
        ("anna@example.org,karin@example.org,reply,yesterday", "'yesterday' is not an ISO"),
        ("anna@example.org,karin@example.org,reply,2026-13-45", "is not an ISO timestamp"),
        ("anna@example.org,karin@example.org,reply,2999-01-01", "2999-01-01 is in the future"),
        ("anna@example.org,karin@example.org,reply,0001-01-01T00:00+05:00", "outside 1900-2200"),
        ("anna@example.org,karin@example.org,reply,9999-12-31T23:59-05:00", "in the future"),
        ("anna@example.org,karin@example.org,reply", "missing column timestamp"),
        ("anna@example.org,,reply,2026-01-05", "a reply needs a target_email"),
        ("anna@example.org,anna@example.org,reply,2026-01-05", "the same person"),
        (",karin@example.org,reply,2026-01-05", "no actor_email"),
        ("anna@example.org,karin@example.org,,2026-01-05", "no kind"),
        ("anna@example.org,karin@example.org,reply,", "no timestamp"),
    ],
)
def test_bad_row_is_reported_with_its_line_and_nothing_is_saved(kring, csv_file, row, message):
    """One bad row among good ones: it is named with its line number and nothing is saved."""
    community, _anna = kring
    path = csv_file(
        HEADER + "anna@example.org,karin@example.org,reply,2026-01-05T10:00\n" + row + "\n"
    )
    users, members = User.objects.count(), Membership.objects.count()
    with pytest.raises(CommandError, match="1 row is not valid; nothing was imported"):
        out, err = StringIO(), StringIO()
        try:
            call_command(
                "import-activity", community.slug, path, "--no-progress", stdout=out, stderr=err
            )
        finally:
            assert "line 3: " in err.getvalue()
            assert message in err.getvalue()
    assert not imported().exists()
    assert (User.objects.count(), Membership.objects.count()) == (users, members)


def test_hostile_values_are_reported_as_text(kring, csv_file):
    """Markup in a cell is just a bad value in the report."""
    community, _anna = kring
    path = csv_file(HEADER + "<script>alert(1)</script>,anna@example.org,reply,2026-01-05\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import-activity", community.slug, path, "--no-progress", stderr=err)
    assert "line 2: '<script>alert(1)</script>' is not a valid e-mail address" in err.getvalue()


def test_skip_invalid_imports_the_good_rows(kring, csv_file):
    """--skip-invalid imports the good rows and lists the bad ones with their lines."""
    community, _anna = kring
    path = csv_file(
        HEADER
        + "anna@example.org,karin@example.org,reply,2026-01-05T10:00\n"
        + "anna@example.org,karin@example.org,shout,2026-01-05T10:00\n"
        + "bad,karin@example.org,reply,2026-01-05T10:00\n"
    )
    out, _err = run(community.slug, path, "--skip-invalid")
    assert "Imported 1 event into" in out
    assert "Skipped 2 rows:" in out
    assert "line 3: unknown kind 'shout'" in out
    assert "line 4: 'bad' is not a valid e-mail address" in out
    assert imported().count() == 1


def test_dry_run_saves_nothing(kring, csv_file):
    """--dry-run says what would happen and writes nothing."""
    community, _anna = kring
    path = csv_file(HEADER + "anna@example.org,new@example.org,reply,2026-01-05T10:00\n")
    out, _err = run(community.slug, path, "--dry-run")
    assert "Would import 1 event" in out
    assert "Would add as members (1):" in out
    assert not imported().exists()
    assert not User.objects.filter(email="new@example.org").exists()


def test_importing_twice_adds_nothing_the_second_time(kring, csv_file):
    """The same actor, other person, kind and moment is the same event: a second import of
    the file, or a repeated row, is skipped; a daylight-saving hour does not confuse it."""
    community, _anna = kring
    path = csv_file(
        HEADER
        + "anna@example.org,karin@example.org,reply,2026-01-05T10:00\n"
        + "anna@example.org,karin@example.org,reply,2026-01-05T10:00\n"
        + "anna@example.org,karin@example.org,message,2025-10-26T02:30\n"
        + "anna@example.org,karin@example.org,reply,2026-01-05T10:01\n"
    )
    out, _err = run(community.slug, path)
    assert "Imported 3 events" in out
    assert "Skipped 1 row already in Kring" in out
    out, _err = run(community.slug, path)
    assert "Imported 0 events" in out
    assert "Skipped 4 rows already in Kring" in out
    assert imported().count() == 3


def test_semicolons_and_column_order(kring, csv_file):
    """A Dutch spreadsheet's semicolons and the columns in another order are fine; extra
    columns are ignored."""
    community, _anna = kring
    path = csv_file(
        "timestamp;kind;actor_email;target_email;remark\n"
        "2026-01-05T10:00;reply;anna@example.org;karin@example.org;hello\n"
    )
    out, _err = run(community.slug, path)
    assert "Imported 1 event" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("actor_email,kind,timestamp\nanna@example.org,ask,2026-01-05\n", "missing: target_email"),
        (HEADER, "No rows to import"),
    ],
)
def test_whole_file_problems(kring, csv_file, text, message):
    """An empty file, a header without a column, or no rows: one clear error."""
    community, _anna = kring
    with pytest.raises(CommandError, match=message):
        run(community.slug, csv_file(text))


def test_unknown_community_and_missing_file(kring, csv_file, tmp_path):
    """A wrong slug or path says so."""
    community, _anna = kring
    with pytest.raises(CommandError, match="No community with short name 'nope'"):
        run("nope", csv_file(HEADER))
    with pytest.raises(CommandError, match="No such file"):
        run(community.slug, str(tmp_path / "missing.csv"))


def test_import_refreshes_the_snapshot(kring, csv_file, django_capture_on_commit_callbacks):
    """After the import is committed, the community's insights are computed again."""
    community, _anna = kring
    path = csv_file(HEADER + "anna@example.org,karin@example.org,reply,2026-01-05T10:00\n")
    with django_capture_on_commit_callbacks(execute=True):
        run(community.slug, path)
    snapshot = Snapshot.objects.get(community=community)
    parts = SnapshotMember.objects.filter(snapshot=snapshot).values_list("data", flat=True)
    assert {m["email"] for m in parts} >= {
        "anna@example.org",
        "karin@example.org",
    }


def test_read_rows_checks_without_the_database():
    """The parser on its own: good rows in UTC, errors with line numbers."""
    now = datetime(2026, 6, 1, tzinfo=UTC)
    rows, errors = importing.read_rows(
        HEADER + "a@example.org,b@example.org,reply,2026-05-31T23:00+02:00\n"
        "a@example.org,b@example.org,reply,2026-06-02\n",
        now=now,
    )
    assert [(r.line, r.verb, r.at) for r in rows] == [
        (2, ConversationVerb.REPLIED, datetime(2026, 5, 31, 21, 0, tzinfo=UTC))
    ]
    assert [str(e) for e in errors] == ["line 3: 2026-06-02 is in the future"]


def test_many_rows_are_written_in_batches(kring, monkeypatch):
    """More rows than a batch: all written, the progress told per batch."""
    community, _anna = kring
    monkeypatch.setattr(importing, "BATCH_SIZE", 100)
    start = timezone.now() - timedelta(days=30)
    moments = [(start + timedelta(minutes=i)).isoformat() for i in range(250)]
    text = HEADER + "".join(
        f"anna@example.org,p{i % 7}@example.org,reply,{moment}\n"
        for i, moment in enumerate(moments)
    )
    rows, errors = importing.read_rows(text)
    plan = importing.plan_import(community=community, rows=rows, errors=errors)
    steps = []
    importing.apply_import(plan=plan, progress=steps.append)
    assert steps == [100, 100, 50]
    assert imported().count() == 250


def test_an_unmatched_quote_is_reported_where_the_field_starts():
    """A quote that is never closed stops the import at the line where its field starts."""
    text = (
        HEADER
        + "a@example.org,b@example.org,reply,2026-01-05T10:00\n"
        + 'a@example.org,"b@example.org,reply,2026-01-05T11:00\n'
        + "a@example.org,b@example.org,reply,2026-01-05T12:00\n"
    )
    with pytest.raises(ImportProblem, match="Line 3 .*quote"):
        importing.read_rows(text, now=datetime(2026, 6, 1, tzinfo=UTC))


def test_a_binary_file_is_not_called_empty(kring, tmp_path):
    """A file of control characters is reported as not a text (CSV) file."""
    community, _anna = kring
    path = tmp_path / "activity.csv"
    path.write_bytes(bytes([0x1C, 0x1D, 0x1E, 0x1F, 0x0B]) * 40)
    with pytest.raises(CommandError, match=r"not a text \(CSV\) file"):
        run(community.slug, str(path))
