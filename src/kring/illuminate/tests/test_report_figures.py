"""The report's figures against a constructed history with known answers (report_history),
the same network figures as the insights document, and consent."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kring.communities.models import Visibility
from kring.illuminate.models import Consent
from kring.illuminate.report import Period, default_period, period_parse, report_build
from kring.illuminate.services_report import report_text_save
from kring.illuminate.tests.report_history import EXPECTED, PERIOD, SECRET, build
from kring.insights.compute import compute
from kring.insights.models import Pulse
from kring.insights.services import pulse_answer, pulse_close, pulse_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_community, make_user):
    return build(make_community, make_user)


def test_figures_of_the_constructed_history(history):
    """Every figure of the report over March–May 2026 is the one the history was built for."""
    community, _people = history
    doc = report_build(community=community, period=PERIOD)
    assert doc["community"] == community.slug
    assert (doc["from"], doc["to"], doc["days"]) == ("2026-03-01", "2026-05-31", 92)
    for key, value in EXPECTED.items():
        assert doc[key] == value, key


def test_same_network_figures_as_the_insights_document(history):
    """Ties, new ties, ties across perspectives and members by perspective equal the insights
    document's for the same period (as of the end of `to`, over its days)."""
    community, _people = history
    doc = report_build(community=community, period=PERIOD)
    insights = compute(community=community, as_of=PERIOD.end, period_days=PERIOD.days)
    assert doc["new_ties"] == insights["network"]["new_ties"]
    assert doc["ties"] == len([e for e in insights["network"]["edges"] if e["strong"]])
    across = sum(
        n
        for key, n in insights["network"]["perspective_ties"].items()
        if len(set(key.split("|"))) > 1
    )
    assert doc["ties_across_perspectives"] == across
    rows = {r["perspective"]: r["members"] for r in insights["coverage"]["rows"] if r["members"]}
    assert doc["members_by_perspective"] == rows
    assert doc["members"] == insights["coverage"]["members"]


def test_a_community_story_never_in_the_report(history):
    """A story only for the community is neither counted nor quoted; a `report` story's
    realised text is quoted when featured without a quote, a chosen quote otherwise."""
    community, _people = history
    doc = report_build(community=community, period=PERIOD)
    text = json.dumps(doc, ensure_ascii=False)
    assert SECRET not in text
    assert [q["quote"] for q in doc["quotes"]] == [
        "We kijken nu anders naar succes.",
        "Bewoners weten de wijkagent nu te vinden.",
    ]
    assert doc["value_stories"] == 2
    assert {q["title"] for q in doc["quotes"]} == {
        f"A story ({Consent.PUBLIC})",
        f"A story ({Consent.REPORT})",
    }


def test_a_story_taken_back_leaves_the_report_at_once(history):
    """The report's figures are kept a while, but not past a story made community-only or
    deleted: the next report no longer counts or quotes it."""
    from kring.illuminate.models import ValueStory
    from kring.illuminate.services import value_story_delete, value_story_update

    community, _people = history
    assert report_build(community=community, period=PERIOD)["value_stories"] == 2
    public = ValueStory.objects.get(community=community, quote="We kijken nu anders naar succes.")
    value_story_update(story=public, by=public.author, consent=Consent.COMMUNITY)
    doc = report_build(community=community, period=PERIOD)
    assert doc["value_stories"] == 1
    assert f"A story ({Consent.PUBLIC})" not in {q["title"] for q in doc["quotes"]}
    kept = ValueStory.objects.get(community=community, immediate="Ik was bij de leerkring.")
    value_story_delete(story=kept, by=kept.author)
    assert report_build(community=community, period=PERIOD)["value_stories"] == 0


def test_no_member_is_named(history):
    """No member's name or e-mail address is in the report; a private community's
    facilitator is not a public face either."""
    community, people = history
    text = json.dumps(report_build(community=community, period=PERIOD), ensure_ascii=False)
    for person in people.values():
        assert person.full_name not in text
        assert person.email not in text


def test_a_public_face_is_named(make_community, make_user):
    """The facilitator of a public community is a public face: named in the report."""
    community, people = build(make_community, make_user, visibility=Visibility.PUBLIC)
    doc = report_build(community=community, period=PERIOD)
    assert doc["facilitators"] == [people["fenna"].full_name]


def test_foreword_of_exactly_this_period(history):
    """The foreword written for the period is in its report, not in another period's."""
    community, people = history
    report_text_save(
        community=community,
        period=PERIOD,
        by=people["fenna"],
        foreword="Een goed jaar.",
        next_steps="Meer gemeenten.",
    )
    doc = report_build(community=community, period=PERIOD)
    assert (doc["foreword"], doc["next_steps"]) == ("Een goed jaar.", "Meer gemeenten.")
    other = Period(first=PERIOD.first, last=PERIOD.last - timedelta(days=1))
    assert report_build(community=community, period=other)["foreword"] == ""


def _pulse(community, by, answerers):
    pulse = pulse_start(community=community, by=by)
    for person in answerers:
        pulse_answer(pulse=pulse, by=person, answers=dict.fromkeys(_keys(), 5))
    pulse_close(pulse=pulse, by=by)
    return pulse


def _keys():
    from kring.insights.models import PULSE_ITEMS

    return [key for key, _reverse, _text in PULSE_ITEMS]


def test_pulse_only_from_five_answers(make_community, make_user, make_member):
    """A pulse with five answers is in the report, one with four is not."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    people = [make_member(community).user for _ in range(5)]
    _pulse(community, facilitator, people[:4])
    _pulse(community, facilitator, people)
    today = timezone.localdate()
    doc = report_build(community=community, period=Period(first=today, last=today))
    assert [p["answers"] for p in doc["pulse"]] == [5]
    assert Pulse.objects.count() == 2


def test_default_period_is_the_last_twelve_months(make_community):
    """Without dates: the last twelve months, or since the community started."""
    community = make_community()
    today = timezone.localdate()
    assert default_period(community).first == today
    period = default_period(community, today=today + timedelta(days=800))
    assert period.days == 365 or period.days == 366


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        ("2026-05-01", "2026-04-01", "to", "comes before its start"),
        ("2020-01-01", "2025-12-31", "from", "at most 5 years"),
        ("2026-13-01", "2026-04-01", "from", "YYYY-MM-DD"),
        ("yesterday", "2026-04-01", "from", "YYYY-MM-DD"),
        ("2026-01-01", "2999-01-01", "to", "between 1900 and 2200"),
        ("2026-01-01", "2200-01-01", "to", "after today"),
    ],
)
def test_bad_period(make_community, first, last, field, message):
    """A bad period is refused with a clear message on the right field."""
    community = make_community()
    with pytest.raises(ValidationError) as caught:
        period_parse(community=community, period_from=first, period_to=last)
    assert message in " ".join(caught.value.message_dict[field])


def test_five_years_exactly_is_accepted(make_community):
    """Five whole years is the longest period."""
    community = make_community()
    period = period_parse(community=community, period_from="2021-01-01", period_to="2025-12-31")
    assert period.first == date(2021, 1, 1)
