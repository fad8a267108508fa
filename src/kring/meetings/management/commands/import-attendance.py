"""`kring import-attendance SLUG FILE.csv`: attendance history from a spreadsheet.

Columns member_email,session_date[,status]; see docs/import.md. The checking and writing are in
kring.meetings.importing; this command reads the file, shows progress and the summary.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from tqdm import tqdm

from kring.communities.models import Community
from kring.core.csvimport import ImportProblem, decode
from kring.meetings.importing import (
    MAX_FILE_BYTES,
    apply_import,
    import_actor,
    plan_import,
    read_rows,
)


class Command(BaseCommand):
    help = (
        "Import attendance from a CSV file with the columns member_email,session_date[,status]. "
        "Sessions are made for dates without one; people not yet in the community are added."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file, with a header row")
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the facilitator who registers it (default: the community's first facilitator)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and say what would happen"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows, list the bad ones (default: nothing if any row is bad)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, slug, file, by, dry_run, skip_invalid, no_progress, **options):
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            raise CommandError(f"No community with short name {slug!r}.")
        path = Path(file)
        try:
            actor = import_actor(community, by)
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
                total=len(rows),
                unit="row",
                desc="Importing",
                file=self.stderr._out,
                disable=no_progress,
            )
            try:
                apply_import(plan=plan, by=actor, progress=bar.update)
            except (PermissionDenied, ValidationError) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else []
                raise CommandError(
                    " ".join(messages) or f"{actor.email} may not register attendance in {slug!r}."
                ) from None
            finally:
                bar.close()
            # Insights sit above meetings: named by path, so meetings imports nothing of them.
            import_string("kring.insights.tasks.snapshot_refresh").enqueue(
                community_id=community.pk
            )
        self._summary(plan, actor, dry_run)

    def _errors(self, errors, heading: str) -> None:
        if errors:
            self.stderr.write(f"{heading} ({len(errors)}):")
            for error in errors:
                self.stderr.write(f"  {error}")

    def _summary(self, plan, actor, dry_run: bool) -> None:
        out = self.stdout.write
        rows = len(plan.rows)
        out(
            f"{'Would import' if dry_run else 'Imported'} {rows} row{'s' if rows != 1 else ''} "
            f"into {plan.community.slug!r} as {actor.full_name} <{actor.email}>: "
            f"{plan.new} new, {plan.changed} changed, {plan.unchanged} unchanged."
        )
        days = plan.new_session_days
        if days:
            out(
                f"{'Would create' if dry_run else 'Created'} {len(days)} "
                f"session{'s' if len(days) != 1 else ''} on: "
                + ", ".join(day.isoformat() for day in days)
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
