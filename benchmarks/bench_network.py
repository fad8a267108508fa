"""Network insights at scale: one network of 100 communities and 20,000 members (issue 16).

    KRING_DATA_DIR=/tmp/kring-bench-network python benchmarks/bench_network.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench_network \\
        python benchmarks/bench_network.py

Builds (or, with --reuse, keeps) a database of its own: its directory (SQLite) or name
(PostgreSQL) must contain "bench"; it is wiped first. Then times, in this process:

1. `network_insights()` with the development summaries cached (as after the first read of
   the day): --runs times, the median; and its queries;
2. the same with the cache cleared before each run (cold: at most DEVELOPMENT_READS development
   paths read, the others not read yet), --cold-runs times; and once as the command line
   does (viewer None: every path read);
3. the coordinator's page (GET /networks/{slug}/insights/) and the API
   (GET /api/v1/networks/{slug}/insights) through Django's test client in-process (view,
   template, SVG; no web server), --runs times each, warm.

What it builds (one seeded generator): `--communities` communities with heavy-tailed sizes
(Pareto) over `--members` people; each community is about one of twelve themes in one of
eight places (theme and shared goal in Dutch), so some pairs share a theme; about 5 % of the
people are also in one or two more communities (mostly of the same theme or place: the
bridges). Two facilitators per community; perspectives (one each, a fifth two, clustered by
community); a target mix for half of the communities. Activity events over the last 180 days
for 40 % of the members (4 to 150 each, heavy-tailed), sessions every four weeks over a year
with a share of the members attending, one closed climate pulse per community with 2 to 30
answers. The
coordinator is a guest in every tenth community (so some bridges are named, most counted).

Results go to benchmarks/results/network-<backend>-<communities>-<members>.json; a summary
is printed as Markdown.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

from benchkit import git_commit, log, machine, prepare_environment, wipe  # noqa: E402

NETWORK_SLUG = "bench-network"
COORDINATOR = "coordinator@bench.example"
PASSWORD = "bench-network-password"
BUILT_MARK = "bench-network-built"  # a tag slug, made last: the build is complete

THEMES = [
    ("eenzaamheid", "Eenzaamheid onder ouderen in de wijk", "Minder eenzaamheid bij ouderen"),
    ("mantelzorg", "Mantelzorgers ontlasten", "Mantelzorgers houden het vol"),
    ("energie", "Energiearmoede en isolatie van huurwoningen", "Lagere energierekening"),
    ("schulden", "Schuldhulpverlening vroeg erbij", "Schulden eerder signaleren"),
    ("jeugd", "Jeugdhulp dichtbij huis", "Jongeren sneller passende hulp"),
    ("onderwijs", "Kansengelijkheid in het basisonderwijs", "Gelijke kansen voor kinderen"),
    ("werk", "Werk en inkomen voor statushouders", "Statushouders vinden betaald werk"),
    ("dementie", "Dementievriendelijke buurt", "Mensen met dementie blijven meedoen"),
    ("wonen", "Langer thuis wonen met zorg", "Ouderen wonen langer zelfstandig"),
    ("gezondheid", "Gezonde leefstijl in de buurt", "Meer bewegen en gezond eten"),
    ("digitaal", "Digitale inclusie voor ouderen", "Iedereen kan digitaal meedoen"),
    ("vrijwilligers", "Vrijwilligers werven en vasthouden", "Vrijwilligers blijven betrokken"),
]
PLACES = ["Zwolle", "Deventer", "Apeldoorn", "Enschede", "Almelo", "Hengelo", "Kampen", "Ede"]
STAGES = ["potential", "coalescing", "maturing", "maturing", "stewardship", "transformation"]
ITEM_KEYS = ["ps1", "ps2", "ps3", "ps4", "ps5", "ps6", "ps7", "learn", "trust"]


def django_setup() -> None:
    import django

    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# The plan: everything as plain data, from one seeded generator -----------------------------


def plan(communities: int, members: int, seed: int, perspectives: list[str]) -> dict:
    rng = random.Random(seed)
    # Heavy-tailed sizes (a few large communities, many of 50-150), scaled to `members`.
    raw = [min(rng.paretovariate(1.2), 40.0) for _ in range(communities)]
    scale = members / sum(raw)
    sizes = [max(12, round(r * scale)) for r in raw]
    while sum(sizes) > members:
        sizes[sizes.index(max(sizes))] -= sum(sizes) - members
    sizes[-1] += members - sum(sizes)
    spec_communities = []
    seen: dict[tuple[str, str], int] = {}
    for k in range(communities):
        theme_key, theme, goal = THEMES[k % len(THEMES)]
        place = PLACES[rng.randrange(len(PLACES))]
        base = (theme, place)
        seen[base] = seen.get(base, 0) + 1
        target = {}
        if rng.random() < 0.5:
            for key in rng.sample(perspectives, 3):
                target[key] = rng.choice([10, 15, 20, 30])
        spec_communities.append(
            {
                "k": k,
                "slug": f"{theme_key}-{place.lower()}-{k:03d}",
                "name": f"{theme} {place}" + (f" {seen[base]}" if seen[base] > 1 else ""),
                "theme": f"{theme} in {place}",
                "goal": goal,
                "topic": theme_key,
                "place": place,
                "stage": rng.choice(STAGES),
                "target": target,
                "main_perspectives": rng.sample(perspectives, 3),
            }
        )
    # Everyone's first community, in order; the bridges join one or two more.
    home = [k for k, size in enumerate(sizes) for _ in range(size)]
    by_topic: dict[str, list[int]] = {}
    by_place: dict[str, list[int]] = {}
    for c in spec_communities:
        by_topic.setdefault(c["topic"], []).append(c["k"])
        by_place.setdefault(c["place"], []).append(c["k"])
    memberships = []  # (person, community, role)
    people = []
    for i, k in enumerate(home):
        c = spec_communities[k]
        main = (
            rng.choice(c["main_perspectives"]) if rng.random() < 0.7 else rng.choice(perspectives)
        )
        mine = [main]
        if rng.random() < 0.2:
            other = rng.choice(perspectives)
            if other != main:
                mine.append(other)
        people.append({"i": i, "perspectives": mine})
        joined = {k}
        memberships.append((i, k, "member"))
        if rng.random() < 0.05:
            for _extra in range(rng.choice([1, 1, 2])):
                roll = rng.random()
                pool = (
                    by_topic[c["topic"]]
                    if roll < 0.45
                    else by_place[c["place"]]
                    if roll < 0.8
                    else range(communities)
                )
                other = rng.choice(list(pool))
                if other not in joined:
                    joined.add(other)
                    memberships.append((i, other, "member"))
    # Two facilitators per community: its first two home members.
    first: dict[int, list[int]] = {}
    for i, k in enumerate(home):
        first.setdefault(k, []).append(i)
    facilitators = {(i, k) for k, ids in first.items() for i in ids[:2]}
    memberships = [
        (i, k, "facilitator" if (i, k) in facilitators else role) for i, k, role in memberships
    ]
    return {
        "communities": spec_communities,
        "people": people,
        "memberships": memberships,
        "sizes": sizes,
        "rng": rng,
    }


# Build -------------------------------------------------------------------------------------


def build(args) -> dict:
    from django.db import connection, transaction
    from tqdm import tqdm

    from kring.accounts.models import Perspective, User
    from kring.communities.models import Community, Membership
    from kring.core.models import ActivityEvent, Tag
    from kring.insights.models import Pulse, PulseResponse
    from kring.meetings.models import Attendance, Session
    from kring.networks.models import Network, NetworkLink

    perspective_ids = dict(Perspective.objects.values_list("key", "pk"))
    spec = plan(args.communities, args.members, args.seed, sorted(perspective_ids))
    rng = spec["rng"]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    memberships = spec["memberships"]
    members_of: dict[int, list[int]] = {}
    for i, k, _role in memberships:
        members_of.setdefault(k, []).append(i)
    total = len(spec["people"]) * 2 + len(memberships) + args.communities * 4 + args.events_estimate
    bar = tqdm(total=total, unit="rows", mininterval=2, smoothing=0.1)
    steps: dict[str, float] = {}
    began = time.perf_counter()
    with transaction.atomic():
        coordinator = User.objects.create_user(
            COORDINATOR, password=PASSWORD, full_name="Cora Coordinator"
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"p{p['i']:05d}@bench.example",
                    full_name=f"Person {p['i']:05d}",
                    password="!bench",
                )
                for p in spec["people"]
            ],
            batch_size=2000,
        )
        if users[0].pk is None:  # backends without RETURNING
            ids = dict(
                User.objects.filter(
                    email__startswith="p", email__endswith="@bench.example"
                ).values_list("email", "pk")
            )
            uid = [ids[f"p{p['i']:05d}@bench.example"] for p in spec["people"]]
        else:
            uid = [u.pk for u in users]
        bar.update(len(users))
        through = User.perspectives.through
        links = [
            through(user_id=uid[p["i"]], perspective_id=perspective_ids[key])
            for p in spec["people"]
            for key in p["perspectives"]
        ]
        through.objects.bulk_create(links, batch_size=5000)
        bar.update(len(spec["people"]))
        created = now - timedelta(days=400)
        communities = Community.objects.bulk_create(
            [
                Community(
                    name=c["name"],
                    slug=c["slug"],
                    theme=c["theme"],
                    shared_goal=c["goal"],
                    stage=c["stage"],
                    target_mix=c["target"],
                    created_by=coordinator,
                    created_at=created,
                )
                for c in spec["communities"]
            ]
        )
        if communities[0].pk is None:
            by_slug = dict(Community.objects.values_list("slug", "pk"))
            cid = [by_slug[c["slug"]] for c in spec["communities"]]
        else:
            cid = [c.pk for c in communities]
        Membership.objects.bulk_create(
            [
                Membership(
                    community_id=cid[k],
                    user_id=uid[i],
                    role=role,
                    joined_at=created + timedelta(days=rng.uniform(0, 300)),
                )
                for i, k, role in memberships
            ],
            batch_size=5000,
        )
        bar.update(len(memberships))
        # The coordinator is a guest in every tenth community: some bridges are named.
        Membership.objects.bulk_create(
            [
                Membership(community_id=cid[k], user=coordinator, role="guest", joined_at=created)
                for k in range(0, args.communities, 10)
            ]
        )
        network = Network.objects.create(
            slug=NETWORK_SLUG, name="Zorg en welzijn Oost", level="regional", created_by=coordinator
        )
        network.coordinators.add(coordinator)
        NetworkLink.objects.bulk_create(
            [
                NetworkLink(
                    network=network,
                    community_id=c,
                    status="linked",
                    requested_from="network",
                    requested_by=coordinator,
                    accepted_by=coordinator,
                    linked_at=created,
                )
                for c in cid
            ]
        )
        # Sessions every four weeks over the last year, attended by a share of the members.
        sessions = []
        for k in range(args.communities):
            for n in range(13):
                starts = now - timedelta(days=7 + 28 * n)
                sessions.append(
                    Session(
                        community_id=cid[k],
                        title=f"Bijeenkomst {13 - n}",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                        created_by=coordinator,
                    )
                )
        sessions = Session.objects.bulk_create(sessions, batch_size=2000)
        if sessions[0].pk is None:
            rows = Session.objects.values_list("community_id", "pk").order_by("community_id", "pk")
            session_ids: dict[int, list[int]] = {}
            for community_id, pk in rows:
                session_ids.setdefault(community_id, []).append(pk)
        else:
            session_ids = {}
            for s in sessions:
                session_ids.setdefault(s.community_id, []).append(s.pk)
        attendance = []
        for k in range(args.communities):
            people = members_of[k]
            regulars = rng.sample(people, max(3, min(40, len(people) // 4)))
            for pk in session_ids[cid[k]]:
                for i in regulars:
                    if rng.random() < 0.7:
                        attendance.append(
                            Attendance(
                                session_id=pk,
                                user_id=uid[i],
                                status="attended",
                                recorded_by=coordinator,
                            )
                        )
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        bar.update(args.communities * 2)
        # One closed climate pulse per community, 2 to 30 answers.
        pulses = Pulse.objects.bulk_create(
            [
                Pulse(
                    community_id=c,
                    started_by=coordinator,
                    opened_at=now - timedelta(days=40),
                    closes_at=now - timedelta(days=26),
                )
                for c in cid
            ]
        )
        if pulses[0].pk is None:
            pulse_ids = list(Pulse.objects.order_by("community_id").values_list("pk", flat=True))
        else:
            pulse_ids = [p.pk for p in pulses]
        PulseResponse.objects.bulk_create(
            [
                PulseResponse(pulse_id=pk, answers={key: rng.randint(3, 7) for key in ITEM_KEYS})
                for pk in pulse_ids
                for _n in range(rng.randint(2, 30))
            ],
            batch_size=2000,
        )
        bar.update(args.communities * 2)
    steps["rows"] = time.perf_counter() - began
    # Activity: 40 % of the memberships act, 4 to 150 times over the last 180 days.
    began = time.perf_counter()
    table = ActivityEvent._meta.db_table
    sql = (
        f"INSERT INTO {table} (actor_id, verb, other_id, community_id, created_at, data) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    ops = connection.ops
    verbs = ["replied", "reacted", "asked", "answered", "item_created", "rsvped", "commented"]
    rows = []
    events = 0

    def flush():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        bar.update(len(rows))
        rows.clear()

    for i, k, _role in memberships:
        if rng.random() >= 0.4:
            continue
        for _n in range(min(150, int(4 * rng.paretovariate(1.1)))):
            when = now - timedelta(days=rng.uniform(0, 180))
            rows.append(
                (uid[i], rng.choice(verbs), None, cid[k], ops.adapt_datetimefield_value(when), "{}")
            )
            events += 1
        if len(rows) >= 20_000:
            flush()
    if rows:
        flush()
    Tag.objects.create(name=BUILT_MARK, slug=BUILT_MARK)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bar.close()
    steps["events"] = time.perf_counter() - began
    return {
        "seconds": {k: round(v, 1) for k, v in steps.items()},
        "people": len(spec["people"]),
        "memberships": len(memberships),
        "in_more_than_one": sum(1 for n in _counts(memberships).values() if n > 1),
        "sizes": sorted(spec["sizes"], reverse=True)[:5] + ["..."] + sorted(spec["sizes"])[:3],
        "events": events,
        "attendance": len(attendance),
        "pulse_answers": PulseResponse.objects.count(),
    }


def _counts(memberships) -> dict[int, int]:
    out: dict[int, int] = {}
    for i, _k, _role in memberships:
        out[i] = out.get(i, 0) + 1
    return out


def sizes_in_database() -> dict:
    from kring.accounts.models import User
    from kring.communities.models import Membership
    from kring.core.models import ActivityEvent
    from kring.meetings.models import Attendance

    return {
        "people": User.objects.filter(
            email__startswith="p", email__endswith="@bench.example"
        ).count(),
        "memberships": Membership.objects.count(),
        "events": ActivityEvent.objects.count(),
        "attendance": Attendance.objects.count(),
    }


def is_built() -> bool:
    from kring.core.models import Tag

    return Tag.objects.filter(slug=BUILT_MARK).exists()


# Measure -----------------------------------------------------------------------------------


def timed(call, runs: int, before=None) -> tuple[list[float], int, object]:
    """Milliseconds per run, the queries of the last run, and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    result = None
    queries = 0
    for _n in range(runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - began) * 1000)
        queries = len(captured)
    return times, queries, result


