"""A deterministic community history for the insights benchmark: members, groups, sessions
and activity events with the shape a real Community of Practice has.

    from insights_corpus import build
    community, as_of = build(members=10_000, events=1_000_000, seed=6)

What it makes (one seeded random generator: the same arguments give the same rows):

- `members` people in one community: 2 facilitators, 1 % core group, the rest members; 60 %
  joined before the 18 months of history, the rest spread over them (the newest are newcomers).
  Perspectives: each member one (a fifth two), drawn per group (below), so perspectives cluster.
  3 % say what they look for and 3 % what they can help with (30 tags).
- Groups: members fall into clusters of heavy-tailed size (8 to ~400); a tie act (reply, answer,
  reaction, mention, ...) goes to someone in the actor's own group 75 % of the time and to anyone
  else the rest, in both cases picked by activity (the active get most replies).
- Activity per member is heavy-tailed (Pareto): a third are lurkers who never contribute (half
  of those react or RSVP now and then); among the others 6 % drift away (their last 6–10 weeks
  at a tenth of their pace), 3 % rise (their last 6 weeks at three times their pace).
- `events` activity events over 18 months before `as_of`, verbs in realistic shares (reactions
  most, then replies, answers, mentions, questions, library items, RSVPs, ...); direct messages
  carry no community (as Kring records them). Targets are left empty: insights never read them.
- 13 sessions, one every six weeks, ~30 attendees each from a pool of regulars (the tie cap is 40),
  some excused or absent; four regulars miss the latest two.

Rows are written with executemany in batches inside one transaction per batch, with a tqdm bar.
`build()` reuses the community when the database already holds it with the same sizes.

    python benchmarks/insights_corpus.py --members 2000 --events 100000   # build and summarise
"""

import argparse
import bisect
import itertools
import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

SLUG = "insights-bench"
AS_OF = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
HISTORY_DAYS = 548  # 18 months

# (verb, share, tie?) — tie verbs get an `other`.
VERB_MIX = [
    ("reacted", 0.26, True),
    ("replied", 0.20, True),
    ("answered", 0.08, True),
    ("mentioned", 0.06, True),
    ("marked_useful", 0.05, True),
    ("commented", 0.05, True),
    ("answer_accepted", 0.02, True),
    ("messaged", 0.03, True),
    ("asked", 0.05, False),
    ("discussion_started", 0.02, False),
    ("item_created", 0.03, False),
    ("item_updated", 0.02, False),
    ("rsvped", 0.05, False),
    ("reflected", 0.01, False),
    ("action_point_created", 0.01, False),
    ("action_point_done", 0.01, False),
    ("profile_updated", 0.01, False),
    ("post_edited", 0.04, False),
]
# What lurkers do now and then: nothing that counts as a contribution.
LURKER_VERBS = ["reacted", "rsvped", "marked_useful", "profile_updated"]
TAGS = [f"onderwerp-{i:02d}" for i in range(30)]


def _cumulative(weights):
    return list(itertools.accumulate(weights))


