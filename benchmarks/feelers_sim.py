"""Communities with known truths for the feelers simulation (bench_feelers.py, issue 17).

    from feelers_sim import plan
    spec = plan(seed=17, members=300)   # plain data: members with their truth, sessions, events

Four communities, all ending on LAST (a Monday; every evaluation moment is a local midnight,
Europe/Amsterdam, so "as of day D" means "everything before day D"), with ~15 months of history:

- **rhythm** (`members`, default 300): each member has a known rhythm — daily (active on
  60–80 % of days), few_days (every 3–4 days, jittered), weekly (every ~7 days ± 1.5),
  monthly (every ~30 days ± 5), session_only (only sessions: an `rsvped` event 1–6 days before
  and an attended row, for ~90 % of the sessions held every 3 weeks; of the other rhythms
  10–30 % are regulars at sessions, coming to 80 %, the rest come to 10 %), bursty (bursts of 3–8
  active days, then quiet for 2–6 weeks, heavy-tailed). Mix 20/20/20/10/15/15 %. ~11 % are
  planted drifters (plain members, every rhythm but monthly): from their drop day (an
  evaluation day in the last 6 months, not in the lull, at least 4 weeks before LAST) they
  either stop (nothing more, no sessions) or fade (each active day and session kept with
  probability 0.15). A summer lull of 6 weeks ending 5 weeks before LAST: every active day is
  kept with probability 0.25 and no sessions are held.
- **split** (120 members): halves A and B (each with 3 bridge people at home in it). Before
  SHIFT a tie act goes to the other half 25 % of the time (bridges 50 %); from SHIFT on 1.5 %
  (two bridges, one per half, keep crossing at 50 %): cross ties fall from ~27 % to ~3 %.
- **steady** (the split's twin): the same generator and seed, no split. Everything but the
  choice of the other person after SHIFT is the very same as in `split`.
- **dominant** (80 members): from SHIFT one member makes ~40 % of all contributions while the
  others' contributions are halved; and 10 members with the perspective `experience-expert`
  who post (questions, discussions, library items) but are never the other person of anyone's
  act, and take part in conversations rarely (~10 % of their acts) — the unheard perspective.

Every random choice comes from seeded generators (per community and member, keyed by strings),
so the same seed and size give the same rows. Times of day are 08:00–22:00 local.
"""

import bisect
import itertools
import random
import zlib
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
DOMAIN = "feelers.bench.example"
LAST = date(2025, 9, 22)  # a Monday: the latest evaluation moment
HISTORY_DAYS = 456  # ~15 months before LAST
EVAL_WEEKS = 26  # rhythm community: weekly moments over the last 6 months
LULL = (LAST - timedelta(days=77), LAST - timedelta(days=35))  # [start, end): 6 weeks
SHIFT = LAST - timedelta(days=56)  # the split and the dominant voice begin (an evaluation day)
SESSION_EVERY = 21
UNHEARD = "experience-expert"
MARK = "feelers-sim v1"
# Kring's default perspectives (accounts migration 0003); the build adds any that are missing.
PERSPECTIVES = [
    "business",
    "citizen",
    "client",
    "education",
    "experience-expert",
    "funder",
    "municipality",
    "professional",
    "research",
    "volunteer",
]

RHYTHM_MIX = [
    ("daily", 0.20),
    ("few_days", 0.20),
    ("weekly", 0.20),
    ("monthly", 0.10),
    ("session_only", 0.15),
    ("bursty", 0.15),
]
DRIFT_SHARE = 0.11
DRIFT_RHYTHMS = ["daily", "few_days", "weekly", "session_only", "bursty"]
# Events on an active day: uniform in [lo, hi].
EVENTS_PER_DAY = {
    "daily": (1, 3),
    "few_days": (1, 4),
    "weekly": (2, 4),
    "monthly": (2, 5),
    "bursty": (2, 5),
}
# Chance to come to a session (session-only members 0.9).
# Attendance is a habit: of the other rhythms a share are regulars (come to 80 % of the
# sessions), the rest come now and then (10 %); session-only members come to 90 %.
REGULAR_SHARE = {"daily": 0.3, "few_days": 0.2, "weekly": 0.2, "monthly": 0.1, "bursty": 0.1}
REGULAR_CHANCE = 0.8
OCCASIONAL_CHANCE = 0.1
SESSION_ONLY_CHANCE = 0.9
LULL_KEEP = 0.25
FADE_KEEP = 0.15

