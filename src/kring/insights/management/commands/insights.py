"""`kring insights SLUG [--as-of YYYY-MM-DD] [--period-days N] [--json]`: the facilitator's
feelers from the command line.

Always computed (not read from the stored snapshot), so --as-of works on history. --json prints
the same document as GET /api/v1/communities/{slug}/insights (docs/insights.md).
"""

import json
from contextlib import nullcontext
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from kring.communities.commands import community_from_argument
from kring.core import daterange
from kring.insights.compute import compute
from kring.insights.document import day_end, render

SIGNAL_ORDER = ("core_silent", "drifting", "unconnected", "rising", "lurker")


def _day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date as YYYY-MM-DD.") from None
    if not daterange.in_range(day):
        raise CommandError(f"--as-of {value} is outside {daterange.MIN_YEAR}-{daterange.MAX_YEAR}.")
    return day


class Command(BaseCommand):
    help = (
        "Show a community's insights: signals per member, the relations network, perspective "
        "coverage, trends and suggestions (docs/insights.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="as it was at the end of that day (Europe/Amsterdam); default: now",
        )
        parser.add_argument(
            "--period-days",
            type=int,
            metavar="N",
            help="the network's period in days (default: the community's setting, 90)",
        )
        parser.add_argument("--json", action="store_true", help="the whole document as JSON")
        parser.add_argument(
            "--language",
            metavar="CODE",
            help="the language of the reasons, e.g. nl or en (default: the active one)",
        )

    def handle(self, *args, slug, as_of, period_days, json, language, **options):
        community = community_from_argument(slug)
        moment = None
        if as_of:
            day = _day(as_of)
            if day > timezone.localdate():
                raise CommandError(f"--as-of {as_of} is in the future.")
            moment = day_end(day)
        if period_days is not None and not 1 <= period_days <= 3660:
            raise CommandError("--period-days must be between 1 and 3660.")
        with translation.override(language) if language else nullcontext():
            document = render(
                compute(community=community, as_of=moment, period_days=period_days),
                community=community,
            )
            if json:
                self.stdout.write(_json(document))
            else:
                self._summary(document)

    def _summary(self, doc: dict) -> None:
        out = self.stdout.write
        coverage = doc["coverage"]
        network = doc["network"]
        out(f"Insights of {doc['community']} as of {doc['as_of']}")
        out(
            f"Members: {coverage['members']}, active in the last {coverage['active_days']} days: "
            f"{coverage['active_members']}"
        )
        out("")
        out("Signals:")
        found = False
        for kind in SIGNAL_ORDER:
            for member in doc["members"]:
                for signal in member["signals"]:
                    if signal["kind"] == kind:
                        found = True
                        who = f"{member['name']} <{member['email']}>"
                        out(f"  {kind:<12} {who}: {signal['reason']}")
        if not found:
            out("  none")
        out("")
        out(
            f"Network over {doc['period_days']} days: {len(network['edges'])} ties, density "
            f"{network['density']}, {len(doc['groups'])} groups (modularity {doc['modularity']})"
        )
        names = {m["email"]: m["name"] for m in doc["members"]}
        if network["brokers"]:
            out("  Brokers: " + ", ".join(names.get(e, e) for e in network["brokers"]))
        if network["isolates"]:
            out(f"  Without ties ({len(network['isolates'])}): ")
            out("    " + ", ".join(names.get(e, e) for e in network["isolates"]))
        if coverage["gaps"]:
            out("")
            out("Coverage gaps:")
            for gap in coverage["gaps"]:
                out(f"  {gap['reason']}")
        if doc.get("community_signals"):
            out("")
            out("The group:")
            for signal in doc["community_signals"]:
                out(f"  {signal['kind']:<19} {signal['reason']}")
        out("")
        out("Suggestions:")
        for suggestion in doc["suggestions"] or [{"reason": "none"}]:
            out(f"  {suggestion['reason']}")
        trends = doc["trends"]
        out("")
        out("Trends (month: active members / contributions / attendance / new ties):")
        for i, month in enumerate(trends["months"]):
            out(
                f"  {month}: {trends['active_members'][i]} / {trends['contributions'][i]} / "
                f"{trends['attendance'][i]} / {trends['new_ties'][i]}"
            )


def _json(document: dict) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2)