def measure(args) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from kring.accounts.models import User
    from kring.networks.insights import network_insights
    from kring.networks.models import Network

    network = Network.objects.get(slug=NETWORK_SLUG)

    def coordinator():
        # A fresh object each run: nothing remembered from the run before.
        return User.objects.get(email=COORDINATOR)

    def run():
        return network_insights(network=network, viewer=coordinator())

    out: dict = {}
    cold, cold_queries, _doc = timed(run, args.cold_runs, before=cache.clear)
    out["insights_cold"] = {
        "ms": cold,
        "median_ms": statistics.median(cold),
        "queries": cold_queries,
    }
    log(f"cold: median {statistics.median(cold):.0f} ms, {cold_queries} queries")
    every, every_queries, _doc = timed(
        lambda: network_insights(network=network, viewer=None), 1, before=cache.clear
    )
    out["insights_cold_all"] = {
        "ms": every,
        "median_ms": statistics.median(every),
        "queries": every_queries,
    }
    log(f"cold, every path: {statistics.median(every):.0f} ms, {every_queries} queries")
    warm, warm_queries, document = timed(run, args.runs)
    out["insights_warm"] = {
        "ms": warm,
        "median_ms": statistics.median(warm),
        "queries": warm_queries,
    }
    log(f"warm: median {statistics.median(warm):.0f} ms, {warm_queries} queries")
    out["document"] = {
        "communities": len(document["communities"]),
        "people": document["people"],
        "bridges": document["bridges"],
        "links": len(document["links"]),
        "named_links": sum(1 for link in document["links"] if link["bridges"] is not None),
        "isolated": len(document["isolated_communities"]),
        "suggestions": len(document["suggestions"]),
        "pulses_shown": sum(1 for c in document["communities"] if c["pulse"] is not None),
        "json_kb": round(len(json.dumps(document)) / 1024, 1),
    }
    if not args.no_http:
        client = Client()
        client.force_login(User.objects.get(email=COORDINATOR))
        client.cookies["django_language"] = "en"
        for name, url in (
            ("page", f"/networks/{NETWORK_SLUG}/insights/"),
            ("api", f"/api/v1/networks/{NETWORK_SLUG}/insights"),
        ):
            response = client.get(url)  # one untimed call
            assert response.status_code == 200, (url, response.status_code)

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200
                return response

            times, queries, response = timed(get, args.runs)
            out[name] = {
                "ms": times,
                "median_ms": statistics.median(times),
                "queries": queries,
                "kb": round(len(response.content) / 1024, 1),
            }
            log(f"{name}: median {statistics.median(times):.0f} ms, {queries} queries")
    return out


