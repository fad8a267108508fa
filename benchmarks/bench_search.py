"""Search and import at scale: a fresh database, N generated Dutch items, timed queries.

    KRING_DATA_DIR=/tmp/kring-bench-sqlite python benchmarks/bench_search.py --items 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench \\
        python benchmarks/bench_search.py --items 100000

Steps: wipe and migrate the database (SQLite file in KRING_DATA_DIR, or DATABASE_URL), create
a community with members through the services, import N items with items_bulk_create from the
corpus generator (items/s, peak RSS), report index and database size, then run a fixed query
mix through the engine (the selector and core search()) and through HTTP (a gunicorn server
on 127.0.0.1, the API search endpoint, a bearer token, keep-alive). Writes
benchmarks/results/<backend>-<n>.json and prints Markdown tables.

The database is wiped: its name (PostgreSQL) or data directory (SQLite) must contain "bench",
unless --force is given. --reuse skips wiping and importing when the database already holds
the items (for iterating on the query side).
"""

import argparse
import contextlib
import gc
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# BENCH_SRC runs the benchmark against another checkout's src/ (for before/after figures).
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from benchkit import machine  # noqa: E402

# (type, queries). Each type gets an equal share of the timed queries, interleaved.
QUERY_MIX = [
    ("common", ["zorg", "wijkteam", "samenwerking", "gemeente", "begeleiding", "mantelzorg"]),
    (
        "rare",
        [
            "buurttaalplan",
            "zorgwooncirkel",
            "ouderenenergiecoach",
            "welzijnszorgteam",
            "wijkteamaanpak",
        ],
    ),
    (
        "two_words",
        [
            "mantelzorg eenzaamheid",
            "wijkteam ouderen",
            "energiecoach isolatie",
            "schoolleiders professionalisering",
            "dementie Zwolle",
        ],
    ),
    (
        "stemmed",
        [
            "begeleiders",
            "wijkteams",
            "mantelzorgers",
            "bijeenkomsten",
            "samenwerken",
            "warmtepompen",
        ],
    ),
    (
        "stop_words",
        [
            "hoe kunnen we de eenzaamheid van ouderen verminderen",
            "wat werkt bij de begeleiding van mantelzorgers",
            "de schoolleider en het onderwijs in de klas",
            "energiearmoede aanpakken in de wijk",
        ],
    ),
    (
        "no_hit",
        ["kwantumcomputer", "paardenbloemthee", "xylofoonles", "mantelzorg kwantumcomputer"],
    ),
]

SEARCH_PATH = "/api/v1/communities/{slug}/search?q={q}"
FALLBACK_PATH = "/api/v1/communities/{slug}/members?q={q}"


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "max": round(max(ms), 2) if ms else None,
    }


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_rss_mb() -> float:
    """The resident memory of this process's children now (the import's text process)."""
    total = 0.0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
    return total


