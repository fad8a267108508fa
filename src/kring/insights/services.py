"""Writes for insights: snapshots, suggestion decisions, settings, pulses."""

import time
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.insights import dashboard_doc, permissions
from kring.insights.compute import compute
from kring.insights.models import InsightSettings, Snapshot, Suggestion, SuggestionStatus

KEEP_SNAPSHOTS = 60


def snapshot_create(
    *, community: Community, as_of: datetime | None = None, period_days: int | None = None
) -> Snapshot:
    """Compute the insights and store them; suggestions are synced by their key so decisions
    made on earlier snapshots stick. The computation reads outside the transaction (its
    passes over the events run side by side on connections of their own); the writes are
    one transaction."""
    started = time.perf_counter()
    raw = compute(community=community, as_of=as_of, period_days=period_days)
    duration = int((time.perf_counter() - started) * 1000)
    dashboard = dashboard_doc.build(raw)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            community=community,
            as_of=datetime.fromisoformat(raw["as_of"]),
            period_days=raw["period_days"],
            duration_ms=duration,
            data=raw,
            dashboard=dashboard,
        )
        _suggestions_sync(community, raw)
        old = Snapshot.objects.filter(community=community).order_by("-computed_at", "-id")[
            KEEP_SNAPSHOTS:
        ]
        Snapshot.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return snapshot


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
