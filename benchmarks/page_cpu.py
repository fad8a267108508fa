"""CPU milliseconds per request, in-process, for pages of bench_pages.py, on a built database.

Median of 9 calls after 3 warm-up calls (time.process_time: SQLite's work counts, waiting does
not), the query count and the size. Serves nothing, builds nothing; it logs the measured person
in and adds an API token, like --profile does. Give the checkout whose code to run, so the code
before and after can be measured in the same run on the same database:

    KRING_DATA_DIR=/tmp/kring-bench-pages-sqlite-L .venv/bin/python benchmarks/page_cpu.py \\
        /work/main "thread page" "members directory"
"""

import statistics
import sys
import time
from types import SimpleNamespace

repo = sys.argv[1]
sys.path.insert(0, f"{repo}/benchmarks")
import bench_pages as bp  # noqa: E402

bp.prepare_environment(SimpleNamespace(size="L"))
bp.django_setup()
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kring.accounts.services import api_token_create  # noqa: E402

community = bp.the_community()
person = bp.measured_person(community)
_token, secret = api_token_create(user=person, name="bench-pages")
get = bp.in_process_client(person, secret)
all_pages = bp.pages(community, person)
for name in sys.argv[2:]:
    page = bp.select(all_pages, [name])[0]
    for _ in range(3):
        get(page)
    cpu = []
    for _ in range(9):
        began = time.process_time()
        response = get(page)
        cpu.append((time.process_time() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get(page)
    print(
        f"{page['name']}: CPU median {statistics.median(cpu):.1f} ms (min {min(cpu):.1f}), "
        f"{len(captured.captured_queries)} queries, {len(response.content) / 1024:.1f} KB, "
        f"status {response.status_code}"
    )
