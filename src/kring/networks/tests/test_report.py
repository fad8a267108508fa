"""The network report: who may read it (page, PDF, CSV, API), the same figures as each
community's own report, sums and people counted once, bad periods, and the downloads."""

import csv
import io
import subprocess
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.communities.models import Role
from kring.communities.services import membership_add
from kring.illuminate.report import Period, report_build
from kring.insights.tests.histories import backdate_everyone, join, local, session
from kring.networks import services
from kring.networks.models import Level
from kring.networks.report import GROUPS, SCALARS, network_report_build

pytestmark = pytest.mark.django_db

PERIOD = Period(first=date(2026, 3, 1), last=date(2026, 5, 31))
QUERY = "from=2026-03-01&to=2026-05-31"


@pytest.fixture
def net(make_user, make_admin, make_community):
    """Two private communities linked to one network, with a person in both:

    - Oost (facilitator fenna): ada, bo and cas joined in February 2026; sessions in the
      period attended by ada and bo, and by ada alone; one before the period (bo).
    - West (facilitator wim): bo and dirk joined; a session in the period attended by bo and
      dirk.
    - bo ("Zorg BV") is in both; dirk names " zorg bv " too.

    A third community only asked to join (not linked). The coordinator is a member of none.
    """
    admin = make_admin(full_name="Ada Admin")
    coordinator = make_user(full_name="Coby Coordinator")
    fenna = make_user(full_name="Fenna Facilitator")
    wim = make_user(full_name="Wim Facilitator")
    oost = make_community(by=fenna, name="Zorg Oost")
    west = make_community(by=wim, name="Zorg West")
    asked = make_community(name="Zorg Noord")
    for community in (oost, west):
        backdate_everyone(community, local(2025, 1, 1))
    joined = local(2026, 2, 1)
    ada = join(oost, make_user, at=joined, full_name="Ada Amsterdam")
    bo = join(oost, make_user, at=joined, full_name="Bo Bakker", organisation="Zorg BV")
    cas = join(oost, make_user, at=joined, full_name="Cas Cornelis")
    membership_add(community=west, user=bo, role=Role.MEMBER, at=joined)
    dirk = join(west, make_user, at=joined, full_name="Dirk Dekker", organisation=" zorg bv ")
    session(oost, fenna, local(2026, 2, 10, 19), attended=[bo])
    session(oost, fenna, local(2026, 3, 10, 19), attended=[ada, bo])
    session(oost, fenna, local(2026, 4, 10, 19), attended=[ada])
    session(west, wim, local(2026, 4, 20, 19), attended=[bo, dirk])

    network = services.network_create(
        by=admin, slug="zorg-regio", name="Zorgnetwerk Regio", level=Level.REGIONAL
    )
    services.coordinators_set(network=network, by=admin, people=[coordinator])
    for community in (oost, west):
        services.link_request(network=network, community=community, by=admin)
    services.link_request(network=network, community=asked, by=asked.memberships.first().user)
    return SimpleNamespace(
        network=network,
        oost=oost,
        west=west,
        asked=asked,
        admin=admin,
        coordinator=coordinator,
        fenna=fenna,
        wim=wim,
        ada=ada,
        bo=bo,
        cas=cas,
        dirk=dirk,
    )


def _who(net, make_user, who: str):
    return {
        "anonymous": None,
        "outsider": make_user(full_name="Otto Outsider"),
        "member": net.ada,
        "facilitator": net.fenna,
        "coordinator": net.coordinator,
        "admin": net.admin,
    }[who]


PEOPLE = [
    ("anonymous", 302),
    ("outsider", 404),
    ("member", 404),
    ("facilitator", 404),
    ("coordinator", 200),
    ("admin", 200),
]


