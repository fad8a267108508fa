"""Server-drawn SVG for the facilitator's dashboard: the relations network and the four trend
charts.

Plain strings, every text escaped. No inline styles (the CSP forbids them): colours are SVG
presentation attributes, so the pictures print and work without the stylesheet; classes let
kring.css adjust them. Each chart has role="img" with a <title> and a <desc>, every data
point its own <title>; the network is a group of links (one per person, with an accessible
name) with a <title> and a <desc>.

Text stays readable: an SVG scales with its viewBox, so the viewBoxes are about as wide as a
phone shows them (320 px) and kring.css caps how wide they grow; 12 units and more are 11 px
and more at every width.

The network layout is computed with igraph from the snapshot's edges, deterministically (a
fixed start position and a fixed random seed), and cached per snapshot: a snapshot never
changes, so neither does its picture.
"""

import math
import random
import threading
from dataclasses import dataclass
from datetime import date

import igraph
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.core.dates import short_date

MAX_NODES = 200
LAYOUT_SEED = 20240601
LAYOUT_ITERATIONS = 500
LAYOUT_CACHE_SECONDS = 7 * 24 * 3600

# Colours meet 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOUR_INK = "#1b1f23"
COLOUR_STRONG = "#4f5a62"
COLOUR_WEAK = "#8a959d"
COLOUR_AXIS = "#4f5a62"
COLOUR_LINE = "#0b5563"
COLOUR_BAR = "#0b5563"

# A phone shows a trend chart about 320 px wide: 12 units of text are 12 px there.
TREND_WIDTH = 320
TREND_HEIGHT = 180
TREND_MARGIN_LEFT = 36
TREND_MARGIN = 14
TEXT_SIZE = 12

# igraph draws its random numbers from one process-wide generator: swap in a seeded one for
# the layout, one layout at a time.
_LAYOUT_LOCK = threading.Lock()


def _svg_open(*, width: int, height: float, chart_id: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif">'
    )


# The network ---------------------------------------------------------------------------------

# The picture is drawn narrow (a phone's width): an SVG scales with its viewBox, so a wide
# picture shown on a 390 px phone shrinks its text below reading size. At NETWORK_WIDTH units
# shown 320 px wide, LABEL_SIZE units are 11.5 px; kring.css caps the picture's width, so on a
# desktop they stay below 18 px.
NETWORK_WIDTH = 360
LABEL_SIZE = 13
LABEL_CHAR = 0.6 * LABEL_SIZE  # a generous average width of a character in a label
MARGIN = 16
TOP_MARGIN = 30  # room for a name above the highest node
ROW_HEIGHT = 24
NOT_CONNECTED_COLUMNS = 2
NOT_CONNECTED_DRAWN = 40
SEPARATE_UP_TO = 150
NOT_CONNECTED_ROOM = (NETWORK_WIDTH - 2 * MARGIN) / NOT_CONNECTED_COLUMNS - 26
COLOUR_GROUPLESS = "#4f5a62"
# One colour and one shape per group (the largest first): the shape tells the groups apart
# without colour. Colours meet 3:1 against white.
GROUP_STYLES = (
    ("#0b5563", "circle"),
    ("#a1232b", "square"),
    ("#1e6b3a", "triangle"),
    ("#6b3fa0", "diamond"),
    ("#9c3d00", "triangle-down"),
    ("#1f5f99", "hexagon"),
    ("#7a5c00", "square"),
    ("#8a3b72", "triangle"),
)


@dataclass
class Node:
    member: dict
    person: object
    x: float = 0.0
    y: float = 0.0


def network_members(document: dict, people: dict) -> tuple[list[dict], int]:
    """The members to draw (those still in the community), at most MAX_NODES of them: the
    best connected first. Returns them and how many there are in all."""
    members = [m for m in document["members"] if m["id"] in people]
    total = len(members)
    if total > MAX_NODES:
        members = sorted(
            members, key=lambda m: (-m["degree"], -m["betweenness"], m["name"], m["id"])
        )[:MAX_NODES]
        members.sort(key=lambda m: m["id"])
    return members, total


def group_style(number: int | None) -> tuple[str, str]:
    """The colour and shape of group `number` (1 is the largest); grey circles beyond."""
    if number and 1 <= number <= len(GROUP_STYLES):
        return GROUP_STYLES[number - 1]
    return COLOUR_GROUPLESS, "circle"


