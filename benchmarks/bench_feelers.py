"""The facilitator's feelers as a simulation (issue 17): communities with known truths,
`compute()` at many moments, the detectors scored.

    KRING_DATA_DIR=/tmp/kring-bench-feelers .venv/bin/python benchmarks/bench_feelers.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench_feelers \\
        .venv/bin/python benchmarks/bench_feelers.py
    # only evaluate again, on the database built before (same --seed and --members):
    .venv/bin/python benchmarks/bench_feelers.py --reuse

Steps: wipe and migrate the database (SQLite in KRING_DATA_DIR, or DATABASE_URL; its path or
name must contain "bench"), build the four communities of feelers_sim.py (bulk inserts, a tqdm
bar), then evaluate `kring.insights.compute.compute(community=c, as_of=t)`:

- rhythm community: weekly over the last 26 weeks; a member is flagged when their signals hold
  `drifting` or `core_silent`. Recall at +14 and +28 days (the moment exactly 2 and 4 weeks
  after the drop), per rhythm and per kind; precision over all moments (a flag is true for a
  planted drifter after their drop, false otherwise); steady members flagged in and just after
  the summer lull; monthly members ever flagged.
- split community and its steady twin, weekly from 4 weeks before the split to 8 weeks after:
  `community_signals` of kind `drifting_apart`, its `groups` against the true halves.
- dominant community, the same moments: `dominant_voice` naming the planted person, and
  `unheard_perspective` with the planted key; false alarms of both in the other communities.

`community_signals` is read with `.get("community_signals", [])`: where compute() has none,
those detectors are "not found". Results go to benchmarks/results/feelers-<backend>.json
(or --json PATH); a Markdown summary is printed. With --reuse the build is skipped when the
database holds the communities of the same --seed and --members (else it is rebuilt).
"""

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

import feelers_sim as sim  # noqa: E402
from benchkit import git_commit, log, machine, prepare_environment, wipe  # noqa: E402

FLAG_KINDS = {"drifting", "core_silent"}
TARGETS = {
    "recall_14": 0.6,
    "recall_28": 0.9,
    "precision": 0.8,
    "lull_max": 0.05,
    "split_days": 28,
    "dominant_days": 28,
    "jaccard": 0.6,
}
ONLY = {"rhythm": ["rhythm"], "split": ["split", "steady"], "dominant": ["dominant"]}


# Build ---------------------------------------------------------------------------------------


def planned_events(spec: dict) -> int:
    return sum(len(c["events"]) for c in spec["communities"].values())


def is_built(spec: dict) -> bool:
    """The database holds these very communities: same mark (seed, size), same row counts."""
    from django.db.utils import DatabaseError

    from kring.communities.models import Community, Membership
    from kring.core.models import ActivityEvent

    try:
        for c in spec["communities"].values():
            row = Community.objects.filter(slug=c["slug"]).values("pk", "theme").first()
            if row is None or row["theme"] != spec["mark"]:
                return False
            if Membership.objects.filter(community_id=row["pk"]).count() != len(c["people"]):
                return False
        return ActivityEvent.objects.count() == planned_events(spec)
    except DatabaseError:
        return False


