"""The report's outputs: the API, the pages, the downloads (PDF, CSV) and `kring report`."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kring.illuminate.models import ReportText
from kring.illuminate.report import report_build
from kring.illuminate.tests.report_history import (
    EXPECTED,
    PERIOD,
    SECRET,
    assert_queries_flat,
    build,
)

pytestmark = pytest.mark.django_db

QUERY = "from=2026-03-01&to=2026-05-31"


@pytest.fixture
def history(make_community, make_user):
    return build(make_community, make_user)


@pytest.fixture
def community_and_person(make_community, make_user, make_admin, make_member):
    """A community, and one person of the given kind towards it."""

    def make(who: str):
        facilitator = make_user()
        community = make_community(by=facilitator)
        person = {
            "facilitator": lambda: facilitator,
            "admin": make_admin,
            "member": lambda: make_member(community).user,
            "outsider": make_user,
            "anonymous": lambda: None,
        }[who]()
        return community, person

    return make


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# The API ---------------------------------------------------------------------------------------


def test_api_gives_the_same_document_as_the_cli(history, make_client):
    """GET /report is the document `kring report --format json` writes."""
    community, people = history
    response = make_client(people["fenna"]).get(
        f"/api/v1/communities/{community.slug}/report?{QUERY}"
    )
    assert response.status_code == 200, response.content
    out = io.StringIO()
    call_command("report", community.slug, "--from", "2026-03-01", "--to", "2026-05-31", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    for key in (
        "community",
        "from",
        "to",
        "sessions_held",
        "attendances",
        "members_by_perspective",
        "items_by_kind",
        "value_stories_by_cycle",
        "new_ties",
    ):
        assert key in response.json()
    assert response.json()["new_ties"] == EXPECTED["new_ties"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("facilitator", 200), ("admin", 200), ("member", 403), ("outsider", 404), ("anonymous", 401)],
)
def test_api_permissions(community_and_person, make_client, who, status):
    """Facilitators and platform admins read the report; a member 403, others 404, and
    without a login 401."""
    community, user = community_and_person(who)
    response = make_client(user).get(f"/api/v1/communities/{community.slug}/report")
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("from=2019-01-01&to=2026-01-01", "from"),
        ("from=31-01-2026&to=2026-04-01", "from"),
        ("from=2026-01-01&to=%00", "to"),
    ],
)
def test_api_bad_period_is_422(make_community, make_user, make_client, query, field):
    """A bad period answers 422 in the API's error format, naming the field."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    response = make_client(facilitator).get(f"/api/v1/communities/{community.slug}/report?{query}")
    assert response.status_code in (400, 422), response.content
    body = response.json()
    assert body["code"] == "invalid"
    if response.status_code == 422:
        assert field in body["errors"]


# The pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("facilitator", 200), ("admin", 200), ("member", 403), ("outsider", 404)]
)
@pytest.mark.parametrize("page", ["report", "report-pdf", "report-csv"])
def test_page_permissions(community_and_person, make_client, who, status, page):
    """The report page and its downloads: facilitators and admins; a member 403, others 404."""
    community, user = community_and_person(who)
    response = make_client(user).get(f"/communities/{community.slug}/{_path(page)}")
    assert response.status_code == status


def _path(page: str) -> str:
    return {"report": "report/", "report-pdf": "report/pdf/", "report-csv": "report/csv/"}[page]


