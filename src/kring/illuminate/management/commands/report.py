"""`kring report SLUG --from YYYY-MM-DD --to YYYY-MM-DD --format json|html|pdf [--output FILE]`:
the report for funders and back-end organisations (docs/report.md).

JSON is the same document as GET /api/v1/communities/{slug}/report. Without --output it goes
to standard output (a PDF too, as bytes). Bad input stops with exit code 2 and a message.
"""

import json
import sys
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kring.communities.commands import community_from_argument
from kring.illuminate.report import period_parse, report_build
from kring.illuminate.report_output import report_html, report_pdf

FORMATS = ("json", "html", "pdf")


class Command(BaseCommand):
    help = "Write a community's report over a period as JSON, HTML or PDF (docs/report.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("--from", dest="period_from", metavar="YYYY-MM-DD", required=True)
        parser.add_argument("--to", dest="period_to", metavar="YYYY-MM-DD", required=True)
        parser.add_argument("--format", dest="output_format", choices=FORMATS, default="json")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument(
            "--language", metavar="CODE", help="the language of HTML and PDF, e.g. nl or en"
        )

    def handle(self, *args, slug, period_from, period_to, output_format, output, language, **o):
        try:
            community = community_from_argument(slug)
        except CommandError as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            period = period_parse(community=community, period_from=period_from, period_to=period_to)
        except ValidationError as exc:
            messages = [f"--{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
            raise CommandError(" ".join(messages), returncode=2) from None
        with translation.override(language) if language else nullcontext():
            document = report_build(community=community, period=period, fresh=True)
            if output_format == "json":
                data = json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"
            elif output_format == "html":
                data = report_html(document).encode()
            else:
                data = report_pdf(document)
        if output:
            with open(output, "wb") as f:
                f.write(data)
            self.stderr.write(f"Wrote {output}")
        elif output_format == "pdf":
            sys.stdout.buffer.write(data)
        else:
            self.stdout.write(data.decode(), ending="")
