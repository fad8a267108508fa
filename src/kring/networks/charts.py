"""The network of communities as a server-drawn SVG: one node per linked community, sized by
its members; a line between two communities that share members, wider the more they share;
the communities without any bridge set apart below a rule, each with its name.

The approach of kring.insights.charts (the relations network): an igraph layout with a
fixed start and seed (cached by the picture's content), spread over a box about as wide as a
phone shows it, every text escaped, presentation attributes instead of styles. The picture is
one image (role="img") with a title and a description; the page puts a table beside it with
every figure in it (the text alternative).
"""

import hashlib
import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.insights.charts import (
    COLOUR_AXIS,
    COLOUR_INK,
    COLOUR_LINE,
    COLOUR_STRONG,
    COLOUR_WEAK,
    LABEL_SIZE,
    MARGIN,
    NETWORK_WIDTH,
    TOP_MARGIN,
    Node,
    _fit,
    _layout,
    _place,
    _separate,
    _short,
)

COLUMNS = 2
ROW_HEIGHT = 24
APART_DRAWN = 40
NAME_ROOM = 150  # units for a name beside a node in the web
APART_ROOM = (NETWORK_WIDTH - 2 * MARGIN) / COLUMNS - 26
MAX_TIE_WIDTH = 7.0


def _radii(count: int) -> tuple[float, float]:
    """The smallest and largest node for a web of `count` communities."""
    largest = 18.0 if count <= 12 else 12.0 if count <= 40 else 8.0
    return max(3.5, largest / 3), largest


def _web_height(count: int) -> int:
    if not count:
        return 0
    return 200 if count <= 4 else 300 if count <= 12 else 400 if count <= 40 else 480


def _desc(communities: int, ties: int, apart: int, shown_apart: int) -> str:
    desc = _(
        "%(communities)s communities, each a circle sized by its members; %(ties)s lines "
        "between communities that share members, wider the more they share. %(apart)s "
        "without any bridge, set apart below."
    ) % {"communities": communities, "ties": ties, "apart": apart}
    if apart > shown_apart:
        desc += " " + _("The first %(shown)s of them are drawn; every one is in the table.") % {
            "shown": shown_apart
        }
    return desc


def network_map_svg(document: dict, *, chart_id: str = "communities-map") -> SafeString:
    """The picture of a network insights document (its communities, links and isolated)."""
    communities = document.get("communities", [])
    if not communities:
        return mark_safe("")
    apart_slugs = set(document.get("isolated_communities", []))
    web = [c for c in communities if c["slug"] not in apart_slugs]
    apart = [c for c in communities if c["slug"] in apart_slugs]
    index = {c["slug"]: i for i, c in enumerate(web)}
    ties = [
        (index[link["a"]], index[link["b"]], int(link["shared_members"]))
        for link in document.get("links", [])
        if link["a"] in index and link["b"] in index
    ]
    smallest, largest = _radii(len(web))
    most = max((c["members"] for c in communities), default=0) or 1
    radius = [smallest + (largest - smallest) * math.sqrt(c["members"] / most) for c in web]
    web_height = _web_height(len(web))
    nodes = [Node(member=c, person=None) for c in web]
    if web:
        digest = hashlib.sha256(repr((len(web), ties)).encode()).hexdigest()[:24]
        raw = _layout(len(web), [(a, b, float(n)) for a, b, n in ties], f"networks:map:{digest}")
        coords = _fit(
            raw,
            MARGIN + largest,
            TOP_MARGIN + largest / 2,
            NETWORK_WIDTH - 2 * (MARGIN + largest),
            web_height - TOP_MARGIN - MARGIN - 1.5 * largest,
        )
        coords = _separate(
            coords,
            2 * largest + 4,
            (MARGIN + largest, TOP_MARGIN, NETWORK_WIDTH - MARGIN - largest, web_height - MARGIN),
        )
        for node, (x, y) in zip(nodes, coords, strict=True):
            node.x, node.y = x, y
    drawn_apart = apart[:APART_DRAWN]
    rows = math.ceil(len(drawn_apart) / COLUMNS)
    apart_top = web_height + (8 if web else 0)
    height = apart_top + (
        (30 + rows * ROW_HEIGHT + (ROW_HEIGHT if len(apart) > len(drawn_apart) else 0))
        if apart
        else 0
    )
    height += 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-communities" role="img" '
        f'viewBox="0 0 {NETWORK_WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(_("The communities and their bridges"))}</title>',
        f'<desc id="{chart_id}-desc">'
        f"{escape(_desc(len(communities), len(ties), len(apart), len(drawn_apart)))}</desc>",
    ]
    parts.extend(_tie_lines(ties, nodes))
    parts.extend(_web_nodes(nodes, radius, ties))
    parts.extend(_apart(apart, drawn_apart, apart_top, rows))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _tie_lines(ties: list[tuple[int, int, int]], nodes: list[Node]) -> list[str]:
    if not ties:
        return []
    most = max(n for _a, _b, n in ties)
    parts = ['<g class="net-edges">']
    for a, b, n in sorted(ties, key=lambda t: t[2]):
        width = round(1 + (MAX_TIE_WIDTH - 1) * math.sqrt(n / most), 1)
        parts.append(
            f'<line class="net-tie" x1="{nodes[a].x}" y1="{nodes[a].y}" x2="{nodes[b].x}" '
            f'y2="{nodes[b].y}" stroke="{COLOUR_STRONG}" stroke-width="{width}" '
            f'stroke-opacity="0.55" stroke-linecap="round"/>'
        )
    parts.append("</g>")
    return parts


