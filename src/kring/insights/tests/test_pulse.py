"""The climate pulse: who may start, answer, close and read it; results only in aggregate,
only once closed and from five answers; answers that can't be traced to a person."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.communities.models import Role
from kring.insights import selectors, services
from kring.insights.models import (
    PULSE_ITEMS,
    Pulse,
    PulseParticipation,
    PulseResponse,
)
from kring.insights.views.pulse import trend_svg

KEYS = [key for key, _reverse, _text in PULSE_ITEMS]


def _answers(**overrides) -> dict:
    return {**dict.fromkeys(KEYS, 4), **overrides}


def _post(answers: dict) -> dict:
    return {key: str(value) for key, value in answers.items()}


@pytest.fixture
def setup(make_community, make_member, make_user):
    community = make_community()
    facilitator = community.memberships.get(role=Role.FACILITATOR).user
    members = [make_member(community).user for _ in range(6)]
    return community, facilitator, members


def _start(community, facilitator, days=14) -> Pulse:
    return services.pulse_start(community=community, by=facilitator, days=days)


def _fill(pulse, people, answers=None):
    for person in people:
        services.pulse_answer(pulse=pulse, by=person, answers=answers or _answers())


def _numbers(html: str) -> str:
    """The page's main part, without the header and footer every page has."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# Scoring ------------------------------------------------------------------------------------


def test_safety_score_reverses_items_1_3_and_5():
    """Items 1, 3 and 5 count as 8 - x; the score is the mean of the seven items."""
    answers = {"ps1": 1, "ps2": 7, "ps3": 2, "ps4": 6, "ps5": 3, "ps6": 5, "ps7": 4}
    # reversed: 7, 6, 5; as given: 7, 6, 5, 4 -> (7+7+6+6+5+5+4) / 7 = 40 / 7
    assert selectors.safety_score({**answers, "learn": 1, "trust": 1}) == pytest.approx(40 / 7)


def test_results_on_known_answers(setup):
    """Five known answer sets give the expected safety, learn and trust means and counts."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    # Person n answers every item with n (1..5): safety per person = (3*(8-n) + 4*n) / 7.
    for n, person in enumerate(members[:5], start=1):
        services.pulse_answer(pulse=pulse, by=person, answers=dict.fromkeys(KEYS, n))
    services.pulse_close(pulse=pulse, by=facilitator)
    results = selectors.pulse_results(pulse=pulse)
    expected_safety = sum((3 * (8 - n) + 4 * n) / 7 for n in range(1, 6)) / 5
    assert results["visible"] is True
    assert results["safety"] == round(expected_safety, 2)
    assert results["learn"] == 3.0
    assert results["trust"] == 3.0
    first = results["items"][0]
    assert first["key"] == "ps1" and first["reverse"] is True
    assert first["counts"] == [1, 1, 1, 1, 1, 0, 0]
    assert first["mean"] == 3.0


def test_all_agree_scores_four_on_safety(setup):
    """Answering 7 everywhere scores 4 on safety (three reversed items give 1 each)."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    _fill(pulse, members[:5], dict.fromkeys(KEYS, 7))
    services.pulse_close(pulse=pulse, by=facilitator)
    assert selectors.pulse_results(pulse=pulse)["safety"] == pytest.approx(
        (3 * 1 + 4 * 7) / 7, 0.01
    )


# Hidden under five answers ------------------------------------------------------------------