def test_page_shows_the_figures_and_no_community_story(history, make_client):
    """The page shows the period's figures, the charts and the featured quotes; never a
    story only for the community."""
    community, people = history
    response = make_client(people["fenna"]).get(f"/communities/{community.slug}/report/?{QUERY}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bewoners weten de wijkagent nu te vinden." in html
    assert SECRET not in html
    assert html.count('class="chart chart-bars"') == 3
    assert people["ada"].full_name not in html


def test_page_bad_period_shows_the_form_error(make_community, make_user, make_client):
    """A `to` before `from` stands next to the field; the default period is shown."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    response = make_client(facilitator).get(
        f"/communities/{community.slug}/report/?from=2026-05-01&to=2026-04-01"
    )
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()


def test_saving_the_foreword(history, make_client):
    """The facilitator writes the foreword for the period; it shows in the report."""
    community, people = history
    url = f"/communities/{community.slug}/report/?{QUERY}"
    response = make_client(people["fenna"]).post(
        url, {"foreword": "Een jaar vol verbinding.", "next_steps": "Verder."}
    )
    assert response.status_code == 302
    text = ReportText.objects.get(community=community)
    assert (text.period_from, text.period_to) == (PERIOD.first, PERIOD.last)
    assert "Een jaar vol verbinding." in make_client(people["fenna"]).get(url).content.decode()


def test_saving_too_long_a_foreword_saves_nothing(history, make_client):
    """A foreword over 5,000 characters is refused next to the field."""
    community, people = history
    response = make_client(people["fenna"]).post(
        f"/communities/{community.slug}/report/?{QUERY}", {"foreword": "x" * 5001}
    )
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    assert not ReportText.objects.exists()


def test_a_foreword_for_a_bad_period_is_not_saved(history, make_client):
    """With a period that can't be read (to before from), the page says so and saves the
    text for no period at all, not for the default one it shows."""
    community, people = history
    response = make_client(people["fenna"]).post(
        f"/communities/{community.slug}/report/?from=2026-05-01&to=2026-01-01",
        {"foreword": "Voor welke periode?"},
    )
    assert response.status_code == 200
    assert "your text was not saved" in response.content.decode()
    assert not ReportText.objects.exists()


def test_member_cannot_save_a_foreword(history, make_client):
    """A member posting a foreword gets 403 and nothing is saved."""
    community, people = history
    response = make_client(people["ada"]).post(
        f"/communities/{community.slug}/report/?{QUERY}", {"foreword": "Mag ik?"}
    )
    assert response.status_code == 403
    assert not ReportText.objects.exists()


def test_page_queries_do_not_grow_with_the_data(
    make_community, make_user, make_member, make_client, django_assert_max_num_queries
):
    """The report page's queries are the same for 2 and 12 members with stories."""
    from kring.illuminate.models import Consent
    from kring.illuminate.services import value_story_create

    facilitator = make_user()
    community = make_community(by=facilitator)
    client = make_client(facilitator)
    url = f"/communities/{community.slug}/report/"

    def add(n):
        for _ in range(n):
            member = make_member(community).user
            value_story_create(
                community=community,
                by=member,
                title="Verhaal",
                cycles={"realised": "Het werkt."},
                consent=Consent.REPORT,
            )

    assert_queries_flat(client, url, add, django_assert_max_num_queries)


# Downloads -------------------------------------------------------------------------------------


def test_pdf_holds_the_figures(history, make_client, tmp_path):
    """The PDF opens and its text holds the community, the period and the figures."""
    community, people = history
    response = make_client(people["fenna"]).get(
        f"/communities/{community.slug}/report/pdf/?{QUERY}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert "Leerkring Wijkzorg" in text
    assert "2026" in text
    assert "Bewoners weten de wijkagent nu te vinden." in text
    for label, value in (
        ("Sessions held", 2),
        ("Attendances", 4),
        ("Library items shared", 3),
        ("Questions asked", 3),
        ("New ties", 1),
        ("Ties across perspectives", 2),
    ):
        line = next(line for line in text.splitlines() if label in line)
        assert str(value) in line.split(label, 1)[1], line
    assert SECRET not in text


def test_csv_holds_the_figures(history, make_client):
    """The CSV has one figure a row, the same as the document."""
    community, people = history
    response = make_client(people["fenna"]).get(
        f"/communities/{community.slug}/report/csv/?{QUERY}"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "part", "value"]
    figures = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert figures[("sessions_held", "")] == "2"
    assert figures[("new_ties", "")] == "1"
    assert figures[("items_by_kind", "toolkit")] == "2"
    assert figures[("value_stories_by_cycle", "realised")] == "1"
    assert figures[("members_by_perspective", "municipality")] == "1"


# The command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
def test_cli_writes_each_format_to_a_file(history, tmp_path, fmt):
    """`kring report SLUG --from --to --format F --output FILE` writes the report there."""
    community, _people = history
    target = tmp_path / f"report.{fmt}"
    call_command(
        "report",
        community.slug,
        "--from",
        "2026-03-01",
        "--to",
        "2026-05-31",
        "--format",
        fmt,
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    data = target.read_bytes()
    if fmt == "json":
        assert json.loads(data) == json.loads(
            json.dumps(report_build(community=community, period=PERIOD))
        )
    elif fmt == "html":
        assert b"Leerkring Wijkzorg" in data and b"<svg" in data
    else:
        assert "Leerkring Wijkzorg" in _pdf_text(data, tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-05-01", "--to", "2026-04-01"], "--to: The end of the period"),
        (["--from", "2019-01-01", "--to", "2025-01-02"], "--from: A report covers at most 5"),
        (["--from", "2026-1-1x", "--to", "2026-04-01"], "--from: Write the date as YYYY-MM-DD"),
    ],
)
def test_cli_bad_input_is_exit_code_2(history, args, message):
    """Bad dates stop the command with exit code 2 and a clear message."""
    community, _people = history
    with pytest.raises(CommandError, match=message) as caught:
        call_command("report", community.slug, *args)
    assert caught.value.returncode == 2


def test_cli_unknown_community_is_exit_code_2(db):
    """An unknown short name stops with exit code 2."""
    with pytest.raises(CommandError, match="No community") as caught:
        call_command("report", "nope", "--from", "2026-01-01", "--to", "2026-02-01")
    assert caught.value.returncode == 2


def test_cli_exit_code_in_a_real_process(tmp_path):
    """Run as `kring report`, bad input exits with 2 and the message on stderr."""
    # The `kring` script of the interpreter running the tests (not necessarily on PATH).
    kring = str(Path(sys.executable).with_name("kring"))
    result = subprocess.run(
        [kring, "report", "x", "--from", "2026-01-01", "--to", "2026-02-01", "--format", "doc"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "KRING_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "invalid choice: 'doc'" in result.stderr