# Who may read it --------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), PEOPLE)
@pytest.mark.parametrize("output", ["", "pdf", "csv"])
def test_page_and_downloads_permissions(net, make_user, make_client, who, status, output):
    """Coordinators and platform admins read the report and download it; a member or a
    facilitator of a linked community who does not coordinate gets 404, as an outsider does;
    without a login, the login page."""
    query = f"{QUERY}&format={output}" if output else QUERY
    response = make_client(_who(net, make_user, who)).get(
        f"/networks/{net.network.slug}/report/?{query}"
    )
    assert response.status_code == status
    if status == 302:
        assert "/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), *[p for p in PEOPLE if p[0] != "anonymous"]]
)
def test_api_permissions(net, make_user, make_client, who, status):
    """The API: coordinators and platform admins; anyone else 404, and 401 without a login."""
    response = make_client(_who(net, make_user, who)).get(
        f"/api/v1/networks/{net.network.slug}/report?{QUERY}"
    )
    assert response.status_code == status, response.content


def test_unknown_network_is_404(net, make_client):
    """A name that does not exist: 404, on the page and in the API."""
    client = make_client(net.admin)
    assert client.get("/networks/nope/report/").status_code == 404
    assert client.get("/api/v1/networks/nope/report").status_code == 404


def test_coordinators_find_the_report_on_the_network_page(net, make_client):
    """The network page links the report for coordinators, not for others."""
    url = f"/networks/{net.network.slug}/"
    report = f'href="/networks/{net.network.slug}/report/"'
    assert report in make_client(net.coordinator).get(url).content.decode()
    assert report not in make_client(net.fenna).get(url).content.decode()
    assert report not in make_client(net.ada).get(url).content.decode()


# The figures ------------------------------------------------------------------------------------


def test_each_column_is_the_community_report(net):
    """Every figure of each linked community is the one of its own report over the period;
    a community that only asked to join is not in the report."""
    doc = network_report_build(network=net.network, period=PERIOD)
    assert [c["slug"] for c in doc["communities"]] == [net.oost.slug, net.west.slug]
    for column, community in zip(doc["communities"], (net.oost, net.west), strict=True):
        own = report_build(community=community, period=PERIOD, fresh=True)
        for key in (*SCALARS, *GROUPS):
            assert column["figures"][key] == own[key], (community.slug, key)
        assert column["name"] == own["community_name"]


def test_known_figures_sums_and_people_counted_once(net):
    """Bo is in both communities: the sum counts bo twice, the network once; the same for
    the organisation both name. Sessions and attendances are summed."""
    doc = network_report_build(network=net.network, period=PERIOD)
    oost, west = (c["figures"] for c in doc["communities"])
    # Members: fenna, ada, bo, cas | wim, bo, dirk.
    assert (oost["members"], west["members"]) == (4, 3)
    assert doc["sum"]["members"] == 7
    assert doc["network_total"]["members"] == 6
    # Took part (attended a session in the period): ada, bo | bo, dirk.
    assert (oost["took_part"], west["took_part"]) == (2, 2)
    assert doc["sum"]["took_part"] == 4
    assert doc["network_total"]["took_part"] == 3
    assert (doc["sum"]["attendees"], doc["network_total"]["attendees"]) == (4, 3)
    # "Zorg BV" (bo, both communities) and " zorg bv " (dirk): one organisation.
    assert (oost["organisations"], west["organisations"]) == (1, 1)
    assert (doc["sum"]["organisations"], doc["network_total"]["organisations"]) == (2, 1)
    # Things belong to one community: the network's figure is the sum.
    assert (oost["sessions_held"], west["sessions_held"]) == (2, 1)
    assert doc["sum"]["sessions_held"] == doc["network_total"]["sessions_held"] == 3
    assert (oost["attendances"], west["attendances"]) == (3, 2)
    assert doc["sum"]["attendances"] == doc["network_total"]["attendances"] == 5
    # Pairs and medians are not counted for the network; a median is not summed.
    assert doc["network_total"]["ties"] is None
    assert doc["sum"]["median_hours_to_first_response"] is None
    assert doc["network_total"]["median_hours_to_first_response"] is None