def build(spec: dict) -> None:
    from django.db import connection, transaction
    from tqdm import tqdm

    from kring.accounts.models import Perspective, User
    from kring.communities.models import Community, Membership
    from kring.core.models import ActivityEvent
    from kring.meetings.models import Attendance, Session

    ops = connection.ops
    table = ActivityEvent._meta.db_table
    sql = (
        f"INSERT INTO {table} (actor_id, verb, other_id, community_id, created_at, data) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    for n, key in enumerate(sim.PERSPECTIVES):
        Perspective.objects.get_or_create(
            key=key, defaults={"name_nl": key, "name_en": key, "position": 100 + n}
        )
    perspective_ids = dict(Perspective.objects.values_list("key", "pk"))
    bar = tqdm(total=planned_events(spec), unit="events", mininterval=2, desc="build")
    with transaction.atomic():
        owner = User.objects.create_user(f"owner@{sim.DOMAIN}", full_name="Feelers Owner")
    for c in spec["communities"].values():
        with transaction.atomic():
            community = Community.objects.create(
                name=c["name"],
                slug=c["slug"],
                theme=spec["mark"],
                created_by=owner,
                created_at=sim.moment(sim.LAST - timedelta(days=sim.HISTORY_DAYS + 400)),
            )
            users = User.objects.bulk_create(
                [
                    User(email=p["email"], full_name=p["name"], password="!bench")
                    for p in c["people"]
                ],
                batch_size=2000,
            )
            if users and users[0].pk is None:  # backends without RETURNING
                ids = dict(
                    User.objects.filter(email__in=[p["email"] for p in c["people"]]).values_list(
                        "email", "pk"
                    )
                )
                uid = [ids[p["email"]] for p in c["people"]]
            else:
                uid = [u.pk for u in users]
            Membership.objects.bulk_create(
                [
                    Membership(
                        community=community, user_id=uid[i], role=p["role"], joined_at=p["joined"]
                    )
                    for i, p in enumerate(c["people"])
                ],
                batch_size=2000,
            )
            through = User.perspectives.through
            through.objects.bulk_create(
                [
                    through(user_id=uid[i], perspective_id=perspective_ids[key])
                    for i, p in enumerate(c["people"])
                    for key in p["perspectives"]
                ],
                batch_size=2000,
            )
            session_ids = []
            for n, starts in enumerate(c["sessions"]):
                session = Session.objects.create(
                    community=community,
                    title=f"Bijeenkomst {n + 1}",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    created_by=owner,
                )
                session_ids.append(session.pk)
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        session_id=session_ids[s],
                        user_id=uid[i],
                        status="attended",
                        recorded_by=owner,
                    )
                    for s, i in c["attendance"]
                ],
                batch_size=2000,
            )
        rows = []
        cid = community.pk

        def flush(rows=rows):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            bar.update(len(rows))
            rows.clear()

        for actor, verb, other, when, in_community in c["events"]:
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
            if len(rows) >= 10_000:
                flush()
        if rows:
            flush()
    bar.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Evaluate ------------------------------------------------------------------------------------


def moments_of(key: str) -> list[date]:
    return sim.rhythm_eval_days() if key == "rhythm" else sim.shift_eval_days()


def evaluate(spec: dict, keys: list[str]) -> tuple[dict, dict]:
    """compute() at every moment of every community in `keys`: per community and moment
    (ISO day), the flagged members and the community signals; and the seconds per compute."""
    from tqdm import tqdm

    from kring.communities.models import Community
    from kring.insights.compute import compute

    jobs = [(key, day) for key in keys for day in moments_of(key)]
    seen: dict = defaultdict(dict)
    seconds: dict = defaultdict(list)
    communities = {
        key: Community.objects.get(slug=spec["communities"][key]["slug"]) for key in keys
    }
    for key, day in tqdm(jobs, unit="moments", desc="evaluate"):
        began = time.perf_counter()
        doc = compute(community=communities[key], as_of=sim.moment(day))
        seconds[key].append(time.perf_counter() - began)
        rules = {
            m["email"]: s.get("rule")
            for m in doc["members"]
            for s in m["signals"]
            if s["kind"] in FLAG_KINDS
        }
        seen[key][day] = {
            "flagged": sorted(rules),
            # Which rule flagged each of them (pace, sessions, ...).
            "rules": dict(sorted(rules.items())),
            # None where compute() has no community signals at all (main before issue 17).
            "community_signals": doc.get("community_signals"),
        }
    return seen, seconds


def compact(at: dict) -> dict:
    """One moment for the JSON file: the flagged per rule by the e-mail's local part."""
    by_rule: dict = defaultdict(list)
    for email, rule in at["rules"].items():
        by_rule[str(rule)].append(email.split("@")[0])
    return {"flagged": dict(by_rule), "community_signals": at["community_signals"]}


def _share(k: int, n: int) -> dict:
    return {"share": round(k / n, 3) if n else None, "k": k, "n": n}


