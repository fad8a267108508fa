"""The signals per member: drifting away (or, for the core group, gone quiet) by a silence
unusual for their own rhythm, by pace or by missed sessions; rising, not yet connected
(newcomers) and reading along (docs/insights.md). Pace and rhythm are read on the community's
clock (compute.rhythm): when everyone is quiet, no one stands out for it."""

from collections import defaultdict
from datetime import datetime, timedelta

from kring.communities.models import Role
from kring.insights.compute import rhythm
from kring.insights.compute.base import Thresholds, iso_day

NEWCOMER_MAX_DAYS = 120
# Missing sessions in a row must be this unlikely for how often the member came.
SESSIONS_ALPHA = 0.02
# The pace rule's drop must be this unlikely for the member's usual pace (Poisson).
PACE_ALPHA = 0.02
NO_PACE = {"recent": 0, "baseline": 0, "last": None}


def signals(
    members: list[dict],
    pace: dict[int, dict],
    contributions: dict[int, int],
    attendance: dict,
    graph_data: dict,
    as_of: datetime,
    limits: Thresholds,
    days: dict[int, list[int]],
    the_clock: rhythm.Clock,
) -> dict[int, list[dict]]:
    """Per member id with any, their signals in a fixed order: a drift (by pace, else by
    rhythm, else by sessions) or else rising; then not connected; then reading along. `days`:
    per member their active days counted back from `as_of` (passes.active_days);
    `the_clock`: the community's clock made from them (rhythm.clock)."""
    found: dict[int, list[dict]] = defaultdict(list)
    tide = _tide(the_clock, limits)
    for i, m in enumerate(members):
        uid = m["id"]
        p = pace.get(uid, NO_PACE)
        member_days = (as_of - m["joined"]).days
        drift = (
            _pace_drift(m, p, limits, tide, days.get(uid, []), the_clock, member_days)
            or _rhythm_drift(m, days.get(uid, []), member_days, the_clock, as_of)
            or _sessions_drift(m, attendance, limits, days.get(uid, []), the_clock, as_of)
        )
        if drift is not None:
            found[uid].append(drift)
        elif _is_rising(p, member_days, limits, tide):
            found[uid].append(_signal("rising", "pace", None, _pace_params(p, limits)))
        # The newcomers among the network's not connected (no direct tie in the period).
        if (
            limits.newcomer_days <= member_days <= NEWCOMER_MAX_DAYS
            and graph_data["strong_degree"][i] == 0
        ):
            found[uid].append(
                _signal("unconnected", "ties", iso_day(m["joined"]), {"weeks": member_days // 7})
            )
        if contributions.get(uid, 0) == 0 and member_days >= limits.newcomer_days:
            weeks = {"weeks": member_days // 7}
            found[uid].append(_signal("lurker", "contributions", iso_day(m["joined"]), weeks))
    return dict(found)


def _signal(kind: str, rule: str, since: str | None, params: dict) -> dict:
    return {"kind": kind, "rule": rule, "since": since, "params": params}


def _drift_kind(member: dict) -> str:
    return "core_silent" if member["role"] in (Role.FACILITATOR, Role.CORE) else "drifting"


def _rates(p: dict, limits: Thresholds) -> tuple[float, float]:
    """Active events a week in the recent window and in the baseline before it."""
    return p["recent"] / (limits.window_days / 7), p["baseline"] / (limits.baseline_days / 7)


def _pace_params(p: dict, limits: Thresholds) -> dict:
    return {
        "recent": p["recent"],
        "baseline": p["baseline"],
        "window_weeks": round(limits.window_days / 7),
        "baseline_weeks": round(limits.baseline_days / 7),
    }


def _tide(the_clock: rhythm.Clock, limits: Thresholds) -> float:
    """How busy the community was in the recent window against the baseline before it
    (1: as usual; 0.5: half as busy). A member's pace is expected to follow it."""
    at = the_clock.at
    window = min(limits.window_days, len(at) - 1)
    base_end = min(limits.window_days + limits.baseline_days, len(at) - 1)
    if base_end <= window:
        return 1.0
    recent = at[window] / window
    before = (at[base_end] - at[window]) / (base_end - window)
    return recent / before if before > 0 else 1.0


def _rhythm_drift(
    member: dict, days: list[int], member_days: int, the_clock: rhythm.Clock, as_of: datetime
) -> dict | None:
    """A silence longer than any in the past year and unlikely for their rhythm (rule
    `rhythm`), else still active now and then but far less than their rhythm (`fading`).
    *since*: their last active day."""
    since_day = min(rhythm.RHYTHM_DAYS - 1, member_days)
    found = rhythm.silence(days, since_day, the_clock)
    if found is not None:
        rule, last = "rhythm", found["silent_days"]
    else:
        found = rhythm.fade(days, since_day, the_clock)
        if found is None:
            return None
        rule, last = "fading", found.pop("last_day")
    since = iso_day(as_of - timedelta(days=last)) if last is not None else None
    return _signal(_drift_kind(member), rule, since, found)


def _pace_drift(
    member: dict,
    p: dict,
    limits: Thresholds,
    tide: float,
    days: list[int],
    the_clock: rhythm.Clock,
    member_days: int,
) -> dict | None:
    """Much less active than their own usual pace, with the community's tide taken into
    account (a quiet summer lowers the expected pace for everyone)."""
    recent_rate, base_rate = _rates(p, limits)
    expected = base_rate * min(tide, 1.0)
    if p["baseline"] < limits.min_baseline or recent_rate >= limits.drift_ratio * expected:
        return None
    since_day = min(rhythm.RHYTHM_DAYS - 1, member_days)
    # Nothing at all in the window is a silence: where their history shows a rhythm, the
    # rhythm rule judges it (a quiet stretch as long as earlier ones is no drift).
    if (
        p["recent"] == 0
        and rhythm.has_rhythm(days, since_day)
        and rhythm.silence(days, since_day, the_clock) is None
    ):
        return None
    # And not a chance dip: someone active a few days a month, or in bursts, is often quiet
    # for weeks. Judged on their active days, with their own irregularity.
    likely = rhythm.drop_chance(
        days, limits.window_days, limits.baseline_days, the_clock, since_day
    )
    if likely <= PACE_ALPHA:
        params = {
            **_pace_params(p, limits),
            "last_active": iso_day(p["last"]),
            "tide": round(tide, 2),
        }
        return _signal(_drift_kind(member), "pace", iso_day(p["last"]), params)
    return None


def _sessions_drift(
    member: dict,
    attendance: dict,
    limits: Thresholds,
    days: list[int],
    the_clock: rhythm.Clock,
    as_of: datetime,
) -> dict | None:
    """Missed the latest N or more sessions in a row after coming to most of the ones before,
    and that many misses in a row are unlikely for how often they came (SESSIONS_ALPHA)."""
    sessions = attendance["sessions"]
    k = limits.missed_sessions
    uid = member["id"]
    went = attendance["attended"].get(uid, set())
    excused = attendance["excused"].get(uid, set())
    missed = 0
    for pk, _start in sessions:
        if pk in went or pk in excused:
            break
        missed += 1
    if missed < k:
        return None
    before = [pk for pk, start in sessions[missed:] if start >= member["joined"]]
    if len(before) < 2:
        return None
    came = sum(pk in went for pk in before)
    # Their attendance rate, with half an imagined session come and half missed, so that a
    # short record is not taken as certainty.
    chance = (1 - (came + 0.5) / (len(before) + 1)) ** missed
    if came < max(2, (len(before) * 2 + 2) // 3) or chance > SESSIONS_ALPHA:
        return None
    # Someone as active here as ever is not drifting away: they skip the sessions.
    first_missed = sessions[missed - 1][1]
    span = max(1, int((as_of - first_missed).total_seconds() // 86400))
    if rhythm.still_active(days, span, the_clock):
        return None
    params = {"missed": missed, "attended_before": came, "before": len(before)}
    return _signal(_drift_kind(member), "sessions", iso_day(first_missed), params)


def _is_rising(p: dict, member_days: int, limits: Thresholds, tide: float) -> bool:
    """Clearly more active than usual (and than the community's own rise), or active from the
    start after the first window."""
    recent_rate, base_rate = _rates(p, limits)
    if p["recent"] < 3:
        return False
    expected = base_rate * max(tide, 1.0)
    faster = p["baseline"] >= limits.min_baseline and recent_rate >= limits.rising_ratio * expected
    return faster or (p["baseline"] == 0 and member_days > limits.window_days)
