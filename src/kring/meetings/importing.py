"""Importing attendance history from a CSV file (`kring import-attendance`).

Three steps, so the command (and the tests) can stop after any of them:

1. `read_rows` parses and checks every line, collecting the bad ones with their line number;
2. `plan_import` looks up, without writing anything, which sessions, people and memberships
   exist and what would change;
3. `apply_import` writes the plan in one transaction, through the services, so imported
   attendance writes the same activity events as attendance registered on the site.

See docs/import.md for the format.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.accounts.selectors import people_by_email, person_get_active_by_email
from kring.accounts.services import person_placeholder_get_or_create
from kring.communities.models import Community, Membership
from kring.communities.selectors import emails_to_add, first_facilitator
from kring.communities.services import membership_add
from kring.core import daterange
from kring.core.csvimport import ImportProblem, RowError, email_problem, name_from_email, table
from kring.meetings import permissions, recurrence, services
from kring.meetings.models import (
    DEFAULT_TIMEZONE,
    Attendance,
    AttendanceStatus,
    Mode,
    Session,
    SessionStatus,
)

REQUIRED_COLUMNS = ("member_email", "session_date")
COLUMNS = (*REQUIRED_COLUMNS, "status")
MAX_FILE_BYTES = 20 * 1024 * 1024
# A session made for a date that has none: an evening session, as most communities meet.
NEW_SESSION_START = time(19, 30)
NEW_SESSION_MINUTES = 120


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    day: date
    status: str


def read_rows(text: str) -> tuple[list[Row], list[RowError]]:
    """Every line checked: (good rows, bad lines). The header row names the columns, in any
    order; raises ImportProblem when it lacks a required column."""
    header, lines = table(
        text, required=REQUIRED_COLUMNS, columns_named="member_email,session_date[,status]"
    )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ImportProblem(
            f"Unknown column {', '.join(repr(c) for c in unknown)}: "
            f"the columns are {', '.join(COLUMNS)}."
        )
    rows: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, date], int] = {}
    today = timezone.localdate(timezone=recurrence.zone(DEFAULT_TIMEZONE))
    for line, values in lines:
        row, problem = _read_row(header, values, line, today)
        if problem:
            errors.append(RowError(line, problem))
            continue
        key = (row.email, row.day)
        if key in seen:
            errors.append(
                RowError(line, f"the same person and date as line {seen[key]} (a duplicate)")
            )
            continue
        seen[key] = line
        rows.append(row)
    return rows, errors


def _read_row(
    header: list[str], values: list[str], line: int, today: date
) -> tuple[Row | None, str | None]:
    if len(values) < len(header):
        given = dict(zip(header, values, strict=False))
        missing = [c for c in header if c not in given and c in REQUIRED_COLUMNS]
        if missing:
            return None, f"missing column {', '.join(missing)}"
    if len(values) > len(header):
        return None, f"{len(values)} values, but the header names {len(header)} columns"
    given = {name: value.strip() for name, value in zip(header, values, strict=False)}
    email = given.get("member_email", "").lower()
    problems = []
    if not email:
        problems.append("no e-mail address")
    elif problem := email_problem(email):
        problems.append(problem)
    raw_day = given.get("session_date", "")
    day = None
    if not raw_day:
        problems.append("no session date")
    else:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_day):
                raise ValueError
            day = date.fromisoformat(raw_day)
        except ValueError:
            problems.append(f"{raw_day!r} is not a date as YYYY-MM-DD")
        else:
            if day > today:
                problems.append(f"{raw_day} is in the future")
            elif not daterange.in_range(day):
                problems.append(f"{raw_day} is outside {daterange.MIN_YEAR}-{daterange.MAX_YEAR}")
    status = given.get("status", "").lower() or AttendanceStatus.ATTENDED
    if status not in AttendanceStatus.values:
        problems.append(
            f"unknown status {given['status']!r} (use {', '.join(AttendanceStatus.values)})"
        )
    if problems:
        return None, "; ".join(problems)
    return Row(line=line, email=email, day=day, status=status), None


def import_actor(community: Community, email: str | None) -> User:
    """Who registers the attendance: a facilitator (or platform admin) given by e-mail, or the
    community's first facilitator."""
    if email:
        user = person_get_active_by_email(email=email)
        if user is None:
            raise ImportProblem(f"No active person with e-mail address {email!r}.")
        if not permissions.can_plan(user, community):
            raise ImportProblem(
                f"{user.email} is not a facilitator of {community.slug!r}: only facilitators "
                "register attendance."
            )
        return user
    first = first_facilitator(community=community)
    if first is None:
        raise ImportProblem(f"{community.slug!r} has no facilitator: name one with --by.")
    return first


