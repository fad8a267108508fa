"""CPU and wall ms per request (medians after two warm-up calls) and the query count of
bench_pages.py's pages, in this process through Django's test client; nothing is served.

    KRING_DATA_DIR=/tmp/kring-bench-pages-sqlite-L .venv/bin/python benchmarks/pages_cpu.py \\
        "library list" "API library items" --calls 11 [--path "name|/path/?q=1|session"] [--sql]

It runs on a database bench_pages.py built (no migrate, no build) and adds one API token
for the measured person, as `bench_pages.py --profile` does. Give a copy of the data
directory to keep the shared one untouched. `--sql` prints every query with its time.
"""

import argparse
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="page names as in bench_pages.py (none: all)")
    parser.add_argument("--path", action="append", default=[], help="NAME|PATH|session/token")
    parser.add_argument("--size", default="L")
    parser.add_argument("--calls", type=int, default=11)
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    bench_pages.prepare_environment(types.SimpleNamespace(size=args.size, force=False))
    bench_pages.django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kring.accounts.services import api_token_create

    community = bench_pages.the_community()
    person = bench_pages.measured_person(community)
    _token, secret = api_token_create(user=person, name="pages-cpu")
    get = bench_pages.in_process_client(person, secret)
    every = bench_pages.pages(community, person)
    chosen = [p for p in every if p["name"] in args.pages or not (args.pages or args.path)]
    for extra in args.path:
        name, path, auth = extra.split("|")
        chosen.append({"name": name, "path": path, "auth": auth})
    for page in chosen:
        get(page)
        get(page)
        cpu, wall = [], []
        for _ in range(args.calls):
            cpu_began, wall_began = time.process_time(), time.perf_counter()
            get(page)
            cpu.append((time.process_time() - cpu_began) * 1000)
            wall.append((time.perf_counter() - wall_began) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = get(page)
        print(
            f"{page['name']}: CPU {statistics.median(cpu):.1f} ms, wall "
            f"{statistics.median(wall):.1f} ms, {len(captured.captured_queries)} queries, "
            f"{len(response.content) / 1024:.1f} KB, status {response.status_code}"
        )
        if args.sql:
            for query in captured.captured_queries:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql']}")


if __name__ == "__main__":
    main()
