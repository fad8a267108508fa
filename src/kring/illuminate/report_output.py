"""The report as people read it: the web page's and the PDF's shared context (labels and
server-drawn SVG bar charts), the standalone HTML that `kring report --format html` writes
and WeasyPrint turns into the PDF, and the figures as CSV."""

import csv
import io
import logging

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kring.core.dates import long_date
from kring.illuminate.charts import bars_svg
from kring.illuminate.models import Cycle
from kring.knowledge.models import Kind


def _bars(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> SafeString:
    """The value overview's bars (label above each bar), described by every row."""
    desc = "; ".join(f"{label}: {number_format(value)}" for label, value in rows)
    return bars_svg(rows, chart_id=chart_id, title=title, desc=desc)


def _perspective_rows(doc: dict, counts: dict[str, int]) -> list[tuple[str, int]]:
    names = doc.get("perspectives", {})
    return [(names.get(key, key), n) for key, n in counts.items()]


def _kind_label(key: str) -> str:
    return str(Kind(key).label) if key in Kind.values else key


def report_context(doc: dict) -> dict:
    """What the templates need besides the document: readable labels and the charts."""
    perspectives = _perspective_rows(doc, doc["members_by_perspective"])
    kinds = [(_kind_label(k), n) for k, n in doc["items_by_kind"].items()]
    cycles = [(str(Cycle(c).label), n) for c, n in doc["value_stories_by_cycle"].items()]
    names = doc.get("perspectives", {})
    return {
        "report": doc,
        "period_text": _("%(first)s to %(last)s")
        % {"first": long_date(doc["from"]), "last": long_date(doc["to"])},
        "perspective_rows": perspectives,
        "took_part_rows": _perspective_rows(doc, doc["took_part_by_perspective"]),
        "kind_rows": kinds,
        "cycle_rows": cycles,
        "quotes": [
            {**q, "perspective_name": names.get(q["perspective"] or "", "")} for q in doc["quotes"]
        ],
        "charts": {
            "perspectives": _bars(
                perspectives, title=_("Members by perspective"), chart_id="report-perspectives"
            ),
            "kinds": _bars(kinds, title=_("Library items by kind"), chart_id="report-kinds"),
            "cycles": _bars(cycles, title=_("Value stories by cycle"), chart_id="report-cycles"),
        },
    }


def report_html(doc: dict) -> str:
    """The report as one standalone HTML document (A4, its own style): the PDF's source."""
    return render_to_string("illuminate/report_print.html", report_context(doc))


def report_pdf(doc: dict) -> bytes:
    """The report as a PDF, drawn by WeasyPrint from report_html."""
    # WeasyPrint tells each step of its work at INFO (from its import on): not news for a
    # log or a terminal.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    return HTML(string=report_html(doc)).write_pdf()


# The CSV: one figure a row --------------------------------------------------------------------

SCALARS = (
    "members",
    "members_without_perspective",
    "took_part",
    "organisations",
    "sessions_held",
    "attendances",
    "attendees",
    "items_shared",
    "questions_asked",
    "questions_responded",
    "questions_answered",
    "median_hours_to_first_response",
    "ties",
    "new_ties",
    "ties_across_perspectives",
    "action_points_done",
    "value_stories",
)
GROUPS = (
    "members_by_perspective",
    "took_part_by_perspective",
    "items_by_kind",
    "value_stories_by_cycle",
)


def report_csv(doc: dict) -> str:
    """The figures, one a row: figure, part (a perspective, kind or cycle, else empty),
    value. The period and community in the first rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "part", "value"])
    for key in ("community", "from", "to"):
        writer.writerow([key, "", doc[key]])
    for key in SCALARS:
        value = doc[key]
        writer.writerow([key, "", "" if value is None else value])
    for key in GROUPS:
        for part, value in doc[key].items():
            writer.writerow([key, part, value])
    for point in doc["pulse"]:
        for measure in ("answers", "safety", "learn", "trust"):
            writer.writerow([f"pulse_{measure}", point["opened"], point[measure]])
    return out.getvalue()
