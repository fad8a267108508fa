"""The dashboard's SVG: the relations network (deterministic layout, one linked node per
member, rings and ties, the cap at MAX_NODES, escaping) and the trend charts."""

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


def _doc(
    n: int,
    *,
    edges=None,
    brokers=(),
    isolates=(),
    names=None,
    perspectives=None,
    roles=None,
    groups=None,
):
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
                "role": (roles or {}).get(i, "member"),
                "group": (groups or {}).get(i, 1),
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
    """Each member is one focusable <a> to their profile whose accessible name says who they
    are in words; an ordinary member's name shows on hover, focus or tap."""
    root = _svg(_doc(6))
    nodes = root.findall("svg:a", NS)
    assert len(nodes) == 6
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "network-title network-desc"
    assert root.find("svg:title", NS).text and root.find("svg:desc", NS).text
    first = nodes[1]
    assert first.get("href") == "/people/2/"
    assert first.get("tabindex") == "0"
    assert first.get("aria-label") == (
        "Person 1: member · group 1 · direct contact with 2 people · Municipality"
    )
    assert first.get("data-name") == "Person 1"
    label = first.find("svg:text", NS)
    assert label.get("class") == "net-label" and label.text == "Person 1"
    assert label.get("visibility") == "hidden"  # kring.css shows it on hover, focus and tap


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


def _fixed_names(root) -> dict[str, ET.Element]:
    names = root.find("svg:g[@class='net-names']", NS)
    return {t.text: t for t in names.findall("svg:text", NS)}


def test_facilitators_brokers_and_the_not_connected_are_named_in_the_picture():
    """Facilitators and brokers have their name written beside them (not only on hover);
    the not connected sit below the web, named, with an open dashed circle and no group."""
    doc = _doc(
        6,
        edges=[(0, 1, True), (1, 2, True), (2, 3, True), (3, 4, False)],
        brokers=[1],
        isolates=[4, 5],
        roles={3: "facilitator"},
        groups={4: None, 5: None},
    )
    root = _svg(doc)
    fixed = _fixed_names(root)
    assert set(fixed) == {"Person 1", "Person 3"}
    assert all(t.get("visibility") is None for t in fixed.values())
    nodes = {a.get("href"): a for a in root.findall("svg:a", NS)}
    broker = nodes["/people/2/"]
    assert "net-broker" in broker.get("class")
    assert broker.findall("svg:circle", NS)[0].get("stroke-width") == "2.5"
    assert "links groups" in broker.get("aria-label")
    assert "facilitator" in nodes["/people/4/"].get("aria-label")
    web_y = [float(t.get("y")) for t in fixed.values()]
    for href in ("/people/5/", "/people/6/"):  # a session tie alone is no direct contact
        isolate = nodes[href]
        assert "net-isolate" in isolate.get("class")
        assert isolate.find("svg:circle", NS).get("stroke-dasharray") == "2 2"
        assert "not connected" in isolate.get("aria-label")
        assert "group" not in isolate.get("aria-label")
        text = isolate.find("svg:text", NS)
        assert text.get("visibility") is None and text.text.startswith("Person")
        assert float(isolate.find("svg:circle", NS).get("cy")) > max(web_y)
    assert "Not connected yet (2)" in ET.tostring(root, encoding="unicode")


def test_only_direct_ties_are_drawn_and_know_their_people():
    """Direct ties are lines carrying both people's ids (for highlighting); ties of shared
    sessions only are left out of the picture."""
    doc = _doc(4, edges=[(0, 1, True), (1, 2, True), (2, 3, False), (0, 2, False)])
    edges = _svg(doc).find("svg:g[@class='net-edges']", NS)
    lines = edges.findall("svg:line", NS)
    assert [(line.get("data-a"), line.get("data-b")) for line in lines] == [("1", "2"), ("2", "3")]
    # Colour and opacity are the group's, inherited by every line; each line has its width.
    assert edges.get("stroke") == charts.COLOUR_STRONG and edges.get("stroke-opacity") == "0.6"
    assert all(line.get("stroke") is None and line.get("stroke-width") for line in lines)