def _layout(count: int, edges: list[tuple[int, int, float]], cache_key: str | None) -> list:
    if count == 0:
        return []
    if cache_key:
        stored = cache.get(cache_key)
        if stored is not None and len(stored) == count:
            return stored
    graph = igraph.Graph(n=count, edges=[(a, b) for a, b, _w in edges], directed=False)
    # A circle in a fixed order as the start, and a seeded generator: the same snapshot gives
    # the same picture every time.
    seed = [
        [math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i in range(count)
    ]
    with _LAYOUT_LOCK:
        igraph.set_random_number_generator(random.Random(LAYOUT_SEED))
        try:
            layout = graph.layout_fruchterman_reingold(
                seed=seed,
                weights=[min(w, 5.0) for _a, _b, w in edges] or None,
                niter=LAYOUT_ITERATIONS,
            )
        finally:
            igraph.set_random_number_generator(random)
    coords = [(round(x, 4), round(y, 4)) for x, y in layout.coords]
    if cache_key:
        cache.set(cache_key, coords, LAYOUT_CACHE_SECONDS)
    return coords


def _split(members: list[dict], network: dict) -> tuple[list, list, list, list]:
    """The direct ties among `members` (index pairs), who is not connected (no direct tie:
    listed below the web), who is in the web, and the ties among the web (web positions).
    Ties of shared sessions only are not drawn: every pair at every session is a hairball."""
    index = {m["email"]: i for i, m in enumerate(members)}
    isolates = set(network.get("isolates", []))
    edges = [
        (index[e["a"]], index[e["b"]], float(e.get("weight", 1.0)))
        for e in network.get("edges", [])
        if e["a"] in index and e["b"] in index and e.get("strong")
    ]
    linked = {i for a, b, _w in edges for i in (a, b)}
    bottom = [i for i, m in enumerate(members) if m["email"] in isolates or i not in linked]
    below = set(bottom)
    in_web = [i for i in range(len(members)) if i not in below]
    position = {i: n for n, i in enumerate(in_web)}
    web_edges = [
        (position[a], position[b], w) for a, b, w in edges if a in position and b in position
    ]
    return edges, bottom, in_web, web_edges


def network_positions(members: list[dict], network: dict) -> dict[str, tuple[float, float]]:
    """The layout of the web (email -> x, y), the same network_svg computes for these members
    and ties: made once with the snapshot, so no request has to."""
    _edges, _bottom, in_web, web_edges = _split(members, network)
    coords = _layout(len(in_web), web_edges, None)
    return {members[i]["email"]: xy for i, xy in zip(in_web, coords, strict=True)}


def _fit(coords: list, left: float, top: float, width: float, height: float) -> list:
    """Spread the layout over the box. A force layout packs a busy core tight and pushes a few
    people far out; half of each position is its rank along the axis, so the core opens up
    and names fit, while who sits near whom stays the same."""
    if not coords:
        return []
    n = len(coords)
    out = [[0.0, 0.0] for _ in coords]
    for axis, (start, span) in enumerate(((left, width), (top, height))):
        values = [c[axis] for c in coords]
        low, high = min(values), max(values)
        order = sorted(range(n), key=lambda i: (values[i], i))
        rank = {i: r for r, i in enumerate(order)}
        for i, value in enumerate(values):
            linear = (value - low) / (high - low) if high > low else 0.5
            ranked = rank[i] / (n - 1) if n > 1 else 0.5
            out[i][axis] = round(start + span * (linear + ranked) / 2, 1)
    return [tuple(c) for c in out]


def _separate(points: list, gap: float, box: tuple, rounds: int = 40) -> list:
    """Push apart nodes closer than `gap` (two people on one spot hide each other and mix up
    their names), staying inside `box` (left, top, right, bottom). Pairwise, so only for the
    sizes where it matters and stays cheap; denser big webs are thinned by the cap."""
    if len(points) > SEPARATE_UP_TO:
        return points
    pts = [list(p) for p in points]
    left, top, right, bottom = box
    for _round in range(rounds):
        moved = False
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                dist = math.hypot(dx, dy)
                if dist >= gap:
                    continue
                if dist == 0:
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (gap - dist) / 2 + 0.1
                ux, uy = dx / dist, dy / dist
                pts[i][0] -= ux * push
                pts[i][1] -= uy * push
                pts[j][0] += ux * push
                pts[j][1] += uy * push
                moved = True
        for p in pts:
            p[0] = min(max(p[0], left), right)
            p[1] = min(max(p[1], top), bottom)
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in pts]


