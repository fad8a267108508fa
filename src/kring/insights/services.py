"""Writes for insights: snapshots, suggestion decisions, settings, pulses.

The climate pulse is anonymous by construction (docs/privacy.md):
- PulseParticipation records *that* someone answered, so nobody answers twice; it holds no
  answer id and no time.
- PulseResponse holds the answers with a random UUID, no person and no time.
- Both rows are written in one transaction, but nothing connects them. Because the database
  keeps rows in insertion order, the n-th participation would line up with the n-th response;
  so every new answer rewrites the pulse's responses in a random order with fresh ids.
- Numbers are shown only when the pulse is closed and at least PULSE_MIN_ANSWERS answered
  (selectors.pulse_results). While a pulse is open, the results would change with each
  answer, and a facilitator who knows who answered last could read that person's answers
  from the difference.
"""

import random
import time
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.core import locks
from kring.insights import dashboard_doc, permissions, snapshot_split
from kring.insights.compute import compute
from kring.insights.models import (
    InsightSettings,
    Pulse,
    PulseParticipation,
    PulseResponse,
    Snapshot,
    SnapshotMember,
    Suggestion,
    SuggestionStatus,
)
from kring.insights.selectors import ITEM_KEYS, SCALE, pulse_open

KEEP_SNAPSHOTS = 60
PARTS_BATCH = 1000
PULSE_DEFAULT_DAYS = 14
PULSE_MAX_DAYS = 60

_rng = random.SystemRandom()


def snapshot_create(
    *, community: Community, as_of: datetime | None = None, period_days: int | None = None
) -> Snapshot:
    """Compute the insights and store them: a summary and a row per member (snapshot_split).
    Suggestions are synced by their key so decisions made on earlier snapshots stick. The
    computation reads outside the transaction (its
    passes over the events run side by side on connections of their own); the writes are
    one transaction."""
    started = time.perf_counter()
    raw = compute(community=community, as_of=as_of, period_days=period_days)
    duration = int((time.perf_counter() - started) * 1000)
    dashboard = dashboard_doc.build(raw)
    summary, parts = snapshot_split.split(raw)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            community=community,
            as_of=datetime.fromisoformat(raw["as_of"]),
            period_days=raw["period_days"],
            duration_ms=duration,
            data=summary,
            format=snapshot_split.FORMAT,
            dashboard=dashboard,
        )
        SnapshotMember.objects.bulk_create(
            (
                SnapshotMember(
                    snapshot=snapshot,
                    user_id=part["id"],
                    position=i,
                    email=part["email"],
                    name=part["name"][:200],
                    data=part,
                )
                for i, part in enumerate(parts)
            ),
            batch_size=PARTS_BATCH,
        )
        _suggestions_sync(community, raw)
        old = Snapshot.objects.filter(community=community).order_by("-computed_at", "-id")[
            KEEP_SNAPSHOTS:
        ]
        Snapshot.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return snapshot


# One process computes a community's insights at a time. The lock expires after this long, in
# case the worker holding it dies (a computation at 10,000 members takes seconds, not minutes).
REFRESH_LOCK_SECONDS = 30 * 60


class SnapshotBusy(Exception):
    """Another process is computing this community's insights, but began before the refresh
    was asked for: its snapshot will not cover the request; try again when it is done."""


def _refresh_lock(community_id: int) -> str:
    return f"insights-refresh:{community_id}"


def snapshot_refresh_running(*, community_id: int) -> bool:
    """Whether some process (on any machine) is computing this community's insights now."""
    return locks.held_since(_refresh_lock(community_id)) is not None


def snapshot_refresh(*, community: Community, requested_at: datetime) -> Snapshot | None:
    """A snapshot that covers everything up to `requested_at` (when the refresh was asked
    for), computed by at most one process at a time per community: two workers that get the
    same request (both workers' periodic runs, a facilitator's click on two web servers) do
    the work once.

    Returns the new snapshot, or the latest one when it was begun at or after `requested_at`
    (it covers the request already), or None when another process is computing one that
    will cover it. Raises SnapshotBusy when another process is computing one that began
    before the request."""
    name = _refresh_lock(community.pk)
    with locks.hold(name, timeout=REFRESH_LOCK_SECONDS) as token:
        if token is None:
            since = locks.held_since(name)
            if since is not None and since < requested_at.timestamp():
                raise SnapshotBusy(community.pk)
            return None
        covering = (
            Snapshot.objects.filter(community=community, as_of__gte=requested_at)
            .order_by("-computed_at", "-id")
            .first()
        )
        if covering is not None:
            return covering
        return snapshot_create(community=community)