def test_groups_have_their_own_colour_and_shape():
    """Group 1 is drawn as circles, group 2 as squares, each in its colour; the legend names
    each group with its size and the same mark."""
    doc = _doc(4, groups={0: 1, 1: 1, 2: 2, 3: 2})
    nodes = _svg(doc).findall("svg:a", NS)
    marks = [[el for el in a if el.tag != f"{{{NS['svg']}}}title"][0] for a in nodes]
    assert [m.tag.split("}")[1] for m in marks] == ["circle", "circle", "rect", "rect"]
    assert marks[0].get("fill") == charts.GROUP_STYLES[0][0]
    assert marks[2].get("fill") == charts.GROUP_STYLES[1][0]
    rows = charts.network_legend(doc["members"])
    assert [r["label"] for r in rows] == ["group 1 (2 people)", "group 2 (2 people)"]
    assert "<rect" in str(rows[1]["swatch"])


def test_written_names_do_not_cover_each_other():
    """In a tight web of facilitators, the names written in the picture never overlap:
    a name that fits nowhere is left to hover, focus and the list."""
    n = 12
    edges = [(i, j, True) for i in range(n) for j in range(i + 1, n)]
    doc = _doc(n, edges=edges, roles=dict.fromkeys(range(n), "facilitator"))
    boxes = []
    for t in _fixed_names(_svg(doc)).values():
        x, y, width = float(t.get("x")), float(t.get("y")), charts._text_width(t.text)
        anchor = t.get("text-anchor")
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        boxes.append((left, y - charts.LABEL_SIZE, left + width, y))
    assert boxes
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def _smallest_text_px(root: ET.Element, shown_px: float) -> float:
    """The smallest text of an SVG shown `shown_px` wide, in px."""
    width = float(root.get("viewBox").split()[2])
    sizes = [float(t.get("font-size")) for t in root.iter(f"{{{NS['svg']}}}text")]
    return min(sizes) * shown_px / width


def test_chart_text_is_at_least_11px_on_a_phone():
    """Shown 320 px wide (a 390 px phone less the margins), every text in the network and the
    trend charts is 11 px or more."""
    doc = _doc(30, isolates=[29], roles={0: "facilitator"}, groups={29: None})
    assert _smallest_text_px(_svg(doc), 320) >= 11
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    trend = charts.trend_svg(months=months, values=list(range(12)), title="t", chart_id="t")
    assert _smallest_text_px(ET.fromstring(str(trend)), 320) >= 11


def test_hostile_names_are_escaped_in_the_network():
    """Markup in a name is text in the <title> and the label; the SVG still parses."""
    hostile = '<script>alert(1)</script> "Eve" & co'
    doc = _doc(2, names={0: hostile})
    text = str(charts.network_svg(doc, people=_people(doc), perspectives=PERSPECTIVES))
    assert "<script>" not in text
    root = ET.fromstring(text)
    node = root.findall("svg:a", NS)[0]
    assert node.find("svg:title", NS).text.startswith(hostile)
    assert node.get("aria-label").startswith(hostile)
    assert node.find("svg:text", NS).text == hostile


def test_large_networks_draw_the_best_connected():
    """Above MAX_NODES members only the MAX_NODES best connected are drawn, and the
    description says so."""
    cap = charts.MAX_NODES
    n = cap + 50
    edges = [(i, i + 1, True) for i in range(cap - 1)]  # the first `cap` form a chain
    root = _svg(_doc(n, edges=edges))
    nodes = root.findall("svg:a", NS)
    assert len(nodes) == cap
    assert {a.get("href") for a in nodes} == {f"/people/{i + 1}/" for i in range(cap)}
    assert f"Only the {cap} best connected of the {n} members" in root.find("svg:desc", NS).text


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
