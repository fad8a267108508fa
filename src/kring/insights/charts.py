"""Server-drawn SVG for the facilitator's dashboard: the relations network and the four trend
charts.

Plain strings, every text escaped. No inline styles (the CSP forbids them): colours are SVG
presentation attributes, so the pictures print and work without the stylesheet; classes let
kring.css adjust them (names in the network appear on hover and keyboard focus). Each picture
has role="img" with a <title> and a <desc>; every node and data point has its own <title>.

The network layout is computed with igraph from the snapshot's edges, deterministically (a
fixed start position and a fixed random seed), and cached per snapshot: a snapshot never
changes, so neither does its picture.
"""

import math
import random
import re
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

MAX_NODES = 400
LAYOUT_SEED = 20240601
LAYOUT_ITERATIONS = 500
LAYOUT_CACHE_SECONDS = 7 * 24 * 3600

NETWORK_WIDTH = 720
NETWORK_HEIGHT = 480
SMALL_HEIGHT = 340
MARGIN = 28
ROW_HEIGHT = 26

# Colours meet 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOUR_NONE = "#6b7780"
COLOUR_INK = "#1b1f23"
COLOUR_STRONG = "#4f5a62"
COLOUR_WEAK = "#8a959d"
COLOUR_AXIS = "#4f5a62"
COLOUR_LINE = "#0b5563"
COLOUR_BAR = "#0b5563"
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")

TREND_WIDTH = 340
TREND_HEIGHT = 170
TREND_MARGIN_LEFT = 34
TREND_MARGIN = 14

# igraph draws its random numbers from one process-wide generator: swap in a seeded one for
# the layout, one layout at a time.
_LAYOUT_LOCK = threading.Lock()


def _colour(value: str | None) -> str:
    return value if value and HEX_COLOUR.match(value) else COLOUR_NONE


def _svg_open(*, width: int, height: float, chart_id: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif">'
    )


# The network ---------------------------------------------------------------------------------


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
    """The ties among `members` (index pairs), who goes in the row at the bottom (no direct
    tie drawn), who in the web, and the ties among the web (web positions)."""
    index = {m["email"]: i for i, m in enumerate(members)}
    isolates = set(network.get("isolates", []))
    edges = [
        (index[e["a"]], index[e["b"]], float(e.get("weight", 1.0)), bool(e.get("strong")))
        for e in network.get("edges", [])
        if e["a"] in index and e["b"] in index
    ]
    linked = {i for a, b, _w, _s in edges for i in (a, b)}
    bottom = [i for i, m in enumerate(members) if m["email"] in isolates or i not in linked]
    in_web = [i for i in range(len(members)) if i not in set(bottom)]
    position = {i: n for n, i in enumerate(in_web)}
    web_edges = [
        (position[a], position[b], w) for a, b, w, _s in edges if a in position and b in position
    ]
    return edges, bottom, in_web, web_edges


def network_positions(members: list[dict], network: dict) -> dict[str, tuple[float, float]]:
    """The layout of the web (email -> x, y), the same network_svg computes for these members
    and ties: made once with the snapshot, so no request has to."""
    _edges, _bottom, in_web, web_edges = _split(members, network)
    coords = _layout(len(in_web), web_edges, None)
    return {members[i]["email"]: xy for i, xy in zip(in_web, coords, strict=True)}