def score_rhythm(spec: dict, seen: dict) -> dict:
    people = spec["communities"]["rhythm"]["people"]
    truth = {p["email"]: p["truth"] for p in people}
    days = sorted(seen)
    drifters = [p for p in people if p["truth"]["drifter"]]
    steady = [p["email"] for p in people if not p["truth"]["drifter"]]

    flagged = {day: set(seen[day]["flagged"]) for day in days}

    def flagged_at(email: str, day: date) -> bool:
        return email in flagged[day]

    recall: dict = {}
    for after in (14, 28):
        hits = {
            p["email"]: flagged_at(p["email"], p["truth"]["drop"] + timedelta(days=after))
            for p in drifters
        }
        # By then: flagged at any moment after the drop up to and including this one.
        by_then = {
            p["email"]: any(
                flagged_at(p["email"], d)
                for d in days
                if p["truth"]["drop"] < d <= p["truth"]["drop"] + timedelta(days=after)
            )
            for p in drifters
        }
        recall[after] = {
            "all": _share(sum(hits.values()), len(hits)),
            "any_moment_by_then": _share(sum(by_then.values()), len(by_then)),
            "per_rhythm": {
                r: _share(
                    sum(hits[p["email"]] for p in drifters if p["truth"]["rhythm"] == r),
                    sum(1 for p in drifters if p["truth"]["rhythm"] == r),
                )
                for r in sim.DRIFT_RHYTHMS
            },
            "per_kind": {
                kind: _share(
                    sum(hits[p["email"]] for p in drifters if p["truth"]["kind"] == kind),
                    sum(1 for p in drifters if p["truth"]["kind"] == kind),
                )
                for kind in ("stop", "fade")
            },
        }
    true_flags = false_flags = steady_flags = early_flags = 0
    per_rule: dict = defaultdict(lambda: {"true": 0, "false": 0})
    for day in days:
        for email in seen[day]["flagged"]:
            t = truth.get(email)
            right = t is not None and t["drifter"] and t["drop"] < day
            per_rule[seen[day]["rules"].get(email)]["true" if right else "false"] += 1
            if right:
                true_flags += 1
            else:
                false_flags += 1
                if t is not None and t["drifter"]:
                    early_flags += 1
                else:
                    steady_flags += 1
    lull_days = [d for d in days if sim.LULL[0] < d <= sim.LULL[1] + timedelta(days=14)]
    other_days = [d for d in days if d not in lull_days]

    def steady_share(day: date, emails: list[str]) -> float:
        return sum(e in flagged[day] for e in emails) / len(emails)

    lull_shares = [steady_share(d, steady) for d in lull_days]
    other_shares = [steady_share(d, steady) for d in other_days]
    per_rhythm_steady = {}
    for r, _share_of in sim.RHYTHM_MIX:
        emails = [e for e in steady if truth[e]["rhythm"] == r]
        per_rhythm_steady[r] = {
            "members": len(emails),
            "ever_flagged": _share(
                sum(any(e in flagged[d] for d in days) for e in emails), len(emails)
            ),
            "flagged_per_moment_mean": round(
                sum(steady_share(d, emails) for d in days) / len(days), 3
            ),
            "lull_max": round(max(steady_share(d, emails) for d in lull_days), 3),
        }
    return {
        "moments": len(days),
        "drifters": len(drifters),
        "steady": len(steady),
        "recall_14": recall[14],
        "recall_28": recall[28],
        "precision": {
            **_share(true_flags, true_flags + false_flags),
            "false_steady": steady_flags,
            "false_before_drop": early_flags,
            "per_rule": dict(per_rule),
        },
        "lull": {
            "moments": [d.isoformat() for d in lull_days],
            "steady_flagged": [round(s, 3) for s in lull_shares],
            "max": round(max(lull_shares), 3),
            "mean": round(sum(lull_shares) / len(lull_shares), 3),
            "outside_mean": round(sum(other_shares) / len(other_shares), 3),
        },
        "monthly_ever_flagged": per_rhythm_steady["monthly"]["ever_flagged"],
        "steady_per_rhythm": per_rhythm_steady,
        "steady_flagged_per_moment": {
            d.isoformat(): round(steady_share(d, steady), 3) for d in days
        },
    }


def _signals(seen_at: dict, kind: str) -> list[dict]:
    return [s for s in seen_at["community_signals"] or [] if s.get("kind") == kind]


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def score_split(spec: dict, seen: dict, twin: dict | None) -> dict:
    people = spec["communities"]["split"]["people"]
    halves = {h: {p["email"] for p in people if p["truth"]["half"] == h} for h in "AB"}
    shift = sim.SHIFT
    found = None
    for day in sorted(seen):
        apart = _signals(seen[day], "drifting_apart")
        if day > shift and apart and found is None:
            groups = [set(g) for s in apart for g in (s.get("groups") or [])]
            best = {h: max((_jaccard(g, halves[h]) for g in groups), default=0.0) for h in "AB"}
            found = {
                "moment": day.isoformat(),
                "days_after": (day - shift).days,
                "jaccard": {h: round(v, 3) for h, v in best.items()},
                "groups_match": all(v >= TARGETS["jaccard"] for v in best.values()),
            }
    before = [
        d.isoformat() for d in sorted(seen) if d <= shift and _signals(seen[d], "drifting_apart")
    ]
    out = {"found": found, "alarms_before_split": before}
    if twin is not None:
        out["twin_alarms"] = [
            d.isoformat() for d in sorted(twin) if _signals(twin[d], "drifting_apart")
        ]
    return out


