"""What the CSV imports (attendance, activity) share: reading the file as spreadsheets save it,
the header row, checking e-mail addresses, reporting bad lines, a readable name for a person
known only by an e-mail address, and the command around it (arguments, reading the file,
refusing bad rows, the progress bar, the lines of the summary both print)."""

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from tqdm import tqdm

# Lower-case name parts of Dutch surnames ("Anna de Vries"): not capitalised in a name made
# from an e-mail address.
NAME_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la"}


class ImportProblem(Exception):
    """The whole file or the command's options are wrong; the message says what to do."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def decode(data: bytes, *, max_bytes: int) -> str:
    """UTF-8 (with or without byte-order mark), else Windows-1252, as spreadsheets save."""
    if len(data) > max_bytes:
        raise ImportProblem(f"The file is too large (at most {max_bytes // 1024 // 1024} MB).")
    if b"\x00" in data[:65536]:
        raise ImportProblem(NOT_TEXT)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_binary(text[:65536]):
            raise ImportProblem(NOT_TEXT)
        return text
    raise ImportProblem("The file is not readable as UTF-8 or Windows-1252 text.")


NOT_TEXT = "This is not a text (CSV) file: it looks like a binary file. Save it as CSV."
# Control characters that text files do hold: tab, line ends, form feed, DOS end-of-file.
TEXT_CONTROLS = frozenset("\t\n\r\x0c\x1a")


def looks_binary(sample: str) -> bool:
    """True when at least 1 in 100 characters is a control character a text never holds
    (a stray one in a long text is let through)."""
    controls = sum(
        1 for ch in sample if (ch < " " and ch not in TEXT_CONTROLS) or "\x7f" <= ch <= "\x9f"
    )
    return controls > 0 and controls * 100 >= len(sample)


def records(text: str, delim: str) -> Iterator[tuple[int, list[str]]]:
    """(line, values) for every row of CSV text with Unix line ends; line is where the row
    starts, also when a quoted value runs over several lines. A quote that is never closed
    (the rest of the file would become one value) stops it at the line of that quote."""
    consumed: list[str] = []  # the lines of the row being read

    def lines() -> Iterator[str]:
        for raw in io.StringIO(text):
            consumed.append(raw)
            yield raw

    reader = csv.reader(lines(), delimiter=delim)
    start = 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if len(consumed) > 1 and "".join(consumed).count('"') % 2:
                raise ImportProblem(
                    f'Line {line} has a quote (") that is not closed: the rest of the file '
                    "would be one value. Close the quote or remove it."
                )
            consumed.clear()
            yield line, values
    except csv.Error as exc:
        raise ImportProblem(f"Line {start} is not valid CSV: {exc}.") from None


def delimiter(first_line: str) -> str:
    # Spreadsheets set to Dutch save CSV with semicolons.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def name_from_email(email: str) -> str:
    """A readable name for a new account: anna.de.vries+kring@example.org -> Anna de Vries."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    words = [w for w in re.split(r"[._\-\s]+", re.sub(r"\d+", " ", local)) if w]
    if not words:
        return local[:120] or email[:120]
    named = [
        w.lower() if i and w.lower() in NAME_PARTICLES else w[:1].upper() + w[1:].lower()
        for i, w in enumerate(words)
    ]
    return " ".join(named)[:120]


def table(
    text: str, *, required: Sequence[str], columns_named: str
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header row (names stripped and lower-case) and the rows after it as (line, values),
    rows without any value left out. Raises ImportProblem for an empty file or a header that
    lacks a required column; `columns_named` is how the message names the columns."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    if not first_line:
        raise ImportProblem("The file is empty.")
    rows = (
        (line, values)
        for line, values in records(text, delimiter(first_line))
        if any(v.strip() for v in values)
    )
    first = next(rows, None)
    if first is None:
        raise ImportProblem("The file is empty.")
    header = [v.strip().lower() for v in first[1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportProblem(
            f"The first row must name the columns: {columns_named}; missing: {', '.join(missing)}."
        )
    return header, rows


def email_problem(value: str) -> str | None:
    """None for a valid e-mail address, else the problem as a row error says it."""
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        return f"{value!r} is not a valid e-mail address"
    return None


def plural(n: int, word: str) -> str:
    """`1 row`, `2 rows`."""
    return f"{n} {word}{'s' if n != 1 else ''}"


class PeoplePlan(Protocol):
    """What an import plan tells about the people it adds to the community."""

    errors: list[RowError]
    joining: list[str]

    @property
    def new_accounts(self) -> list[str]: ...


class CsvImportCommand(BaseCommand):
    """`kring import-<what> SLUG FILE.csv`: the arguments, reading and checking the file and
    the lines of the summary the CSV import commands share. A subclass reads the rows with
    its own `read_rows` and writes its own summary around `write_people` and `write_skipped`."""

    max_bytes: int

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file, with a header row")
        self.add_options(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything and say what would happen"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the good rows, list the bad ones (default: nothing if any row is bad)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def add_options(self, parser: CommandParser) -> None:
        """Options of one command, between the file and the shared options."""

    def read_file(
        self, file: str, read_rows: Callable[[str], tuple[list[Any], list[RowError]]]
    ) -> tuple[list[Any], list[RowError]]:
        """(good rows, bad lines) of the file; CommandError when it cannot be read at all."""
        path = Path(file)
        try:
            if not path.is_file():
                raise ImportProblem(f"No such file: {file}")
            return read_rows(decode(path.read_bytes(), max_bytes=self.max_bytes))
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{file} cannot be read ({exc.strerror or exc}).") from None

    def check_rows(self, rows: list[Any], errors: list[RowError], *, skip_invalid: bool) -> None:
        """Stop, listing the bad lines, when any is bad (unless skipped) or no row is left."""
        if errors and not skip_invalid:
            self.write_errors(errors, "Not valid")
            raise CommandError(
                f"{len(errors)} row{'s are' if len(errors) != 1 else ' is'} not valid; nothing "
                "was imported. Correct the file, or use --skip-invalid to import the other rows."
            )
        if not rows:
            self.write_errors(errors, "Skipped")
            raise CommandError("No rows to import.")

    def progress_bar(self, *, total: int, unit: str, disable: bool) -> tqdm:
        return tqdm(
            total=total, unit=unit, desc="Importing", file=self.stderr._out, disable=disable
        )

    def write_errors(self, errors: list[RowError], heading: str) -> None:
        if errors:
            self.stderr.write(f"{heading} ({len(errors)}):")
            for error in errors:
                self.stderr.write(f"  {error}")

    def write_people(self, plan: PeoplePlan, *, dry_run: bool) -> None:
        """The people added to the community, the new accounts marked."""
        if plan.joining:
            new_accounts = set(plan.new_accounts)
            out = self.stdout.write
            out(f"{'Would add' if dry_run else 'Added'} as members ({len(plan.joining)}):")
            for email in plan.joining:
                out(
                    f"  {email}"
                    + (" (new account, not active until invited)" if email in new_accounts else "")
                )

    def write_skipped(self, plan: PeoplePlan) -> None:
        if plan.errors:
            self.stdout.write(f"Skipped {plural(len(plan.errors), 'row')}:")
            for error in plan.errors:
                self.stdout.write(f"  {error}")