def _pick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def plan(members: int, events: int, seed: int, perspectives: list[str]) -> dict:
    """Everything except the events, as plain data."""
    rng = random.Random(seed)
    start = AS_OF - timedelta(days=HISTORY_DAYS)
    people = []
    for i in range(members):
        if rng.random() < 0.6:
            joined = start - timedelta(days=rng.uniform(30, 700))
        else:
            joined = start + timedelta(days=rng.uniform(0, HISTORY_DAYS - 1))
        people.append({"i": i, "joined": joined})
    people.sort(key=lambda p: p["joined"])
    # Groups: heavy-tailed sizes.
    group_of = [0] * members
    order = list(range(members))
    rng.shuffle(order)
    groups: list[list[int]] = []
    at = 0
    while at < members:
        size = min(members - at, max(8, int(8 * rng.paretovariate(1.1))), 400)
        groups.append(order[at : at + size])
        for m in order[at : at + size]:
            group_of[m] = len(groups) - 1
        at += size
    group_perspective = [rng.choice(perspectives) for _ in groups]
    for p in people:
        i = p["i"]
        main = group_perspective[group_of[i]] if rng.random() < 0.7 else rng.choice(perspectives)
        p["perspectives"] = [main]
        if rng.random() < 0.2:
            second = rng.choice(perspectives)
            if second != main:
                p["perspectives"].append(second)
        p["group"] = group_of[i]
        roll = rng.random()
        p["kind"] = (
            "lurker"
            if roll < 0.33
            else "drift"
            if roll < 0.39
            else "rise"
            if roll < 0.42
            else "steady"
        )
        p["weight"] = 0.0 if p["kind"] == "lurker" else min(rng.paretovariate(1.3), 400.0)
        p["role"] = "member"
        p["seeking"] = [rng.choice(TAGS)] if rng.random() < 0.03 else []
        p["helping"] = rng.sample(TAGS, 2) if rng.random() < 0.03 else []
    by_i = {p["i"]: p for p in people}
    # Facilitators and core group: the oldest, most active members.
    veterans = sorted(people[: members // 3], key=lambda p: -p["weight"])
    for n, p in enumerate(veterans[: max(3, members // 100)]):
        p["role"] = "facilitator" if n < 2 else "core"
        if p["kind"] == "lurker":
            p["kind"], p["weight"] = "steady", 5.0
    # Sessions: every six weeks, the latest a week before as_of.
    sessions = [AS_OF - timedelta(days=7 + 42 * k) for k in range(13)][::-1]
    pool = list(veterans[: max(45, members // 200)])
    regulars = [p["i"] for p in pool]
    skipping = set(regulars[5:9])  # miss the latest two
    attendance = []
    for s_index, when in enumerate(sessions):
        latest_two = s_index >= len(sessions) - 2
        for i in regulars:
            if by_i[i]["joined"] > when:
                continue
            if latest_two and i in skipping:
                continue
            roll = rng.random()
            if roll < 0.66:
                attendance.append((s_index, i, "attended"))
            elif roll < 0.72:
                attendance.append((s_index, i, "excused"))
            elif roll < 0.8:
                attendance.append((s_index, i, "absent"))
    return {
        "people": people,
        "by_i": by_i,
        "groups": groups,
        "sessions": sessions,
        "attendance": attendance,
        "start": start,
        "seed": seed,
        "events": events,
    }


def iter_events(spec: dict):
    """(actor i, verb, other i or None, created_at, in community?) tuples, one member at a time."""
    rng = random.Random(spec["seed"] + 1)
    people = spec["people"]
    by_i = spec["by_i"]
    start = spec["start"]
    total_weight = sum(p["weight"] for p in people) or 1.0
    active = [p for p in people if p["weight"] > 0]
    everyone = [p["i"] for p in active]
    everyone_cum = _cumulative([p["weight"] for p in active])
    group_lists = {}
    for g, ids in enumerate(spec["groups"]):
        ids = [i for i in ids if by_i[i]["weight"] > 0]
        if ids:
            group_lists[g] = (ids, _cumulative([by_i[i]["weight"] for i in ids]))
    verbs = [v for v, _s, _t in VERB_MIX]
    verb_cum = _cumulative([s for _v, s, _t in VERB_MIX])
    ties = {v for v, _s, t in VERB_MIX if t}
    lurker_budget = int(spec["events"] * 0.01)
    lurkers = [p for p in people if p["weight"] == 0]
    budget = spec["events"] - lurker_budget
    made = 0
    for p in people:
        if p["weight"] > 0:
            n = int(round(budget * p["weight"] / total_weight))
        else:
            n = int(round(lurker_budget * 2 / len(lurkers))) if p["i"] % 2 == 0 else 0
        if p is people[-1]:
            n = max(0, spec["events"] - made)
        made += n
        first = max(start, p["joined"])
        span = (AS_OF - first).total_seconds()
        if span <= 0 or n == 0:
            continue
        # Pace profile: piecewise over [first, as_of).
        late = min(span, rng.uniform(42, 70) * 86400) if p["kind"] == "drift" else 42 * 86400
        late = min(late, span)
        factor = {"drift": 0.1, "rise": 3.0}.get(p["kind"], 1.0)
        early_mass = span - late
        late_mass = late * factor
        p_late = late_mass / (early_mass + late_mass)
        group = group_lists.get(p["group"])
        for _ in range(n):
            if rng.random() < p_late:
                offset = span - late + rng.random() * late
            else:
                offset = rng.random() * (span - late)
            when = first + timedelta(seconds=offset)
            verb = rng.choice(LURKER_VERBS) if p["weight"] == 0 else _pick(rng, verbs, verb_cum)
            other = None
            if verb in ties:
                for _attempt in range(3):
                    if group and rng.random() < 0.75:
                        other = _pick(rng, *group)
                    else:
                        other = _pick(rng, everyone, everyone_cum)
                    if other != p["i"]:
                        break
                else:
                    other = None
            yield p["i"], verb, other, when, verb != "messaged"


def build(*, members: int, events: int, seed: int = 6, batch: int = 20_000, quiet=False):
    """Make (or reuse) the benchmark community; returns (community, as_of)."""
    from django.db import connection, transaction
    from tqdm import tqdm

    from kring.accounts.models import Perspective, User
    from kring.communities.models import Community, Membership
    from kring.core.models import ActivityEvent, Tag
    from kring.meetings.models import Attendance, Session

    existing = Community.objects.filter(slug=SLUG).first()
    if existing is not None:
        have_members = Membership.objects.filter(community=existing).count()
        have_events = ActivityEvent.objects.filter(actor__memberships__community=existing).count()
        if have_members == members + 1 and have_events == events:
            if not quiet:
                print(f"reusing {SLUG}: {have_members:,} members, {have_events:,} events")
            return existing, AS_OF
        sys.exit(
            f"the database holds {SLUG} with {have_members:,} members and {have_events:,} "
            "events, not the sizes asked for: use another KRING_DATA_DIR / database"
        )
    perspective_rows = {p.key: p.pk for p in Perspective.objects.all()}
    spec = plan(members, events, seed, sorted(perspective_rows))
    start = spec["start"]
    ops = connection.ops
    with transaction.atomic():
        owner = User.objects.create_user("owner@bench.example", full_name="Bench Owner")
        community = Community.objects.create(
            name="Insights benchmark", slug=SLUG, created_by=owner, created_at=start
        )
        Membership.objects.create(
            community=community,
            user=owner,
            role="facilitator",
            joined_at=start - timedelta(days=800),
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"m{p['i']:05d}@bench.example",
                    full_name=f"Member {p['i']:05d}",
                    password="!bench",
                )
                for p in sorted(spec["people"], key=lambda p: p["i"])
            ],
            batch_size=2000,
        )
        if users[0].pk is None:  # backends without RETURNING
            ids = dict(
                User.objects.filter(email__endswith="@bench.example").values_list("email", "pk")
            )
            uid = [ids[f"m{i:05d}@bench.example"] for i in range(members)]
        else:
            uid = [u.pk for u in users]
        Membership.objects.bulk_create(
            [
                Membership(
                    community=community, user_id=uid[p["i"]], role=p["role"], joined_at=p["joined"]
                )
                for p in spec["people"]
            ],
            batch_size=2000,
        )
        through = User.perspectives.through
        through.objects.bulk_create(
            [
                through(user_id=uid[p["i"]], perspective_id=perspective_rows[key])
                for p in spec["people"]
                for key in p["perspectives"]
            ],
            batch_size=2000,
        )
        tags = {name: Tag.objects.create(name=name, slug=name).pk for name in TAGS}
        for field, key in ((User.seeking_tags, "seeking"), (User.help_tags, "helping")):
            m2m = field.through
            m2m.objects.bulk_create(
                [m2m(user_id=uid[p["i"]], tag_id=tags[t]) for p in spec["people"] for t in p[key]]
            )
        session_ids = []
        for n, when in enumerate(spec["sessions"]):
            session = Session.objects.create(
                community=community,
                title=f"Session {n + 1}",
                starts_at=when,
                ends_at=when + timedelta(hours=2),
                created_by=owner,
            )
            session_ids.append(session.pk)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session_id=session_ids[s], user_id=uid[i], status=status, recorded_by=owner
                )
                for s, i, status in spec["attendance"]
            ]
        )
    table = ActivityEvent._meta.db_table
    sql = (
        f"INSERT INTO {table} (actor_id, verb, other_id, community_id, created_at, data) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    bar = tqdm(total=events, unit="events", mininterval=2, disable=quiet)
    rows = []
    cid = community.pk

    def flush():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        bar.update(len(rows))
        rows.clear()

    for actor, verb, other, when, in_community in iter_events(spec):
        rows.append(
            (
                uid[actor],
                verb,
                uid[other] if other is not None else None,
                cid if in_community else None,
                ops.adapt_datetimefield_value(when),
                "{}",
            )
        )
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    bar.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return community, AS_OF


def summary(spec: dict) -> dict:
    kinds = Counter(p["kind"] for p in spec["people"])
    sizes = sorted((len(g) for g in spec["groups"]), reverse=True)
    return {
        "members": len(spec["people"]),
        "kinds": dict(kinds),
        "groups": len(sizes),
        "largest_groups": sizes[:5],
        "sessions": len(spec["sessions"]),
        "attended_per_session": round(
            sum(1 for a in spec["attendance"] if a[2] == "attended") / len(spec["sessions"]), 1
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    spec = plan(args.members, args.events, args.seed, [f"p{i}" for i in range(10)])
    print(summary(spec))
    verbs = Counter()
    per_actor = Counter()
    for actor, verb, _other, _when, _c in iter_events(spec):
        verbs[verb] += 1
        per_actor[actor] += 1
    print(dict(verbs.most_common()))
    counts = sorted(per_actor.values(), reverse=True)
    print(
        f"actors {len(counts)}, top 1 % hold {sum(counts[: len(counts) // 100]) / sum(counts):.0%}"
    )


if __name__ == "__main__":
    main()