def role_label(role: str | None) -> str:
    return {
        "facilitator": _("facilitator"),
        "core": _("core group"),
        "guest": _("guest"),
    }.get(role or "", _("member"))


def direct_ties(member: dict, edges: list | None = None) -> int:
    """How many people `member` interacted with directly in the period (shared sessions do
    not count); from the ties drawn when an older snapshot did not store it."""
    if member.get("strong_degree") is not None:
        return int(member["strong_degree"])
    if edges is None:
        return int(member.get("degree", 0))
    return sum(1 for e in edges if e.get("strong") and member["email"] in (e["a"], e["b"]))


def person_facts(member: dict, *, ties: int, broker: bool, connected: bool, perspective) -> str:
    """'facilitator · group 2 · 5 direct contacts · links groups': what the picture says
    about one person, in words."""
    facts = [role_label(member.get("role"))]
    if not connected:
        facts.append(_("not connected"))
    elif member.get("group"):
        facts.append(_("group %(number)s") % {"number": member["group"]})
    facts.append(
        ngettext(
            "direct contact with %(count)s person",
            "direct contact with %(count)s people",
            ties,
        )
        % {"count": ties}
    )
    if broker:
        facts.append(_("links groups"))
    if perspective is not None:
        facts.append(str(perspective.name))
    return " · ".join(facts)


def _text_width(text: str, size: float = LABEL_SIZE) -> float:
    return len(text) * 0.6 * size


def _short(name: str, room: float) -> str:
    """The name, cut with an ellipsis to fit `room` units."""
    most = max(4, int(room // LABEL_CHAR))
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def _overlaps(box: tuple, boxes: list) -> bool:
    x1, y1, x2, y2 = box
    return any(x1 < b[2] and b[0] < x2 and y1 < b[3] and b[1] < y2 for b in boxes)


def _label_box(x: float, y: float, width: float, anchor: str) -> tuple:
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left - 1, y - LABEL_SIZE, left + width + 1, y + 3)


def _place(node: Node, name: str, radius: float, taken: list, dots: list):
    """Where a name goes beside its node (above, below, right, left), away from the names
    already placed and, if possible, from the other nodes; None if it fits nowhere."""
    width = _text_width(name)
    candidates = []
    for dx, dy, anchor in (
        (0, -radius - 5, "middle"),
        (0, radius + LABEL_SIZE + 2, "middle"),
        (radius + 4, 4, "start"),
        (-radius - 4, 4, "end"),
    ):
        x, y = node.x + dx, node.y + dy
        if anchor == "middle":
            x = min(max(x, MARGIN / 2 + width / 2), NETWORK_WIDTH - MARGIN / 2 - width / 2)
        box = _label_box(x, y, width, anchor)
        if box[0] < 0 or box[2] > NETWORK_WIDTH or box[1] < 0:
            continue
        candidates.append((round(x, 1), round(y, 1), anchor, box))
    free = [c for c in candidates if not _overlaps(c[3], taken)]
    clear = [c for c in free if not _overlaps(c[3], dots)]
    chosen = (clear or free or [None])[0]
    return chosen


def _hover_label(node: Node, name: str, radius: float) -> tuple:
    width = _text_width(name)
    x = min(max(node.x, width / 2 + 2), NETWORK_WIDTH - width / 2 - 2)
    y = node.y - radius - 5
    if y - LABEL_SIZE < 0:
        y = node.y + radius + LABEL_SIZE + 2
    return round(x, 1), round(y, 1), "middle"


def _shape(kind: str, x: float, y: float, r: float, fill: str, extra: str = "") -> str:
    """A node's mark: its group's shape around (x, y), about r units from the centre."""
    if kind == "square":
        s = round(r * 0.9, 1)
        return (
            f'<rect x="{round(x - s, 1)}" y="{round(y - s, 1)}" width="{2 * s}" '
            f'height="{2 * s}" fill="{fill}"{extra}/>'
        )
    if kind in ("triangle", "triangle-down", "diamond", "hexagon"):
        if kind == "triangle":
            points = [(0, -1.25), (1.1, 0.75), (-1.1, 0.75)]
        elif kind == "triangle-down":
            points = [(0, 1.25), (1.1, -0.75), (-1.1, -0.75)]
        elif kind == "diamond":
            points = [(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)]
        else:
            points = [
                (math.cos(math.pi / 3 * k) * 1.1, math.sin(math.pi / 3 * k) * 1.1) for k in range(6)
            ]
        coords = " ".join(f"{round(x + dx * r, 1)},{round(y + dy * r, 1)}" for dx, dy in points)
        return f'<polygon points="{coords}" fill="{fill}"{extra}/>'
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}"{extra}/>'