# (verb, weight, tie?) — tie verbs get `other`; `messaged` has no community (as Kring records
# direct messages); post_edited and profile_updated are not activity.
VERB_MIX = [
    ("reacted", 0.25, True),
    ("replied", 0.20, True),
    ("answered", 0.07, True),
    ("mentioned", 0.05, True),
    ("marked_useful", 0.05, True),
    ("commented", 0.05, True),
    ("answer_accepted", 0.02, True),
    ("messaged", 0.03, True),
    ("asked", 0.07, False),
    ("discussion_started", 0.03, False),
    ("item_created", 0.04, False),
    ("reflected", 0.02, False),
    ("action_point_created", 0.02, False),
    ("action_point_done", 0.02, False),
    ("post_edited", 0.03, False),
    ("profile_updated", 0.01, False),
]
# The unheard: they post, and rarely respond to anyone.
UNHEARD_MIX = [
    ("asked", 0.35, False),
    ("discussion_started", 0.20, False),
    ("item_created", 0.20, False),
    ("reflected", 0.10, False),
    ("post_edited", 0.05, False),
    ("replied", 0.05, True),
    ("reacted", 0.05, True),
]
# What the dominant voice adds from SHIFT on: contributions only.
DOMINANT_MIX = [
    ("replied", 0.40, True),
    ("answered", 0.20, True),
    ("commented", 0.10, True),
    ("asked", 0.15, False),
    ("discussion_started", 0.10, False),
    ("item_created", 0.05, False),
]
CONTRIBUTION_VERBS = {
    "asked",
    "discussion_started",
    "answered",
    "replied",
    "item_created",
    "commented",
    "reflected",
}


def moment(day: date) -> datetime:
    """The start of a local day: evaluating as of it counts everything before that day."""
    return datetime.combine(day, time(0), tzinfo=AMS)


def eval_days(first: date, last: date) -> list[date]:
    """Weekly evaluation days from `first` to `last` (both included)."""
    return [first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)]


def rhythm_eval_days() -> list[date]:
    return eval_days(LAST - timedelta(days=7 * EVAL_WEEKS), LAST)


def shift_eval_days() -> list[date]:
    """From 4 weeks before SHIFT to 8 weeks after it."""
    return eval_days(SHIFT - timedelta(days=28), SHIFT + timedelta(days=56))


def drop_days() -> list[date]:
    """The days a drifter may drop: evaluation days of the last 6 months, not in the lull, with
    at least 4 weeks of evaluation after them."""
    return [
        d
        for d in rhythm_eval_days()
        if d <= LAST - timedelta(days=28) and not (LULL[0] <= d < LULL[1])
    ]


