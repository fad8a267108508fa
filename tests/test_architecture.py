"""The structure docs/architecture.md promises: no circle of imports between modules.

(The layers themselves are checked by `lint-imports` in `make lint`.)"""

import grimp
import networkx


def _application_modules_graph() -> networkx.DiGraph:
    graph = grimp.build_graph("kring", include_external_packages=False, cache_dir=None)
    left_out = (".tests", ".migrations")
    edges = networkx.DiGraph()
    for module in graph.modules:
        if any(part in module for part in left_out):
            continue
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if not any(part in imported for part in left_out):
                edges.add_edge(module, imported)
    return edges


def test_no_module_imports_itself_through_others():
    graph = _application_modules_graph()
    assert len(graph) > 100, "the import graph was not read"
    circles = [sorted(c) for c in networkx.strongly_connected_components(graph) if len(c) > 1]
    assert circles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in circles)
