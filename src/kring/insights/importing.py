"""Importing activity history from a CSV file (`kring import-activity`).

Three steps, like `kring import-attendance`, so the command (and the tests) can stop after any:

1. `read_rows` parses and checks every line, collecting the bad ones with their line number;
2. `plan_import` looks up, without writing, who exists, who joins and which rows are already
   in Kring (the same actor, other person, kind and moment: importing a file twice adds
   nothing the second time);
3. `apply_import` writes the plan in one transaction: accounts, memberships, then the events
   with bulk_create in batches (a file of 100,000 rows takes seconds), and asks for a fresh
   insights snapshot once it is committed.

The events are the same rows the application writes itself (docs/insights.md has the table of
kinds), without a target object: the file does not say which post a reply was on.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from kring.accounts.models import User
from kring.accounts.selectors import people_by_email
from kring.accounts.services import person_placeholder_get_or_create
from kring.communities.models import Community
from kring.communities.selectors import emails_to_add
from kring.communities.services import membership_add
from kring.conversations.verbs import ConversationVerb
from kring.core import daterange
from kring.core.csvimport import RowError, email_problem, name_from_email, table
from kring.core.models import ActivityEvent
from kring.insights.tasks import snapshot_refresh
from kring.knowledge.verbs import KnowledgeVerb
from kring.meetings.verbs import MeetingVerb

COLUMNS = ("actor_email", "target_email", "kind", "timestamp")
MAX_FILE_BYTES = 512 * 1024 * 1024
BATCH_SIZE = 5000
MEMBER_NOTE = "added by import-activity"
# Marks imported events (data), so they can be told apart from what happened in Kring.
SOURCE = "import-activity"

# kind in the file -> (verb, does it need another person?)
KINDS: dict[str, tuple[str, bool]] = {
    "reply": (ConversationVerb.REPLIED, True),
    "answer": (ConversationVerb.ANSWERED, True),
    "accepted": (ConversationVerb.ANSWER_ACCEPTED, True),
    "accept": (ConversationVerb.ANSWER_ACCEPTED, True),
    "mention": (ConversationVerb.MENTIONED, True),
    "useful": (ConversationVerb.REACTED, True),
    "message": (ConversationVerb.MESSAGED, True),
    "comment": (KnowledgeVerb.COMMENTED, False),
    "ask": (ConversationVerb.ASKED, False),
    "question": (ConversationVerb.ASKED, False),
    "share": (KnowledgeVerb.ITEM_CREATED, False),
    "item": (KnowledgeVerb.ITEM_CREATED, False),
    "reflect": (MeetingVerb.REFLECTED, False),
    "attend": (MeetingVerb.ATTENDED, False),
}
# Direct messages belong to two people, not to a community (as the app's own).
PRIVATE_VERBS = {ConversationVerb.MESSAGED}


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    actor: str
    target: str
    verb: str
    at: datetime


class _Checker:
    """Row checks with the answers for e-mail addresses remembered: a file has many rows but
    few people."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.emails: dict[str, str | None] = {}

    def email(self, value: str) -> str | None:
        """None when fine, else the problem."""
        if value not in self.emails:
            self.emails[value] = email_problem(value)
        return self.emails[value]

    def moment(self, value: str) -> tuple[datetime | None, str | None]:
        try:
            if not re.match(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None, f"{value!r} is not an ISO timestamp (YYYY-MM-DD[THH:MM[:SS][+01:00]])"
        if parsed.year > daterange.MAX_YEAR:
            return None, f"{value} is in the future"
        if not daterange.in_range(parsed):
            return None, f"{value} is outside {daterange.MIN_YEAR}-{daterange.MAX_YEAR}"
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        # In UTC: an aware time in the hour the clocks repeat never equals the same moment in
        # another zone (PEP 495), which would break the duplicate check.
        parsed = parsed.astimezone(UTC)
        if parsed > self.now:
            return None, f"{value} is in the future"
        return parsed, None


def read_rows(text: str, *, now: datetime | None = None) -> tuple[list[Row], list[RowError]]:
    """Every line checked: (good rows, bad lines). The header row names the columns, in any
    order (other columns are ignored); raises ImportProblem when it lacks one."""
    header, lines = table(text, required=COLUMNS, columns_named=",".join(COLUMNS))
    check = _Checker(now or timezone.now())
    positions = [header.index(c) for c in COLUMNS]
    width = max(positions) + 1
    rows: list[Row] = []
    errors: list[RowError] = []
    for line, values in lines:
        if len(values) < width:
            absent = [c for c, i in zip(COLUMNS, positions, strict=True) if i >= len(values)]
            errors.append(RowError(line, f"missing column {', '.join(absent)}"))
            continue
        actor, target, kind, stamp = (values[i].strip() for i in positions)
        row, problem = _read_row(check, line, actor.lower(), target.lower(), kind, stamp)
        if problem:
            errors.append(RowError(line, problem))
        else:
            rows.append(row)
    return rows, errors


def _read_row(
    check: _Checker, line: int, actor: str, target: str, kind: str, stamp: str
) -> tuple[Row | None, str | None]:
    problems = []
    if not actor:
        problems.append("no actor_email")
    elif problem := check.email(actor):
        problems.append(problem)
    known = KINDS.get(kind.lower())
    if known is None:
        problems.append(f"unknown kind {kind!r} (use {', '.join(KINDS)})" if kind else "no kind")
    if target:
        if problem := check.email(target):
            problems.append(problem)
        elif target == actor:
            problems.append("actor_email and target_email are the same person")
    elif known is not None and known[1]:
        problems.append(f"a {kind.lower()} needs a target_email (the other person)")
    at = None
    if not stamp:
        problems.append("no timestamp")
    else:
        at, problem = check.moment(stamp)
        if problem:
            problems.append(problem)
    if problems:
        return None, "; ".join(problems)
    return Row(line=line, actor=actor, target=target, verb=known[0], at=at), None


@dataclass
class Plan:
    community: Community
    rows: list[Row]
    errors: list[RowError]
    users: dict[str, User | None] = field(default_factory=dict)
    # Addresses of people to add to the community (existing accounts or new ones).
    joining: list[str] = field(default_factory=list)
    # Rows to write: not in Kring yet and not repeated earlier in the file.
    new_rows: list[Row] = field(default_factory=list)
    duplicates: int = 0
    by_verb: dict[str, int] = field(default_factory=dict)

    @property
    def new_accounts(self) -> list[str]:
        return [email for email in self.joining if self.users[email] is None]


def plan_import(*, community: Community, rows: list[Row], errors: list[RowError]) -> Plan:
    """What importing these rows would do; reads only."""
    plan = Plan(community=community, rows=rows, errors=errors)
    emails = list(dict.fromkeys(e for row in rows for e in (row.actor, row.target) if e))
    plan.users = people_by_email(emails=emails)
    plan.joining = emails_to_add(community=community, people=plan.users)
    existing = _existing_keys(community, rows, plan.users)
    seen: set[tuple] = set()
    by_verb: dict[str, int] = {}
    for row in rows:
        actor, other = plan.users[row.actor], plan.users.get(row.target) if row.target else None
        key = (row.actor, row.target, row.verb, row.at)
        if key in seen or (
            actor is not None
            and (actor.pk, other.pk if other else None, row.verb, row.at) in existing
        ):
            plan.duplicates += 1
            continue
        seen.add(key)
        plan.new_rows.append(row)
        by_verb[row.verb] = by_verb.get(row.verb, 0) + 1
    plan.by_verb = dict(sorted(by_verb.items()))
    return plan


def _existing_keys(
    community: Community, rows: list[Row], users: dict[str, User | None]
) -> set[tuple]:
    """(actor id, other id, verb, moment) of the events already stored that rows could repeat."""
    actor_ids = {users[row.actor].pk for row in rows if users[row.actor] is not None}
    if not actor_ids:
        return set()
    first = min(row.at for row in rows)
    last = max(row.at for row in rows)
    verbs = {row.verb for row in rows}
    stored = ActivityEvent.objects.filter(
        Q(community=community) | Q(community__isnull=True, verb__in=PRIVATE_VERBS),
        verb__in=verbs,
        created_at__gte=first,
        created_at__lte=last,
    )
    if len(actor_ids) <= 500:
        stored = stored.filter(actor_id__in=actor_ids)
    return {
        key
        for key in stored.values_list("actor_id", "other_id", "verb", "created_at").iterator(
            chunk_size=10000
        )
        if key[0] in actor_ids
    }


@transaction.atomic
def apply_import(*, plan: Plan, progress: Callable[[int], object] | None = None) -> Plan:
    """Write the plan: accounts, memberships, then the events, all or nothing; a fresh
    insights snapshot is asked for after the commit."""
    community = plan.community
    now = timezone.now()
    users = dict(plan.users)
    first_seen: dict[str, datetime] = {}
    for row in plan.rows:
        for email in (row.actor, row.target):
            if email and (email not in first_seen or row.at < first_seen[email]):
                first_seen[email] = row.at
    for email in plan.joining:
        if users[email] is None:
            users[email] = person_placeholder_get_or_create(
                email=email, full_name=name_from_email(email)
            )
        # History: a member since the first moment they appear in the file.
        membership_add(
            community=community,
            user=users[email],
            note=MEMBER_NOTE,
            at=min(first_seen.get(email, now), now),
        )
    ids = {email: user.pk for email, user in users.items()}
    _events_insert(plan, ids, progress)
    if plan.new_rows:
        transaction.on_commit(partial(snapshot_refresh.enqueue, community_id=community.pk))
    return plan


def _events_insert(
    plan: Plan, ids: dict[str, int], progress: Callable[[int], object] | None
) -> None:
    """The events, BATCH_SIZE rows per executemany. Not bulk_create: making 100,000 model
    instances and SQLite's limit of 999 parameters per statement made it three times slower;
    the values are prepared by the fields themselves, so every database gets what it expects."""
    meta = ActivityEvent._meta
    fields = [meta.get_field(name) for name in ("actor", "verb", "other", "community")]
    created_at, data = meta.get_field("created_at"), meta.get_field("data")
    columns = [f.column for f in (*fields, created_at, data)]
    connection = connections[router.db_for_write(ActivityEvent)]
    quote = connection.ops.quote_name
    # Names come from the model, every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    source = data.get_db_prep_save({"source": SOURCE}, connection)
    community_id = plan.community.pk
    rows = plan.new_rows
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(
                sql,
                [
                    (
                        ids[row.actor],
                        row.verb,
                        ids[row.target] if row.target else None,
                        None if row.verb in PRIVATE_VERBS else community_id,
                        created_at.get_db_prep_save(row.at, connection),
                        source,
                    )
                    for row in batch
                ],
            )
            if progress is not None:
                progress(len(batch))
