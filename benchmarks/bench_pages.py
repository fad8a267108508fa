"""Every page and the main API endpoints at M (1,000 members) and L (10,000 members).

    KRING_DATA_DIR=/tmp/kring-bench-pages-sqlite-M \\
        .venv/bin/python benchmarks/bench_pages.py --size M
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE kring_bench_pages_m"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench_pages_m \\
        .venv/bin/python benchmarks/bench_pages.py --size M --reuse

Steps:

1. build (or with --reuse, reuse) one community: the insights benchmark's members and activity
   events (insights_corpus.py, its history ending at build time), enriched with library items
   (corpus.py through items_bulk_create), questions with answers and discussions with replies,
   past sessions with attendance, reflections and action points, upcoming sessions with RSVPs,
   notifications for the measured person (replies to their threads) and help tags on ~3 % of
   the members (the insights corpus gives them);
2. refresh the insights snapshot (what the periodic refresh does), so the dashboard and the
   API serve a fresh one;
3. count SQL queries per page in this process (Django's test Client, CaptureQueriesContext,
   the same database; the second of two calls);
4. collect static files and serve the database with gunicorn as in production
   (`gunicorn kring.wsgi --config python:kring.gunicorn_conf`, gthread, 2 workers x 2
   threads, DEBUG off; `--gunicorn-config ""` leaves the config out), log the measured person
   in (a session cookie for pages, a read token for the API) and, page by page, run a warm-up
   and then 1 and 20 concurrent keep-alive clients for --seconds each: p50/p95/p99 ms,
   requests/s, response size, status (anything but 200 fails the run). /healthz is the floor.

The measured person is the community's most active facilitator: they see every page
(the insights dashboard, the action-point form on a session) and have notifications.

Results go to benchmarks/results/pages-<backend>-<size>.json and a Markdown table is printed,
with the figures over the targets marked (1 client p95 <= 100 ms, 20 clients p95 <= 500 ms).
When the other size's result file is there (M for L, L for M), the table puts its query
counts beside these and marks a page whose count differs.

`--profile PAGE` runs cProfile in this process on one page (--profile-calls calls) and prints
where the time goes, without building or serving anything else.
"""

import argparse
import contextlib
import cProfile
import http.client
import io
import itertools
import json
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

import benchkit  # noqa: E402
from benchkit import machine, wipe  # noqa: E402

