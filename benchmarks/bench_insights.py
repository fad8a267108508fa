"""Insights at scale: one community with 10,000 members and 1,000,000 activity events.

    KRING_DATA_DIR=/tmp/kring-bench-insights python benchmarks/bench_insights.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench \\
        python benchmarks/bench_insights.py

Steps: migrate, build the community with insights_corpus.py (or reuse it when the database
already holds it), then

1. `compute()` in a fresh process, --runs times (wall time, and peak RSS = ru_maxrss of that
   process, before and after the call); medians reported;
2. the same graph (the ties of the computed document) measured with igraph and with plain
   NetworkX in this process, interleaved, --graph-runs times: degree, betweenness, community
   detection (Louvain / multilevel) and modularity; ratios per run, medians reported;
3. the dashboard served from a snapshot: GET of the 'insights-dashboard' page (when that view
   exists) as the facilitator, and the snapshot read + document.render() on their own;
   with --pages instead, only the pages that read a snapshot (dashboard, "what Kring sees
   about me" and its ties, the API insights summary, members and ties);
4. with --check COMMIT: the document of compute() at COMMIT (read with `git show`) compared
   with the current one on the same data (must be identical; exits 1 when not).

Results go to benchmarks/results/insights-<backend>-<members>-<events>.json, a summary is
printed as Markdown. The database is built once and reused: its directory (SQLite) or name
(PostgreSQL) must contain "bench".
"""

import argparse
import contextlib
import importlib.util
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = Path(os.environ.get("BENCH_SRC", ROOT / "src")).resolve()
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(HERE))

from benchkit import machine  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def git_commit() -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return out.stdout.strip() or "unknown"


def backend_name() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def setup(args) -> str:
    backend = backend_name()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_DATA_DIR", f"/tmp/kring-bench-insights-{backend}")
    data_dir = Path(os.environ["KRING_DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.db import connection

    where = connection.settings_dict["NAME"] if backend == "postgresql" else str(data_dir)
    if "bench" not in str(where) and not args.force:
        sys.exit(f"refusing to use {where}: its name lacks 'bench' (use --force)")
    return backend


def community_and_as_of(args):
    import insights_corpus

    from kring.communities.models import Community

    community = Community.objects.get(slug=insights_corpus.SLUG)
    return community, insights_corpus.AS_OF


# 1. compute() in a fresh process -------------------------------------------------------------


def child(args) -> None:
    """One timed compute() in this (fresh) process; prints one JSON line."""
    setup(args)
    from kring.insights.compute import compute

    community, as_of = community_and_as_of(args)
    rss_before = peak_rss_mb()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began = time.perf_counter()
    raw = compute(community=community, as_of=as_of)
    seconds = time.perf_counter() - began
    if profiler:
        import pstats

        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "peak_rss_mb_before": round(rss_before, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
                "members": len(raw["members"]),
                "edges": len(raw["network"]["edges"]),
                "signals": sum(len(m["signals"]) for m in raw["members"]),
            }
        )
    )


def run_children(args) -> list[dict]:
    runs = []
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child"]
    if args.force:
        cmd.append("--force")
    for n in range(args.runs):
        extra = ["--profile", args.profile] if args.profile and n == 0 else []
        out = subprocess.run(cmd + extra, capture_output=True, text=True, env=os.environ.copy())
        if out.returncode:
            sys.exit(out.stderr)
        if extra:
            print(out.stderr)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"compute() run {n + 1}: {runs[-1]}")
    return runs


# 2. igraph against NetworkX ------------------------------------------------------------------


