"""`kring network-insights SLUG [--json]`: the network insights for its coordinators, the
same document as GET /api/v1/networks/{slug}/insights (with every bridge named: the command
line is the platform's operator)."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from kring.networks.insights import network_insights
from kring.networks.models import Network


class Command(BaseCommand):
    help = "Show a network's insights: its communities, the bridges between them, the isolated."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the network's short name")
        parser.add_argument("--json", action="store_true", help="the whole document as JSON")

    def handle(self, *args, slug, json, **options):
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise CommandError(f"No network with the short name {slug!r}.")
        document = network_insights(network=network, viewer=None)
        if json:
            self.stdout.write(jsonlib.dumps(document, ensure_ascii=False, indent=2))
            return
        out = self.stdout.write
        out(f"{network.name}: {len(document['communities'])} communities")
        for c in document["communities"]:
            out(
                f"  {c['slug']}: {c['members']} members, {c['active_members']} active, "
                f"{c['sessions_held']} sessions held, stage {c['stage']}"
            )
            path, pulse = c["development"], c["pulse"]
            if path:
                out(
                    f"    path: {path['done']} of {path['steps']} steps done, "
                    f"{path['partial']} partly, next {path['next'] or '-'}"
                )
            if pulse:
                out(
                    f"    pulse: safety {pulse['safety']}, learning {pulse['learn']}, "
                    f"trust {pulse['trust']} ({pulse['answers']} answers)"
                )
            if c["missing_perspectives"]:
                out("    missing perspectives: " + ", ".join(c["missing_perspectives"]))
        for link in document["links"]:
            out(f"  {link['a']} ~ {link['b']}: {link['shared_members']} shared")
        if document["isolated_communities"]:
            out("  isolated: " + ", ".join(document["isolated_communities"]))
        if document["missing_perspectives"]:
            out("  missing in the network: " + ", ".join(document["missing_perspectives"]))
        for suggestion in document["suggestions"]:
            out(f"  suggestion ({suggestion['kind']}): {suggestion['text']}")