SIZES = {
    # members, events, library items, threads
    "S": {"members": 200, "events": 20_000, "items": 400, "threads": 40},
    "M": {"members": 1_000, "events": 100_000, "items": 2_000, "threads": 150},
    "L": {"members": 10_000, "events": 1_000_000, "items": 20_000, "threads": 300},
}
BUILT_MARK = "bench-pages-built"  # a tag slug, made last: the build is complete
TARGET_1 = 100.0  # ms, p95 with one client
TARGET_20 = 500.0  # ms, p95 with 20 clients
COMMON_WORD = "mantelzorg"
RARE_WORD = "buurttaalplan"
THREAD_TITLES = [
    "Hoe betrek je mantelzorgers bij het wijkteamoverleg?",
    "Ervaringen met de energiecoach in de buurt",
    "Wat werkt tegen eenzaamheid bij ouderen?",
    "Samenwerking tussen school en wijkteam",
    "Schuldhulp: hoe bereik je mensen eerder?",
    "Vrijwilligers vasthouden na de eerste maanden",
]
REPLY_BODIES = [
    "Bij ons werkt een vast aanspreekpunt in de wijk; mantelzorgers weten dan wie ze bellen.",
    "We zijn begonnen met een kleine pilot en hebben na drie maanden geëvalueerd met de gemeente.",
    "Goede vraag. In Zwolle hebben we hier een werkwijze voor uitgeschreven, ik zoek hem op.",
    "Let op de privacy: vraag altijd eerst toestemming voordat je gegevens deelt met partners.",
    "Wij organiseren elke maand een inloopochtend in het buurthuis, dat verlaagt de drempel.",
    "Het helpt om ervaringsdeskundigen te betrekken bij het ontwerp van de aanpak.",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Environment -------------------------------------------------------------------------------


def backend_name() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def prepare_environment(args) -> str:
    """Settings read the environment at import: decide the data directory first."""
    backend = backend_name()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_DATA_DIR", f"/tmp/kring-bench-pages-{backend}-{args.size}")
    os.environ.pop("KRING_DEBUG", None)
    data_dir = Path(os.environ["KRING_DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite" and "bench" not in str(data_dir) and not args.force:
        sys.exit(f"refusing to use {data_dir}: its path lacks 'bench' (use --force)")
    if backend == "postgresql":
        name = os.environ["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0]
        if "bench" not in name and not args.force:
            sys.exit(f"refusing to use database {name!r}: its name lacks 'bench' (use --force)")
    return backend


def django_setup() -> None:
    import django

    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def git_commit() -> str:
    return benchkit.git_commit(ROOT)


# Build -------------------------------------------------------------------------------------


class Bar:
    """tqdm for the long steps."""

    def __init__(self, total: int, unit: str):
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit=unit, mininterval=2, smoothing=0.1)

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


def is_built() -> bool:
    from kring.core.models import Tag

    return Tag.objects.filter(slug=BUILT_MARK).exists()


def the_community():
    import insights_corpus

    from kring.communities.models import Community

    return Community.objects.get(slug=insights_corpus.SLUG)


def measured_person(community):
    """The facilitator with the most activity (not the owner, who has none)."""
    from django.db.models import Count

    from kring.accounts.models import User

    return (
        User.objects.filter(
            memberships__community=community,
            memberships__role="facilitator",
            email__startswith="m",
        )
        .annotate(n=Count("activity_events"))
        .order_by("-n", "pk")
        .first()
    )


def build(size: str, seed: int = 6) -> dict:
    """The whole community; returns seconds per step."""
    import corpus
    import insights_corpus
    from django.db import connection, transaction

    from kring.accounts.models import User
    from kring.communities.models import Membership
    from kring.conversations.models import Reply, Thread
    from kring.conversations.services import threads as thread_services
    from kring.core.models import Tag
    from kring.knowledge.services_import import items_bulk_create
    from kring.meetings import services as meeting_services
    from kring.meetings import services_learning, services_rsvp
    from kring.meetings.models import Session

    spec = SIZES[size]
    rng = random.Random(seed)
    steps = {}
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    # The history ends now, so the insights of "now" (what the refresh computes) have a
    # period full of activity.
    insights_corpus.AS_OF = now - timedelta(hours=1)

    began = time.perf_counter()
    log(f"members and events: {spec['members']:,} / {spec['events']:,}")
    community, as_of = insights_corpus.build(
        members=spec["members"], events=spec["events"], seed=seed
    )
    steps["members_and_events"] = time.perf_counter() - began

    person = measured_person(community)
    members = list(
        User.objects.filter(memberships__community=community, email__startswith="m")
        .order_by("pk")
        .only("id", "email", "full_name")
    )
    active = members[: max(50, len(members) // 3)]  # a pool of people who write
    authors = rng.sample(active, min(200, len(active)))

    began = time.perf_counter()
    log(f"library items: {spec['items']:,}")
    bar = Bar(spec["items"], "items")
    documents = corpus.items(spec["items"], seed=seed)
    problems = []
    # items_bulk_create gives every item of a call the same authors: a call per 500 items,
    # each with two other authors.
    while True:
        chunk = list(itertools.islice(documents, 500))
        if not chunk:
            break
        _created, chunk_problems = items_bulk_create(
            community=community,
            by=person,
            documents=chunk,
            authors=rng.sample(authors, 2),
            batch=500,
            progress=bar.update,
        )
        problems += chunk_problems
    bar.close()
    if problems:
        log(f"{len(problems)} item problems, first: {problems[:2]}")
    steps["library_items"] = time.perf_counter() - began

    began = time.perf_counter()
    n_threads = spec["threads"]
    log(f"threads: {n_threads:,} (questions with answers, discussions with replies)")
    bar = Bar(n_threads, "threads")
    start = now - timedelta(days=120)
    for n in range(n_threads):
        # One in ten by the measured person (their notifications); the first is the long one.
        by = person if n % 10 == 0 else rng.choice(active)
        kind = "question" if n % 2 == 0 else "discussion"
        at = start + timedelta(minutes=n * (120 * 24 * 60 // max(n_threads, 1)))
        replies = 60 if n == 0 else rng.randint(2, 8)
        with transaction.atomic():
            thread = thread_services.thread_create(
                community=community,
                by=by,
                kind=kind,
                title=f"{rng.choice(THREAD_TITLES)} ({n + 1})",
                body=" ".join(rng.sample(REPLY_BODIES, 3)),
                tags=[rng.choice(["mantelzorg", "wijkteam", "eenzaamheid", "energie"])],
                at=at,
            )
            first = None
            for r in range(replies):
                reply = thread_services.reply_create(
                    thread=thread,
                    by=rng.choice(active),
                    body=rng.choice(REPLY_BODIES),
                    at=at + timedelta(minutes=5 * (r + 1)),
                )
                first = first or reply
            if kind == "question" and first is not None and n % 4 == 0 and first.author_id:
                with contextlib.suppress(Exception):
                    thread_services.answer_accept(
                        thread=thread, reply=first, by=thread.author, at=at + timedelta(days=1)
                    )
        bar.update()
    bar.close()
    steps["threads"] = time.perf_counter() - began
    log(f"{Thread.objects.count():,} threads, {Reply.objects.count():,} replies")

    began = time.perf_counter()
    log("sessions: learning cycle on the latest past one, upcoming ones with RSVPs")
    past = Session.objects.filter(community=community, starts_at__lt=now).order_by("-starts_at")
    latest = past.first()
    attendees = list(
        User.objects.filter(attendances__session=latest, attendances__status="attended")
    )
    with transaction.atomic():
        for who in attendees[:12]:
            services_learning.reflection_save(
                session=latest,
                by=who,
                did="We hebben praktijkvoorbeelden van mantelzorgondersteuning besproken.",
                learned="We hebben geleerd hoe mantelzorgers eerder in beeld komen.",
                single_loop="Volgende keer nodigen we het wijkteam uit.",
            )
        for k in range(10):
            services_learning.action_point_create(
                community=community,
                by=person,
                what=f"Werkwijze mantelzorg uitschrijven, deel {k + 1}",
                owner=attendees[k % max(len(attendees), 1)] if attendees else person,
                due_date=(now + timedelta(days=14 + k)).date(),
                session=latest,
            )
    for week in (1, 2, 3):
        when = now + timedelta(days=7 * week)
        with transaction.atomic():
            session = meeting_services.session_create(
                community=community,
                by=person,
                starts_at=when,
                ends_at=when + timedelta(hours=2),
                title=f"Intervisie mantelzorg, week {week}",
                agenda="We bespreken praktijkvoorbeelden en maken afspraken.",
                mode="offline",
                location="Buurthuis De Kring, Zwolle",
            )
            for who in rng.sample(active, min(40, len(active))):
                services_rsvp.rsvp_set(session=session, user=who, response="yes")
    steps["sessions"] = time.perf_counter() - began

    Tag.objects.create(name=BUILT_MARK, slug=BUILT_MARK)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    helpers = Membership.objects.filter(community=community, user__help_tags__isnull=False)
    log(
        f"built: {Membership.objects.filter(community=community).count():,} members, "
        f"{helpers.values('user').distinct().count():,} with help tags"
    )
    return {k: round(v, 1) for k, v in steps.items()}


def snapshot_refresh(community) -> float:
    """A fresh snapshot, computed as the refresh task does (under its lock)."""
    from django.utils import timezone

    from kring.insights.services import snapshot_refresh as refresh

    began = time.perf_counter()
    refresh(community=community, requested_at=timezone.now())
    return round(time.perf_counter() - began, 2)


# Pages -------------------------------------------------------------------------------------


def pages(community, person) -> list[dict]:
    """Every page type and the main API endpoints, found by URL names and stable choices."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from kring.accounts.models import User
    from kring.conversations.models import Thread
    from kring.knowledge.models import KnowledgeItem
    from kring.meetings.models import Session

    slug = community.slug
    now = timezone.now()
    item = KnowledgeItem.objects.filter(community=community).order_by("-created_at", "-pk").first()
    thread = (
        Thread.objects.filter(community=community)
        .annotate(n=Count("replies"))
        .order_by("-n", "pk")
        .first()
    )
    session = (
        Session.objects.filter(community=community, starts_at__lt=now)
        .order_by("-starts_at", "-pk")
        .first()
    )
    profile = (
        User.objects.filter(memberships__community=community, help_tags__isnull=False)
        .exclude(pk=person.pk)
        .order_by("pk")
        .first()
    )
    api = f"/api/v1/communities/{slug}"
    rows = [
        ("healthz", reverse("healthz"), "none"),
        ("community home", reverse("community-detail", args=[slug]), "session"),
        ("library list", reverse("item-list", args=[slug]), "session"),
        ("library item", reverse("item-detail", args=[slug, item.pk]), "session"),
        (
            "search page, common word",
            reverse("community-search", args=[slug]) + f"?q={COMMON_WORD}",
            "session",
        ),
        (
            "search page, rare word",
            reverse("community-search", args=[slug]) + f"?q={RARE_WORD}",
            "session",
        ),
        ("questions list", reverse("thread-list", args=[slug]) + "?filter=questions", "session"),
        ("thread page", reverse("thread-detail", args=[slug, thread.pk]), "session"),
        ("sessions list", reverse("session-list", args=[slug]), "session"),
        ("past session page", reverse("session-detail", args=[slug, session.pk]), "session"),
        ("members directory", reverse("member-list", args=[slug]), "session"),
        ("member profile", reverse("person-detail", args=[profile.pk]), "session"),
        ("notifications", reverse("notification-list"), "session"),
        ("insights dashboard", reverse("insights-dashboard", args=[slug]), "session"),
        ("what Kring sees about me", reverse("insights-me-all"), "session"),
        ("what Kring sees about me, one community", reverse("insights-me", args=[slug]), "session"),
        ("my data", reverse("my-data"), "session"),
        ("API search", f"{api}/search?q={COMMON_WORD}", "token"),
        ("API members", f"{api}/members", "token"),
        ("API insights", f"{api}/insights", "token"),
        ("API library items", f"{api}/knowledge", "token"),
        ("API threads", f"{api}/threads", "token"),
        ("API thread", f"{api}/threads/{thread.pk}", "token"),
        ("API sessions", f"{api}/sessions", "token"),
        ("API action points", f"{api}/action-points", "token"),
        ("API notifications", "/api/v1/notifications", "token"),
        ("API communities", "/api/v1/communities", "token"),
    ]
    return [{"name": n, "path": p, "auth": a} for n, p, a in rows]


def select(all_pages: list[dict], only: list[str]) -> list[dict]:
    if not only:
        return all_pages
    wanted = [o.lower() for o in only]
    chosen = [p for p in all_pages if any(w in p["name"].lower() for w in wanted)]
    if not chosen:
        sys.exit(f"no page matches {only}; pages: {[p['name'] for p in all_pages]}")
    return chosen


def in_process_client(person, secret: str):
    from django.test import Client

    client = Client()
    client.force_login(person)
    token_headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(page):
        extra = token_headers if page["auth"] == "token" else {}
        return client.get(page["path"], **extra)

    return get


def count_queries(get, chosen: list[dict]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in chosen:
        get(page)
        with CaptureQueriesContext(connection) as captured:
            response = get(page)
        if response.status_code != 200:
            sys.exit(f"!! {page['name']} {page['path']} answered {response.status_code} in-process")
        counts[page["name"]] = len(captured.captured_queries)
    return counts


def profile_page(get, page: dict, calls: int, top: int) -> None:
    get(page)
    get(page)
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(calls):
        response = get(page)
    profiler.disable()
    seconds = (time.perf_counter() - began) / calls
    print(
        f"\n{page['name']} ({page['path']}): {seconds * 1000:.1f} ms a call in-process, "
        f"status {response.status_code}, {len(response.content) / 1024:.1f} KB, {calls} calls\n"
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(page)
    queries = captured.captured_queries
    total = sum(float(q["time"]) for q in queries)
    print(f"--- SQL: {len(queries)} queries, {total * 1000:.1f} ms in all; the slowest ---")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"{float(q['time']) * 1000:9.1f} ms  {q['sql'][:400]}")
    print()
    # Kring's own functions by cumulative time (where in the app), then everything by own time
    # (what the time is spent on: SQL, templates, JSON, ...).
    for title, order, restrict in (
        ("Kring's code, by cumulative time", "cumulative", ("/kring/",)),
        ("everything, by own time", "tottime", ()),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(*restrict, top)
        lines = out.getvalue().splitlines()
        print(f"--- {title} ---")
        import django

        site = str(Path(contextlib.__file__).parent)  # the standard library

        packages = str(Path(django.__file__).parent.parent)
        for prefix in (str(SRC), packages, site):
            lines = [line.replace(prefix + "/", "") for line in lines]
        print("\n".join(lines[4:]))


# Serving and load ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(port: int, workers: int, threads: int, log_path: Path, config: str = ""):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env.pop("KRING_DEBUG", None)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "kring.wsgi",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--keep-alive",
        "30",
        "--bind",
        f"127.0.0.1:{port}",
        *(["--config", config] if config else []),
    ]
    with open(log_path, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"server did not start; see {log_path}")
            time.sleep(0.3)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def worker_rss_mb(proc) -> list[float]:
    """RSS of gunicorn's workers (children of the arbiter)."""
    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(proc.pid)], capture_output=True, text=True
    ).stdout
    return [round(int(x) / 1024, 1) for x in out.split()]


class Failure(Exception):
    pass


def headers_for(page: dict, cookie: str, secret: str) -> dict:
    if page["auth"] == "session":
        return {"Cookie": cookie}
    if page["auth"] == "token":
        return {"Authorization": f"Bearer {secret}", "Accept": "application/json"}
    return {}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def load(
    port: int, page: dict, headers: dict, clients: int, seconds: float, min_requests: int = 5
) -> dict:
    """`clients` threads, each with its own keep-alive connection, requesting the page until
    `seconds` have passed (a request under way finishes and counts) and, together, at least
    `min_requests` were made (so a page of seconds still gets a p95 of several requests)."""
    per_client = -(-min_requests // clients)
    times: list[float] = []
    sizes: list[int] = []
    bad: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        mine, my_sizes = [], []
        start_gate.wait()
        while time.perf_counter() < deadline[0] or len(mine) < per_client:
            t0 = time.perf_counter()
            try:
                conn.request("GET", page["path"], headers=headers)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    bad.append(f"{type(exc).__name__}: {exc}")
                break
            mine.append((time.perf_counter() - t0) * 1000)
            my_sizes.append(len(body))
            if resp.status != 200:
                with lock:
                    bad.append(f"status {resp.status} {resp.getheader('Location') or ''}")
                break
        conn.close()
        with lock:
            times.extend(mine)
            sizes.extend(my_sizes)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for w in workers:
        w.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for w in workers:
        w.join()
    wall = time.perf_counter() - began
    if bad:
        raise Failure(f"{page['name']} ({page['path']}): {len(bad)} failures, first: {bad[0]}")
    return {
        "clients": clients,
        "requests": len(times),
        "seconds": round(wall, 2),
        "rps": round(len(times) / wall, 1),
        "p50": round(percentile(times, 50), 1),
        "p95": round(percentile(times, 95), 1),
        "p99": round(percentile(times, 99), 1),
        "max": round(max(times), 1) if times else 0.0,
        "bytes": int(statistics.median(sizes)) if sizes else 0,
        "loadavg_1min_after": round(os.getloadavg()[0], 2),
    }


def warm_up(port: int, page: dict, headers: dict, requests: int = 4) -> None:
    """Each worker imports lazily and opens its database connection on first use: a few
    requests, on two connections (both workers), before timing."""
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for _ in range(max(1, requests // 2)):
            conn.request("GET", page["path"], headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise Failure(
                    f"{page['name']} ({page['path']}): status {resp.status} "
                    f"{resp.getheader('Location') or ''}"
                )
        conn.close()


# Report --------------------------------------------------------------------------------------


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 10 * 1024 else f"{n / 1024:.1f} KB"


def markdown(result: dict, other: dict | None = None) -> str:
    counts_other = (other or {}).get("queries", {})
    other_size = (other or {}).get("size", "")
    clients = result["clients"]
    head = ["page", "queries"]
    if counts_other:
        head.append(f"queries at {other_size}")
    for c in clients:
        head += [f"{c} cl. p50 / p95 / p99 ms", f"{c} cl. req/s"]
    head += ["size"]
    lines = [
        f"#### {result['backend']}, size {result['size']} ({result['members']:,} members, "
        f"{result['events']:,} events)",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    over_any = []
    for name, row in result["pages"].items():
        cells = [name, str(result["queries"].get(name, ""))]
        if counts_other:
            theirs = counts_other.get(name)
            mark = "" if theirs in (None, result["queries"].get(name)) else " ✗"
            cells.append(f"{theirs}{mark}")
        size = 0
        for c in clients:
            m = row.get(str(c))
            if not m:
                cells += ["", ""]
                continue
            target = TARGET_1 if c == 1 else TARGET_20
            over = m["p95"] > target and name != "healthz"
            if over:
                over_any.append((name, c))
            p95 = f"**{m['p95']:,}** ✗" if over else f"{m['p95']:,}"
            cells += [f"{m['p50']:,} / {p95} / {m['p99']:,}", f"{m['rps']:,}"]
            size = m["bytes"]
        cells.append(size_text(size))
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Targets: 1 client p95 ≤ {TARGET_1:.0f} ms, 20 clients p95 ≤ {TARGET_20:.0f} ms "
        f"(✗ marks a miss: {len(over_any)}).",
    ]
    if result.get("worker_rss_mb"):
        lines.append(f"gunicorn workers' RSS after the load: {result['worker_rss_mb']} MB.")
    return "\n".join(lines)


# Main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--clients", default="1,20", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and client count")
    parser.add_argument("--only", nargs="*", default=[], help="pages whose name contains ...")
    parser.add_argument(
        "--min-requests", type=int, default=5, help="at least this many per measurement"
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    parser.add_argument("--no-build", action="store_true", help="never build; fail if not built")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="query counts only")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--gunicorn-config",
        default="python:kring.gunicorn_conf",
        help='gunicorn --config, as docs/operations.md runs it ("": none)',
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--profile", metavar="PAGE", default="", help="cProfile one page")
    parser.add_argument("--profile-calls", type=int, default=5)
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",") if c.strip()]

    backend = prepare_environment(args)
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from kring.accounts.services import api_token_create

    result = {
        "backend": backend,
        "size": args.size,
        **SIZES[args.size],
        "commit": git_commit(),
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "clients": clients,
        "seconds_per_measure": args.seconds,
        "server": f"gunicorn kring.wsgi, gthread, {args.workers} workers x {args.threads} threads"
        + (f", --config {args.gunicorn_config}" if args.gunicorn_config else ""),
    }
    run_began = time.perf_counter()
    if not args.profile:
        # How long the build took, kept beside the database for runs that reuse it.
        build_file = Path(os.environ["KRING_DATA_DIR"]) / "bench-pages-build.json"
        call_command("migrate", verbosity=0)
        built = is_built()
        if args.no_build and not built:
            sys.exit("--no-build: the database holds no complete build")
        if built and (args.reuse or args.no_build):
            log("reusing the database")
            if build_file.exists():
                result.update(json.loads(build_file.read_text()))
        else:
            if built:
                log("a built database is there: wiping it (use --reuse to keep it)")
            wipe(backend)
            connection.close()
            call_command("migrate", verbosity=0)
            began = time.perf_counter()
            result["build_steps_seconds"] = build(args.size, seed=args.seed)
            result["build_seconds"] = round(time.perf_counter() - began, 1)
            log(f"built in {result['build_seconds']} s: {result['build_steps_seconds']}")
            build_file.write_text(
                json.dumps({k: result[k] for k in ("build_seconds", "build_steps_seconds")})
            )
        if args.build_only:
            return

    community = the_community()
    person = measured_person(community)
    if not args.profile:
        result["snapshot_refresh_seconds"] = snapshot_refresh(community)
        log(f"insights snapshot refreshed in {result['snapshot_refresh_seconds']} s")
    _token, secret = api_token_create(user=person, name="bench-pages")
    all_pages = pages(community, person)
    chosen = select(all_pages, args.only)
    get = in_process_client(person, secret)

    if args.profile:
        for page in select(all_pages, [args.profile]):
            profile_page(get, page, args.profile_calls, args.profile_top)
        return

    log("counting queries in-process")
    result["queries"] = count_queries(get, chosen)
    result["paths"] = {p["name"]: p["path"] for p in chosen}
    result["measured_person"] = person.email
    out = args.out or HERE / "results" / f"pages-{backend}-{args.size}.json"
    other_size = "L" if args.size != "L" else "M"
    other_path = HERE / "results" / f"pages-{backend}-{other_size}.json"
    other = json.loads(other_path.read_text()) if other_path.exists() else None

    result["pages"] = {p["name"]: {} for p in chosen}
    failures = []
    if not args.no_http:
        from django.contrib.sessions.backends.db import SessionStore  # noqa: F401
        from django.test import Client

        login = Client()
        login.force_login(person)
        cookie = f"sessionid={login.cookies['sessionid'].value}"
        connection.close()
        log("collectstatic")
        call_command("collectstatic", "--no-input", verbosity=0)
        port = free_port()
        log_path = Path(os.environ["KRING_DATA_DIR"]) / "gunicorn.log"
        with server(port, args.workers, args.threads, log_path, args.gunicorn_config) as proc:
            for page in chosen:
                headers = headers_for(page, cookie, secret)
                try:
                    warm_up(port, page, headers)
                    for c in clients:
                        m = load(port, page, headers, c, args.seconds, args.min_requests)
                        result["pages"][page["name"]][str(c)] = m
                        log(
                            f"{page['name']:<42} {c:>2} clients: p50 {m['p50']:>8} "
                            f"p95 {m['p95']:>8} p99 {m['p99']:>8} ms, {m['rps']:>7} req/s, "
                            f"{size_text(m['bytes'])}, {result['queries'][page['name']]} queries"
                        )
                except Failure as exc:
                    failures.append(str(exc))
                    log(f"!! {exc}")
            result["worker_rss_mb"] = worker_rss_mb(proc)
    result["run_seconds"] = round(time.perf_counter() - run_began, 1)
    result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["failures"] = failures
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    if other:
        other = {"queries": other.get("queries", {}), "size": other_size}
    print()
    print(markdown(result, other))
    print(f"\nwritten to {out}")
    if failures:
        print("\nFAILED (not 200):\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
