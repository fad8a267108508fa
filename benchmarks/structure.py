"""Structure figures for the code under src/kring (tests, migrations and demo content left out):
modules over 500 lines, functions over 80 lines, functions over complexity 15 (ruff C901)
and import circles between modules (strongly connected parts of the import graph).

    .venv/bin/python benchmarks/structure.py [--list]
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import grimp
import networkx

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "kring"
LEFT_OUT = ("tests", "migrations", "demo")


def _sources() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*.py")
        if not any(part in LEFT_OUT for part in p.relative_to(SRC).parts)
    )


def _long_functions(path: Path, limit: int) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", length))
    return found


def _complex_functions(limit: int) -> list[str]:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "C901",
            "--config",
            f"lint.mccabe.max-complexity={limit}",
            "--output-format",
            "json",
            "--exclude",
            ",".join(f"**/{part}/**" for part in LEFT_OUT),
            str(SRC),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return [
        f"{Path(d['filename']).relative_to(ROOT)}:{d['location']['row']} {d['message']}"
        for d in json.loads(run.stdout or "[]")
    ]


def _import_circles() -> list[list[str]]:
    graph = grimp.build_graph("kring", include_external_packages=False)
    g = networkx.DiGraph()
    for module in graph.modules:
        if any(f".{part}" in module for part in LEFT_OUT):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if any(f".{part}" in imported for part in LEFT_OUT):
                continue
            g.add_edge(module, imported)
    return sorted(sorted(c) for c in networkx.strongly_connected_components(g) if len(c) > 1)


def main() -> None:
    show = "--list" in sys.argv
    files = _sources()
    big = [(str(p.relative_to(ROOT)), len(p.read_text().splitlines())) for p in files]
    big = sorted((b for b in big if b[1] > 500), key=lambda b: -b[1])
    long_fns = sorted((f for p in files for f in _long_functions(p, 80)), key=lambda f: -f[1])
    complex_fns = _complex_functions(15)
    circles = _import_circles()
    print(f"modules read: {len(files)}")
    print(f"modules over 500 lines: {len(big)}")
    if show:
        for name, n in big:
            print(f"  {n:5} {name}")
    print(f"functions over 80 lines: {len(long_fns)}")
    if show:
        for name, n in long_fns:
            print(f"  {n:5} {name}")
    print(f"functions over complexity 15: {len(complex_fns)}")
    if show:
        for line in complex_fns:
            print(f"  {line}")
    print(f"import circles: {len(circles)}")
    for circle in circles:
        print("  " + " <-> ".join(circle))


if __name__ == "__main__":
    main()