def _day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = recurrence._aware(datetime.combine(day, time(0, 0)), tz)
    end = recurrence._aware(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)
    return start, end


def session_on(community: Community, day: date) -> Session | None:
    """The community's first scheduled session on that local (Amsterdam) date."""
    start, end = _day_bounds(day, recurrence.zone(DEFAULT_TIMEZONE))
    return (
        Session.objects.filter(
            community=community,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at", "id")
        .first()
    )


@dataclass
class Plan:
    community: Community
    rows: list[Row]
    errors: list[RowError]
    sessions: dict[date, Session | None] = field(default_factory=dict)
    users: dict[str, User | None] = field(default_factory=dict)
    # Addresses of people to add to the community (existing accounts or new ones).
    joining: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def new_session_days(self) -> list[date]:
        return sorted(day for day, session in self.sessions.items() if session is None)

    @property
    def new_accounts(self) -> list[str]:
        return [email for email in self.joining if self.users[email] is None]


def plan_import(*, community: Community, rows: list[Row], errors: list[RowError]) -> Plan:
    """What importing these rows would do; reads only."""
    plan = Plan(community=community, rows=rows, errors=errors)
    for day in sorted({row.day for row in rows}):
        plan.sessions[day] = session_on(community, day)
    emails = list(dict.fromkeys(row.email for row in rows))
    plan.users = people_by_email(emails=emails)
    plan.joining = emails_to_add(community=community, people=plan.users)
    found = [user for user in plan.users.values() if user is not None]
    known_sessions = [s for s in plan.sessions.values() if s is not None]
    existing = {
        (user_id, session_id): status
        for user_id, session_id, status in Attendance.objects.filter(
            session__in=known_sessions, user__in=found
        ).values_list("user_id", "session_id", "status")
    }
    for row in rows:
        user, session = plan.users[row.email], plan.sessions[row.day]
        before = existing.get((user.pk, session.pk)) if user and session else None
        if before is None:
            plan.new += 1
        elif before == row.status:
            plan.unchanged += 1
        else:
            plan.changed += 1
    return plan


def _leader(community: Community, by: User) -> User:
    """Who leads a session made by the import: the importer, or (a platform admin outside the
    community) the community's first facilitator, since a session's leaders are members."""
    if Membership.objects.filter(community=community, user=by).exists():
        return by
    return first_facilitator(community=community, active_only=False) or by


def _new_session(community: Community, day: date, by: User) -> Session:
    tz = recurrence.zone(DEFAULT_TIMEZONE)
    starts_at = recurrence._aware(datetime.combine(day, NEW_SESSION_START), tz)
    return services.session_create(
        community=community,
        by=by,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=NEW_SESSION_MINUTES),
        tz=DEFAULT_TIMEZONE,
        facilitators=[_leader(community, by)],
        title=_("Session"),
        mode=Mode.OFFLINE,
        # The service asks an address of a session in person; the file has none.
        location=_("Not recorded (imported attendance)"),
        # History: planned "then", so feeds and insights place it in the past.
        at=min(starts_at, timezone.now()),
    )


@transaction.atomic
def apply_import(*, plan: Plan, by: User, progress: Callable[[int], object] | None = None) -> Plan:
    """Write the plan: accounts, memberships, sessions, then attendance, all or nothing."""
    community = plan.community
    permissions.check_plan(by, community)
    now = timezone.now()
    sessions = dict(plan.sessions)
    for day in plan.new_session_days:
        sessions[day] = _new_session(community, day, by)
    users = dict(plan.users)
    first_day: dict[str, date] = {}
    for row in plan.rows:
        first_day[row.email] = min(first_day.get(row.email, row.day), row.day)
    for email in plan.joining:
        if users[email] is None:
            users[email] = person_placeholder_get_or_create(
                email=email, full_name=name_from_email(email)
            )
        # History: a member since the first session they appear at.
        membership_add(
            community=community,
            user=users[email],
            by=by,
            at=min(sessions[first_day[email]].starts_at, now),
        )
    for row in plan.rows:
        session = sessions[row.day]
        services.attendance_set(
            session=session,
            by=by,
            user=users[row.email],
            status=row.status,
            at=min(session.ends_at, now),
        )
        if progress is not None:
            progress(1)
    return plan
