"""CPU time per request of a few pages, in-process, on a database bench_pages.py built: the
median (and least) of --calls calls after two warm-up calls, the query count and the size.
Reads only; nothing is built or served.

    KRING_DATA_DIR=/tmp/kring-bench-pages-sqlite-L .venv/bin/python benchmarks/cpu_pages.py \\
        "insights dashboard" "past session page"
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="page names as bench_pages.py lists them")
    parser.add_argument("--size", default="L", choices=sorted(bench_pages.SIZES))
    parser.add_argument("--calls", type=int, default=7)
    args = parser.parse_args()
    bench_pages.prepare_environment(types.SimpleNamespace(size=args.size, force=False))
    bench_pages.django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community = bench_pages.the_community()
    person = bench_pages.measured_person(community)
    pages = {p["name"]: p for p in bench_pages.pages(community, person)}
    get = bench_pages.in_process_client(person, "")
    for name in args.pages:
        page = pages[name]
        get(page)
        get(page)
        cpu = []
        for _ in range(args.calls):
            began = time.process_time()
            get(page)
            cpu.append((time.process_time() - began) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = get(page)
        print(
            f"{name}: CPU {statistics.median(cpu):.1f} ms median, {min(cpu):.1f} least, "
            f"{len(captured.captured_queries)} queries, {len(response.content) / 1024:.1f} KB, "
            f"status {response.status_code}"
        )


if __name__ == "__main__":
    main()
