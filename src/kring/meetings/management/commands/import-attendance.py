"""`kring import-attendance SLUG FILE.csv`: attendance history from a spreadsheet.

Columns member_email,session_date[,status]; see docs/import.md. The checking and writing are in
kring.meetings.importing; this command reads the file, shows progress and the summary.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.module_loading import import_string

from kring.accounts.models import User
from kring.communities.commands import community_from_argument
from kring.core.csvimport import CsvImportCommand, ImportProblem, plural
from kring.meetings.importing import (
    MAX_FILE_BYTES,
    Plan,
    apply_import,
    import_actor,
    plan_import,
    read_rows,
)


class Command(CsvImportCommand):
    help = (
        "Import attendance from a CSV file with the columns member_email,session_date[,status]. "
        "Sessions are made for dates without one; people not yet in the community are added."
    )
    max_bytes = MAX_FILE_BYTES

    def add_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the facilitator who registers it (default: the community's first facilitator)",
        )

    def handle(
        self,
        *args: Any,
        slug: str,
        file: str,
        by: str | None,
        dry_run: bool,
        skip_invalid: bool,
        no_progress: bool,
        **options: Any,
    ) -> None:
        community = community_from_argument(slug)
        try:
            actor = import_actor(community, by)
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        rows, errors = self.read_file(file, read_rows)
        self.check_rows(rows, errors, skip_invalid=skip_invalid)

        plan = plan_import(community=community, rows=rows, errors=errors)
        if not dry_run:
            bar = self.progress_bar(total=len(rows), unit="row", disable=no_progress)
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

    def _summary(self, plan: Plan, actor: User, dry_run: bool) -> None:
        out = self.stdout.write
        out(
            f"{'Would import' if dry_run else 'Imported'} {plural(len(plan.rows), 'row')} "
            f"into {plan.community.slug!r} as {actor.full_name} <{actor.email}>: "
            f"{plan.new} new, {plan.changed} changed, {plan.unchanged} unchanged."
        )
        days = plan.new_session_days
        if days:
            out(
                f"{'Would create' if dry_run else 'Created'} {plural(len(days), 'session')} on: "
                + ", ".join(day.isoformat() for day in days)
            )
        self.write_people(plan, dry_run=dry_run)
        self.write_skipped(plan)