def markdown(result: dict) -> str:
    m = result["measured"]
    lines = [
        f"**{result['backend']}**, {result['communities']} communities, "
        f"{result['build']['people']:,} people, {result['build']['memberships']:,} memberships, "
        f"{result['build']['events']:,} events (commit {result['commit']}, load "
        f"{result['machine']['loadavg_at_start']})",
        "",
        "| what | median ms | runs | queries | size |",
        "|---|---|---|---|---|",
    ]
    for key, label in (
        ("insights_warm", "`network_insights()`, development summaries cached"),
        ("insights_cold", "`network_insights()`, cache empty (at most 10 paths read)"),
        ("insights_cold_all", "`network_insights()`, command line, cache empty (every path)"),
        ("page", "GET the coordinators' page (test client)"),
        ("api", "GET /api/v1/networks/{slug}/insights (test client)"),
    ):
        if key in m:
            size = f"{m[key]['kb']} KB" if "kb" in m[key] else ""
            lines.append(
                f"| {label} | {m[key]['median_ms']:.0f} | {len(m[key]['ms'])} | "
                f"{m[key]['queries']} | {size} |"
            )
    d = m["document"]
    lines += [
        "",
        f"Document: {d['communities']} communities, {d['people']:,} people, {d['bridges']:,} "
        f"bridges, {d['links']:,} pairs that share members ({d['named_links']} named to the "
        f"coordinator), {d['isolated']} without a bridge, {d['suggestions']} suggestions, "
        f"{d['pulses_shown']} pulses shown, {d['json_kb']} KB of JSON.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="keep a database built before")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="no page or API timings")
    parser.add_argument("--force", action="store_true", help="a database without 'bench'")
    args = parser.parse_args()
    args.events_estimate = int(args.members * 1.05 * 0.4 * 13)
    backend = prepare_environment("network", args.force)
    django_setup()
    from django.core.management import call_command

    build_info: dict = {}
    if args.reuse and is_built():
        log("reusing the database built before")
    else:
        log("wiping and migrating the benchmark database")
        wipe(backend)
        django_setup()
        call_command("migrate", verbosity=0)
        log(f"building {args.communities} communities, {args.members:,} members")
        build_info = build(args)
        log(f"built: {build_info}")
    if args.build_only:
        return
    from django.utils import translation

    with translation.override("en"):
        measured = measure(args)
    result = {
        "backend": backend,
        "communities": args.communities,
        "members": args.members,
        "commit": git_commit(ROOT),
        "machine": machine(),
        "build": {**build_info, **sizes_in_database()},
        "measured": measured,
    }
    out = HERE / "results" / f"network-{backend}-{args.communities}-{args.members}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print()
    print(markdown(result))
    print(f"\n(written to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