def _suggestions_sync(community: Community, raw: dict) -> None:
    now = timezone.now()
    existing = {
        s.key: s
        for s in Suggestion.objects.filter(
            community=community, key__in=[x["key"] for x in raw["suggestions"]]
        )
    }
    emails = {e for s in raw["suggestions"] for e in s["members"]}
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    for item in raw["suggestions"]:
        suggestion = existing.get(item["key"])
        if suggestion is None:
            suggestion = Suggestion.objects.create(
                community=community,
                key=item["key"],
                kind=item["kind"],
                params=item.get("params", {}),
                created_at=now,
                last_seen_at=now,
            )
            suggestion.members.set([users[e] for e in item["members"] if e in users])
        else:
            Suggestion.objects.filter(pk=suggestion.pk).update(
                last_seen_at=now, params=item.get("params", {})
            )


# "Later" puts a suggestion out of sight for this long; it is still open.
LATER = timedelta(days=7)
LATER_VALUE = "later"


@transaction.atomic
def suggestion_decide(
    *, suggestion: Suggestion, by: User, status: str, note: str = ""
) -> Suggestion:
    """Mark a suggestion done or dismissed, put it off for a week ("later"), or open it again;
    the decision is logged on it. Done and dismissed stay decided: a changed situation comes
    back under a new key (docs/insights.md, "Suggestions")."""
    permissions.check_facilitate(by, suggestion.community)
    if status not in (*SuggestionStatus.values, LATER_VALUE):
        raise ValidationError({"status": _("Choose done, later, dismissed or open.")})
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note to 300 characters.")})
    now = timezone.now()
    reopened = status == SuggestionStatus.OPEN
    suggestion.status = SuggestionStatus.OPEN if status == LATER_VALUE else status
    suggestion.later_until = now + LATER if status == LATER_VALUE else None
    suggestion.note = note
    suggestion.decided_by = None if reopened else by
    suggestion.decided_at = None if reopened else now
    suggestion.save()
    return suggestion


@transaction.atomic
def insight_settings_save(*, community: Community, by: User, values: dict) -> InsightSettings:
    """Store a community's thresholds; the row is made on the first save. The next snapshot
    uses them."""
    permissions.check_facilitate(by, community)
    stored, _created = InsightSettings.objects.get_or_create(community=community)
    for name, value in values.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    return stored


# The climate pulse -----------------------------------------------------------------------------


@transaction.atomic
def pulse_start(*, community: Community, by: User, days: int = PULSE_DEFAULT_DAYS) -> Pulse:
    """Open a pulse for `days` days; only one pulse is open at a time."""
    permissions.check_facilitate(by, community)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= PULSE_MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose a number of days from 1 to %(max)s.") % {"max": PULSE_MAX_DAYS}}
        )
    if pulse_open(community=community) is not None:
        raise ValidationError(_("A pulse is already open. Close it before starting a new one."))
    now = timezone.now()
    return Pulse.objects.create(
        community=community, started_by=by, opened_at=now, closes_at=now + timedelta(days=days)
    )


def _clean_answers(answers: dict) -> dict[str, int]:
    if not isinstance(answers, dict) or set(answers) != set(ITEM_KEYS):
        raise ValidationError(_("Answer every statement."))
    errors = {}
    for key in ITEM_KEYS:
        value = answers[key]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            errors[key] = _("Choose a number from 1 to 7.")
    if errors:
        raise ValidationError(errors)
    return {key: answers[key] for key in ITEM_KEYS}


@transaction.atomic
def pulse_answer(*, pulse: Pulse, by: User, answers: dict) -> None:
    """Store one anonymous set of answers and, apart from it, that `by` answered."""
    permissions.check_answer_pulse(by, pulse.community)
    if not pulse.is_open:
        raise ValidationError(_("This pulse is closed."))
    clean = _clean_answers(answers)
    if PulseParticipation.objects.filter(pulse=pulse, user=by).exists():
        raise ValidationError(_("You already answered this pulse."))
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(pulse=pulse, user=by)
    except IntegrityError:
        raise ValidationError(_("You already answered this pulse.")) from None
    everyone = [*PulseResponse.objects.filter(pulse=pulse).values_list("answers", flat=True), clean]
    _rng.shuffle(everyone)
    PulseResponse.objects.filter(pulse=pulse).delete()
    PulseResponse.objects.bulk_create(
        PulseResponse(id=uuid.uuid4(), pulse=pulse, answers=a) for a in everyone
    )


@transaction.atomic
def pulse_close(*, pulse: Pulse, by: User) -> Pulse:
    """Close a pulse before its end date; its results show from then (with enough answers)."""
    permissions.check_facilitate(by, pulse.community)
    if pulse.closed_at is None:
        now = timezone.now()
        pulse.closed_at = min(now, pulse.closes_at)
        pulse.save(update_fields=["closed_at"])
    return pulse
