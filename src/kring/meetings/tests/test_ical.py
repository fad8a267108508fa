"""iCalendar export: valid RFC 5545 (parsed back with icalendar), series as RRULE with EXDATE
and overrides, and an expansion that shows what a calendar app shows.

recurring-ical-events would expand the feed for us, but its releases require
python-dateutil < 3 while Kring pins 4.0.0; the expansion below follows RFC 5545 with
dateutil directly (rule instances, minus EXDATE, replaced by RECURRENCE-ID overrides)."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from kring.communities.models import Membership
from kring.communities.services import membership_remove
from kring.meetings import ical, recurrence, services, services_series
from kring.meetings.models import Session, SessionStatus
from kring.meetings.tests.conftest import AMSTERDAM, local

pytestmark = pytest.mark.django_db


def parse(data: bytes) -> Calendar:
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    assert "PRODID" in cal
    for event in cal.walk("VEVENT"):
        # RFC 5545 3.6.1: UID and DTSTAMP are required; DTSTART is required without METHOD.
        for name in ("UID", "DTSTAMP", "DTSTART"):
            assert name in event, name
    # Every TZID used is defined by a VTIMEZONE in the calendar.
    assert cal.get_missing_tzids() == set()
    return cal


def _dates(prop) -> list[datetime]:
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    return [d.dt for p in props for d in p.dts]


def expand(data: bytes) -> list[dict]:
    """The occurrences a calendar app shows: each rule instance not excluded, replaced by its
    override when there is one; cancelled events left out."""
    cal = parse(data)
    masters, overrides = {}, defaultdict(dict)
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            overrides[uid][event.decoded("RECURRENCE-ID")] = event
        else:
            assert uid not in masters, "one master per UID"
            masters[uid] = event
    shown = []
    for uid, master in masters.items():
        start = master.decoded("DTSTART")
        if "RRULE" in master:
            rule = master["RRULE"].to_ical().decode()
            instances = list(rrulestr(rule, dtstart=start))
            excluded = set(_dates(master.get("EXDATE")))
            instances = [i for i in instances if i not in excluded]
            # An override must replace an instance of the rule (RFC 5545 3.8.4.4).
            assert set(overrides[uid]) <= set(instances) | excluded
        else:
            instances = [start]
        for instance in instances:
            event = overrides[uid].get(instance, master)
            if str(event.get("STATUS")) == "CANCELLED":
                continue
            shown.append(
                {
                    "uid": uid,
                    "start": event.decoded("DTSTART") if event is not master else instance,
                    "summary": str(event["SUMMARY"]),
                    "location": str(event.get("LOCATION", "")),
                }
            )
    return sorted(shown, key=lambda o: o["start"])


def scheduled_starts(community) -> list[datetime]:
    return list(
        Session.objects.filter(community=community, status=SessionStatus.SCHEDULED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )


def test_session_download_is_one_valid_event(kring, make_session):
    """A session's .ics: one VEVENT with UID, local TZID times, SEQUENCE, STATUS and links."""
    session = make_session(
        starts_at=local(2027, 7, 6, 19, 30), title="Leerkring, zomer; deel 2", agenda="# Agenda"
    )
    cal = parse(ical.session_calendar(session))
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == ical.session_uid(session)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == local(2027, 7, 6, 19, 30)
    assert event.decoded("DTEND") == local(2027, 7, 6, 21, 30)
    assert str(event["SUMMARY"]) == "Leerkring, zomer; deel 2"
    assert str(event["LOCATION"]) == "Buurthuis De Spreeuw, Dorpsstraat 1"
    assert str(event["URL"]).endswith(session.get_absolute_url())
    assert "# Agenda" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_cancelled_session_download_says_cancelled(kring, make_session):
    """A cancelled session exports STATUS:CANCELLED and a higher SEQUENCE."""
    session = make_session(starts_at=local(2027, 7, 6, 19, 30))
    services.session_cancel(session=session, by=kring.facilitator, reason="Zomerstorm")
    session.refresh_from_db()
    (event,) = parse(ical.session_calendar(session)).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "Zomerstorm" in str(event["DESCRIPTION"])