def test_four_answers_show_no_numbers_anywhere(setup, make_client):
    """With 4 answers, the results page, the list, the trend SVG and the summary carry no
    number but the count."""
    community, facilitator, members = setup
    earlier = _start(community, facilitator)
    _fill(earlier, members[:5], dict.fromkeys(KEYS, 6))
    services.pulse_close(pulse=earlier, by=facilitator)
    pulse = _start(community, facilitator)
    _fill(pulse, members[:4], dict.fromkeys(KEYS, 2))
    services.pulse_close(pulse=pulse, by=facilitator)

    results = selectors.pulse_results(pulse=pulse)
    assert results["visible"] is False
    assert not {"safety", "learn", "trust", "items"} & set(results)
    summary = selectors.pulse_summary(community)
    assert summary["pulse_id"] == pulse.pk and summary["answers"] == 4
    assert summary["safety"] is None and summary["learn"] is None and summary["trust"] is None
    assert [p["pulse"] for p in selectors.pulse_trend(community=community)] == [earlier]

    client = make_client(facilitator)
    page = client.get(reverse("pulse-results", args=[community.slug, pulse.pk]))
    assert page.status_code == 200
    body = _numbers(page.content.decode())
    assert "Results appear at 5 answers; this pulse closed with 4." in body
    assert "Psychological safety" not in body
    assert "<table" not in body
    # Only the dates and the counts 4 and 5 appear as digits: no means, no distribution.
    listing = _numbers(client.get(reverse("pulse-list", args=[community.slug])).content.decode())
    assert "2.0" not in listing and "2,0" not in listing
    assert selectors.pulse_summary(community)["visible"] is False


def test_open_pulse_shows_no_numbers_even_with_five_answers(setup, make_client):
    """While open, a pulse with 6 answers shows the count only: a difference after one
    answer would give that answer away."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    _fill(pulse, members[:6], dict.fromkeys(KEYS, 3))
    assert selectors.pulse_results(pulse=pulse)["visible"] is False
    assert selectors.pulse_summary(community)["safety"] is None
    page = make_client(members[0]).get(reverse("pulse-results", args=[community.slug, pulse.pk]))
    body = _numbers(page.content.decode())
    assert "if at least 5 people answered; now 6." in body
    assert "3.0" not in body and "<table" not in body


def test_five_answers_closed_show_the_results(setup, make_client):
    """Closed with 5 answers, members and facilitators see the aggregates and the trend."""
    community, facilitator, members = setup
    for value in (3, 5):
        pulse = _start(community, facilitator)
        _fill(pulse, members[:5], dict.fromkeys(KEYS, value))
        services.pulse_close(pulse=pulse, by=facilitator)
    for person in (facilitator, members[5]):
        page = make_client(person).get(reverse("pulse-results", args=[community.slug, pulse.pk]))
        body = page.content.decode()
        assert "Psychological safety" in body
        assert "<strong>5.0</strong>" in body  # learn and trust: everyone answered 5
    listing = make_client(members[0]).get(reverse("pulse-list", args=[community.slug]))
    svg = re.search(r"<svg[^>]*chart-pulse.*?</svg>", listing.content.decode(), re.S)
    assert svg is not None and svg.group(0).count("<polyline") == 3
    summary = selectors.pulse_summary(community)
    assert summary["visible"] is True and summary["learn"] == 5.0


def test_trend_svg_needs_two_visible_pulses(setup):
    """No pulse or one pulse draws no trend chart."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    _fill(pulse, members[:5])
    services.pulse_close(pulse=pulse, by=facilitator)
    trend = selectors.pulse_trend(community=community)
    assert len(trend) == 1
    assert str(trend_svg([])) == "" and str(trend_svg(trend)) == ""


def test_trend_svg_text_is_at_least_11px_on_a_phone():
    """Twenty pulses shown 320 px wide: every text is 11 px or more, and the latest pulse's
    date is written."""
    import xml.etree.ElementTree as ET
    from datetime import datetime, timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    start = timezone.make_aware(datetime(2025, 1, 6, 12))
    points = [
        {
            "pulse": SimpleNamespace(opened_at=start + timedelta(weeks=3 * n)),
            "answers": 6,
            "safety": 5.0,
            "learn": 4.5,
            "trust": 6.0,
        }
        for n in range(20)
    ]
    root = ET.fromstring(str(trend_svg(points)))
    texts = list(root.iter("{http://www.w3.org/2000/svg}text"))
    width = float(root.get("viewBox").split()[2])
    assert min(float(t.get("font-size")) for t in texts) * 320 / width >= 11
    latest = timezone.localtime(points[-1]["pulse"].opened_at)
    assert texts[-1].text.startswith(str(latest.day))