def children_peak_rss_mb() -> float:
    """The largest peak of the children that have ended (after the import: its text process)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def prepare_environment(args) -> str:
    """Settings read the environment at import, so decide data dir and backend first."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    url = os.environ.get("DATABASE_URL", "")
    backend = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    os.environ.setdefault("KRING_DATA_DIR", f"/tmp/kring-bench-{backend}")
    data_dir = Path(os.environ["KRING_DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite" and not args.reuse:
        if "bench" not in str(data_dir) and not args.force:
            sys.exit(f"refusing to wipe {data_dir}: its path lacks 'bench' (use --force)")
        for suffix in ("", "-wal", "-shm", "-journal"):
            (data_dir / f"kring.sqlite3{suffix}").unlink(missing_ok=True)
    return backend


def wipe_postgres(args) -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in name and not args.force:
        sys.exit(f"refusing to wipe database {name!r}: its name lacks 'bench' (use --force)")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def setup_people(n_members: int):
    from kring.accounts.models import User
    from kring.accounts.services import api_token_create
    from kring.communities.models import Community
    from kring.communities.services import community_create, membership_add

    facilitator = User.objects.create_superuser(
        "facilitator@bench.example", full_name="Fenna Facilitator"
    )
    community = community_create(
        by=facilitator, name="Zorg en welzijn in de wijk", slug="bench-zorg-welzijn"
    )
    member = User.objects.create_user(
        "member@bench.example", full_name="Mo Member", organisation="Wijkteam Zwolle"
    )
    membership_add(community=community, user=member, by=facilitator)
    gen = corpus.Corpus(7)
    for i in range(n_members):
        person = User.objects.create_user(
            f"person{i}@bench.example",
            full_name=f"{gen.first()} {gen.last()}",
            organisation=gen.org().split(" ", 1)[1].capitalize(),
            job_title=gen.role(),
        )
        membership_add(community=community, user=person, by=facilitator)
    _token, secret = api_token_create(user=member, name="bench")
    community = Community.objects.get(pk=community.pk)
    return facilitator, member, community, secret


def import_items(
    *, community, by, authors, n: int, batch: int, seed: int, profile: str = ""
) -> dict:
    from tqdm import tqdm

    from kring.knowledge.services_import import items_bulk_create

    gen_seconds = 0.0
    checkpoints = {}

    def stream():
        nonlocal gen_seconds
        it = corpus.items(n, seed=seed)
        while True:
            t0 = time.perf_counter()
            try:
                doc = next(it)
            except StopIteration:
                gen_seconds += time.perf_counter() - t0
                return
            gen_seconds += time.perf_counter() - t0
            yield doc

    done = 0
    bar = tqdm(total=n, unit="items", mininterval=2, smoothing=0.1)
    child_checkpoints = {}

    def progress(count: int) -> None:
        nonlocal done
        before = done
        done += count
        bar.update(count)
        for pct in (10, 25, 50, 75, 100):
            if before < n * pct / 100 <= done:
                checkpoints[f"{pct}%"] = round(rss_mb(), 1)
                child_checkpoints[f"{pct}%"] = round(children_rss_mb(), 1)

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    rss_before = rss_mb()
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    created, problems = items_bulk_create(
        community=community,
        by=by,
        documents=stream(),
        authors=authors,
        batch=batch,
        progress=progress,
    )
    seconds = time.perf_counter() - began
    if profiler:
        import pstats

        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    bar.close()
    if problems:
        print(f"{len(problems)} problems, first: {problems[:3]}", file=sys.stderr)
    return {
        "items": created,
        "problems": len(problems),
        "batch": batch,
        "seconds": round(seconds, 2),
        "items_per_s": round(created / seconds, 1),
        "generator_seconds": round(gen_seconds, 2),
        "items_per_s_excluding_generator": round(created / (seconds - gen_seconds), 1),
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_by_progress": checkpoints,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "text_process_rss_mb_by_progress": child_checkpoints,
        "text_process_peak_rss_mb": round(children_peak_rss_mb(), 1),
    }


def compound_eval(*, by) -> dict:
    """Recall and precision of the hand-made compound queries (corpus.COMPOUND_QUERIES) in
    a community of their own, all hits of each query; and whether the item with the query
    as a word of its own comes first where there is one."""
    from kring.communities.services import community_create
    from kring.core import search
    from kring.knowledge.services_import import items_bulk_create

    community = community_create(by=by, name="Samenstellingen", slug="bench-samenstellingen")
    items_bulk_create(
        community=community,
        by=by,
        documents=[
            {"kind": "practice_story", "title": title, "body": body, "import_key": key}
            for key, (title, body) in corpus.COMPOUND_ITEMS.items()
        ],
    )
    from kring.knowledge.models import ImportedDocument

    key_of = {row.item_id: row.key for row in ImportedDocument.objects.filter(community=community)}
    per_query, found_total, relevant_found, relevant_total = {}, 0, 0, 0
    first_ok = 0
    for q, wanted in corpus.COMPOUND_QUERIES.items():
        results = search.search(q, community_ids=[community.pk], limit=50)
        keys = [key_of[h.document.doc_id] for h in results.hits if h.document.doc_type == "item"]
        hit = set(keys) & wanted
        found_total += len(keys)
        relevant_found += len(hit)
        relevant_total += len(wanted)
        per_query[q] = {"found": keys, "missed": sorted(wanted - set(keys))}
        if corpus.COMPOUND_WHOLE_WORD_FIRST.get(q) and keys[:1] == [
            corpus.COMPOUND_WHOLE_WORD_FIRST[q]
        ]:
            first_ok += 1
    return {
        "queries": len(corpus.COMPOUND_QUERIES),
        "items": len(corpus.COMPOUND_ITEMS),
        "recall": round(relevant_found / relevant_total, 3),
        "precision": round(relevant_found / found_total, 3) if found_total else None,
        "whole_word_first": f"{first_ok}/{len(corpus.COMPOUND_WHOLE_WORD_FIRST)}",
        "per_query": per_query,
    }


def analyze(backend: str) -> None:
    """What a running site has soon after an import: planner statistics (autovacuum on
    PostgreSQL, `PRAGMA optimize` on SQLite)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if backend == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA optimize")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def sizes(backend: str) -> dict:
    from django.conf import settings
    from django.db import connection

    from kring.core import search

    out = {"index_bytes": search.backend().index_size_bytes()}
    with connection.cursor() as cursor:
        if backend == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            out["database_bytes"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size('core_searchdocument')")
            out["searchdocument_table_bytes"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size('knowledge_knowledgeitem')")
            out["item_table_bytes"] = cursor.fetchone()[0]
            # The index proper is the GIN index; the vectors it is built from live in a
            # column of the search table.
            cursor.execute("SELECT sum(pg_column_size(search_vector)) FROM core_searchdocument")
            out["vector_column_bytes"] = int(cursor.fetchone()[0] or 0)
        else:
            path = Path(settings.DATABASES["default"]["NAME"])
            out["database_bytes"] = sum(
                p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists()
            )
            cursor.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN "
                "('core_searchdocument', 'knowledge_knowledgeitem') GROUP BY name"
            )
            found = dict(cursor.fetchall())
            out["searchdocument_table_bytes"] = found.get("core_searchdocument")
            out["item_table_bytes"] = found.get("knowledge_knowledgeitem")
            # The FTS5 index splits into the inverted index (_data) and the stemmed text it
            # keeps so that rows can be deleted (_content).
            cursor.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'core_search_fts_%' "
                "GROUP BY name"
            )
            parts = dict(cursor.fetchall())
            out["fts_data_bytes"] = parts.get("core_search_fts_data")
            out["fts_content_bytes"] = parts.get("core_search_fts_content")
    return out


def query_plan(n: int) -> list[tuple[str, str]]:
    """n queries, interleaving the types so that each gets an equal share."""
    plan = []
    i = 0
    while len(plan) < n:
        for qtype, queries in QUERY_MIX:
            if len(plan) < n:
                plan.append((qtype, queries[i % len(queries)]))
        i += 1
    return plan


def time_engine(fn, plan) -> tuple[list[float], list[dict]]:
    for _qtype, q in plan:  # warm-up: caches, prepared plans, page cache
        fn(q)
    times, seen = [], []
    for qtype, q in plan:
        t0 = time.perf_counter()
        results = fn(q)
        times.append((time.perf_counter() - t0) * 1000)
        if results is not None:
            seen.append(
                {
                    "type": qtype,
                    "q": q,
                    "total": results.total,
                    "capped": getattr(results, "total_capped", False),
                    "hits": len(results.hits),
                }
            )
    return times, seen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(port: int, workers: int, log: Path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
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
        "1",
        "--keep-alive",
        "30",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.time() + 60
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
                raise RuntimeError(f"server did not start; see {log}")
            time.sleep(0.3)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def time_http(port: int, secret: str, slug: str, plan, path_template: str):
    headers = {"Authorization": f"Bearer {secret}", "Accept": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(q: str) -> tuple[int, bytes]:
        path = path_template.format(slug=slug, q=urllib.parse.quote(q))
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()

    # Warm-up: each worker imports lazily and opens its connection on first use.
    for _round in range(2):
        for _qtype, q in plan:
            get(q)
    times, errors, size = [], 0, 0
    for _qtype, q in plan:
        t0 = time.perf_counter()
        status, body = get(q)
        times.append((time.perf_counter() - t0) * 1000)
        errors += status != 200
        size += len(body)
    conn.close()
    return times, errors, size // max(len(plan), 1)


def probe(port: int, secret: str, slug: str) -> str:
    """The search endpoint if it exists yet, else a community endpoint to measure against."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "GET",
        SEARCH_PATH.format(slug=slug, q="zorg"),
        headers={"Authorization": f"Bearer {secret}"},
    )
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status == 200:
        return SEARCH_PATH
    print(
        f"!! {SEARCH_PATH} answered {resp.status}: measuring HTTP against {FALLBACK_PATH} "
        "instead (not the search endpoint)",
        file=sys.stderr,
    )
    return FALLBACK_PATH


def by_type(plan, times) -> dict:
    groups: dict[str, list[float]] = {}
    for (qtype, _q), ms in zip(plan, times, strict=True):
        groups.setdefault(qtype, []).append(ms)
    out = {qtype: stats(ms) for qtype, ms in groups.items()}
    out["overall"] = stats(times)
    return out


def ratio(a: dict, b: dict) -> dict:
    return {
        key: {
            "p50": round(a[key]["p50"] / b[key]["p50"], 2) if b[key]["p50"] else None,
            "p95": round(a[key]["p95"] / b[key]["p95"], 2) if b[key]["p95"] else None,
        }
        for key in a
    }


def _num(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def markdown(result: dict) -> str:
    imp, size = result["import"], result["sizes"]
    mb = 1024 * 1024
    lines = [
        f"### {result['backend']}, {result['items']:,} items",
        "",
        "| import items/s | items/s without the generator | peak RSS (text process) "
        "| index | search table | database |",
        "|---|---|---|---|---|---|",
        f"| {_num(imp.get('items_per_s'))} | {_num(imp.get('items_per_s_excluding_generator'))} "
        f"| {imp.get('peak_rss_mb', '–')} MB ({imp.get('text_process_peak_rss_mb', '–')} MB) "
        f"| {size['index_bytes'] / mb:,.0f} MB "
        f"| {(size.get('searchdocument_table_bytes') or 0) / mb:,.0f} MB "
        f"| {size['database_bytes'] / mb:,.0f} MB |",
        "",
        f"HTTP: `GET {result['http']['endpoint']}` ({result['http'].get('server', '')}).",
        "p50 / p95 in ms:",
        "",
        "| query type | hits | selector | search() | who_knows | endpoint document "
        "| HTTP | HTTP / selector | HTTP, people=true |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    engine, web, rat = result["engine"], result["http"]["ms"], result["ratio_http_over_selector"]
    with_people = result["http"].get("with_people", {}).get("ms")
    hits = result["hits_median"]

    def pair(table, key):
        if table is None or table.get(key, {}).get("p50") is None:
            return "–"
        return f"{table[key]['p50']} / {table[key]['p95']}"

    for key in engine["selector"]:
        capped = "+" if key in result.get("hits_capped", ()) else ""
        lines.append(
            f"| {key} | {hits.get(key, '')}{capped} | {pair(engine['selector'], key)} "
            f"| {pair(engine['search'], key)} | {pair(engine.get('who_knows'), key)} "
            f"| {pair(engine.get('endpoint_document'), key)} | {pair(web, key)} "
            f"| {pair(rat, key)} | {pair(with_people, key)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200, help="timed queries per mode")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--force", action="store_true", help="wipe even without 'bench'")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--profile-import", default="", metavar="FILE", help="cProfile the import into FILE"
    )
    parser.add_argument(
        "--compounds-only",
        action="store_true",
        help="only the compound-word queries (recall, precision) on a fresh database",
    )
    args = parser.parse_args()

    backend = prepare_environment(args)
    import django

    django.setup()
    from django.core.management import call_command

    from kring.accounts.models import User
    from kring.communities.models import Community
    from kring.core import search
    from kring.knowledge import selectors
    from kring.knowledge.models import KnowledgeItem

    if backend == "postgresql" and not args.reuse:
        wipe_postgres(args)
    call_command("migrate", verbosity=0)

    result: dict = {
        "backend": backend,
        "items": args.items,
        "seed": args.seed,
        "commit": git_commit() if SRC == ROOT / "src" else f"src from {SRC}",
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    if args.compounds_only:
        facilitator, _member, _community, _secret = setup_people(0)
        result["compounds"] = compound_eval(by=facilitator)
        out = args.out or HERE / "results" / f"compounds-{backend}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(result["compounds"], indent=1, ensure_ascii=False))
        return
    reusing = (
        args.reuse
        and KnowledgeItem.objects.filter(community__slug="bench-zorg-welzijn").count() == args.items
    )
    if reusing:
        from kring.accounts.models import ApiToken  # noqa: F401
        from kring.accounts.services import api_token_create

        community = Community.objects.get(slug="bench-zorg-welzijn")
        facilitator = User.objects.get(email="facilitator@bench.example")
        member = User.objects.get(email="member@bench.example")
        _token, secret = api_token_create(user=member, name="bench")
        result["import"] = {"reused": True}
        print(f"reusing the {args.items:,} items already imported")
    else:
        if args.reuse:
            sys.exit("--reuse: the database does not hold exactly --items items")
        facilitator, member, community, secret = setup_people(args.members)
        print(f"importing {args.items:,} items ({backend}) …")
        result["import"] = import_items(
            community=community,
            by=facilitator,
            authors=[facilitator, member],
            n=args.items,
            batch=args.batch,
            seed=args.seed,
            profile=args.profile_import,
        )
        print(json.dumps(result["import"]))
        result["compounds"] = compound_eval(by=facilitator)
        c = result["compounds"]
        print(f"compounds: recall {c['recall']}, precision {c['precision']}")
    analyze(backend)
    # The import leaves a large heap in this process (a server process would not have it):
    # keep the garbage collector from walking it during the timed queries.
    gc.collect()
    gc.freeze()
    result["sizes"] = sizes(backend)
    print(json.dumps(result["sizes"]))

    plan = query_plan(args.queries)
    member = User.objects.get(pk=member.pk)

    def via_selector(q):
        return selectors.community_search(community=community, viewer=member, q=q)

    def via_search(q):
        return search.search(q, community_ids=[community.pk])

    sel_times, seen = time_engine(via_selector, plan)
    core_times, _seen = time_engine(via_search, plan)
    result["engine"] = {"selector": by_type(plan, sel_times), "search": by_type(plan, core_times)}

    # What the search endpoint does besides the selector: "who knows this?" (a second,
    # wider search plus authors), and the whole response document, in-process.
    def via_who_knows(q):
        selectors.who_knows(community=community, viewer=member, query=q)
        return None

    who_times, _seen = time_engine(via_who_knows, plan)
    result["engine"]["who_knows"] = by_type(plan, who_times)
    try:
        from kring.knowledge.documents import search_document
    except ImportError:
        search_document = None
    if search_document is not None:

        def via_document(q):
            search_document(community=community, viewer=member, q=q)
            return None

        doc_times, _seen = time_engine(via_document, plan)
        result["engine"]["endpoint_document"] = by_type(plan, doc_times)
    per_query: dict[str, dict] = {}
    for row in seen:
        per_query.setdefault(
            row["q"], {"type": row["type"], "total": row["total"], "capped": row["capped"]}
        )
    result["queries"] = per_query
    hits_by_type: dict[str, list[int]] = {}
    for q in per_query.values():
        hits_by_type.setdefault(q["type"], []).append(q["total"])
    result["hits_median"] = {t: int(percentile(v, 50)) for t, v in hits_by_type.items()}
    result["hits_capped"] = sorted(
        {
            q["type"]
            for q in per_query.values()
            if q["capped"] and q["total"] == result["hits_median"][q["type"]]
        }
    )

    if args.no_http:
        result["http"] = {
            "endpoint": "skipped",
            "ms": {k: {"p50": None, "p95": None} for k in result["engine"]["selector"]},
        }
    else:
        from django.db import connections

        connections.close_all()
        port = free_port()
        log = Path(os.environ["KRING_DATA_DIR"]) / "gunicorn.log"
        with server(port, args.workers, log):
            endpoint = probe(port, secret, community.slug)
            http_times, errors, avg_bytes = time_http(port, secret, community.slug, plan, endpoint)
            # The same queries asking also who knows about it (people=true), on the same
            # server (a checkout from before the parameter ignores it).
            people_times, people_errors, _bytes = time_http(
                port, secret, community.slug, plan, endpoint + "&people=true"
            )
        result["http"] = {
            "endpoint": endpoint,
            "server": f"gunicorn gthread, {args.workers} workers",
            "errors": errors,
            "avg_response_bytes": avg_bytes,
            "ms": by_type(plan, http_times),
            "with_people": {"errors": people_errors, "ms": by_type(plan, people_times)},
        }
    if result["http"]["ms"]["overall"]["p50"] is not None:
        result["ratio_http_over_selector"] = ratio(
            result["http"]["ms"], result["engine"]["selector"]
        )
    else:
        result["ratio_http_over_selector"] = {
            k: {"p50": None, "p95": None} for k in result["engine"]["selector"]
        }

    out = args.out or HERE / "results" / f"{backend}-{args.items}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(result))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