def graph_comparison(raw: dict, runs: int, sample: int) -> dict:
    """The same graph, the same metrics, both libraries, interleaved in this process."""
    import igraph
    import networkx as nx

    from kring.insights.compute import network as network_module

    emails = [m["email"] for m in raw["members"]]
    index = {e: i for i, e in enumerate(emails)}
    n = len(emails)
    pairs = [(index[e["a"]], index[e["b"]]) for e in raw["network"]["edges"]]
    weights = [e["weight"] for e in raw["network"]["edges"]]
    distances = [1.0 / w for w in weights]
    # The pivots compute() uses above BETWEENNESS_EXACT_UP_TO people (same seed, same count).
    sample = sample or getattr(network_module, "BETWEENNESS_PIVOTS", 128)
    sources = sorted(random.Random(0).sample(range(n), min(sample, n)))

    def run_igraph() -> dict:
        t = {}
        began = time.perf_counter()
        g = igraph.Graph(n=n, edges=pairs, directed=False)
        g.es["weight"] = weights
        t["build"] = time.perf_counter() - began
        began = time.perf_counter()
        g.degree()
        t["degree"] = time.perf_counter() - began
        began = time.perf_counter()
        g.betweenness(weights=distances, sources=sources, targets=None)
        t["betweenness_sampled"] = time.perf_counter() - began
        began = time.perf_counter()
        membership = g.community_multilevel(weights="weight").membership
        t["communities"] = time.perf_counter() - began
        began = time.perf_counter()
        q = g.modularity(membership, weights="weight")
        t["modularity"] = time.perf_counter() - began
        t["groups"] = len(set(membership))
        t["q"] = round(q, 4)
        return t

    def run_networkx() -> dict:
        t = {}
        began = time.perf_counter()
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(
            (a, b, {"weight": w, "distance": d})
            for (a, b), w, d in zip(pairs, weights, distances, strict=True)
        )
        t["build"] = time.perf_counter() - began
        began = time.perf_counter()
        dict(g.degree())
        t["degree"] = time.perf_counter() - began
        began = time.perf_counter()
        nx.betweenness_centrality_subset(
            g, sources=sources, targets=list(range(n)), weight="distance", normalized=False
        )
        t["betweenness_sampled"] = time.perf_counter() - began
        began = time.perf_counter()
        parts = nx.community.louvain_communities(g, weight="weight", seed=0)
        t["communities"] = time.perf_counter() - began
        began = time.perf_counter()
        q = nx.community.modularity(g, parts, weight="weight")
        t["modularity"] = time.perf_counter() - began
        t["groups"] = len(parts)
        t["q"] = round(q, 4)
        return t

    timed = ("build", "degree", "betweenness_sampled", "communities", "modularity")
    rows = []
    for r in range(runs):
        ig = run_igraph()
        nxr = run_networkx()
        ig_total = sum(ig[k] for k in timed)
        nx_total = sum(nxr[k] for k in timed)
        rows.append({"igraph": ig, "networkx": nxr, "ratio_total": nx_total / ig_total})
        print(
            f"graph run {r + 1}: igraph {ig_total:.3f} s, networkx {nx_total:.3f} s, "
            f"ratio {nx_total / ig_total:.1f}"
        )

    def med(lib, key):
        return round(statistics.median(row[lib][key] for row in rows), 4)

    out = {
        "nodes": n,
        "edges": len(pairs),
        "betweenness_sample_sources": len(sources),
        "runs": runs,
        "median_seconds": {lib: {k: med(lib, k) for k in timed} for lib in ("igraph", "networkx")},
        "ratio_networkx_over_igraph": {
            k: round(statistics.median(row["networkx"][k] / row["igraph"][k] for row in rows), 1)
            for k in timed
        },
        "ratio_total_median": round(statistics.median(row["ratio_total"] for row in rows), 1),
        "groups": {lib: rows[0][lib]["groups"] for lib in ("igraph", "networkx")},
        "modularity": {lib: rows[0][lib]["q"] for lib in ("igraph", "networkx")},
    }
    # Exact betweenness is n single-source passes; the sample is len(sources) of them.
    factor = n / len(sources)
    out["betweenness_exact_estimate_seconds"] = {
        lib: round(out["median_seconds"][lib]["betweenness_sampled"] * factor, 1)
        for lib in ("igraph", "networkx")
    }
    return out


# 3. the dashboard from a snapshot ------------------------------------------------------------


