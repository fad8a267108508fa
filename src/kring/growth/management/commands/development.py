"""`kring development SLUG [--as-of YYYY-MM-DD] [--json]`: where a community stands on the
nine-step development path, and its life stage.

--json prints the same document as GET /api/v1/communities/{slug}/development (as a
facilitator reads it, with names).
"""

import json as jsonlib
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kring.communities.commands import community_from_argument
from kring.growth import selectors
from kring.insights.management.commands.insights import _day


class Command(BaseCommand):
    help = "Show where a community stands on the development path, and its life stage."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="as it was at the end of that day (Europe/Amsterdam); default: now",
        )
        parser.add_argument("--json", action="store_true", help="the whole document as JSON")
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="the language of the sentences, e.g. nl or en (default: the active one)",
        )

    def handle(self, *args, slug, as_of, json, language, **options):
        with translation.override(language) if language else nullcontext():
            self._show(slug, as_of, json)

    def _show(self, slug: str, as_of: str | None, json: bool) -> None:
        community = community_from_argument(slug)
        try:
            moment = selectors.development_moment(
                community=community, day=_day(as_of) if as_of else None
            )
        except ValidationError as exc:
            raise CommandError(f"--as-of {as_of}: {exc.message_dict['as_of'][0]}") from None
        development = selectors.development_read(community=community, viewer=None, moment=moment)
        document = selectors.development_document(development)
        if json:
            self.stdout.write(jsonlib.dumps(document, ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out(f"{community.name}: {document['stage']['key']}")
        for reason in document["stage"]["reasons"]:
            out(f"  - {reason}")
        for n, step in enumerate(document["steps"], start=1):
            mark = " (override)" if step["override"] else ""
            out(f"{n}. {step['key']}: {step['status']}{mark}")
            for line in step["evidence"]:
                out(f"     + {line}")
            for line in step["missing"]:
                out(f"     - {line}")