def score_dominant(spec: dict, seen_all: dict) -> dict:
    c = spec["communities"]["dominant"]
    who = c["people"][c["dominant"]]["email"]
    seen = seen_all["dominant"]
    shift = sim.SHIFT
    found = None
    wrong = []
    for day in sorted(seen):
        for s in _signals(seen[day], "dominant_voice"):
            if day > shift and who in (s.get("people") or []) and found is None:
                found = {"moment": day.isoformat(), "days_after": (day - shift).days}
            elif who not in (s.get("people") or []) or day <= shift:
                wrong.append({"moment": day.isoformat(), "people": s.get("people")})
    unheard_days = [
        d.isoformat()
        for d in sorted(seen)
        if any(
            s.get("perspective") == c["unheard"] for s in _signals(seen[d], "unheard_perspective")
        )
    ]
    unheard_wrong = [
        {"moment": d.isoformat(), "perspective": s.get("perspective")}
        for d in sorted(seen)
        for s in _signals(seen[d], "unheard_perspective")
        if s.get("perspective") != c["unheard"]
    ]
    elsewhere: dict = {}
    for key, moments in seen_all.items():
        if key == "dominant":
            continue
        elsewhere[key] = {
            "moments": len(moments),
            "dominant_voice": sum(bool(_signals(m, "dominant_voice")) for m in moments.values()),
            "unheard_perspective": sum(
                bool(_signals(m, "unheard_perspective")) for m in moments.values()
            ),
        }
    return {
        "person": who,
        "found": found,
        "wrong_or_early": wrong,
        "unheard": {
            "perspective": c["unheard"],
            "found_at": unheard_days,
            "share_of_moments": round(len(unheard_days) / len(seen), 3),
            "wrong_key": unheard_wrong,
        },
        "elsewhere": elsewhere,
    }


# Report --------------------------------------------------------------------------------------


def _fmt(s: dict | None) -> str:
    if not s or s.get("n") == 0:
        return "–"
    return f"{s['share']:.2f} ({s['k']}/{s['n']})"


