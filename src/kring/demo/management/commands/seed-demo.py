"""`kring seed-demo`: fill this Kring with demo communities, people, library content and
conversations."""

import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from tqdm import tqdm

from kring.demo.services import DEFAULT_PASSWORD, demo_seed


class Command(BaseCommand):
    help = (
        "Create demo communities, people with photos, memberships, library items with "
        "useful marks and comments, and questions, discussions and direct messages. Safe to "
        "run again: what exists already is kept. Prints logins to try Kring with."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo account (default: {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="No progress bar and no list of logins."
        )

    def handle(self, *args, password: str, quiet: bool, **options):
        quiet = quiet or options["verbosity"] == 0

        def progress(people):
            return tqdm(people, desc="Demo people", unit="person", file=sys.stderr, disable=quiet)

        try:
            result = demo_seed(password=password, progress=progress)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        if quiet:
            return

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result.people} people ({result.people_created} new, "
                f"{result.photos_drawn} photos drawn), {result.communities} communities "
                f"({result.communities_created} new), {result.memberships} memberships "
                f"({result.memberships_added} new), {result.items} library items "
                f"({result.items_created} new; {result.useful_added} useful marks and "
                f"{result.comments_added} comments added), {result.threads} questions and "
                f"discussions ({result.threads_created} new; {result.messages_added} direct "
                f"messages and {result.flags_added} flags added), "
                f"{result.sessions_created} new sessions."
            )
        )
        width = max(len(login.email) for login in result.logins)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        self.stdout.write(f"  Password for every account: {password}")
        self.stdout.write(f"  Log in at: {settings.SITE_URL}{reverse(settings.LOGIN_URL)}")
        self.stdout.write("")
        for login in result.logins:
            where = f"  ({', '.join(login.where)})" if login.where else ""
            self.stdout.write(f"  {login.role:<15} {login.email:<{width}}  {login.name}{where}")