def test_people_per_perspective_counted_once(net, make_client):
    """Bo's perspective: two in the sum, one in the network; on the page in a section of its
    own after the main figures."""
    from kring.accounts.models import Perspective

    net.bo.perspectives.set(Perspective.objects.filter(key="experience-expert"))
    doc = network_report_build(network=net.network, period=PERIOD)
    assert doc["sum"]["members_by_perspective"] == {"experience-expert": 2}
    assert doc["network_total"]["members_by_perspective"] == {"experience-expert": 1}
    assert doc["network_total"]["took_part_by_perspective"] == {"experience-expert": 1}
    name = doc["perspectives"]["experience-expert"]
    html = make_client(net.coordinator).get(f"/networks/{net.network.slug}/report/?{QUERY}")
    html = html.content.decode()
    assert html.index("Value stories shared in reports") < html.index("Members by perspective")
    assert html.count(f'<th scope="row">{name}</th>') == 2


def test_no_person_is_named(net, make_client):
    """Counts only: no member's or facilitator's name in the page, the CSV or the API."""
    client = make_client(net.coordinator)
    base = f"/networks/{net.network.slug}/report/?{QUERY}"
    texts = [
        client.get(base).content.decode(),
        client.get(f"{base}&format=csv").content.decode(),
        client.get(f"/api/v1/networks/{net.network.slug}/report?{QUERY}").content.decode(),
    ]
    for person in (net.ada, net.bo, net.cas, net.dirk, net.fenna, net.wim):
        for text in texts:
            assert person.full_name not in text


def test_default_period_is_the_last_twelve_months(net, make_client):
    """Without dates: the twelve months up to today, the same for every community."""
    today = timezone.localdate()
    response = make_client(net.coordinator).get(f"/api/v1/networks/{net.network.slug}/report")
    body = response.json()
    assert body["to"] == today.isoformat()
    assert date.fromisoformat(body["from"]) == today.replace(year=today.year - 1) + timedelta(
        days=1
    )


def test_a_network_without_communities(make_admin, make_client):
    """No linked community: the page says so; the CSV has the totals only, all zero."""
    admin = make_admin()
    network = services.network_create(by=admin, slug="leeg", name="Leeg", level=Level.LOCAL)
    client = make_client(admin)
    page = client.get(f"/networks/{network.slug}/report/")
    assert page.status_code == 200
    assert "No communities are linked yet." in page.content.decode()
    rows = list(
        csv.reader(io.StringIO(client.get("/networks/leeg/report/?format=csv").content.decode()))
    )
    assert rows[0] == ["figure", "part", "sum", "network_total"]
    assert {r[0]: r[2] for r in rows[1:]}["members"] == "0"


def test_page_queries_do_not_grow_with_the_members(net, make_user, make_client):
    """The page makes as many queries with ten more members as before (the figures computed
    afresh both times); they grow with the number of communities, not their size."""
    client = make_client(net.coordinator)
    url = f"/networks/{net.network.slug}/report/?{QUERY}"

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    before = count()
    for _n in range(10):
        join(net.west, make_user, at=local(2026, 2, 1))
    assert count() <= before


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-05-01&to=2026-04-01", "The end of the period comes before its start."),
        ("from=31-01-2026&to=2026-04-01", "Write the date as YYYY-MM-DD"),
        ("from=2019-01-01&to=2026-01-01", "A report covers at most 5 years."),
        ("from=2026-01-01&to=2099-01-01", "The period cannot end after today."),
    ],
)
@pytest.mark.parametrize("output", ["", "pdf", "csv"])
def test_bad_period_is_400_with_the_message(net, make_client, query, message, output):
    """A period that cannot be read: the page answers 400 with the message next to the field
    and no figures, for a download too (never another period's figures)."""
    suffix = f"&format={output}" if output else ""
    response = make_client(net.coordinator).get(
        f"/networks/{net.network.slug}/report/?{query}{suffix}"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in html
    assert 'class="errorlist' in html
    assert "network-report-table" not in html


def test_a_nul_character_is_400(net, make_client):
    """A NUL character in the period is refused before the report is built."""
    response = make_client(net.coordinator).get(
        f"/networks/{net.network.slug}/report/?from=2026-01-01&to=%00&format=csv"
    )
    assert response.status_code == 400
    assert b"network-report-table" not in response.content


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("from=2019-01-01&to=2026-01-01", "from"),
        ("from=31-01-2026&to=2026-04-01", "from"),
    ],
)
def test_api_bad_period_is_422(net, make_client, query, field):
    """The API answers 422 in its error format, naming the field."""
    response = make_client(net.coordinator).get(
        f"/api/v1/networks/{net.network.slug}/report?{query}"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]