def _fit(coords: list, left: float, top: float, width: float, height: float) -> list:
    """Scale the layout into the box, the same in both directions (a line stays a line, not a
    diagonal), and centre it."""
    if not coords:
        return []
    xs = [x for x, _y in coords]
    ys = [y for _x, y in coords]
    span_x = max(xs) - min(xs)
    span_y = max(ys) - min(ys)
    scale = min(width / span_x if span_x else math.inf, height / span_y if span_y else math.inf)
    if scale == math.inf:
        scale = 0.0
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return [
        (
            round(left + width / 2 + scale * (x - mid_x), 1),
            round(top + height / 2 + scale * (y - mid_y), 1),
        )
        for x, y in coords
    ]


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
    """The relations network: one linked node per member, coloured by their first
    perspective; brokers with a thick ring, people without direct ties with a dashed ring in a
    row at the bottom; direct ties as solid lines, shared sessions as light dashed ones.
    `positions` (email -> layout x, y, from network_positions) skips the layout; `total` is
    how many members there are when `document` holds only the ones to draw, `ties_total`
    how many ties there are among them when it holds only the strongest."""
    members, counted = network_members(document, people)
    total = max(total or 0, counted)
    if not members:
        return mark_safe("")
    network = document.get("network", {})
    brokers = set(network.get("brokers", []))
    isolates = set(network.get("isolates", []))
    edges, bottom, in_web, web_edges = _split(members, network)
    radius = (
        9 if len(members) <= 30 else 7 if len(members) <= 80 else 5 if len(members) <= 200 else 4
    )
    per_row = max(1, int((NETWORK_WIDTH - 2 * MARGIN) // (radius * 2 + 16)))
    rows = math.ceil(len(bottom) / per_row) if bottom else 0
    web_height = (NETWORK_HEIGHT if len(in_web) > 40 else SMALL_HEIGHT) if in_web else 0
    height = web_height + (rows * ROW_HEIGHT + 30 if rows else 0) or ROW_HEIGHT + 30
    if positions is not None and all(members[i]["email"] in positions for i in in_web):
        raw_coords = [tuple(positions[members[i]["email"]]) for i in in_web]
    else:
        raw_coords = _layout(len(in_web), web_edges, cache_key)
    coords = _fit(
        raw_coords,
        MARGIN,
        MARGIN,
        NETWORK_WIDTH - 2 * MARGIN,
        web_height - 2 * MARGIN,
    )
    nodes = [Node(member=m, person=people[m["id"]]) for m in members]
    for i, (x, y) in zip(in_web, coords, strict=True):
        nodes[i].x, nodes[i].y = x, y
    spacing = (NETWORK_WIDTH - 2 * MARGIN) / per_row
    for n, i in enumerate(bottom):
        nodes[i].x = round(MARGIN + spacing * (n % per_row + 0.5), 1)
        nodes[i].y = round(web_height + 30 + ROW_HEIGHT * (n // per_row) + ROW_HEIGHT / 2, 1)

    strong = sum(1 for *_rest, s in edges if s)
    desc = _(
        "%(shown)s members and %(ties)s ties: %(strong)s direct, %(weak)s only through shared "
        "sessions. %(brokers)s brokers (thick ring), %(isolates)s without direct ties (dashed "
        "ring, in the row at the bottom)."
    ) % {
        "shown": len(members),
        "ties": len(edges),
        "strong": strong,
        "weak": len(edges) - strong,
        "brokers": sum(1 for m in members if m["email"] in brokers),
        "isolates": sum(1 for m in members if m["email"] in isolates),
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
    title = escape(_("The relations network"))
    parts = [
        _svg_open(width=NETWORK_WIDTH, height=height, chart_id=chart_id, css="chart-network"),
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        '<g class="net-edges" aria-hidden="true">',
    ]
    for a, b, weight, is_strong in edges:
        na, nb = nodes[a], nodes[b]
        if is_strong:
            width = round(min(4.0, 1.0 + math.log1p(weight) / 1.5), 2)
            parts.append(
                f'<line class="net-tie" x1="{na.x}" y1="{na.y}" x2="{nb.x}" y2="{nb.y}" '
                f'stroke="{COLOUR_STRONG}" stroke-width="{width}" stroke-opacity="0.7"/>'
            )
        else:
            parts.append(
                f'<line class="net-tie-weak" x1="{na.x}" y1="{na.y}" x2="{nb.x}" y2="{nb.y}" '
                f'stroke="{COLOUR_WEAK}" stroke-width="1" stroke-opacity="0.6" '
                f'stroke-dasharray="4 3"/>'
            )
    parts.append("</g>")
    if bottom:
        label_y = web_height + 18
        no_ties = escape(_("No direct ties yet"))
        parts.append(
            f'<text class="chart-label" x="{MARGIN}" y="{label_y}" font-size="12" '
            f'fill="{COLOUR_AXIS}" aria-hidden="true">'
            f"{no_ties}</text>"
        )
    # One reverse() for all the nodes: hundreds of them add up.
    href = reverse("person-detail", kwargs={"pk": 999999999}).replace("999999999", "%(pk)s")
    for node in nodes:
        parts.append(_node(node, perspectives, brokers, isolates, radius, href))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _node(
    node: Node, perspectives: dict, brokers: set, isolates: set, radius: int, href: str
) -> str:
    m = node.member
    first = m["perspectives"][0] if m["perspectives"] else None
    perspective = perspectives.get(first) if first else None
    colour = _colour(perspective.colour if perspective else None)
    name = node.person.full_name or m["name"]
    facts = [name, perspective.name if perspective else _("no perspective")]
    facts.append(ngettext("%(count)s tie", "%(count)s ties", m["degree"]) % {"count": m["degree"]})
    css = ["net-node"]
    ring = ""
    if m["email"] in brokers:
        facts.append(_("broker"))
        css.append("net-broker")
        ring = (
            f'<circle cx="{node.x}" cy="{node.y}" r="{radius + 3}" fill="none" '
            f'stroke="{COLOUR_INK}" stroke-width="3"/>'
        )
    elif m["email"] in isolates:
        facts.append(_("no direct ties"))
        css.append("net-isolate")
        ring = (
            f'<circle cx="{node.x}" cy="{node.y}" r="{radius + 3}" fill="none" '
            f'stroke="{COLOUR_INK}" stroke-width="1.5" stroke-dasharray="2 2"/>'
        )
    href = href % {"pk": int(node.person.pk)}
    label_y = round(node.y - radius - 6, 1)
    # Names near an edge grow inwards, so they are not cut off.
    anchor = (
        "start"
        if node.x < NETWORK_WIDTH / 4
        else "end"
        if node.x > NETWORK_WIDTH * 3 / 4
        else "middle"
    )
    return (
        f'<a class="{" ".join(css)}" href="{escape(href)}" tabindex="0" '
        f'data-member="{node.person.pk}">'
        f"<title>{escape(' — '.join(facts))}</title>{ring}"
        f'<circle cx="{node.x}" cy="{node.y}" r="{radius}" fill="{colour}" stroke="#ffffff" '
        f'stroke-width="1.5"/>'
        f'<text class="net-label" x="{node.x}" y="{label_y}" text-anchor="{anchor}" '
        f'font-size="13" font-weight="600" fill="{COLOUR_INK}" stroke="#ffffff" '
        f'stroke-width="3" paint-order="stroke" visibility="hidden">{escape(name)}</text></a>'
    )


def network_legend(members: list[dict], perspectives: dict) -> list[dict]:
    """The perspectives that appear in the picture, with a small swatch each (an inline SVG:
    presentation attributes, no style)."""
    used: list[str] = []
    none = False
    for m in members:
        if m["perspectives"]:
            if m["perspectives"][0] not in used:
                used.append(m["perspectives"][0])
        else:
            none = True
    rows = []
    for key in sorted(used, key=lambda k: (getattr(perspectives.get(k), "position", 999), k)):
        perspective = perspectives.get(key)
        rows.append(
            {
                "label": perspective.name if perspective else key,
                "swatch": _swatch(_colour(perspective.colour if perspective else None)),
            }
        )
    if none:
        rows.append({"label": _("no perspective"), "swatch": _swatch(COLOUR_NONE)})
    return rows


def _swatch(colour: str) -> SafeString:
    return mark_safe(  # noqa: S308 (a validated colour only)
        f'<svg class="legend-swatch" width="14" height="14" viewBox="0 0 14 14" '
        f'aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="6" fill="{colour}"/></svg>'
    )


def _mark(width: int, height: int, shape: str) -> SafeString:
    return mark_safe(  # noqa: S308 (constant shapes and colours only)
        f'<svg class="legend-swatch" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">{shape}</svg>'
    )


def legend_marks() -> list[dict]:
    """Swatches for rings and lines, the same shapes as in the picture."""
    return [
        {
            "label": _("broker: links groups"),
            "swatch": _mark(
                18,
                18,
                f'<circle cx="9" cy="9" r="7" fill="none" stroke="{COLOUR_INK}" stroke-width="3"/>',
            ),
        },
        {
            "label": _("no direct ties"),
            "swatch": _mark(
                18,
                18,
                f'<circle cx="9" cy="9" r="7" fill="none" stroke="{COLOUR_INK}" '
                f'stroke-width="1.5" stroke-dasharray="2 2"/>',
            ),
        },
        {
            "label": _("direct tie (replies, answers, mentions, messages)"),
            "swatch": _mark(
                24,
                10,
                f'<line x1="1" y1="5" x2="23" y2="5" stroke="{COLOUR_STRONG}" stroke-width="2"/>',
            ),
        },
        {
            "label": _("only shared sessions"),
            "swatch": _mark(
                24,
                10,
                f'<line x1="1" y1="5" x2="23" y2="5" stroke="{COLOUR_WEAK}" stroke-width="1.5" '
                f'stroke-dasharray="4 3"/>',
            ),
        },
    ]


# Trends --------------------------------------------------------------------------------------


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_label(key: str, fmt: str = "M Y") -> str:
    return formats.date_format(_month(key), fmt)


def trend_svg(
    *, months: list[str], values: list[int], title: str, chart_id: str, style: str = "line"
) -> SafeString:
    """A small line or bar chart of one number per month, with a summary in <desc>."""
    if not months:
        return mark_safe("")
    values = [int(v or 0) for v in values]
    top = max(values) or 1
    inner_w = TREND_WIDTH - TREND_MARGIN_LEFT - TREND_MARGIN
    base_y = TREND_HEIGHT - 28
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
        f'<text class="chart-label" x="{TREND_MARGIN_LEFT - 6}" y="{TREND_MARGIN + 4}" '
        f'font-size="11" text-anchor="end" fill="{COLOUR_AXIS}" aria-hidden="true">{top}</text>',
        f'<text class="chart-label" x="{TREND_MARGIN_LEFT - 6}" y="{base_y + 4}" '
        f'font-size="11" text-anchor="end" fill="{COLOUR_AXIS}" aria-hidden="true">0</text>',
    ]

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
                f'<text class="chart-label" x="{x_of(n)}" y="{base_y + 16}" font-size="10" '
                f'text-anchor="middle" fill="{COLOUR_AXIS}" aria-hidden="true">'
                f"{escape(month_label(key, 'M'))}</text>"
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
