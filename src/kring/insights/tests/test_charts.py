"""The dashboard's SVG: the relations network (deterministic layout, one linked node per
member, rings and ties, the cap at 400, escaping) and the trend charts."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from kring.insights import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
PERSPECTIVES = {
    "gemeente": SimpleNamespace(colour="#1f5f99", name="Municipality", position=1),
    "ervaring": SimpleNamespace(colour="#8a3b12", name="Experience expert", position=2),
    "kwaad": SimpleNamespace(colour='"/><script>', name="Broken colour", position=3),
}


def _doc(n: int, *, edges=None, brokers=(), isolates=(), names=None, perspectives=None):
    members = []
    for i in range(n):
        members.append(
            {
                "id": i + 1,
                "email": f"p{i}@example.org",
                "name": (names or {}).get(i, f"Person {i}"),
                "perspectives": (perspectives or {}).get(i, ["gemeente"] if i % 2 else []),
                "degree": 0,
                "betweenness": 0.0,
            }
        )
    if edges is None:
        edges = [(i, i + 1, True) for i in range(n - 1)]
    for a, b, _strong in edges:
        members[a]["degree"] += 1
        members[b]["degree"] += 1
    return {
        "members": members,
        "network": {
            "edges": [
                {"a": f"p{a}@example.org", "b": f"p{b}@example.org", "weight": 1.0, "strong": s}
                for a, b, s in edges
            ],
            "brokers": [f"p{i}@example.org" for i in brokers],
            "isolates": [f"p{i}@example.org" for i in isolates],
        },
    }


def _people(doc):
    return {m["id"]: SimpleNamespace(pk=m["id"], full_name=m["name"]) for m in doc["members"]}


def _svg(doc, **kwargs) -> ET.Element:
    out = charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES, **kwargs)
    return ET.fromstring(str(out))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_network_has_one_linked_node_per_member():
    """Each member is one <a> to their profile, focusable, with name — perspective — degree."""
    root = _svg(_doc(6))
    nodes = root.findall("svg:a", NS)
    assert len(nodes) == 6
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "network-title network-desc"
    assert root.find("svg:title", NS).text and root.find("svg:desc", NS).text
    first = nodes[1]
    assert first.get("href") == "/people/2/"
    assert first.get("tabindex") == "0"
    assert first.find("svg:title", NS).text == "Person 1 — Municipality — 2 ties"
    label = first.find("svg:text", NS)
    assert label.get("class") == "net-label" and label.text == "Person 1"
    assert label.get("visibility") == "hidden"  # kring.css shows it on hover and focus


def test_network_layout_is_deterministic():
    """The same snapshot gives exactly the same picture, with or without the layout cache."""
    doc = _doc(25, edges=[(i, (i * 7 + 3) % 25, True) for i in range(25) if i != (i * 7 + 3) % 25])
    first = str(charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES))
    cache.clear()
    second = str(charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES))
    cached = str(
        charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES, cache_key="k")
    )
    again = str(
        charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES, cache_key="k")
    )
    assert first == second == cached == again


def test_brokers_isolates_and_weak_ties_are_marked():
    """Brokers get a thick ring, isolates a dashed ring in the bottom row, session ties dashed
    lines and direct ties solid ones."""
    doc = _doc(5, edges=[(0, 1, True), (1, 2, True), (2, 3, False)], brokers=[1], isolates=[4])
    root = _svg(doc)
    nodes = {a.get("href"): a for a in root.findall("svg:a", NS)}
    broker = nodes["/people/2/"]
    assert "net-broker" in broker.get("class")
    assert broker.findall("svg:circle", NS)[0].get("stroke-width") == "3"
    isolate = nodes["/people/5/"]
    assert "net-isolate" in isolate.get("class")
    assert isolate.findall("svg:circle", NS)[0].get("stroke-dasharray") == "2 2"
    # The isolate sits below the web.
    web_y = [
        float(a.findall("svg:circle", NS)[-1].get("cy"))
        for href, a in nodes.items()
        if href != "/people/5/"
    ]
    assert float(isolate.findall("svg:circle", NS)[-1].get("cy")) > max(web_y)
    lines = root.find("svg:g", NS).findall("svg:line", NS)
    assert [line.get("class") for line in lines].count("net-tie") == 2
    weak = [line for line in lines if line.get("class") == "net-tie-weak"]
    assert len(weak) == 1 and weak[0].get("stroke-dasharray")


def test_nodes_are_coloured_by_first_perspective_and_bad_colours_fall_back():
    """The fill is the first perspective's colour; a stored colour that is not a hex colour is
    never written into the SVG."""
    doc = _doc(3, perspectives={0: ["ervaring", "gemeente"], 1: ["kwaad"], 2: []})
    text = str(charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES))
    root = ET.fromstring(text)
    fills = [a.findall("svg:circle", NS)[-1].get("fill") for a in root.findall("svg:a", NS)]
    assert fills == ["#8a3b12", charts.COLOUR_NONE, charts.COLOUR_NONE]
    assert "<script>" not in text


def test_hostile_names_are_escaped_in_the_network():
    """Markup in a name is text in the <title> and the label; the SVG still parses."""
    hostile = '<script>alert(1)</script> "Eve" & co'
    doc = _doc(2, names={0: hostile})
    text = str(charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES))
    assert "<script>" not in text
    root = ET.fromstring(text)
    node = root.findall("svg:a", NS)[0]
    assert node.find("svg:title", NS).text.startswith(hostile)
    assert node.find("svg:text", NS).text == hostile


def test_large_networks_draw_the_400_best_connected():
    """Above 400 members only the 400 best connected are drawn, and the description says so."""
    n = 450
    edges = [(i, i + 1, True) for i in range(399)]  # the first 400 form a chain
    root = _svg(_doc(n, edges=edges))
    nodes = root.findall("svg:a", NS)
    assert len(nodes) == charts.MAX_NODES
    assert {a.get("href") for a in nodes} == {f"/people/{i + 1}/" for i in range(400)}
    assert "Only the 400 best connected of the 450 members" in root.find("svg:desc", NS).text


def test_members_who_left_are_not_drawn():
    """Only members in `people` (still in the community) become nodes; their ties go too."""
    doc = _doc(4)
    people = _people(doc)
    del people[2]
    root = ET.fromstring(str(charts.network_svg(doc, people=people, perspectives=PERSPECTIVES)))
    assert len(root.findall("svg:a", NS)) == 3
    assert "/people/2/" not in {a.get("href") for a in root.findall("svg:a", NS)}


def test_empty_network_draws_nothing():
    """No members: no SVG at all."""
    assert str(charts.network_svg(_doc(0), people={}, perspectives=PERSPECTIVES)) == ""


def test_legend_lists_the_perspectives_in_the_picture():
    """The legend names each first perspective once, and 'no perspective' when someone has none."""
    doc = _doc(4, perspectives={0: ["ervaring"], 1: ["gemeente"], 2: ["gemeente"], 3: []})
    rows = charts.network_legend(doc["members"], PERSPECTIVES)
    assert [r["label"] for r in rows] == ["Municipality", "Experience expert", "no perspective"]
    for row in rows:
        ET.fromstring(str(row["swatch"]))


@pytest.mark.parametrize("style", ["line", "bar"])
def test_trend_chart_parses_with_title_desc_and_a_point_per_month(style):
    """A trend chart is valid SVG with <title>, a <desc> summing it up, and one titled point
    per month."""
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 4]
    text = str(
        charts.trend_svg(
            months=months, values=values, title="New ties <per> month", chart_id="t", style=style
        )
    )
    root = ET.fromstring(text)
    assert root.get("aria-labelledby") == "t-title t-desc"
    assert root.find("svg:title", NS).text == "New ties <per> month"
    desc = root.find("svg:desc", NS).text
    assert "lowest 0" in desc and "highest 10" in desc and "4 in the last month" in desc
    points = root.findall("svg:g", NS)
    assert len(points) == 12
    assert points[-1].find("svg:title", NS).text.endswith(": 4")


def test_trend_charts_cover_the_five_series():
    """The dashboard gets five charts: active members, contributions, attendance, new ties,
    and the suggestions followed up."""
    trends = {
        "months": ["2026-01", "2026-02"],
        "active_members": [1, 2],
        "contributions": [3, 4],
        "attendance": [0, 5],
        "new_ties": [1, 0],
        "follow_ups": [0, 1],
    }
    result = charts.trend_charts(trends)
    assert [c["key"] for c in result] == [
        "active_members",
        "contributions",
        "attendance",
        "new_ties",
        "follow_ups",
    ]
    for chart in result:
        ET.fromstring(str(chart["svg"]))
    assert [r["value"] for r in result[2]["rows"]] == [0, 5]


def test_trend_chart_without_months_is_empty():
    """No months: nothing drawn."""
    assert str(charts.trend_svg(months=[], values=[], title="x", chart_id="x")) == ""
