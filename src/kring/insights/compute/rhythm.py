"""Silence measured against a member's own rhythm, on the community's own clock
(docs/insights.md, "Silence against one's own rhythm" and "The community's tide").

Input: per member the days (counted back from `as_of`: day 0 is the last 24 hours) on which
they were active or attended a session, over the last RHYTHM_DAYS days. From those:

- **the tide**: how busy the community is each day, against its usual level. A day's
  intensity is the share of the members of that day who were active around it (a centred
  TIDE_SMOOTH_DAYS mean), divided by the median of that over the year, held within
  [TIDE_MIN, TIDE_MAX]. Time is then measured on the community's clock: a day counts as
  much as its intensity. A quiet summer week is a short week; a week in which everyone is
  busy is a long one.
- **a member's rhythm**: the gaps between their active days, on that clock; the silence now is
  the gap since their last active day. The silence is unusual when it is longer than every gap
  of the past year, and a silence that long is unlikely for their history: under the
  forgiving assumption that their gaps are as irregular as a random (exponential) process,
  the chance that the current gap outlasts r times the longest of n earlier gaps is
  Γ(n+1)·Γ(r+1)/Γ(n+r+1). A member with a regular rhythm is, in truth, even less likely to be
  this quiet by chance; a bursty member's long past gaps raise the bar by themselves.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

RHYTHM_DAYS = 365
# A silence shorter than this is never unusual (a week away is ordinary life).
MIN_SILENCE_DAYS = 7
# Fewer earlier gaps than this, or a history shorter than this: no rhythm to measure against.
MIN_GAPS = 5
MIN_HISTORY_DAYS = 28
# How unlikely the silence must be for the person's history to be a signal ...
RHYTHM_ALPHA = 0.015
# ... and below this it is said with more certainty ("very unusual").
RHYTHM_ALPHA_STRONG = 0.001
# A fade: a window of the last N days (the shorter first) with at most FADE_SHARE of the active
# days the member's history expects, and a chance of at most FADE_ALPHA; a history of at least
# FADE_HISTORY_WINDOWS such windows with FADE_MIN_DAYS active days.
FADE_ALPHA = 0.01
FADE_WINDOWS = (14, 28)
FADE_SHARE = 0.5
FADE_HISTORY_WINDOWS = 4
FADE_MIN_DAYS = 10
# Missing sessions while taking part online at this share of one's pace or more: not drifting.
STILL_ACTIVE_SHARE = 0.5
TIDE_SMOOTH_DAYS = 7
# Below this many members active on the median day the community keeps calendar time.
TIDE_MIN_ACTIVE = 3
TIDE_MIN = 0.15
TIDE_MAX = 3.0
# The tide "now" in the document: the mean intensity over the last TIDE_RECENT_DAYS days.
TIDE_RECENT_DAYS = 28


@dataclass(frozen=True)
class Clock:
    """The community's clock: `at[d]` is the community time between `as_of` and the start of
    day d (day 0 is the last 24 hours), in usual days."""

    at: list[float]

    def recent(self, days: int = TIDE_RECENT_DAYS) -> float:
        return self.at[days] / days


def clock(
    days_by_member: dict[int, list[int]], member_days: list[int], horizon: int = RHYTHM_DAYS
) -> Clock:
    """The community's clock from everyone's active days. `member_days`: for each member, how
    many days ago they joined; a day's activity is taken as a share of the members of that
    day, so that a community that grows does not seem to speed up."""
    active = [0.0] * horizon
    for days in days_by_member.values():
        for d in days:
            if 0 <= d < horizon:
                active[d] += 1
    if median(active) < TIDE_MIN_ACTIVE:
        # Too few people active on a usual day for a tide: one member's absence would be it.
        return Clock(at=[float(d) for d in range(horizon + 1)])
    # Members on day d: those who joined more than d days ago.
    joined = [0] * (horizon + 1)
    for ago in member_days:
        joined[min(max(ago, 0), horizon)] += 1
    members_then = joined[horizon]
    with_members = []
    for d in range(horizon - 1, -1, -1):
        members_then += joined[d]
        active[d] = active[d] / members_then if members_then else 0.0
        if members_then:
            with_members.append(d)
    half = TIDE_SMOOTH_DAYS // 2
    # Centred mean, with prefix sums; near the ends the window is what there is.
    prefix: list[float] = [0.0]
    for n in active:
        prefix.append(prefix[-1] + n)
    smooth = []
    for d in range(horizon):
        lo, hi = max(0, d - half), min(horizon, d + half + 1)
        smooth.append((prefix[hi] - prefix[lo]) / (hi - lo))
    # The usual level: over the days the community had members.
    usual = median(smooth[d] for d in with_members) if any(smooth) else 0.0
    if usual <= 0:
        intensity = [1.0] * horizon
    else:
        intensity = [min(TIDE_MAX, max(TIDE_MIN, s / usual)) for s in smooth]
    at = [0.0]
    for x in intensity:
        at.append(at[-1] + x)
    return Clock(at=at)


def tail_chance(gaps: int, ratio: float) -> float:
    """The chance that a random (exponential) process's current gap lasts `ratio` times the
    longest of `gaps` earlier gaps or more: Γ(n+1)·Γ(r+1)/Γ(n+r+1)."""
    return math.exp(math.lgamma(gaps + 1) + math.lgamma(ratio + 1) - math.lgamma(gaps + ratio + 1))


def has_rhythm(days: Iterable[int], since_day: int) -> bool:
    """Enough active days since `since_day` (MIN_GAPS gaps over MIN_HISTORY_DAYS) for a
    rhythm to measure a silence against."""
    seen = [d for d in days if 0 <= d <= since_day]
    return len(set(seen)) >= MIN_GAPS + 1 and max(seen) >= MIN_HISTORY_DAYS


def silence(days: Iterable[int], since_day: int, the_clock: Clock) -> dict | None:
    """A member's unusual silence, or None. `days`: their active days (counted back from
    `as_of`); `since_day`: the oldest day that counts (joining, or the horizon)."""
    seen = sorted({d for d in days if 0 <= d <= since_day})  # newest first
    if not has_rhythm(seen, since_day):
        return None
    last = seen[0]
    if last < MIN_SILENCE_DAYS:
        return None
    at = the_clock.at
    # Day d is [as_of - (d+1) days, as_of - d days): from the active day `b` (newer) back to
    # `a` (older) is a - b days; on the community's clock, at[a] - at[b].
    gaps = [at[a] - at[b] for b, a in zip(seen, seen[1:], strict=False)]
    calendar = [a - b for b, a in zip(seen, seen[1:], strict=False)]
    now = at[last]
    longest = max(gaps)
    if longest <= 0 or now <= longest:
        return None
    chance = tail_chance(len(gaps), now / longest)
    if chance > RHYTHM_ALPHA:
        return None
    return {
        "usual_days": _round_days(median(calendar)),
        "silent_days": last,
        "longest_days": max(calendar),
        "gaps": len(gaps),
        "history_days": seen[-1],
        "chance": float(f"{chance:.2g}"),
        "certainty": "high" if chance <= RHYTHM_ALPHA_STRONG else "medium",
        "tide": round(now / last, 2),
    }


def _round_days(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 1)


def poisson_at_most(k: int, mean: float) -> float:
    """P(X ≤ k) for a Poisson count with this mean."""
    if mean <= 0:
        return 1.0
    term = math.exp(-mean)
    total = term
    for i in range(1, max(k, 0) + 1):
        term *= mean / i
        total += term
    return min(1.0, total) if k >= 0 else 0.0


def fade(days: Iterable[int], since_day: int, the_clock: Clock) -> dict | None:
    """A member still active now and then, but far less than their own rhythm: fewer active
    days in the last FADE_WINDOWS days than their history makes likely, on the community's
    clock. Their history's own irregularity (the dispersion of their counts in earlier
    stretches of the same length) widens what counts as ordinary, so a bursty member's quiet
    month is not a fade."""
    seen = sorted({d for d in days if 0 <= d <= since_day})
    at = the_clock.at
    for window in FADE_WINDOWS:
        if since_day < FADE_HISTORY_WINDOWS * window:
            continue
        earlier = [d for d in seen if d >= window]
        if len(earlier) < FADE_MIN_DAYS:
            continue
        observed = len(seen) - len(earlier)
        rate = len(earlier) / (at[since_day + 1] - at[window])
        expected = rate * at[window]
        if observed > FADE_SHARE * expected:
            continue
        spread = _dispersion(earlier, window, since_day, at, rate)
        chance = poisson_at_most(math.floor(observed / spread), expected / spread)
        if chance <= FADE_ALPHA:
            return {
                "window_days": window,
                "active_days": observed,
                "expected_days": round(expected, 1),
                "chance": float(f"{chance:.2g}"),
                "certainty": "high" if chance <= RHYTHM_ALPHA_STRONG else "medium",
                "tide": round(at[window] / window, 2),
                "last_day": seen[0] if seen else None,
            }
    return None


def _dispersion(
    earlier: list[int], window: int, since_day: int, at: list[float], rate: float
) -> float:
    """Pearson's dispersion of the member's counts in the earlier stretches of `window` days
    (variance over what the rate expects; at least 1)."""
    counts = [0] * ((since_day + 1 - window) // window)
    for d in earlier:
        k = (d - window) // window
        if k < len(counts):
            counts[k] += 1
    if len(counts) < 2:
        return 1.0
    chi = 0.0
    for k, n in enumerate(counts):
        lo = window + k * window
        e = rate * (at[lo + window] - at[lo])
        if e > 0:
            chi += (n - e) ** 2 / e
    return max(1.0, chi / (len(counts) - 1))


def drop_chance(
    days: Iterable[int], window: int, baseline: int, the_clock: Clock, since_day: int
) -> float:
    """How likely so few active days in the last `window` days are for the member's pace in
    the `baseline` days before (on the community's clock), widened by how irregular they were
    over their whole history up to `since_day` (the dispersion of their counts in stretches
    of `window` days)."""
    end = window + baseline
    if end > len(the_clock.at) - 1:
        # Thresholds longer than the year of active days read: no chance test (the rule as
        # before it had one).
        return 0.0
    at = the_clock.at
    # The pace rule's own window and baseline count whatever the joining date says.
    history = max(end - 1, min(since_day, len(at) - 2))
    seen = [d for d in days if 0 <= d <= history]
    in_baseline = sum(1 for d in seen if window <= d < end)
    rate = in_baseline / (at[end] - at[window]) if at[end] > at[window] else 0.0
    observed = sum(1 for d in seen if d < window)
    earlier = [d for d in seen if window <= d <= history]
    spread = _dispersion(earlier, window, history, at, _rate(earlier, window, history, at))
    return poisson_at_most(math.floor(observed / spread), rate * at[window] / spread)


def _rate(earlier: list[int], window: int, history: int, at: list[float]) -> float:
    span = at[history + 1] - at[window]
    return len(earlier) / span if span > 0 else 0.0


def still_active(days: Iterable[int], span: int, the_clock: Clock) -> bool:
    """At least half the active days in the last `span` days that their pace in the year
    before gives (on the community's clock), and at least two: taking part as usual."""
    at = the_clock.at
    span = min(span, len(at) - 2)
    seen = [d for d in days if 0 <= d < len(at) - 1]
    recent = sum(1 for d in seen if d < span)
    history = at[len(at) - 1] - at[span]
    if recent < 2 or history <= 0:
        return False
    expected = (len(seen) - recent) / history * at[span]
    return recent >= STILL_ACTIVE_SHARE * expected
