"""The network report as people read it: its tables (the page's and the PDF's), the
standalone HTML that WeasyPrint turns into the PDF, and the figures as CSV."""

import csv
import io
import logging

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kring.core.dates import long_date
from kring.illuminate.models import Cycle
from kring.knowledge.models import Kind
from kring.networks.report import GROUPS, PEOPLE_GROUPS, SCALARS

# Communities side by side on one PDF page (A4 landscape); more go on the next table.
PDF_COLUMNS = 5


def _sections() -> list[tuple[str, str, list[tuple[str, str | None, str | None]]]]:
    """(id, title, [(figure, label, its group or None)]) in the community report's order and
    with its words. A figure without a label shows only its group's parts: the members per
    perspective come last, in sections of their own, so the main figures come first."""
    return [
        (
            "people",
            _("Who took part"),
            [
                ("members", _("Members at the end of the period"), None),
                ("took_part", _("Members who took part in the period"), None),
                ("organisations", _("Organisations"), None),
                ("members_without_perspective", _("Members without a perspective"), None),
            ],
        ),
        (
            "sessions",
            _("Sessions"),
            [
                ("sessions_held", _("Sessions held"), None),
                ("attendances", _("Attendances"), None),
                ("attendees", _("Different people who attended"), None),
                ("action_points_done", _("Action points done"), None),
            ],
        ),
        (
            "knowledge",
            _("Knowledge shared"),
            [
                ("items_shared", _("Library items shared"), "items_by_kind"),
                ("questions_asked", _("Questions asked"), None),
                ("questions_responded", _("Questions that got a response"), None),
                ("questions_answered", _("Questions with an accepted answer"), None),
                (
                    "median_hours_to_first_response",
                    _("Median time to the first response, in hours"),
                    None,
                ),
            ],
        ),
        (
            "ties",
            _("Ties between members"),
            [
                ("ties", _("Ties in the period"), None),
                ("new_ties", _("New ties"), None),
                ("ties_across_perspectives", _("Ties across perspectives"), None),
            ],
        ),
        (
            "stories",
            _("Value stories"),
            [("value_stories", _("Value stories shared in reports"), "value_stories_by_cycle")],
        ),
        (
            "perspectives",
            _("Members by perspective"),
            [("members_by_perspective", None, "members_by_perspective")],
        ),
        (
            "took-part-perspectives",
            _("Members who took part, by perspective"),
            [("took_part_by_perspective", None, "took_part_by_perspective")],
        ),
    ]


def _part_label(doc: dict, group: str, part: str) -> str:
    if group in PEOPLE_GROUPS:
        return doc["perspectives"].get(part, part)
    if group == "items_by_kind":
        return str(Kind(part).label) if part in Kind.values else part
    return str(Cycle(part).label) if part in Cycle.values else part


def _shown(value: float | None) -> str:
    return "–" if value is None else number_format(value)


def _row(
    doc: dict, communities: list[dict], key: str, label: str, part: str = "", sub: bool = False
) -> dict:
    def value(figures: dict) -> int | float | None:
        return figures[key].get(part, 0) if part else figures[key]

    return {
        "label": label,
        "sub": sub,
        "part": bool(part),
        "values": [_shown(value(c["figures"])) for c in communities],
        "sum": _shown(value(doc["sum"])),
        "total": _shown(value(doc["network_total"])),
    }


def _table(doc: dict, communities: list[dict]) -> dict:
    sections = []
    for section_id, title, figures in _sections():
        rows = []
        for key, label, group in figures:
            if label is not None:
                rows.append(_row(doc, communities, key, label))
            if group is None:
                continue
            for part in doc["sum"][group]:
                part_label = _part_label(doc, group, part)
                rows.append(_row(doc, communities, group, part_label, part, sub=label is not None))
        if rows:
            sections.append({"id": section_id, "title": title, "rows": rows})
    return {"communities": [c["name"] for c in communities], "sections": sections}


def network_report_context(doc: dict, *, columns: int | None = None) -> dict:
    """What the templates need: the period in words and the tables, each with at most
    `columns` communities side by side (all of them when None) and the two totals."""
    communities = doc["communities"]
    size = columns or max(len(communities), 1)
    starts = range(0, len(communities), size) or [0]
    tables = []
    for start in starts:
        chunk = communities[start : start + size]
        table = _table(doc, chunk)
        if len(starts) > 1:
            table["caption"] = _("Communities %(first)d to %(last)d of %(count)d") % {
                "first": start + 1,
                "last": start + len(chunk),
                "count": len(communities),
            }
        tables.append(table)
    return {
        "report": doc,
        "period_text": _("%(first)s to %(last)s")
        % {"first": long_date(doc["from"]), "last": long_date(doc["to"])},
        "tables": tables,
    }


def network_report_html(doc: dict) -> str:
    """The report as one standalone HTML document (A4 landscape): the PDF's source."""
    return render_to_string(
        "networks/network_report_print.html", network_report_context(doc, columns=PDF_COLUMNS)
    )


def network_report_pdf(doc: dict) -> bytes:
    """The report as a PDF, drawn by WeasyPrint (as the community report's)."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    return HTML(string=network_report_html(doc)).write_pdf()


def network_report_csv(doc: dict) -> str:
    """One figure a row, one column per community (by its short name) and the two totals:
    figure, part (a perspective, kind or cycle, else empty), then the values. Keys and short
    names only, so the file is plain ASCII: no byte-order mark needed for any spreadsheet.
    Empty where a figure has no value (a median without responses, a network total that
    is not counted)."""
    out = io.StringIO()
    writer = csv.writer(out)
    slugs = [c["slug"] for c in doc["communities"]]
    columns = [c["figures"] for c in doc["communities"]] + [doc["sum"], doc["network_total"]]
    writer.writerow(["figure", "part", *slugs, "sum", "network_total"])
    for key in ("from", "to"):
        writer.writerow([key, "", *[doc[key]] * len(columns)])

    def cell(value: float | None) -> float | str:
        return "" if value is None else value

    for key in SCALARS:
        writer.writerow([key, "", *[cell(figures[key]) for figures in columns]])
    for key in GROUPS:
        for part in doc["sum"][key]:
            writer.writerow([key, part, *[cell(figures[key].get(part, 0)) for figures in columns]])
    return out.getvalue()