@dataclass
class _Frame:
    """The network picture's measures: the web on top, the not connected listed below."""

    radius: float
    web_height: int
    listed: list[int]
    rows: int
    bottom_top: int
    height: int


def _frame(in_web: list[int], bottom: list[int]) -> _Frame:
    radius = (
        8 if len(in_web) <= 30 else 6 if len(in_web) <= 80 else 4.5 if len(in_web) <= 200 else 3.5
    )
    web_height = (300 if len(in_web) <= 30 else 400 if len(in_web) <= 80 else 480) if in_web else 0
    listed = bottom[:NOT_CONNECTED_DRAWN]
    rows = math.ceil(len(listed) / NOT_CONNECTED_COLUMNS)
    bottom_top = web_height + (8 if in_web else 0)
    bottom_height = (
        (30 + rows * ROW_HEIGHT + (ROW_HEIGHT if len(bottom) > len(listed) else 0)) if bottom else 0
    )
    height = bottom_top + bottom_height + 6
    return _Frame(radius, web_height, listed, rows, bottom_top, height)


def _placed_nodes(
    members: list[dict],
    people: dict,
    in_web: list[int],
    web_edges: list,
    frame: _Frame,
    positions: dict | None,
    cache_key: str | None,
) -> list[Node]:
    """A node per member; the ones in the web laid out (or at their stored positions), the
    first NOT_CONNECTED_DRAWN not connected in columns below."""
    radius = frame.radius
    if positions is not None and all(members[i]["email"] in positions for i in in_web):
        raw_coords = [tuple(positions[members[i]["email"]]) for i in in_web]
    else:
        raw_coords = _layout(len(in_web), web_edges, cache_key)
    coords = _fit(
        raw_coords,
        MARGIN + radius,
        TOP_MARGIN,
        NETWORK_WIDTH - 2 * (MARGIN + radius),
        frame.web_height - TOP_MARGIN - MARGIN - radius,
    )
    coords = _separate(
        coords,
        2 * radius + 6,
        (MARGIN + radius, TOP_MARGIN, NETWORK_WIDTH - MARGIN - radius, frame.web_height - MARGIN),
    )
    nodes = [Node(member=m, person=people[m["id"]]) for m in members]
    for i, (x, y) in zip(in_web, coords, strict=True):
        nodes[i].x, nodes[i].y = x, y
    column = (NETWORK_WIDTH - 2 * MARGIN) / NOT_CONNECTED_COLUMNS
    for n, i in enumerate(frame.listed):
        nodes[i].x = round(MARGIN + column * (n % NOT_CONNECTED_COLUMNS) + 8, 1)
        nodes[i].y = round(frame.bottom_top + 30 + ROW_HEIGHT * (n // NOT_CONNECTED_COLUMNS) + 8, 1)
    return nodes


def _network_desc(
    members: list[dict],
    *,
    edges: list,
    in_web: list[int],
    brokers: set[str],
    bottom: list[int],
    total: int,
    ties_total: int | None,
) -> str:
    """The picture's description: what is drawn, and what is left out."""
    groups = {members[i].get("group") for i in in_web}
    groups.discard(None)
    desc = _(
        "%(shown)s members and %(ties)s direct ties, in %(groups)s groups (each its own colour "
        "and shape). %(brokers)s brokers who link groups (thick ring). %(isolates)s not "
        "connected: no direct contact with anyone, listed by name below the web."
    ) % {
        "shown": len(members),
        "ties": len(edges),
        "groups": len(groups),
        "brokers": sum(1 for m in members if m["email"] in brokers),
        "isolates": len(bottom),
    }
    if total > len(members):
        desc += " " + _("Only the %(shown)s best connected of the %(total)s members are drawn.") % {
            "shown": len(members),
            "total": total,
        }
    if ties_total and ties_total > len(edges):
        desc += " " + _("Only the %(shown)s strongest of the %(total)s ties are drawn.") % {
            "shown": len(edges),
            "total": ties_total,
        }
    return desc


def _tie_lines(edges: list, nodes: list[Node], listed: set[int]) -> list[str]:
    """The direct ties in the web, as lines."""
    parts = []
    for a, b, weight in edges:
        na, nb = nodes[a], nodes[b]
        if a in listed or b in listed:
            continue
        width = round(min(3.0, 0.8 + math.log1p(weight) / 1.5), 2)
        parts.append(
            f'<line class="net-tie" data-a="{na.person.pk}" data-b="{nb.person.pk}" '
            f'x1="{na.x}" y1="{na.y}" x2="{nb.x}" y2="{nb.y}" stroke-width="{width}"/>'
        )
    return parts


def _bottom_heading(bottom: list[int], frame: _Frame) -> list[str]:
    """The rule and heading above the not connected, and how many more there are."""
    if not bottom:
        return []
    bottom_top = frame.bottom_top
    heading = escape(
        ngettext(
            "Not connected yet (%(count)s)",
            "Not connected yet (%(count)s)",
            len(bottom),
        )
        % {"count": len(bottom)}
    )
    parts = [
        f'<line x1="{MARGIN / 2}" y1="{bottom_top}" x2="{NETWORK_WIDTH - MARGIN / 2}" '
        f'y2="{bottom_top}" stroke="{COLOUR_WEAK}" stroke-width="1" aria-hidden="true"/>'
        f'<text class="chart-label" x="{MARGIN / 2}" y="{bottom_top + 19}" '
        f'font-size="{LABEL_SIZE}" font-weight="600" fill="{COLOUR_AXIS}" '
        f'aria-hidden="true">{heading}</text>'
    ]
    if len(bottom) > len(frame.listed):
        more = escape(
            _("and %(count)s more: see the list below the picture")
            % {"count": len(bottom) - len(frame.listed)}
        )
        parts.append(
            f'<text class="chart-label" x="{MARGIN / 2}" '
            f'y="{bottom_top + 30 + frame.rows * ROW_HEIGHT + 14}" font-size="{LABEL_SIZE}" '
            f'fill="{COLOUR_AXIS}" aria-hidden="true">{more}</text>'
        )
    return parts


def _fixed_names(
    nodes: list[Node], members: list[dict], in_web: list[int], brokers: set[str], radius: float
) -> dict[int, tuple]:
    """Names that are always written: facilitators and brokers, the facilitators first; each
    where it does not cover another name. Node index -> (x, y, anchor, box)."""
    web = set(in_web)
    taken: list[tuple] = []
    dots = [
        (n.x - radius, n.y - radius, n.x + radius, n.y + radius)
        for i, n in enumerate(nodes)
        if i in web
    ]
    fixed: dict[int, tuple] = {}
    for i in sorted(
        (
            i
            for i in in_web
            if members[i].get("role") == "facilitator" or members[i]["email"] in brokers
        ),
        key=lambda i: (members[i].get("role") != "facilitator", members[i]["name"], i),
    ):
        name = nodes[i].person.full_name or members[i]["name"]
        own = (nodes[i].x - radius, nodes[i].y - radius, nodes[i].x + radius, nodes[i].y + radius)
        spot = _place(nodes[i], name, radius, taken, [d for d in dots if d != own])
        if spot is not None:
            fixed[i] = spot
            taken.append(spot[3])
    return fixed


def _name_texts(fixed: dict[int, tuple], nodes: list[Node], members: list[dict]) -> list[str]:
    """The names written always, over every node and line; each node's link already says
    the name to screen readers."""
    parts = ['<g class="net-names" aria-hidden="true">']
    for i, (x, y, anchor, _box) in fixed.items():
        name = nodes[i].person.full_name or members[i]["name"]
        parts.append(
            f'<text class="net-label net-label-fixed" data-member="{nodes[i].person.pk}" '
            f'x="{x}" y="{y}" text-anchor="{anchor}" font-size="{LABEL_SIZE}" '
            f'font-weight="600" fill="{COLOUR_INK}" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{escape(name)}</text>'
        )
    parts.append("</g>")
    return parts


def network_svg(
    document: dict,
    *,
    people: dict,
    perspectives: dict,
    cache_key: str | None = None,
    chart_id: str = "network",
    positions: dict | None = None,
    total: int | None = None,
    ties_total: int | None = None,
) -> SafeString:
    """The relations network: one linked node per member, coloured and shaped by their group;
    brokers with a thick ring; the names of facilitators and brokers written beside them;
    people without direct ties listed by name below the web; direct ties as lines.
    `positions` (email -> layout x, y, from network_positions) skips the layout; `total` is
    how many members there are when `document` holds only the ones to draw, `ties_total`
    how many ties there are among them when it holds only the strongest."""
    members, counted = network_members(document, people)
    total = max(total or 0, counted)
    if not members:
        return mark_safe("")
    network = document.get("network", {})
    brokers = set(network.get("brokers", []))
    edges, bottom, in_web, web_edges = _split(members, network)
    frame = _frame(in_web, bottom)
    nodes = _placed_nodes(members, people, in_web, web_edges, frame, positions, cache_key)
    desc = _network_desc(
        members,
        edges=edges,
        in_web=in_web,
        brokers=brokers,
        bottom=bottom,
        total=total,
        ties_total=ties_total,
    )
    title = escape(_("The relations network"))
    listed_set = set(frame.listed)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-network" role="group" '
        f'viewBox="0 0 {NETWORK_WIDTH} {frame.height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        # The lines' colour and opacity once, on their group (hundreds of lines).
        f'<g class="net-edges" aria-hidden="true" stroke="{COLOUR_STRONG}" stroke-opacity="0.6">',
        *_tie_lines(edges, nodes, listed_set),
        "</g>",
        *_bottom_heading(bottom, frame),
    ]
    fixed = _fixed_names(nodes, members, in_web, brokers, frame.radius)
    # One reverse() for all the nodes: hundreds of them add up.
    href = reverse("person-detail", kwargs={"pk": 999999999}).replace("999999999", "%(pk)s")
    web = set(in_web)
    drawn = web | listed_set
    for i, node in enumerate(nodes):
        if i not in drawn:
            continue
        parts.append(
            _node(
                node,
                perspectives=perspectives,
                broker=node.member["email"] in brokers,
                connected=i in web,
                radius=frame.radius,
                href=href,
                label=fixed.get(i),
                ties=direct_ties(node.member, network.get("edges")),
            )
        )
    parts.extend(_name_texts(fixed, nodes, members))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _node(
    node: Node,
    *,
    perspectives: dict,
    broker: bool,
    connected: bool,
    radius: float,
    href: str,
    label: tuple | None,
    ties: int,
) -> str:
    m = node.member
    first = m["perspectives"][0] if m["perspectives"] else None
    perspective = perspectives.get(first) if first else None
    name = node.person.full_name or m["name"]
    facts = person_facts(m, ties=ties, broker=broker, connected=connected, perspective=perspective)
    css = ["net-node"]
    if m.get("role") == "facilitator":
        css.append("net-facilitator")
    ring = ""
    if not connected:
        css.append("net-isolate")
        mark = (
            f'<circle cx="{node.x}" cy="{node.y}" r="{radius}" fill="#ffffff" '
            f'stroke="{COLOUR_INK}" stroke-width="1.5" stroke-dasharray="2 2"/>'
        )
        text = (
            f'<text class="net-label net-label-fixed" x="{round(node.x + radius + 6, 1)}" '
            f'y="{round(node.y + 4.5, 1)}" font-size="{LABEL_SIZE}" fill="{COLOUR_INK}">'
            f"{escape(_short(name, NOT_CONNECTED_ROOM))}</text>"
        )
    else:
        colour, shape = group_style(m.get("group"))
        if broker:
            css.append("net-broker")
            ring = (
                f'<circle cx="{node.x}" cy="{node.y}" r="{radius + 4}" fill="none" '
                f'stroke="{COLOUR_INK}" stroke-width="2.5"/>'
            )
        if m.get("role") == "facilitator":
            ring += (
                f'<circle cx="{node.x}" cy="{node.y}" r="{radius + 7}" fill="none" '
                f'stroke="{COLOUR_INK}" stroke-width="1.2" stroke-dasharray="1 0"/>'
            )
        mark = _shape(shape, node.x, node.y, radius, colour, ' stroke="#ffffff" stroke-width="1.5"')
        if label is not None:
            text = ""  # written above every node, in network_svg
        else:
            x, y, anchor = _hover_label(node, name, radius)
            text = (
                f'<text class="net-label" x="{x}" y="{y}" text-anchor="{anchor}" '
                f'font-size="{LABEL_SIZE}" font-weight="600" fill="{COLOUR_INK}" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke" '
                f'visibility="hidden">{escape(name)}</text>'
            )
    href = href % {"pk": int(node.person.pk)}
    spoken = f"{name}: {facts}"
    return (
        f'<a class="{" ".join(css)}" href="{escape(href)}" tabindex="0" '
        f'data-member="{node.person.pk}" data-name="{escape(name)}" data-facts="{escape(facts)}" '
        f'aria-label="{escape(spoken)}">'
        f"<title>{escape(spoken)}</title>{ring}{mark}{text}</a>"
    )


def network_legend(members: list[dict], perspectives: dict | None = None) -> list[dict]:
    """The groups that appear in the picture, each with its colour and shape (an inline SVG:
    presentation attributes, no style), largest first."""
    sizes: dict[int, int] = {}
    for m in members:
        if m.get("group"):
            sizes[m["group"]] = sizes.get(m["group"], 0) + 1
    rows = []
    other = 0
    for number in sorted(sizes):
        if number > len(GROUP_STYLES):
            other += sizes[number]
            continue
        colour, shape = group_style(number)
        rows.append(
            {
                "number": number,
                "label": ngettext(
                    "group %(number)s (%(count)s person)",
                    "group %(number)s (%(count)s people)",
                    sizes[number],
                )
                % {"number": number, "count": sizes[number]},
                "swatch": _mark(18, 18, _shape(shape, 9, 9, 6.5, colour)),
            }
        )
    if other:
        rows.append(
            {
                "number": None,
                "label": ngettext(
                    "smaller groups (%(count)s person)",
                    "smaller groups (%(count)s people)",
                    other,
                )
                % {"count": other},
                "swatch": _mark(18, 18, _shape("circle", 9, 9, 6.5, COLOUR_GROUPLESS)),
            }
        )
    return rows


def _mark(width: int, height: int, shape: str) -> SafeString:
    return mark_safe(  # noqa: S308 (constant shapes and colours only)
        f'<svg class="legend-swatch" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">{shape}</svg>'
    )


def group_swatch(number: int | None) -> SafeString:
    colour, shape = group_style(number)
    return _mark(18, 18, _shape(shape, 9, 9, 6.5, colour))


def legend_marks() -> list[dict]:
    """Swatches for rings and lines, the same shapes as in the picture."""
    return [
        {
            "label": _("thin outer ring: facilitator"),
            "swatch": _mark(
                22,
                22,
                f'<circle cx="11" cy="11" r="5" fill="{COLOUR_GROUPLESS}"/>'
                f'<circle cx="11" cy="11" r="10" fill="none" stroke="{COLOUR_INK}" '
                f'stroke-width="1.2"/>',
            ),
        },
        {
            "label": _("thick ring: links groups (a broker)"),
            "swatch": _mark(
                20,
                20,
                f'<circle cx="10" cy="10" r="8" fill="none" stroke="{COLOUR_INK}" '
                f'stroke-width="2.5"/>',
            ),
        },
        {
            "label": _("open dashed circle: not connected yet"),
            "swatch": _mark(
                18,
                18,
                f'<circle cx="9" cy="9" r="7" fill="#ffffff" stroke="{COLOUR_INK}" '
                f'stroke-width="1.5" stroke-dasharray="2 2"/>',
            ),
        },
        {
            "label": _("line: direct contact (replies, answers, mentions, messages)"),
            "swatch": _mark(
                24,
                10,
                f'<line x1="1" y1="5" x2="23" y2="5" stroke="{COLOUR_STRONG}" stroke-width="2"/>',
            ),
        },
    ]


# Trends --------------------------------------------------------------------------------------


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_label(key: str, fmt: str = "M Y") -> str:
    return short_date(_month(key), fmt)


def trend_svg(
    *, months: list[str], values: list[int], title: str, chart_id: str, style: str = "line"
) -> SafeString:
    """A small line or bar chart of one number per month, with a summary in <desc>."""
    if not months:
        return mark_safe("")
    values = [int(v or 0) for v in values]
    top = max(values) or 1
    inner_w = TREND_WIDTH - TREND_MARGIN_LEFT - TREND_MARGIN
    base_y = TREND_HEIGHT - 30
    inner_h = base_y - TREND_MARGIN
    slot = inner_w / len(months)
    desc = _(
        "From %(first)s to %(last)s: lowest %(low)s, highest %(high)s, %(latest)s in the last "
        "month."
    ) % {
        "first": month_label(months[0]),
        "last": month_label(months[-1]),
        "low": min(values),
        "high": max(values),
        "latest": values[-1],
    }
    parts = [
        _svg_open(width=TREND_WIDTH, height=TREND_HEIGHT, chart_id=chart_id, css="chart-trend"),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line class="chart-axis" x1="{TREND_MARGIN_LEFT}" y1="{base_y}" '
        f'x2="{TREND_WIDTH - TREND_MARGIN}" y2="{base_y}" stroke="{COLOUR_AXIS}" '
        f'stroke-width="1"/>',
        f'<text class="chart-label" x="{TREND_MARGIN_LEFT - 6}" y="{base_y + 4}" '
        f'font-size="{TEXT_SIZE}" text-anchor="end" fill="{COLOUR_AXIS}" '
        f'aria-hidden="true">0</text>',
    ]

    if any(values):
        parts.append(
            f'<text class="chart-label" x="{TREND_MARGIN_LEFT - 6}" y="{TREND_MARGIN + 4}" '
            f'font-size="{TEXT_SIZE}" text-anchor="end" fill="{COLOUR_AXIS}" aria-hidden="true">'
            f"{formats.number_format(top, use_l10n=True)}</text>",
        )

    def x_of(n: int) -> float:
        return round(TREND_MARGIN_LEFT + slot * (n + 0.5), 1)

    def y_of(value: int) -> float:
        return round(base_y - inner_h * value / top, 1)

    if style == "line":
        points = " ".join(f"{x_of(n)},{y_of(v)}" for n, v in enumerate(values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOUR_LINE}" stroke-width="2" '
            f'aria-hidden="true"/>'
        )
    for n, (key, value) in enumerate(zip(months, values, strict=True)):
        label = f"{month_label(key)}: {value}"
        if style == "bar":
            h = round(inner_h * value / top, 1)
            shape = (
                f'<rect x="{round(x_of(n) - slot * 0.35, 1)}" y="{round(base_y - h, 1)}" '
                f'width="{round(slot * 0.7, 1)}" height="{h}" fill="{COLOUR_BAR}"/>'
            )
        else:
            shape = f'<circle cx="{x_of(n)}" cy="{y_of(value)}" r="3" fill="{COLOUR_LINE}"/>'
        parts.append(f'<g class="trend-point"><title>{escape(label)}</title>{shape}</g>')
        if n % 3 == 0 or n == len(months) - 1:
            parts.append(
                f'<text class="chart-label" x="{x_of(n)}" y="{base_y + 18}" '
                f'font-size="{TEXT_SIZE}" '
                f'text-anchor="middle" fill="{COLOUR_AXIS}" aria-hidden="true">'
                f"{escape(month_label(key, 'M'))}</text>"
            )
    if not any(values):
        nothing = escape(_("Nothing yet in these months."))
        parts.append(
            f'<text class="chart-label" x="{TREND_MARGIN_LEFT + inner_w / 2}" '
            f'y="{TREND_MARGIN + inner_h / 2}" font-size="{TEXT_SIZE + 1}" text-anchor="middle" '
            f'fill="{COLOUR_AXIS}">{nothing}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


TRENDS = (
    ("active_members", "line"),
    ("contributions", "bar"),
    ("attendance", "bar"),
    ("new_ties", "line"),
    ("follow_ups", "bar"),
)


def trend_title(key: str) -> str:
    return {
        "active_members": _("Active members per month"),
        "contributions": _("Contributions per month"),
        "attendance": _("Attendance at sessions per month"),
        "new_ties": _("New ties per month"),
        "follow_ups": _("Suggestions followed up per month"),
    }[key]


def trend_charts(trends: dict) -> list[dict]:
    """The trend charts of the dashboard, each with its table rows."""
    months = trends.get("months", [])
    charts = []
    for key, style in TRENDS:
        values = trends.get(key, [0] * len(months))
        charts.append(
            {
                "key": key,
                "title": trend_title(key),
                "svg": trend_svg(
                    months=months,
                    values=values,
                    title=trend_title(key),
                    chart_id=f"trend-{key.replace('_', '-')}",
                    style=style,
                ),
                "rows": [
                    {"month": month_label(m), "value": v}
                    for m, v in zip(months, values, strict=False)
                ],
            }
        )
    return charts
