"""What the benchmarks share: logging, which database, the environment before Django starts,
wiping a benchmark database, and the facts about the machine and the code measured."""

import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def backend_name() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def prepare_environment(name: str, force: bool) -> str:
    """Settings read the environment at import: decide the data directory first (default
    /tmp/kring-bench-NAME-BACKEND). A database whose path or name lacks "bench" is refused
    unless `force`: the benchmarks wipe what they use."""
    backend = backend_name()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    os.environ.setdefault("KRING_DATA_DIR", f"/tmp/kring-bench-{name}-{backend}")
    os.environ.pop("KRING_DEBUG", None)
    data_dir = Path(os.environ["KRING_DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite" and "bench" not in str(data_dir) and not force:
        sys.exit(f"refusing to use {data_dir}: its path lacks 'bench' (use --force)")
    if backend == "postgresql":
        database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0]
        if "bench" not in database and not force:
            sys.exit(f"refusing to use database {database!r}: its name lacks 'bench' (use --force)")
    return backend


def wipe(backend: str) -> None:
    """Empty the benchmark database (after prepare_environment and django.setup())."""
    from django.db import connection

    if backend == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "python": platform.python_version(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def git_commit(root: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return out.stdout.strip() or "unknown"