# Anonymity ----------------------------------------------------------------------------------


def test_answers_cannot_be_traced_to_a_person(setup):
    """The response table has no person, no time and no link to the participation; the
    participation table has no response id; rows are reshuffled with fresh ids."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    response_columns = {f.column for f in PulseResponse._meta.get_fields() if f.concrete}
    assert response_columns == {"id", "pulse_id", "answers"}
    participation_columns = {f.column for f in PulseParticipation._meta.get_fields() if f.concrete}
    assert participation_columns == {"id", "pulse_id", "user_id"}
    with connection.cursor() as cursor:
        db_columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, PulseResponse._meta.db_table
            )
        }
    assert db_columns == {"id", "pulse_id", "answers"}

    services.pulse_answer(pulse=pulse, by=members[0], answers=_answers(ps1=1))
    first_ids = set(PulseResponse.objects.values_list("id", flat=True))
    services.pulse_answer(pulse=pulse, by=members[1], answers=_answers(ps1=7))
    second_ids = set(PulseResponse.objects.values_list("id", flat=True))
    assert not first_ids & second_ids  # every answer gets new random ids for all rows
    rows = list(PulseResponse.objects.filter(pulse=pulse).values("answers"))
    assert sorted(r["answers"]["ps1"] for r in rows) == [1, 7]
    assert PulseParticipation.objects.filter(pulse=pulse).count() == 2
    stored = [
        str(v) for r in PulseResponse.objects.values_list("id", "pulse_id", "answers") for v in r
    ]
    for person in members[:2]:
        assert not any(str(person.pk) == v or person.email in v for v in stored[2::3])


def test_a_person_cannot_answer_twice(setup, make_client):
    """The second answer is refused by the service and the page; one response stays."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    services.pulse_answer(pulse=pulse, by=members[0], answers=_answers())
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, by=members[0], answers=_answers(ps2=1))
    client = make_client(members[0])
    url = reverse("pulse-answer", args=[community.slug, pulse.pk])
    response = client.post(url, _post(_answers(ps2=1)), follow=True)
    assert "You already answered this pulse." in response.content.decode()
    assert PulseResponse.objects.filter(pulse=pulse).count() == 1
    assert PulseParticipation.objects.filter(pulse=pulse).count() == 1