# The outputs -------------------------------------------------------------------------------------


def test_page_shows_the_table(net, make_client):
    """Communities as columns, the sum and the network total, and what they mean."""
    response = make_client(net.coordinator).get(f"/networks/{net.network.slug}/report/?{QUERY}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zorg Oost" in html and "Zorg West" in html
    assert "everyone counts once" in html
    query = QUERY.replace("&", "&amp;")
    assert f"?{query}&amp;format=pdf" in html
    assert f"?{query}&amp;format=csv" in html


def test_csv_parses_back(net, make_client):
    """One figure a row, a column per community and the two totals, as in the document."""
    response = make_client(net.coordinator).get(
        f"/networks/{net.network.slug}/report/?{QUERY}&format=csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("ascii"))))
    assert rows[0] == ["figure", "part", net.oost.slug, net.west.slug, "sum", "network_total"]
    figures = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert figures[("from", "")] == ["2026-03-01"] * 4
    assert figures[("members", "")] == ["4", "3", "7", "6"]
    assert figures[("took_part", "")] == ["2", "2", "4", "3"]
    assert figures[("sessions_held", "")] == ["2", "1", "3", "3"]
    assert figures[("ties", "")][3] == ""
    assert figures[("median_hours_to_first_response", "")] == ["", "", "", ""]
    assert figures[("value_stories_by_cycle", "realised")] == ["0", "0", "0", "0"]
    assert {len(r) for r in rows} == {6}


def test_pdf(net, make_client, tmp_path):
    """A PDF whose text holds the network, the communities and the figures."""
    response = make_client(net.coordinator).get(
        f"/networks/{net.network.slug}/report/?{QUERY}&format=pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Zorgnetwerk Regio" in text
    assert "Zorg Oost" in text and "Zorg West" in text
    line = next(line for line in text.splitlines() if "Members at the end of" in line)
    assert line.split()[-4:] == ["4", "3", "7", "6"]


def test_api_is_the_document(net, make_client):
    """The API gives the report's document."""
    response = make_client(net.coordinator).get(
        f"/api/v1/networks/{net.network.slug}/report?{QUERY}"
    )
    assert response.status_code == 200
    assert response.json() == network_report_build(network=net.network, period=PERIOD)


def test_pdf_tables_hold_five_communities_each(net):
    """Eight communities: two PDF tables (five and three side by side), each saying which
    communities it holds and each with the two totals; the page keeps them in one table."""
    from kring.networks.report_output import network_report_context

    doc = network_report_build(network=net.network, period=PERIOD)
    doc["communities"] = doc["communities"] * 4
    tables = network_report_context(doc, columns=5)["tables"]
    assert [len(t["communities"]) for t in tables] == [5, 3]
    assert [t["caption"] for t in tables] == [
        "Communities 1 to 5 of 8",
        "Communities 6 to 8 of 8",
    ]
    row = tables[1]["sections"][0]["rows"][0]
    assert (row["sum"], row["total"]) == ("7", "6")
    assert len(network_report_context(doc)["tables"]) == 1


def test_the_page_only_reads(net, make_client):
    """A POST to the report is not an action it has: 405 (or the CSRF refusal), nothing
    rendered."""
    response = make_client(net.coordinator).post(f"/networks/{net.network.slug}/report/")
    assert response.status_code in (403, 405)