def dashboard(community, as_of, runs: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from kring.communities.models import Membership
    from kring.insights import document
    from kring.insights.models import Snapshot
    from kring.insights.services import snapshot_create

    began = time.perf_counter()
    snapshot = snapshot_create(community=community, as_of=as_of)
    out = {"snapshot_create_seconds": round(time.perf_counter() - began, 3)}
    out["snapshot_json_mb"] = round(len(json.dumps(snapshot.data)) / 1e6, 2)
    out["snapshot_dashboard_kb"] = round(len(json.dumps(snapshot.dashboard)) / 1024, 1)

    def read_and_render():
        snap = Snapshot.objects.filter(pk=snapshot.pk).first()
        if "members" in snap.data:  # the whole document (before the split)
            return document.render(snap.data, community=community)
        # The summary, what GET .../insights serves since the split.
        return document.render_summary(snap.data, community=community)

    times = []
    for _ in range(runs + 2):
        began = time.perf_counter()
        read_and_render()
        times.append((time.perf_counter() - began) * 1000)
    out["snapshot_read_and_render_ms"] = round(statistics.median(times[2:]), 1)
    try:
        url = reverse("insights-dashboard", kwargs={"slug": community.slug})
    except NoReverseMatch:
        out["dashboard"] = "the 'insights-dashboard' URL does not exist yet"
        return out
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    facilitator = (
        Membership.objects.filter(community=community, role="facilitator")
        .order_by("joined_at")
        .first()
        .user
    )
    client = Client()
    client.force_login(facilitator)
    times = []
    status = None
    size = 0
    for _ in range(runs + 2):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        status = response.status_code
        size = len(response.content)
    out["dashboard_url"] = url
    out["dashboard_status"] = status
    out["dashboard_kb"] = round(size / 1024, 1)
    out["dashboard_ms_median"] = round(statistics.median(times[2:]), 1)
    out["dashboard_ms_max"] = round(max(times[2:]), 1)
    return out


# 3b. the pages that read a snapshot ----------------------------------------------------------


def pages(community, as_of, runs: int, fresh: bool = True) -> dict:
    """GET, as the first facilitator, through Django's test client (no HTTP server): the
    dashboard, "what Kring sees about me", and the API insights (the whole document before
    it was split; the summary and the first page of members and of ties after). With `fresh`,
    a snapshot is made first (as_of the corpus's moment) and marked as made now, so the API
    serves it instead of computing. Medians of `runs` after 2 warm-ups; SQL queries per GET."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from kring.communities.models import Membership
    from kring.insights.models import Snapshot
    from kring.insights.services import snapshot_create

    out: dict = {}
    if fresh:
        began = time.perf_counter()
        snapshot = snapshot_create(community=community, as_of=as_of)
        out["snapshot_create_seconds"] = round(time.perf_counter() - began, 3)
    else:
        snapshot = Snapshot.objects.filter(community=community).order_by("-computed_at").first()
    now = timezone.now()
    Snapshot.objects.filter(pk=snapshot.pk).update(computed_at=now, as_of=now)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The busiest facilitator: the most ties on "what Kring sees about me".
    facilitator = (
        Membership.objects.filter(community=community, role="facilitator")
        .annotate(events=Count("user__activity_events"))
        .order_by("-events", "joined_at")
        .first()
        .user
    )
    client = Client()
    client.force_login(facilitator)
    api = f"/api/v1/communities/{community.slug}/insights"
    urls = {
        "api insights": api,
        "api insights/members": api + "/members",
        "api insights/ties": api + "/ties",
    }
    for name, view in (
        ("dashboard", "insights-dashboard"),
        ("about me", "insights-me"),
        ("about me: all ties, page 1", "insights-me-ties"),
    ):
        with contextlib.suppress(NoReverseMatch):
            urls[name] = reverse(view, kwargs={"slug": community.slug})
    for name, url in urls.items():
        times, cpu, status, size, queries = [], [], None, 0, 0
        for _ in range(runs + 2):
            with CaptureQueriesContext(connection) as captured:
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            status, size, queries = response.status_code, len(response.content), len(captured)
        if status == 404:
            continue
        out[name] = {
            "url": url,
            "status": status,
            "kb": round(size / 1024, 1),
            "queries": queries,
            "ms_median": round(statistics.median(times[2:]), 1),
            "ms_max": round(max(times[2:]), 1),
            # CPU time of this process (SQLite runs in it too): steadier than wall time on a
            # machine shared with other work.
            "cpu_ms_median": round(statistics.median(cpu[2:]), 1),
        }
        print(f"{name}: {out[name]}", flush=True)
    return out


# 4. equality with an earlier compute.py ------------------------------------------------------


def load_compute_at(commit: str):
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:src/kring/insights/compute.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(f"/tmp/kring_compute_{commit}.py")
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"kring_compute_{commit}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical(raw: dict) -> str:
    return json.dumps(raw, sort_keys=True, default=str)


def check_equal(commit: str, community, as_of) -> dict:
    from kring.insights.compute import compute

    old = load_compute_at(commit)
    # igraph's community detection draws from Python's global random generator (it visits
    # the vertices in a random order), so both get the same state.
    random.seed(2024)
    began = time.perf_counter()
    before = old.compute(community=community, as_of=as_of)
    old_seconds = time.perf_counter() - began
    random.seed(2024)
    began = time.perf_counter()
    after = compute(community=community, as_of=as_of)
    new_seconds = time.perf_counter() - began
    differences = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    result = {
        "commit": commit,
        "identical": canonical(before) == canonical(after),
        "keys_that_differ": differences,
        "seconds_before": round(old_seconds, 3),
        "seconds_after": round(new_seconds, 3),
    }
    print(f"equality with {commit}: {result}")
    return result


# Main ----------------------------------------------------------------------------------------


def median(rows, key):
    return round(statistics.median(r[key] for r in rows), 3)


def markdown(result: dict) -> str:
    c = result["compute"]
    lines = [
        f"#### {result['backend']}, {result['members']:,} members, {result['events']:,} events",
        "",
        "| | target | median | runs |",
        "|---|---|---|---|",
        f"| compute() | ≤ 3 s | {c['median_seconds']} s | "
        + ", ".join(str(r["seconds"]) for r in c["runs"])
        + " |",
        f"| peak RSS of the process | ≤ 1,536 MB | {c['median_peak_rss_mb']} MB "
        f"(after setup: {c['median_peak_rss_mb_before']} MB) | |",
    ]
    d = result.get("dashboard", {})
    if "dashboard_ms_median" in d:
        lines.append(
            f"| dashboard GET from the snapshot | ≤ 100 ms | {d['dashboard_ms_median']} ms | |"
        )
    if "snapshot_read_and_render_ms" in d:
        lines.append(
            f"| snapshot read + document.render() | – | {d['snapshot_read_and_render_ms']} ms | |"
        )
    g = result.get("graph")
    if g:
        lines += [
            "",
            f"Graph: {g['nodes']:,} nodes, {g['edges']:,} edges; medians of {g['runs']} "
            "interleaved runs, seconds:",
            "",
            "| metric | igraph | NetworkX | NetworkX / igraph |",
            "|---|---|---|---|",
        ]
        for key, ratio in g["ratio_networkx_over_igraph"].items():
            lines.append(
                f"| {key} | {g['median_seconds']['igraph'][key]} | "
                f"{g['median_seconds']['networkx'][key]} | {ratio} |"
            )
        lines.append(f"| total | | | {g['ratio_total_median']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5, help="compute() runs, fresh processes")
    parser.add_argument("--graph-runs", type=int, default=3)
    parser.add_argument(
        "--sample", type=int, default=0, help="betweenness sources (default: compute's pivots)"
    )
    parser.add_argument("--dashboard-runs", type=int, default=20)
    parser.add_argument("--check", metavar="COMMIT", default="", help="compare with compute.py")
    parser.add_argument("--profile", default="", help="cProfile the first run into FILE")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--force", action="store_true")
    parser.add_argument(
        "--dashboard-only",
        action="store_true",
        help="measure only the dashboard; replace that part of an existing results file",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="only the pages that read a snapshot (dashboard, about me, API insights)",
    )
    parser.add_argument(
        "--pages-existing",
        action="store_true",
        help="with --pages: use the latest snapshot instead of making one",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    backend = setup(args)
    import insights_corpus
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    community, as_of = insights_corpus.build(
        members=args.members, events=args.events, seed=args.seed
    )
    build_seconds = time.perf_counter() - began
    print(f"community ready in {build_seconds:.1f} s")
    if args.build_only:
        return
    if args.pages:
        community, as_of = community_and_as_of(args)
        result = pages(community, as_of, args.dashboard_runs, fresh=not args.pages_existing)
        print(json.dumps(result, indent=2))
        return
    if args.dashboard_only:
        out = args.out or HERE / "results" / f"insights-{backend}-{args.members}-{args.events}.json"
        stored = json.loads(out.read_text()) if out.exists() else {}
        stored["dashboard"] = dashboard(community, as_of, args.dashboard_runs)
        stored["dashboard"]["commit"] = git_commit()
        stored["dashboard"]["started"] = time.strftime("%Y-%m-%d %H:%M:%S")
        out.write_text(json.dumps(stored, indent=2) + "\n")
        print(json.dumps(stored["dashboard"], indent=2))
        print(f"\nwritten to {out}")
        return
    result = {
        "backend": backend,
        "members": args.members,
        "events": args.events,
        "seed": args.seed,
        "commit": git_commit(),
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "build_seconds": round(build_seconds, 1),
    }
    if args.check:
        result["equality"] = check_equal(args.check, community, as_of)
    runs = run_children(args)
    result["compute"] = {
        "runs": runs,
        "median_seconds": median(runs, "seconds"),
        "median_peak_rss_mb": median(runs, "peak_rss_mb"),
        "median_peak_rss_mb_before": median(runs, "peak_rss_mb_before"),
    }
    from kring.insights.compute import compute

    raw = compute(community=community, as_of=as_of)
    if not args.no_networkx:
        result["graph"] = graph_comparison(raw, args.graph_runs, args.sample)
    result["dashboard"] = dashboard(community, as_of, args.dashboard_runs)
    out = args.out or HERE / "results" / f"insights-{backend}-{args.members}-{args.events}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    print(f"\nwritten to {out}")
    if args.check and not result["equality"]["identical"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