def _facts(community: dict, ties: int) -> str:
    members = ngettext("%(count)s member", "%(count)s members", community["members"]) % {
        "count": community["members"]
    }
    shares = ngettext(
        "shares members with %(count)s community",
        "shares members with %(count)s communities",
        ties,
    ) % {"count": ties}
    return f"{community['name']}: {members}, {shares}"


def _web_nodes(nodes: list[Node], radius: list[float], ties: list) -> list[str]:
    """The bridged communities, the largest on top, and their names where they fit (the
    largest first); a name that fits nowhere is in the node's tooltip and in the table."""
    degree = [0] * len(nodes)
    for a, b, _n in ties:
        degree[a] += 1
        degree[b] += 1
    parts = []
    order = sorted(range(len(nodes)), key=lambda i: (-radius[i], nodes[i].member["slug"]))
    for i in reversed(order):
        node, r = nodes[i], round(radius[i], 1)
        parts.append(
            f'<g class="net-community"><title>{escape(_facts(node.member, degree[i]))}</title>'
            f'<circle cx="{node.x}" cy="{node.y}" r="{r}" fill="{COLOUR_LINE}" '
            f'stroke="#ffffff" stroke-width="1.5"/></g>'
        )
    dots = [(n.x - r, n.y - r, n.x + r, n.y + r) for n, r in zip(nodes, radius, strict=True)]
    taken: list[tuple] = []
    names = ['<g class="net-names" aria-hidden="true">']
    for i in order:
        node = nodes[i]
        name = _short(node.member["name"], NAME_ROOM)
        own = dots[i]
        spot = _place(node, name, radius[i], taken, [d for d in dots if d is not own])
        if spot is None:
            continue
        x, y, anchor, box = spot
        taken.append(box)
        names.append(
            f'<text class="net-label" x="{x}" y="{y}" text-anchor="{anchor}" '
            f'font-size="{LABEL_SIZE}" font-weight="600" fill="{COLOUR_INK}" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{escape(name)}</text>'
        )
    names.append("</g>")
    return parts + names


def _apart(apart: list[dict], drawn: list[dict], top: int, rows: int) -> list[str]:
    """The communities without a bridge: below a rule, in columns, each with its name."""
    if not apart:
        return []
    heading = ngettext(
        "No bridge to the others (%(count)s)", "No bridge to the others (%(count)s)", len(apart)
    ) % {"count": len(apart)}
    parts = [
        f'<line x1="{MARGIN / 2}" y1="{top}" x2="{NETWORK_WIDTH - MARGIN / 2}" y2="{top}" '
        f'stroke="{COLOUR_WEAK}" stroke-width="1"/>',
        f'<text x="{MARGIN / 2}" y="{top + 19}" font-size="{LABEL_SIZE}" font-weight="600" '
        f'fill="{COLOUR_AXIS}">{escape(heading)}</text>',
    ]
    column = (NETWORK_WIDTH - 2 * MARGIN) / COLUMNS
    for n, community in enumerate(drawn):
        x = round(MARGIN + column * (n % COLUMNS) + 8, 1)
        y = round(top + 30 + ROW_HEIGHT * (n // COLUMNS) + 8, 1)
        parts.append(
            f'<g class="net-community net-isolate"><title>{escape(_facts(community, 0))}</title>'
            f'<circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="{COLOUR_INK}" '
            f'stroke-width="1.5" stroke-dasharray="2 2"/>'
            f'<text x="{round(x + 13, 1)}" y="{round(y + 4.5, 1)}" font-size="{LABEL_SIZE}" '
            f'fill="{COLOUR_INK}">{escape(_short(community["name"], APART_ROOM))}</text></g>'
        )
    if len(apart) > len(drawn):
        more = _("and %(count)s more: see the table") % {"count": len(apart) - len(drawn)}
        parts.append(
            f'<text x="{MARGIN / 2}" y="{top + 30 + rows * ROW_HEIGHT + 14}" '
            f'font-size="{LABEL_SIZE}" fill="{COLOUR_AXIS}">{escape(more)}</text>'
        )
    return parts
