"""What the parts of the computation share: the thresholds, the calendar of the trends and
how moments are written in the document."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from kring.communities.models import Community
from kring.insights.models import InsightSettings

TREND_MONTHS = 12
# Active: took part (or attended a session) in the last ACTIVE_DAYS days.
ACTIVE_DAYS = 90


@dataclass
class Thresholds:
    """A community's thresholds for the signals (InsightSettings, or these defaults)."""

    window_days: int = 42
    baseline_days: int = 126
    drift_ratio: float = 0.4
    rising_ratio: float = 2.0
    min_baseline: int = 4
    missed_sessions: int = 2
    newcomer_days: int = 21
    period_days: int = 90

    @classmethod
    def for_community(cls, community: Community) -> "Thresholds":
        stored = InsightSettings.objects.filter(community=community).first()
        if stored is None:
            return cls()
        return cls(**{name: getattr(stored, name) for name in cls.__dataclass_fields__})


def iso_day(moment: datetime | None) -> str | None:
    """The local day of a moment as YYYY-MM-DD."""
    return timezone.localtime(moment).date().isoformat() if moment else None


def rfc3339(moment: datetime) -> str:
    """RFC 3339 offsets are whole minutes: a moment whose local offset has seconds
    (Amsterdam before 1937) is written in UTC, the same moment."""
    offset = moment.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def month_keys(as_of: datetime) -> list[str]:
    """The TREND_MONTHS months up to `as_of`'s, oldest first, as YYYY-MM."""
    first = as_of.replace(day=1)
    keys = []
    year, month = first.year, first.month
    for _ in range(TREND_MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))
