"""`kring import-activity SLUG FILE.csv`: interaction history from another platform.

Columns actor_email,target_email,kind,timestamp; see docs/insights.md. The checking and writing
are in kring.insights.importing; this command reads the file, shows progress and the summary.
"""

from typing import Any

from kring.communities.commands import community_from_argument
from kring.core.csvimport import CsvImportCommand, plural
from kring.insights.importing import (
    MAX_FILE_BYTES,
    Plan,
    apply_import,
    plan_import,
    read_rows,
)


class Command(CsvImportCommand):
    help = (
        "Import activity (replies, answers, mentions, messages, ...) from a CSV file with the "
        "columns actor_email,target_email,kind,timestamp. People not yet in the community are "
        "added as members; rows already imported are skipped."
    )
    max_bytes = MAX_FILE_BYTES

    def handle(
        self,
        *args: Any,
        slug: str,
        file: str,
        dry_run: bool,
        skip_invalid: bool,
        no_progress: bool,
        **options: Any,
    ) -> None:
        community = community_from_argument(slug)
        rows, errors = self.read_file(file, read_rows)
        self.check_rows(rows, errors, skip_invalid=skip_invalid)

        plan = plan_import(community=community, rows=rows, errors=errors)
        if not dry_run:
            bar = self.progress_bar(total=len(plan.new_rows), unit="event", disable=no_progress)
            try:
                apply_import(plan=plan, progress=bar.update)
            finally:
                bar.close()
        self._summary(plan, dry_run)

    def _summary(self, plan: Plan, dry_run: bool) -> None:
        out = self.stdout.write
        new = len(plan.new_rows)
        out(
            f"{'Would import' if dry_run else 'Imported'} {plural(new, 'event')} "
            f"into {plan.community.slug!r}"
            + (f" ({', '.join(f'{n} {verb}' for verb, n in plan.by_verb.items())})" if new else "")
            + "."
        )
        if plan.duplicates:
            out(
                f"Skipped {plural(plan.duplicates, 'row')} already in "
                "Kring (the same people, kind and moment)."
            )
        self.write_people(plan, dry_run=dry_run)
        self.write_skipped(plan)
        if new and not dry_run:
            out("The insights are being refreshed.")