def test_answering_through_the_page(setup, make_client):
    """A member answers all nine statements; one participation and one response are stored."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    client = make_client(members[0])
    url = reverse("pulse-answer", args=[community.slug, pulse.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="ps1"' in form.content.decode()
    response = client.post(url, _post(_answers(ps1=1, trust=7)))
    assert response.status_code == 302
    (stored,) = PulseResponse.objects.filter(pulse=pulse)
    assert stored.answers == _answers(ps1=1, trust=7)
    assert PulseParticipation.objects.filter(pulse=pulse, user=members[0]).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"ps1": "8"},
        {"ps1": "0"},
        {"ps1": "-1"},
        {"ps1": "3.5"},
        {"ps1": "abc"},
        {"ps1": "<script>alert(1)</script>"},
        {"ps1": "9" * 400},
        {"ps1": ""},
    ],
)
def test_hostile_or_out_of_range_answers_are_refused(setup, make_client, bad):
    """Anything but the integers 1..7 is refused next to the statement and nothing is saved."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    client = make_client(members[0])
    url = reverse("pulse-answer", args=[community.slug, pulse.pk])
    response = client.post(url, {**_post(_answers()), **bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose" in body and "from 1 to 7" in body
    assert "<script>alert" not in body
    assert not PulseResponse.objects.exists()
    assert not PulseParticipation.objects.exists()


def test_a_missing_statement_is_refused(setup, make_client):
    """Every statement is required."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    data = _post(_answers())
    del data["trust"]
    response = make_client(members[0]).post(
        reverse("pulse-answer", args=[community.slug, pulse.pk]), data
    )
    assert "Choose how much you agree, from 1 to 7." in response.content.decode()
    assert not PulseResponse.objects.exists() and not PulseParticipation.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [
        {**dict.fromkeys(KEYS, 4), "ps1": True},
        {**dict.fromkeys(KEYS, 4), "ps1": 4.0},
        {**dict.fromkeys(KEYS, 4), "ps1": "4"},
        {**dict.fromkeys(KEYS, 4), "ps1": 8},
        {**dict.fromkeys(KEYS, 4), "extra": 4},
        dict.fromkeys(KEYS[:-1], 4),
    ],
)
def test_the_service_accepts_only_integers_on_the_scale(setup, answers):
    """The service itself refuses booleans, floats, strings, extra and missing keys."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, by=members[0], answers=answers)
    assert not PulseResponse.objects.exists() and not PulseParticipation.objects.exists()


def test_a_closed_pulse_takes_no_answers(setup, make_client):
    """After closing (or the end date), answers are refused."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    services.pulse_close(pulse=pulse, by=facilitator)
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, by=members[0], answers=_answers())
    expired = _start(community, facilitator)
    Pulse.objects.filter(pk=expired.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = make_client(members[0]).post(
        reverse("pulse-answer", args=[community.slug, expired.pk]), _post(_answers())
    )
    assert response.status_code == 302
    assert not PulseResponse.objects.exists()


# Who may do what ----------------------------------------------------------------------------


def test_members_cannot_start_or_close(setup, make_client, make_member):
    """Members, core group and guests get 403 on start and close; the services refuse too."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    core = make_member(community, role=Role.CORE).user
    guest = make_member(community, role=Role.GUEST).user
    for person in (members[0], core, guest):
        client = make_client(person)
        assert (
            client.post(reverse("pulse-start", args=[community.slug]), {"days": 7}).status_code
            == 403
        )
        assert (
            client.post(reverse("pulse-close", args=[community.slug, pulse.pk])).status_code == 403
        )
        with pytest.raises(PermissionDenied):
            services.pulse_close(pulse=pulse, by=person)
        with pytest.raises(PermissionDenied):
            services.pulse_start(community=community, by=person)
    pulse.refresh_from_db()
    assert pulse.closed_at is None and Pulse.objects.count() == 1


def test_outsiders_get_404(setup, make_client, make_user, make_community, make_member):
    """A non-member (and a member of another community) gets 404 on every pulse page."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    other = make_community()
    stranger = make_member(other).user
    urls = [
        ("get", reverse("pulse-list", args=[community.slug])),
        ("get", reverse("pulse-start", args=[community.slug])),
        ("get", reverse("pulse-results", args=[community.slug, pulse.pk])),
        ("get", reverse("pulse-answer", args=[community.slug, pulse.pk])),
        ("post", reverse("pulse-answer", args=[community.slug, pulse.pk])),
        ("post", reverse("pulse-close", args=[community.slug, pulse.pk])),
    ]
    for person in (make_user(), stranger):
        client = make_client(person)
        for method, url in urls:
            response = getattr(client, method)(url, _post(_answers()) if method == "post" else None)
            assert response.status_code == 404, url
    anonymous = make_client()
    assert anonymous.get(urls[0][1]).status_code == 302
    # A pulse of another community under this community's slug is not found either.
    other_facilitator = other.memberships.get(role=Role.FACILITATOR).user
    foreign = _start(other, other_facilitator)
    response = make_client(members[0]).get(
        reverse("pulse-results", args=[community.slug, foreign.pk])
    )
    assert response.status_code == 404
    assert not PulseResponse.objects.exists()


def test_facilitator_starts_and_closes_through_the_pages(setup, make_client):
    """The facilitator opens a pulse for 7 days, can't open a second, and closes it."""
    community, facilitator, members = setup
    client = make_client(facilitator)
    response = client.post(reverse("pulse-start", args=[community.slug]), {"days": 7})
    assert response.status_code == 302
    pulse = Pulse.objects.get(community=community)
    assert pulse.is_open
    assert timedelta(days=6, hours=23) < pulse.closes_at - pulse.opened_at <= timedelta(days=7)
    again = client.post(reverse("pulse-start", args=[community.slug]), {"days": 7})
    assert again.status_code == 200
    assert "A pulse is already open." in again.content.decode()
    assert Pulse.objects.count() == 1
    client.post(reverse("pulse-close", args=[community.slug, pulse.pk]))
    pulse.refresh_from_db()
    assert pulse.closed_at is not None and not pulse.is_open


@pytest.mark.parametrize("days", ["0", "61", "abc", "<script>", "1.5", ""])
def test_start_refuses_bad_days(setup, make_client, days):
    """Days outside 1..60 or not a whole number are refused and no pulse is made."""
    community, facilitator, _members = setup
    response = make_client(facilitator).post(
        reverse("pulse-start", args=[community.slug]), {"days": days}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]
    assert not Pulse.objects.exists()


def test_platform_admin_may_run_a_pulse_but_not_answer(setup, make_admin, make_client):
    """A platform admin outside the community can start, close and read, not answer."""
    community, _facilitator, members = setup
    admin = make_admin()
    client = make_client(admin)
    assert (
        client.post(reverse("pulse-start", args=[community.slug]), {"days": 3}).status_code == 302
    )
    pulse = Pulse.objects.get()
    assert client.get(reverse("pulse-list", args=[community.slug])).status_code == 200
    assert client.get(reverse("pulse-answer", args=[community.slug, pulse.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.pulse_answer(pulse=pulse, by=admin, answers=_answers())


def test_member_sees_the_list_with_an_answer_button(setup, make_client):
    """A member sees the open pulse with the button; after answering, a thank-you."""
    community, facilitator, members = setup
    pulse = _start(community, facilitator)
    client = make_client(members[0])
    answer_url = reverse("pulse-answer", args=[community.slug, pulse.pk])
    page = client.get(reverse("pulse-list", args=[community.slug])).content.decode()
    assert answer_url in page and "Close the pulse now" not in page
    services.pulse_answer(pulse=pulse, by=members[0], answers=_answers())
    page = client.get(reverse("pulse-list", args=[community.slug])).content.decode()
    assert answer_url not in page and "You answered this pulse." in page


def test_summary_is_none_without_pulses(setup):
    """A community that never had a pulse has no summary."""
    community, _facilitator, _members = setup
    assert selectors.pulse_summary(community) is None


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pulse_list_queries_do_not_grow_with_pulses(setup, make_client):
    """The pulse page costs the same number of queries with one or four closed pulses."""
    community, facilitator, members = setup
    client = make_client(members[0])
    url = reverse("pulse-list", args=[community.slug])
    counts = []
    for _round in range(4):
        pulse = _start(community, facilitator)
        _fill(pulse, members[:5])
        services.pulse_close(pulse=pulse, by=facilitator)
        counts.append(_queries(client, url))
    assert counts[0] == counts[-1]
    assert 'class="chart chart-pulse"' in client.get(url).content.decode()


def test_pulse_tab_in_the_header(setup, make_client, make_user):
    """Facilitators always see the Climate pulse tab; members once there was a pulse."""
    community, facilitator, members = setup
    url = reverse("member-list", args=[community.slug])
    tab = reverse("pulse-list", args=[community.slug])
    assert tab in make_client(facilitator).get(url).content.decode()
    assert tab not in make_client(members[0]).get(url).content.decode()
    _start(community, facilitator)
    assert tab in make_client(members[0]).get(url).content.decode()
