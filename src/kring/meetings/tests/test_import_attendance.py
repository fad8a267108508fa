"""`kring import-attendance`: the happy path, bad rows, --skip-invalid, --dry-run, idempotency;
and the parsing in kring.meetings.importing on its own."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Membership, Role
from kring.communities.verbs import CommunityVerb
from kring.core import csvimport
from kring.core.models import ActivityEvent
from kring.meetings import importing
from kring.meetings.models import Attendance, Session
from kring.meetings.tests.conftest import AMSTERDAM, local
from kring.meetings.verbs import MeetingVerb

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import-attendance", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "attendance.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return str(path)

    return write


@pytest.fixture
def history(kring, make_session):
    """A past session of the community on 10 March 2026 at 19:30."""
    past = make_session(starts_at=local(2026, 3, 10, 19, 30), title="Maartkring")
    return past


def counts() -> tuple[int, int, int, int, int]:
    return (
        Attendance.objects.count(),
        Session.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        ActivityEvent.objects.count(),
    )


def test_import_registers_attendance_creates_sessions_and_adds_members(
    kring, history, csv_file, make_user
):
    """Known sessions are used, a session is made for a date without one, an existing person
    and a new address are added as members and listed, and activity events are written."""
    known = make_user(email="karin@example.org", full_name="Karin Known")
    path = csv_file(
        "member_email,session_date,status\n"
        f"{kring.anna.email},2026-03-10,attended\n"
        f"{kring.bram.email.upper()},2026-03-10,excused\n"
        f"{kring.anna.email},2026-01-20,\n"
        "karin@example.org,2026-01-20,absent\n"
        "piet.van.dam@example.org,2026-03-10,attended\n"
    )
    out, _err = run(kring.community.slug, path)

    assert "Imported 5 rows" in out and "5 new, 0 changed, 0 unchanged" in out
    assert "Created 1 session on: 2026-01-20" in out
    assert "Added as members (2):" in out
    assert "karin@example.org\n" in out
    assert "piet.van.dam@example.org (new account, not active until invited)" in out

    created = Session.objects.get(community=kring.community, title="Session")
    start = created.starts_at.astimezone(AMSTERDAM)
    assert (start.date(), start.hour, start.minute) == (date(2026, 1, 20), 19, 30)
    assert created.location and list(created.facilitators.all()) == [kring.facilitator]

    piet = User.objects.get(email="piet.van.dam@example.org")
    assert piet.full_name == "Piet van Dam" and not piet.has_usable_password()
    assert not piet.is_active
    for person in (known, piet):
        assert Membership.objects.get(community=kring.community, user=person).role == Role.MEMBER
    statuses = dict(Attendance.objects.filter(session=history).values_list("user__email", "status"))
    assert statuses == {
        kring.anna.email: "attended",
        kring.bram.email: "excused",
        "piet.van.dam@example.org": "attended",
    }
    assert Attendance.objects.get(session=created, user=known).status == "absent"
    assert Attendance.objects.get(session=created, user=kring.anna).status == "attended"

    events = ActivityEvent.objects.filter(verb=MeetingVerb.ATTENDED, community=kring.community)
    assert events.count() == 5
    # Backdated to the session, so insights see history, not a burst of activity today.
    anna_event = events.get(actor=kring.anna, target_id=history.pk)
    assert anna_event.created_at <= history.ends_at
    joined = ActivityEvent.objects.get(verb=CommunityVerb.JOINED, actor=piet)
    assert joined.created_at == history.starts_at
    assert ActivityEvent.objects.filter(
        verb=MeetingVerb.SESSION_PLANNED, target_id=created.pk
    ).exists()


def test_bad_rows_are_reported_by_line_and_nothing_is_saved(kring, history, csv_file):
    """A malformed e-mail, a bad date, an unknown status, a missing column and a duplicate are
    reported with their line numbers; one bad row means nothing at all is saved."""
    path = csv_file(
        "member_email,session_date,status\n"
        f"{kring.anna.email},2026-03-10,attended\n"  # good
        "not-an-address,2026-03-10\n"  # line 3
        f"{kring.bram.email},10-03-2026\n"  # line 4
        f"{kring.bram.email},2026-02-30\n"  # line 5
        f"{kring.bram.email},2026-03-10,present\n"  # line 6
        "nieuw@example.org\n"  # line 7
        f"{kring.anna.email},2026-03-10,absent\n"  # line 8: duplicate of line 2
        "ok@example.org,2026-01-05\n"  # good, but would make a session and a person
    )
    before = counts()
    with pytest.raises(CommandError, match="6 rows are not valid; nothing was imported"):
        run(kring.community.slug, path)
    assert counts() == before

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import-attendance", kring.community.slug, path, "--no-progress", stdout=out, stderr=err
        )
    report = err.getvalue()
    assert "line 3: 'not-an-address' is not a valid e-mail address" in report
    assert "line 4: '10-03-2026' is not a date as YYYY-MM-DD" in report
    assert "line 5: '2026-02-30' is not a date" in report
    assert "line 6: unknown status 'present'" in report
    assert "line 7: missing column session_date" in report
    assert "line 8: the same person and date as line 2" in report
    assert "line 2" not in report.replace("as line 2", "")


def test_a_date_outside_the_range_is_reported_with_its_line(kring, history, csv_file):
    """Year 1 is reported as a bad line, not a traceback; with --skip-invalid the rest imports."""
    path = csv_file(
        f"member_email,session_date\n{kring.anna.email},2026-03-10\n{kring.bram.email},0001-01-01\n"
    )
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="1 row is not valid; nothing was imported"):
        call_command("import-attendance", kring.community.slug, path, "--no-progress", stderr=err)
    assert "line 3: 0001-01-01 is outside 1900-2200" in err.getvalue()
    assert counts() == before
    run(kring.community.slug, path, "--skip-invalid")
    assert Attendance.objects.filter(user=kring.anna).exists()


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(kring, history, csv_file):
    """With --skip-invalid the good rows are imported and the bad ones listed."""
    path = csv_file(
        "member_email,session_date,status\n"
        f"{kring.anna.email},2026-03-10\n"
        f"{kring.bram.email},2026-13-01\n"
        "@example.org,2026-03-10\n"
    )
    out, _err = run(kring.community.slug, path, "--skip-invalid")
    assert "Imported 1 row" in out
    assert "Skipped 2 rows:" in out and "line 3:" in out and "line 4:" in out
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [kring.anna.pk]
    assert not User.objects.filter(email="@example.org").exists()


def test_dry_run_saves_nothing_and_says_what_would_happen(kring, history, csv_file):
    """--dry-run checks and plans but writes no session, person, membership or attendance."""
    path = csv_file(
        f"member_email,session_date\n{kring.anna.email},2026-03-10\nnieuw@example.org,2025-11-04\n"
    )
    before = counts()
    out, _err = run(kring.community.slug, path, "--dry-run")
    assert counts() == before
    assert "Would import 2 rows" in out
    assert "Would create 1 session on: 2025-11-04" in out
    assert "nieuw@example.org (new account" in out


def test_running_the_same_file_twice_changes_nothing(kring, history, csv_file):
    """The second run finds the sessions, members and registrations made by the first."""
    path = csv_file(
        "member_email,session_date,status\n"
        f"{kring.anna.email},2026-03-10\n"
        f"{kring.bram.email},2026-01-13,excused\n"
        "nieuw@example.org,2026-01-13\n"
    )
    run(kring.community.slug, path)
    before = counts()
    out, _err = run(kring.community.slug, path)
    assert counts() == before
    assert "0 new, 0 changed, 3 unchanged" in out
    assert "Created" not in out and "Added as members" not in out


def test_a_changed_status_is_updated(kring, history, csv_file):
    """A row with another status than registered changes it (and is counted as changed)."""
    from kring.meetings import services

    services.attendance_set(session=history, by=kring.facilitator, user=kring.anna, status="absent")
    out, _err = run(
        kring.community.slug,
        csv_file(f"member_email,session_date\n{kring.anna.email},2026-03-10\n"),
    )
    assert "0 new, 1 changed, 0 unchanged" in out
    assert Attendance.objects.get(session=history, user=kring.anna).status == "attended"


def test_by_must_be_a_facilitator(kring, history, csv_file):
    """--by a member (not a facilitator) or an unknown address is refused, nothing saved."""
    path = csv_file(f"member_email,session_date\n{kring.anna.email},2026-03-10\n")
    with pytest.raises(CommandError, match="not a facilitator"):
        run(kring.community.slug, path, "--by", kring.bram.email)
    with pytest.raises(CommandError, match="No active person"):
        run(kring.community.slug, path, "--by", "nobody@example.org")
    assert not Attendance.objects.exists()


def test_by_names_who_registers(kring, history, csv_file, make_member):
    """Attendance is recorded by the facilitator given with --by."""
    other = make_member(kring.community, role=Role.FACILITATOR, full_name="Tweede").user
    path = csv_file(f"member_email,session_date\n{kring.anna.email},2026-03-10\n")
    out, _err = run(kring.community.slug, path, "--by", other.email)
    assert "as Tweede" in out
    assert Attendance.objects.get().recorded_by == other


def test_a_platform_admin_outside_the_community_can_import(kring, csv_file, make_admin):
    """--by a platform admin who is not a member works; new sessions are led by the community's
    first facilitator, and the admin does not become a member."""
    admin = make_admin(full_name="Ada Admin")
    path = csv_file(f"member_email,session_date\n{kring.anna.email},2025-05-06\n")
    run(kring.community.slug, path, "--by", admin.email)
    session = Session.objects.get()
    assert list(session.facilitators.all()) == [kring.facilitator]
    assert Attendance.objects.get().recorded_by == admin
    assert not Membership.objects.filter(user=admin).exists()


def test_unknown_community_file_or_header(kring, csv_file, tmp_path):
    """A wrong short name, a missing file and a header without the columns stop at once."""
    good = csv_file("member_email,session_date\n")
    with pytest.raises(CommandError, match="No community"):
        run("nope", good)
    with pytest.raises(CommandError, match="No such file"):
        run(kring.community.slug, str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="missing: session_date"):
        run(
            kring.community.slug,
            csv_file("member_email,date\nanna@example.org,2026-03-10\n", "x.csv"),
        )
    with pytest.raises(CommandError, match="No rows to import"):
        run(kring.community.slug, good)


def test_future_dates_are_refused(kring, csv_file):
    """Attendance is history: a date after today is a bad row."""
    tomorrow = timezone.localdate(timezone=AMSTERDAM) + timedelta(days=1)
    with pytest.raises(CommandError, match="1 row is not valid"):
        run(
            kring.community.slug,
            csv_file(f"member_email,session_date\n{kring.anna.email},{tomorrow}\n"),
        )
    assert not Session.objects.exists()


def test_first_scheduled_session_of_the_day_is_used(kring, make_session, csv_file):
    """With two sessions on one date the earlier scheduled one gets the attendance; a cancelled
    one is passed over."""
    from kring.meetings import services

    early = make_session(starts_at=local(2026, 2, 3, 10, 0))
    # Cancelled back then, before it took place.
    services.session_cancel(session=early, by=kring.facilitator, at=local(2026, 1, 20, 12, 0))
    middle = make_session(starts_at=local(2026, 2, 3, 14, 0))
    make_session(starts_at=local(2026, 2, 3, 19, 30))
    run(
        kring.community.slug,
        csv_file(f"member_email,session_date\n{kring.anna.email},2026-02-03\n"),
    )
    assert Attendance.objects.get().session == middle


def test_semicolons_and_byte_order_mark_are_read(kring, history, csv_file):
    """A Dutch spreadsheet's CSV (semicolons, a byte-order mark, Windows line ends, columns in
    another order) works."""
    path = csv_file(
        "Status;Member_Email;Session_Date\r\nexcused;jose@example.org;2026-03-10\r\n",
        encoding="utf-8-sig",
    )
    out, _err = run(kring.community.slug, path)
    assert "1 new" in out
    assert Attendance.objects.get(user__email="jose@example.org").status == "excused"


def test_read_rows_on_its_own():
    """The parser returns good rows and numbered errors without touching the database."""
    rows, errors = importing.read_rows(
        "\n\nmember_email,session_date,status\nA@Example.org, 2026-01-05 , Absent\n"
        "b@example.org,2026-01-05,attended,extra\n"
    )
    assert rows == [
        importing.Row(line=4, email="a@example.org", day=date(2026, 1, 5), status="absent")
    ]
    assert [e.line for e in errors] == [5]
    with pytest.raises(csvimport.ImportProblem, match="Unknown column"):
        importing.read_rows("member_email,session_date,remark\n")


@pytest.mark.parametrize(
    "email, name",
    [
        ("anna.de.vries@example.org", "Anna de Vries"),
        ("piet_jansen+kring@example.org", "Piet Jansen"),
        ("k2@example.org", "K"),
        ("123@example.org", "123"),
    ],
)
def test_name_from_email(email, name):
    """A new account gets a readable name from its address."""
    assert csvimport.name_from_email(email) == name


def test_imported_session_times_hold_in_summer(kring, csv_file):
    """A session made for a summer date starts at 19:30 Amsterdam time (UTC+2 then)."""
    run(
        kring.community.slug,
        csv_file(f"member_email,session_date\n{kring.anna.email},2025-07-01\n"),
    )
    session = Session.objects.get()
    assert session.starts_at == datetime(2025, 7, 1, 17, 30, tzinfo=UTC)


def test_import_refreshes_the_insights_snapshot(kring, history, csv_file):
    """After an import the community's insights are computed again (tasks run at once in
    tests), so the facilitator's dashboard shows the imported history; a dry run doesn't."""
    from kring.insights.models import Snapshot

    path = csv_file(f"member_email,session_date\n{kring.anna.email},2026-03-10\n")
    run(kring.community.slug, path, "--dry-run")
    assert not Snapshot.objects.filter(community=kring.community).exists()
    run(kring.community.slug, path)
    assert Snapshot.objects.filter(community=kring.community).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        bytes([0x1C, 0x1D, 0x1E, 0x1F, 0x0B, 0x0C]) * 50,  # only control characters
        b"PK\x03\x04\x14\x00\x06\x00" + b"xl/workbook.xml" * 10,  # a spreadsheet, not CSV
        b"\x7fELF\x02\x01\x01" + bytes(range(1, 32)) * 20,
    ],
)
def test_a_binary_file_is_not_called_empty(kring, tmp_path, data):
    """A binary file is reported as not a text (CSV) file, never as empty."""
    path = tmp_path / "attendance.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"not a text \(CSV\) file") as caught:
        run(kring.community.slug, str(path))
    assert "empty" not in str(caught.value)


def test_an_unmatched_quote_is_reported_where_the_field_starts(kring, history, csv_file):
    """A quote that is never closed is reported at the line where its field starts."""
    path = csv_file(
        "member_email,session_date,status\n"
        f"{kring.anna.email},2026-03-10,attended\n"
        f'{kring.bram.email},"2026-03-10,attended\n'
        f"{kring.anna.email},2026-01-20,attended\n"
        f"{kring.bram.email},2026-01-20,attended\n"
    )
    with pytest.raises(CommandError, match="Line 3 ") as caught:
        run(kring.community.slug, path)
    assert "quote" in str(caught.value)
    assert Attendance.objects.count() == 0


def test_a_row_over_several_lines_is_reported_at_its_first_line():
    """A row whose quoted field holds a line break is reported at the line it starts on."""
    _rows, errors = importing.read_rows(
        'member_email,session_date,status\nanna@example.org,2026-01-20,"at\ntended"\n'
    )
    assert [e.line for e in errors] == [2]