def test_online_session_location_is_the_video_link(kring, make_session):
    """Online: the video link is the location; hybrid: the address, the link in the text."""
    online = make_session(mode="online", location="", video_url="https://meet.example.org/kring")
    hybrid = make_session(mode="hybrid", video_url="https://meet.example.org/hybride")
    (event,) = parse(ical.session_calendar(online)).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://meet.example.org/kring"
    (event,) = parse(ical.session_calendar(hybrid)).walk("VEVENT")
    assert str(event["LOCATION"]) == "Buurthuis De Spreeuw, Dorpsstraat 1"
    assert "https://meet.example.org/hybride" in str(event["DESCRIPTION"])


def test_feed_series_has_rrule_with_utc_until_and_local_start(kring, make_series):
    """The series is one master: DTSTART with TZID at 19:30 local, RRULE with UNTIL in UTC."""
    series = make_series(first_start=local(2027, 1, 12, 19, 30))
    cal = parse(ical.feed_calendar(kring.anna))
    masters = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 1
    master = masters[0]
    assert str(master["UID"]) == ical.series_uid(series)
    assert master["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert master.decoded("DTSTART") == local(2027, 1, 12, 19, 30)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [6]
    (until,) = rule["UNTIL"]
    # Up to and including 12 July 2028 local (23:59:59 CEST) is 21:59:59 UTC.
    assert until == datetime(2028, 7, 12, 21, 59, 59, tzinfo=UTC)
    assert b"UNTIL=20280712T215959Z" in master["RRULE"].to_ical()
    overrides = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert len(overrides) == 14
    assert all(str(e["UID"]) == ical.series_uid(series) for e in overrides)
    assert all(e["RECURRENCE-ID"].params["TZID"] == "Europe/Amsterdam" for e in overrides)


def test_expanded_series_keeps_local_time_across_dst(kring, make_series):
    """Expanded, every occurrence is at 19:30 Amsterdam time, in winter and in summer."""
    make_series(first_start=local(2027, 1, 12, 19, 30))
    shown = expand(ical.feed_calendar(kring.anna))
    assert len(shown) == 14
    starts = [o["start"].astimezone(AMSTERDAM) for o in shown]
    assert all((s.hour, s.minute) == (19, 30) for s in starts)
    assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}
    assert [s.astimezone(UTC) for s in starts] == scheduled_starts(kring.community)


def test_expanded_series_shows_moves_and_drops_cancellations(kring, make_series):
    """A moved occurrence shows at its new time (not the old), a cancelled one not at all,
    an edited title on its own occurrence only; the master has EXDATE, SEQUENCE follows."""
    series = make_series(first_start=local(2027, 1, 12, 19, 30))
    sessions = list(series.sessions.order_by("starts_at"))
    old_start = sessions[2].starts_at
    moved = services.session_update(
        session=sessions[2],
        by=kring.facilitator,
        starts_at=local(2027, 3, 25, 14, 0),
        ends_at=local(2027, 3, 25, 16, 0),
    )
    services.session_cancel(session=sessions[4], by=kring.facilitator)
    services.session_update(session=sessions[6], by=kring.facilitator, title="Met gasten")
    data = ical.feed_calendar(kring.anna)
    shown = expand(data)
    starts = [o["start"] for o in shown]
    assert local(2027, 3, 25, 14, 0) in starts
    assert old_start not in starts
    assert sessions[4].starts_at not in starts
    assert len(shown) == 13
    assert [s.astimezone(UTC) for s in starts] == scheduled_starts(kring.community)
    titles = {o["start"]: o["summary"] for o in shown}
    assert titles[sessions[6].starts_at] == "Met gasten"
    assert titles[sessions[5].starts_at] == "Leerkring"

    cal = Calendar.from_ical(data)
    (master,) = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    assert _dates(master.get("EXDATE")) == [sessions[4].original_start]
    override = next(
        e
        for e in cal.walk("VEVENT")
        if "RECURRENCE-ID" in e and e.decoded("RECURRENCE-ID") == moved.original_start
    )
    assert override.decoded("DTSTART") == local(2027, 3, 25, 14, 0)
    assert override["SEQUENCE"] == 1
    assert master["SEQUENCE"] == 1


