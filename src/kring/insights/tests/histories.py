"""Small builders for constructed histories: members who joined on a given day, activity on
given days, sessions with who attended. Everything goes through the services with `at=`."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from kring.communities.models import Membership, Role
from kring.communities.services import membership_add
from kring.conversations.verbs import ConversationVerb
from kring.core.services import activity_record

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args) -> datetime:
    """An aware Amsterdam time: local(2026, 3, 1, 12)."""
    return datetime(*args, tzinfo=AMSTERDAM)


def days_ago(days: float, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


def backdate_everyone(community, at: datetime) -> None:
    """The memberships made at setup (the facilitator's) date from `at`: test histories start
    long before the test runs."""
    Membership.objects.filter(community=community).update(joined_at=at)


def join(community, make_user, *, at: datetime, role: str = Role.MEMBER, **user_fields):
    """A new person who joined the community at `at`."""
    user = make_user(**user_fields)
    membership_add(community=community, user=user, role=role, at=at)
    return user


def act(user, community, at: datetime, verb: str = ConversationVerb.ASKED, other=None):
    return activity_record(actor=user, verb=verb, community=community, other=other, at=at)


def weekly(
    user, community, *, start: datetime, end: datetime, verb: str = ConversationVerb.ASKED
) -> int:
    """One activity a week from `start` up to (not including) `end`; returns how many."""
    n = 0
    moment = start
    while moment < end:
        act(user, community, moment, verb)
        moment += timedelta(days=7)
        n += 1
    return n


def session(community, by, starts_at: datetime, attended=(), excused=()):
    """A past session with its attendance registered."""
    from kring.meetings.models import AttendanceStatus, Mode
    from kring.meetings.services import attendance_set, session_create

    made = session_create(
        community=community,
        by=by,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        title="Leerkring",
        mode=Mode.ONLINE,
        video_url="https://meet.example.org/kring",
        at=starts_at - timedelta(days=14),
    )
    for user in attended:
        attendance_set(
            session=made,
            by=by,
            user=user,
            status=AttendanceStatus.ATTENDED,
            at=starts_at + timedelta(hours=2),
        )
    for user in excused:
        attendance_set(
            session=made,
            by=by,
            user=user,
            status=AttendanceStatus.EXCUSED,
            at=starts_at + timedelta(hours=2),
        )
    return made


def signals_of(document: dict, email: str) -> list[dict]:
    return next(m["signals"] for m in document["members"] if m["email"] == email)


def member_of(document: dict, email: str) -> dict:
    return next(m for m in document["members"] if m["email"] == email)
