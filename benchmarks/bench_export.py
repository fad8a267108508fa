"""Your data export at scale: one person with 40,000 activity events (issue 11).

    KRING_DATA_DIR=/tmp/kring-bench-export .venv/bin/python benchmarks/bench_export.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring_bench_export \\
        KRING_DATA_DIR=/tmp/kring-bench-export-pg .venv/bin/python benchmarks/bench_export.py

Migrates, makes one member with --events activity events (reused when already there), then
builds the export with the service the worker runs (`data_export_build`) and prints the wall
time, the peak RSS of this process (ru_maxrss) and the sizes. The database directory or name
must contain "bench".
"""

import argparse
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=40_000)
    args = parser.parse_args()
    where = os.environ.get("DATABASE_URL") or os.environ.get("KRING_DATA_DIR", "")
    if "bench" not in where:
        sys.exit("Use a database (KRING_DATA_DIR or DATABASE_URL) whose name contains 'bench'.")

    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from kring.accounts.models import User
    from kring.communities.models import Community, Membership
    from kring.core.models import ActivityEvent
    from kring.privacy import export
    from kring.privacy.models import DataExport

    user, _ = User.objects.get_or_create(
        email="bench.export@kring.example", defaults={"full_name": "Bench Export"}
    )
    community, _ = Community.objects.get_or_create(slug="bench-export", defaults={"name": "B"})
    Membership.objects.get_or_create(community=community, user=user)
    missing = args.events - ActivityEvent.objects.filter(actor=user).count()
    now = timezone.now()
    ActivityEvent.objects.bulk_create(
        (
            ActivityEvent(
                actor=user,
                verb="replied",
                community=community,
                created_at=now - timedelta(minutes=i),
            )
            for i in range(max(missing, 0))
        ),
        batch_size=5000,
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pending = DataExport.objects.create(user=user)
    started = time.perf_counter()
    assert export.data_export_build(export_id=pending.pk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pending.refresh_from_db()
    info = zipfile.ZipFile(export.export_path(pending)).getinfo("activity_events.json")
    print(
        f"| {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'} "
        f"| {ActivityEvent.objects.filter(actor=user).count():,} events "
        f"| {seconds:.1f} s | peak RSS {peak:.0f} MB (before the build {before:.0f} MB) "
        f"| ZIP {pending.size / 1e6:.2f} MB, activity_events.json {info.file_size / 1e6:.1f} MB |"
    )


if __name__ == "__main__":
    main()