def test_expanded_feed_follows_a_split_series(kring, make_series):
    """Moving "this and following" splits the series; the feed still shows every session
    exactly where it is, each part with its own UID."""
    series = make_series(first_start=local(2027, 1, 12, 19, 30))
    sessions = list(series.sessions.order_by("starts_at"))
    services_series.session_update_following(
        session=sessions[5],
        by=kring.facilitator,
        starts_at=sessions[5].starts_at + timedelta(days=1, hours=-1),
    )
    services.session_cancel(session=sessions[8], by=kring.facilitator, scope="following")
    shown = expand(ical.feed_calendar(kring.anna))
    assert [o["start"].astimezone(UTC) for o in shown] == scheduled_starts(kring.community)
    assert len({o["uid"] for o in shown}) == 2
    assert all(
        (o["start"].astimezone(AMSTERDAM).hour, o["start"].astimezone(AMSTERDAM).minute)
        == ((19, 30) if i < 5 else (18, 30))
        for i, o in enumerate(shown)
    )


def test_feed_with_count_rule_and_single_sessions(kring, make_series, make_session):
    """A COUNT rule and single sessions (one cancelled, with STATUS:CANCELLED) together."""
    make_series(
        first_start=local(2027, 1, 12, 10, 0),
        rule=recurrence.rule_monthly_nth_weekday(2, "TU", count=4),
    )
    single = make_session(starts_at=local(2027, 6, 1, 9, 0), title="Extra")
    cancelled = make_session(starts_at=local(2027, 6, 8, 9, 0), title="Afgelast")
    services.session_cancel(session=cancelled, by=kring.facilitator)
    data = ical.feed_calendar(kring.bram)
    cal = parse(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e}
    assert str(events[ical.session_uid(single)]["STATUS"]) == "CONFIRMED"
    assert str(events[ical.session_uid(cancelled)]["STATUS"]) == "CANCELLED"
    shown = expand(data)
    assert [o["start"].astimezone(UTC) for o in shown] == scheduled_starts(kring.community)
    assert [o["start"].astimezone(AMSTERDAM).date() for o in shown] == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 6, 1),
    ]


def test_feed_only_has_the_persons_communities(kring, make_session, make_community, make_user):
    """Sessions of other communities are not in someone's feed; leaving a community takes its
    sessions out."""
    other_facilitator = make_user(full_name="Olga Other")
    other = make_community(by=other_facilitator, name="Elders")
    make_session(title="Onze kring")
    make_session(community=other, by=other_facilitator, title="Elders bijeen")
    summaries = {str(e["SUMMARY"]) for e in parse(ical.feed_calendar(kring.anna)).walk("VEVENT")}
    assert summaries == {"Onze kring"}
    summaries = {
        str(e["SUMMARY"]) for e in parse(ical.feed_calendar(kring.outsider)).walk("VEVENT")
    }
    assert summaries == set()
    membership = Membership.objects.get(community=kring.community, user=kring.anna)
    membership_remove(membership=membership, by=kring.anna)
    assert parse(ical.feed_calendar(kring.anna)).walk("VEVENT") == []


def test_hostile_text_round_trips_as_text(kring, make_session):
    """Commas, semicolons, new lines and markup in a title or agenda survive as plain text."""
    session = make_session(
        title="<script>alert(1)</script>, ja; nee", agenda="Regel 1\nRegel 2; a,b\\c"
    )
    (event,) = parse(ical.session_calendar(session)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "<script>alert(1)</script>, ja; nee"
    assert str(event["DESCRIPTION"]).startswith("Regel 1\nRegel 2; a,b\\c")