class _Mix:
    def __init__(self, mix: list[tuple[str, float, bool]]):
        self.verbs = [v for v, _w, _t in mix]
        self.cum = list(itertools.accumulate(w for _v, w, _t in mix))
        self.ties = {v for v, _w, t in mix if t}

    def pick(self, rng: random.Random) -> str:
        return self.verbs[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


MIXES = {"all": _Mix(VERB_MIX), "unheard": _Mix(UNHEARD_MIX), "dominant": _Mix(DOMINANT_MIX)}


def _rng(seed: int, *key) -> random.Random:
    return random.Random("-".join(str(k) for k in (seed, *key)))


def active_days(rng: random.Random, rhythm: str, first: date, last: date) -> list[date]:
    """The days a member of `rhythm` is active in [first, last), before lull and drift."""
    days: list[date] = []
    one = timedelta(days=1)
    if rhythm == "daily":
        p = rng.uniform(0.6, 0.8)
        d = first
        while d < last:
            if rng.random() < p:
                days.append(d)
            d += one
    elif rhythm in ("few_days", "weekly", "monthly"):
        mean, sd, low = {
            "few_days": (rng.uniform(3.0, 4.0), 1.0, 1),
            "weekly": (7.0, 1.5, 3),
            "monthly": (30.0, 5.0, 14),
        }[rhythm]
        d = first + timedelta(days=rng.randrange(int(mean)))
        while d < last:
            days.append(d)
            d += timedelta(days=max(low, round(rng.gauss(mean, sd))))
    elif rhythm == "bursty":
        d = first + timedelta(days=rng.randrange(28))
        while d < last:
            span = round(rng.randint(3, 8) * 1.5)
            for k in range(span):
                if rng.random() < 0.7 and d + k * one < last:
                    days.append(d + k * one)
            d += timedelta(days=span + round(min(42.0, 14 * rng.paretovariate(1.2))))
    return days


def _time_on(rng: random.Random, day: date) -> datetime:
    return moment(day) + timedelta(seconds=rng.uniform(8 * 3600, 22 * 3600))


def _member(prefix: str, i: int, role: str, perspectives: list[str], joined: datetime) -> dict:
    return {
        "email": f"{prefix}{i:04d}@{DOMAIN}",
        "name": f"{prefix.upper()} {i:04d}",
        "role": role,
        "perspectives": perspectives,
        "joined": joined,
    }


def _joined(rng: random.Random, start: date) -> datetime:
    return moment(start) - timedelta(days=rng.uniform(30, 400))


# The rhythm community ------------------------------------------------------------------------


def plan_rhythm(seed: int, members: int, perspectives: list[str]) -> dict:
    rng = _rng(seed, "rhythm")
    start = LAST - timedelta(days=HISTORY_DAYS)
    counts = [round(members * share) for _r, share in RHYTHM_MIX]
    counts[0] += members - sum(counts)
    rhythms = [r for (r, _s), n in zip(RHYTHM_MIX, counts, strict=True) for _ in range(n)]
    rng.shuffle(rhythms)
    people = []
    for i, rhythm in enumerate(rhythms):
        p = _member("r", i, "member", [rng.choice(perspectives)], _joined(rng, start))
        p["truth"] = {"rhythm": rhythm, "drifter": False, "drop": None, "kind": None}
        people.append(p)
    # Drifters: round robin over the rhythms, stop and fade alternating within each rhythm,
    # drop days spread evenly over the allowed days.
    by_rhythm = {r: [p for p in people if p["truth"]["rhythm"] == r] for r in DRIFT_RHYTHMS}
    for group in by_rhythm.values():
        rng.shuffle(group)
    n_drifters = round(members * DRIFT_SHARE)
    days = drop_days()
    day_cycle = []
    chosen = []
    for k in range(n_drifters):
        group = by_rhythm[DRIFT_RHYTHMS[k % len(DRIFT_RHYTHMS)]]
        taken = sum(1 for c in chosen if c["truth"]["rhythm"] == group[0]["truth"]["rhythm"])
        if taken >= len(group):
            continue
        chosen.append(group[taken])
    for n, p in enumerate(chosen):
        if not day_cycle:
            day_cycle = list(days)
            rng.shuffle(day_cycle)
        # Round robin over five rhythms: alternating kinds alternate within each rhythm too.
        p["truth"].update(drifter=True, drop=day_cycle.pop(), kind=("stop", "fade")[n % 2])
    # A few steady daily members are the core group (their drift would read core_silent).
    core = [p for p in people if p["truth"]["rhythm"] == "daily" and not p["truth"]["drifter"]]
    for p in core[:3]:
        p["role"] = "core"

    talkers = [i for i, p in enumerate(people) if p["truth"]["rhythm"] != "session_only"]

    def other_of(r: random.Random, actor: int, _day: date) -> int:
        while True:
            o = talkers[int(r.random() * len(talkers))]
            if o != actor:
                return o

    events = []
    for i, p in enumerate(people):
        t = p["truth"]
        if t["rhythm"] == "session_only":
            continue
        days_rng, ev_rng = _rng(seed, "rhythm", i, "days"), _rng(seed, "rhythm", i, "events")
        for day in active_days(days_rng, t["rhythm"], start, LAST):
            keep = 1.0
            if LULL[0] <= day < LULL[1]:
                keep *= LULL_KEEP
            if t["drifter"] and day >= t["drop"]:
                keep *= 0.0 if t["kind"] == "stop" else FADE_KEEP
            roll = ev_rng.random()
            lo, hi = EVENTS_PER_DAY[t["rhythm"]]
            n = ev_rng.randint(lo, hi)
            if roll >= keep:
                continue
            for _ in range(n):
                events.append(_event(ev_rng, MIXES["all"], i, day, other_of))
    # Sessions every 3 weeks, on the Thursday evening before an evaluation Monday; none in the
    # lull.
    sessions = []
    d = LAST - timedelta(days=4)
    while d > start:
        if not (LULL[0] <= d < LULL[1]):
            sessions.append(datetime.combine(d, time(19, 0), tzinfo=AMS))
        d -= timedelta(days=SESSION_EVERY)
    sessions.reverse()
    attendance = []
    for i, p in enumerate(people):
        t = p["truth"]
        s_rng = _rng(seed, "rhythm", i, "sessions")
        if t["rhythm"] == "session_only":
            habit = SESSION_ONLY_CHANCE
        elif s_rng.random() < REGULAR_SHARE[t["rhythm"]]:
            habit = REGULAR_CHANCE
        else:
            habit = OCCASIONAL_CHANCE
        t["sessions"] = habit
        for s, starts in enumerate(sessions):
            chance = habit
            if t["drifter"] and starts.date() >= t["drop"]:
                chance *= 0.0 if t["kind"] == "stop" else FADE_KEEP
            roll = s_rng.random()
            before = starts - timedelta(days=s_rng.uniform(1, 6))
            if roll < chance and p["joined"] < starts:
                attendance.append((s, i))
                events.append((i, "rsvped", None, before, True))
    return {
        "slug": "feelers-rhythm",
        "name": "Feelers: rhythm",
        "people": people,
        "sessions": sessions,
        "attendance": attendance,
        "events": events,
    }


def _event(rng: random.Random, mix: _Mix, actor: int, day: date, other_of) -> tuple:
    verb = mix.pick(rng)
    when = _time_on(rng, day)
    other = other_of(rng, actor, day) if verb in mix.ties else None
    return (actor, verb, other, when, verb != "messaged")


# The split community and its steady twin ---------------------------------------------------


SPLIT_RHYTHMS = [("daily", 0.3), ("few_days", 0.4), ("weekly", 0.3)]


def _rhythm_list(rng: random.Random, n: int, mix: list[tuple[str, float]]) -> list[str]:
    counts = [round(n * share) for _r, share in mix]
    counts[0] += n - sum(counts)
    out = [r for (r, _s), c in zip(mix, counts, strict=True) for _ in range(c)]
    rng.shuffle(out)
    return out


def plan_split(seed: int, perspectives: list[str], split: bool, members: int = 120) -> dict:
    # The twin uses the very same generators (keyed "split"), only `split` differs.
    rng = _rng(seed, "split")
    start = LAST - timedelta(days=HISTORY_DAYS)
    prefix = "s" if split else "t"
    rhythms = _rhythm_list(rng, members, SPLIT_RHYTHMS)
    people = []
    for i in range(members):
        half = "A" if i % 2 == 0 else "B"
        p = _member(prefix, i, "member", [rng.choice(perspectives)], _joined(rng, start))
        p["truth"] = {"half": half, "bridge": False, "still_crossing": False, "rhythm": rhythms[i]}
        people.append(p)
    # Three bridges per half (daily); one per half keeps crossing after the split.
    for half in "AB":
        mine = [p for p in people if p["truth"]["half"] == half]
        for n, p in enumerate(rng.sample(mine, 3)):
            p["truth"].update(bridge=True, still_crossing=n == 0, rhythm="daily")
    halves = {h: [i for i, p in enumerate(people) if p["truth"]["half"] == h] for h in "AB"}
    shift = SHIFT

    def other_of(r: random.Random, actor: int, day: date) -> int:
        t = people[actor]["truth"]
        after = split and day >= shift
        if t["bridge"] and (not after or t["still_crossing"]):
            p_cross = 0.5
        else:
            p_cross = 0.015 if after else 0.25
        own = halves[t["half"]]
        cross = r.random() < p_cross
        pool = halves["B" if t["half"] == "A" else "A"] if cross else own
        while True:
            o = pool[int(r.random() * len(pool))]
            if o != actor:
                return o

    events = []
    for i, p in enumerate(people):
        rhythm = p["truth"]["rhythm"]
        days_rng, ev_rng = _rng(seed, "split", i, "days"), _rng(seed, "split", i, "events")
        other_rng = _rng(seed, "split", i, "other")
        for day in active_days(days_rng, rhythm, start, LAST):
            lo, hi = EVENTS_PER_DAY[rhythm]
            for _ in range(ev_rng.randint(lo, hi)):
                verb = MIXES["all"].pick(ev_rng)
                when = _time_on(ev_rng, day)
                other = other_of(other_rng, i, day) if verb in MIXES["all"].ties else None
                events.append((i, verb, other, when, verb != "messaged"))
    return {
        "slug": "feelers-split" if split else "feelers-steady",
        "name": "Feelers: split" if split else "Feelers: steady twin",
        "people": people,
        "sessions": [],
        "attendance": [],
        "events": events,
        "split": shift if split else None,
    }


# The dominant voice and the unheard perspective --------------------------------------------


DOMINANT_RHYTHMS = [("daily", 0.25), ("few_days", 0.4), ("weekly", 0.35)]
DOMINANT_SHARE = 0.40


def plan_dominant(seed: int, perspectives: list[str], members: int = 80, unheard: int = 10) -> dict:
    rng = _rng(seed, "dominant")
    start = LAST - timedelta(days=HISTORY_DAYS)
    others_keys = [k for k in perspectives if k != UNHEARD]
    rhythms = _rhythm_list(rng, members, DOMINANT_RHYTHMS)
    people = []
    for i in range(members):
        is_unheard = i >= members - unheard
        keys = [UNHEARD] if is_unheard else [rng.choice(others_keys)]
        p = _member("d", i, "member", keys, _joined(rng, start))
        p["truth"] = {
            "rhythm": "few_days" if is_unheard else rhythms[i],
            "unheard": is_unheard,
            "dominant": False,
        }
        people.append(p)
    # The dominant voice: a few-days member, not among the unheard.
    candidates = [i for i, p in enumerate(people[: members - unheard]) if rhythms[i] == "few_days"]
    dominant = rng.choice(candidates)
    people[dominant]["truth"]["dominant"] = True
    heard = [i for i, p in enumerate(people) if not p["truth"]["unheard"]]

    def other_of(r: random.Random, actor: int, _day: date) -> int:
        while True:
            o = heard[int(r.random() * len(heard))]
            if o != actor:
                return o

    events = []
    for i, p in enumerate(people):
        t = p["truth"]
        mix = MIXES["unheard"] if t["unheard"] else MIXES["all"]
        days_rng, ev_rng = _rng(seed, "dominant", i, "days"), _rng(seed, "dominant", i, "events")
        for day in active_days(days_rng, t["rhythm"], start, LAST):
            lo, hi = EVENTS_PER_DAY[t["rhythm"]]
            for _ in range(ev_rng.randint(lo, hi)):
                event = _event(ev_rng, mix, i, day, other_of)
                # From SHIFT on, the others' contributions are halved.
                halve = ev_rng.random() < 0.5
                if day >= SHIFT and i != dominant and event[1] in CONTRIBUTION_VERBS and halve:
                    continue
                events.append(event)
    # The dominant voice's extra contributions: DOMINANT_SHARE of all of them from SHIFT on.
    others_after = sum(
        1
        for a, verb, _o, when, _c in events
        if a != dominant and verb in CONTRIBUTION_VERBS and when >= moment(SHIFT)
    )
    own_after = sum(
        1
        for a, verb, _o, when, _c in events
        if a == dominant and verb in CONTRIBUTION_VERBS and when >= moment(SHIFT)
    )
    extra = round(DOMINANT_SHARE / (1 - DOMINANT_SHARE) * others_after) - own_after
    d_rng = _rng(seed, "dominant", "voice")
    days_after = (LAST - SHIFT).days
    for _ in range(max(0, extra)):
        day = SHIFT + timedelta(days=d_rng.randrange(days_after))
        events.append(_event(d_rng, MIXES["dominant"], dominant, day, other_of))
    return {
        "slug": "feelers-dominant",
        "name": "Feelers: dominant voice",
        "people": people,
        "sessions": [],
        "attendance": [],
        "events": events,
        "shift": SHIFT,
        "dominant": dominant,
        "unheard": UNHEARD,
    }


# All of it -----------------------------------------------------------------------------------


def plan(seed: int, members: int, perspectives: list[str] = PERSPECTIVES) -> dict:
    """The four communities as plain data (perspectives: the keys to draw from)."""
    perspectives = sorted(perspectives)
    communities = {
        "rhythm": plan_rhythm(seed, members, perspectives),
        "split": plan_split(seed, perspectives, split=True),
        "steady": plan_split(seed, perspectives, split=False),
        "dominant": plan_dominant(seed, perspectives),
    }
    # A fingerprint of every row: a database built by another version of this generator is
    # not reused.
    fingerprint = 0
    for c in communities.values():
        for part in ("people", "sessions", "attendance", "events"):
            fingerprint = zlib.crc32(repr(c[part]).encode(), fingerprint)
    return {
        "seed": seed,
        "members": members,
        "mark": f"{MARK} seed={seed} members={members} rows={fingerprint:08x}",
        "communities": communities,
    }


def realised(spec: dict) -> dict:
    """What the generator actually made: the figures a reader checks the truths against."""
    out: dict = {}
    rhythm = spec["communities"]["rhythm"]
    people = rhythm["people"]
    per_member = Counter(a for a, _v, _o, _w, c in rhythm["events"])
    weeks = HISTORY_DAYS / 7
    by_rhythm: dict = {}
    for r, _share in RHYTHM_MIX:
        ids = [i for i, p in enumerate(people) if p["truth"]["rhythm"] == r]
        steady = [i for i in ids if not people[i]["truth"]["drifter"]]
        by_rhythm[r] = {
            "members": len(ids),
            "drifters": len(ids) - len(steady),
            "events_per_week_steady": round(
                sum(per_member[i] for i in steady) / max(1, len(steady)) / weeks, 2
            ),
        }
    kinds = Counter(p["truth"]["kind"] for p in people if p["truth"]["drifter"])
    out["rhythm"] = {
        "members": len(people),
        "events": len(rhythm["events"]),
        "sessions": len(rhythm["sessions"]),
        "attendances": len(rhythm["attendance"]),
        "by_rhythm": by_rhythm,
        "drift_kinds": dict(kinds),
        "session_habits": dict(Counter(p["truth"]["sessions"] for p in people)),
        "drop_days": sorted({p["truth"]["drop"].isoformat() for p in people if p["truth"]["drop"]}),
        "lull": [LULL[0].isoformat(), LULL[1].isoformat()],
    }
    for key in ("split", "steady"):
        c = spec["communities"][key]
        half = [p["truth"]["half"] for p in c["people"]]
        shift = moment(SHIFT)
        window = moment(SHIFT - timedelta(days=90))
        before = [
            (half[a] != half[o])
            for a, _v, o, w, _c in c["events"]
            if o is not None and window <= w < shift
        ]
        after = [
            (half[a] != half[o]) for a, _v, o, w, _c in c["events"] if o is not None and w >= shift
        ]
        out[key] = {
            "members": len(c["people"]),
            "events": len(c["events"]),
            "cross_share_90d_before": round(sum(before) / max(1, len(before)), 3),
            "cross_share_after": round(sum(after) / max(1, len(after)), 3),
        }
    d = spec["communities"]["dominant"]
    shift = moment(SHIFT)
    contrib = [(a, w) for a, v, _o, w, _c in d["events"] if v in CONTRIBUTION_VERBS]
    after = [a for a, w in contrib if w >= shift]
    before = [a for a, w in contrib if shift - timedelta(days=56) <= w < shift]
    unheard_ids = {i for i, p in enumerate(d["people"]) if p["truth"]["unheard"]}
    unheard_acts = [(a, o) for a, _v, o, _w, _c in d["events"] if a in unheard_ids]
    out["dominant"] = {
        "members": len(d["people"]),
        "events": len(d["events"]),
        "dominant_email": d["people"][d["dominant"]]["email"],
        "dominant_share_after": round(after.count(d["dominant"]) / max(1, len(after)), 3),
        "dominant_share_8w_before": round(before.count(d["dominant"]) / max(1, len(before)), 3),
        "others_contributions_per_week_before": round(
            sum(1 for a in before if a != d["dominant"]) / 8, 1
        ),
        "others_contributions_per_week_after": round(
            sum(1 for a in after if a != d["dominant"]) / ((LAST - SHIFT).days / 7), 1
        ),
        "unheard_members": len(unheard_ids),
        "unheard_acts": len(unheard_acts),
        "unheard_acts_to_someone": sum(1 for _a, o in unheard_acts if o is not None),
        "acts_to_unheard": sum(1 for _a, _v, o, _w, _c in d["events"] if o in unheard_ids),
    }
    return out


if __name__ == "__main__":
    import json
    import time as clock

    began = clock.perf_counter()
    spec = plan(17, 300)
    print(json.dumps(realised(spec), indent=2))
    print(f"planned in {clock.perf_counter() - began:.1f} s")
