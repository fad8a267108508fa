"""CPU ms per request of one page, in-process, on a database bench_pages.py built.

Uses bench_pages.py's --profile setup (no HTTP, nothing built or migrated) but times instead
of profiling: two warm-up calls, then the median and minimum process time of 7, and the
query count of one more call. Run from the checkout whose code you measure:

    KRING_DATA_DIR=/tmp/kring-bench-pages-sqlite-L .venv/bin/python benchmarks/page_cpu.py \
        --size L --profile "community home"
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.getcwd(), "benchmarks"))

import bench_pages  # noqa: E402

CALLS = 7


def cpu_of_page(get, page: dict, calls: int, top: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(page)
    get(page)
    cpu = []
    for _ in range(CALLS):
        began = time.process_time()
        response = get(page)
        cpu.append((time.process_time() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get(page)
    print(
        f"{page['name']:24s} cpu median {statistics.median(cpu):6.1f} ms  min {min(cpu):6.1f}"
        f"  queries {len(captured.captured_queries)}  status {response.status_code}"
        f"  {len(response.content) / 1024:.1f} KB",
        flush=True,
    )


if __name__ == "__main__":
    bench_pages.profile_page = cpu_of_page
    bench_pages.main()
