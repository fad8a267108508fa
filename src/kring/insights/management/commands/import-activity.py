"""`kring import-activity SLUG FILE.csv`: interaction history from another platform.

Columns actor_email,target_email,kind,timestamp; see docs/insights.md. The checking and writing
are in kring.insights.importing; this command reads the file, shows progress and the summary.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kring.communities.models import Community
from kring.core.csvimport import ImportProblem, decode
from kring.insights.importing import (
    MAX_FILE_BYTES,
    apply_import,
    plan_import,
    read_rows,
)


class Command(BaseCommand):
    help = (
        "Import activity (replies, answers, mentions, messages, ...) from a CSV file with the "
        "columns actor_email,target_email,kind,timestamp. People not yet in the community are "
        "added as members; rows already imported are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file, with a header row")
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and say what would happen"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows, list the bad ones (default: nothing if any row is bad)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, slug, file, dry_run, skip_invalid, no_progress, **options):
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            raise CommandError(f"No community with short name {slug!r}.")
        path = Path(file)
        try:
            if not path.is_file():
                raise ImportProblem(f"No such file: {file}")
            rows, errors = read_rows(decode(path.read_bytes(), max_bytes=MAX_FILE_BYTES))
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{file} cannot be read ({exc.strerror or exc}).") from None

        if errors and not skip_invalid:
            self._errors(errors, "Not valid")
            raise CommandError(
                f"{len(errors)} row{'s are' if len(errors) != 1 else ' is'} not valid; nothing "
                "was imported. Correct the file, or use --skip-invalid to import the other rows."
            )
        if not rows:
            self._errors(errors, "Skipped")
            raise CommandError("No rows to import.")

        plan = plan_import(community=community, rows=rows, errors=errors)
        if not dry_run:
            bar = tqdm(
                total=len(plan.new_rows),
                unit="event",
                desc="Importing",
                file=self.stderr._out,
                disable=no_progress,
            )
            try:
                apply_import(plan=plan, progress=bar.update)
            finally:
                bar.close()
        self._summary(plan, dry_run)

    def _errors(self, errors, heading: str) -> None:
        if errors:
            self.stderr.write(f"{heading} ({len(errors)}):")
            for error in errors:
                self.stderr.write(f"  {error}")

    def _summary(self, plan, dry_run: bool) -> None:
        out = self.stdout.write
        new = len(plan.new_rows)
        out(
            f"{'Would import' if dry_run else 'Imported'} {new} event{'s' if new != 1 else ''} "
            f"into {plan.community.slug!r}"
            + (f" ({', '.join(f'{n} {verb}' for verb, n in plan.by_verb.items())})" if new else "")
            + "."
        )
        if plan.duplicates:
            out(
                f"Skipped {plan.duplicates} row{'s' if plan.duplicates != 1 else ''} already in "
                "Kring (the same people, kind and moment)."
            )
        if plan.joining:
            new_accounts = set(plan.new_accounts)
            out(f"{'Would add' if dry_run else 'Added'} as members ({len(plan.joining)}):")
            for email in plan.joining:
                out(
                    f"  {email}"
                    + (" (new account, not active until invited)" if email in new_accounts else "")
                )
        if plan.errors:
            out(f"Skipped {len(plan.errors)} row{'s' if len(plan.errors) != 1 else ''}:")
            for error in plan.errors:
                out(f"  {error}")
        if new and not dry_run:
            out("The insights are being refreshed.")