def markdown(result: dict) -> str:
    f = result["figures"]
    lines = [
        f"### Feelers, {result['backend']}, seed {result['seed']}, "
        f"{result['members']} members in the rhythm community ({result['commit']})",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
    ]
    r = f.get("rhythm")
    if r:
        lines += [
            f"| drift recall at +14 days | {_fmt(r['recall_14']['all'])} | ≥ 0.6 |",
            f"| drift recall at +28 days | {_fmt(r['recall_28']['all'])} | ≥ 0.9 |",
            "| (flagged at any moment by +28 days) | "
            f"{_fmt(r['recall_28']['any_moment_by_then'])} | |",
            f"| drift precision (all flags, all moments) | {_fmt(r['precision'])} | ≥ 0.8 |",
            f"| steady members flagged in and 2 weeks after the lull, max | "
            f"{r['lull']['max']:.1%} | ≤ 5 % |",
            f"| … mean (outside the lull: {r['lull']['outside_mean']:.1%}) | "
            f"{r['lull']['mean']:.1%} | |",
            f"| monthly members ever flagged | {_fmt(r['monthly_ever_flagged'])} | |",
            "| flags per rule, true / false | "
            + ", ".join(
                f"{rule}: {v['true']} / {v['false']}"
                for rule, v in r["precision"]["per_rule"].items()
            )
            + " | |",
        ]
    s = f.get("split")
    if s:
        found = s["found"]
        lines.append(
            "| split: drifting_apart found | "
            + (f"after {found['days_after']} days" if found else "not found")
            + " | within 28 days |"
        )
        lines.append(
            "| split: groups match A and B (Jaccard ≥ 0.6) | "
            + (
                f"{found['groups_match']} (A {found['jaccard']['A']}, B {found['jaccard']['B']})"
                if found
                else "–"
            )
            + " | yes |"
        )
        lines.append(
            f"| drifting_apart before the split / on the steady twin | "
            f"{len(s['alarms_before_split'])} / {len(s.get('twin_alarms', []))} moments | never |"
        )
    d = f.get("dominant")
    if d:
        found = d["found"]
        lines.append(
            "| dominant_voice naming the planted person | "
            + (f"after {found['days_after']} days" if found else "not found")
            + " | within 28 days |"
        )
        lines.append(
            f"| dominant_voice early or naming someone else | {len(d['wrong_or_early'])} | none |"
        )
        lines.append(
            f"| unheard_perspective `{d['unheard']['perspective']}` | "
            + (
                f"{d['unheard']['share_of_moments']:.0%} of moments"
                if d["unheard"]["found_at"]
                else "not found"
            )
            + " | found |"
        )
        alarms = d["elsewhere"]
        if alarms:
            text = ", ".join(
                f"{k}: {v['dominant_voice']}/{v['unheard_perspective']} of {v['moments']}"
                for k, v in alarms.items()
            )
            lines.append(f"| false alarms elsewhere (dominant / unheard) | {text} | none |")
    if r:
        lines += [
            "",
            "| rhythm | drifters | recall +14 d | recall +28 d | steady ever flagged "
            "| steady flagged per moment | steady flagged in lull, max |",
            "|---|---|---|---|---|---|---|",
        ]
        for rhythm, _share in sim.RHYTHM_MIX:
            st = r["steady_per_rhythm"][rhythm]
            lines.append(
                f"| {rhythm} | {r['recall_14']['per_rhythm'].get(rhythm, {}).get('n', 0)} | "
                f"{_fmt(r['recall_14']['per_rhythm'].get(rhythm))} | "
                f"{_fmt(r['recall_28']['per_rhythm'].get(rhythm))} | "
                f"{_fmt(st['ever_flagged'])} | {st['flagged_per_moment_mean']:.1%} | "
                f"{st['lull_max']:.1%} |"
            )
        lines += ["", "| kind | recall +14 d | recall +28 d |", "|---|---|---|"]
        for kind in ("stop", "fade"):
            lines.append(
                f"| {kind} | {_fmt(r['recall_14']['per_kind'][kind])} | "
                f"{_fmt(r['recall_28']['per_kind'][kind])} |"
            )
    if not result["has_community_signals"]:
        lines += ["", "(compute() made no `community_signals`: those detectors are not there yet.)"]
    t = result["timings"]
    lines += [
        "",
        f"Build {t['build_s']} s ({t['events']:,} events), evaluation {t['evaluate_s']} s "
        f"({t['moments']} moments, compute() median {t['compute_median_s']} s).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--members", type=int, default=300, help="size of the rhythm community")
    parser.add_argument("--only", choices=sorted(ONLY), help="evaluate one part only")
    parser.add_argument("--json", type=Path, help="where the results go")
    parser.add_argument("--reuse", action="store_true", help="keep the database built before")
    parser.add_argument("--force", action="store_true", help="a database without 'bench'")
    args = parser.parse_args()
    backend = prepare_environment("feelers", args.force)
    import django

    django.setup()
    from django.core.management import call_command

    began = time.perf_counter()
    spec = sim.plan(args.seed, args.members)
    plan_s = time.perf_counter() - began
    build_s = 0.0
    if args.reuse and is_built(spec):
        log(f"reusing the database built before ({spec['mark']})")
    else:
        if args.reuse:
            log("no build of this seed and size in the database: building it")
        log("wiping and migrating the benchmark database")
        wipe(backend)
        django.setup()
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        build(spec)
        build_s = time.perf_counter() - began
        log(f"built in {build_s:.0f} s")
    keys = ONLY[args.only] if args.only else ["rhythm", "split", "steady", "dominant"]
    from django.utils import translation

    began = time.perf_counter()
    with translation.override("en"):
        seen, seconds = evaluate(spec, keys)
    evaluate_s = time.perf_counter() - began
    figures: dict = {}
    if "rhythm" in seen:
        figures["rhythm"] = score_rhythm(spec, seen["rhythm"])
    if "split" in seen:
        figures["split"] = score_split(spec, seen["split"], seen.get("steady"))
    if "dominant" in seen:
        figures["dominant"] = score_dominant(spec, seen)
    all_seconds = sorted(x for xs in seconds.values() for x in xs)
    result = {
        "backend": backend,
        "seed": args.seed,
        "members": args.members,
        "only": args.only,
        "commit": git_commit(SRC.parent),
        "machine": machine(),
        "has_community_signals": any(
            m["community_signals"] is not None for c in seen.values() for m in c.values()
        ),
        "timings": {
            "plan_s": round(plan_s, 1),
            "build_s": round(build_s, 1),
            "evaluate_s": round(evaluate_s, 1),
            "events": planned_events(spec),
            "moments": len(all_seconds),
            "compute_median_s": round(all_seconds[len(all_seconds) // 2], 3),
            "compute_per_community_s": {k: round(sum(v), 1) for k, v in seconds.items()},
        },
        "generated": sim.realised(spec),
        "figures": figures,
        "seen": {
            key: {d.isoformat(): compact(v) for d, v in moments.items()}
            for key, moments in seen.items()
        },
    }
    out = args.json or HERE / "results" / f"feelers-{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print()
    print(markdown(result))
    print(f"\n(written to {out})")


if __name__ == "__main__":
    main()
