"""What the CSV imports (attendance, activity) share: reading the file as spreadsheets save it,
reporting bad lines, and a readable name for a person known only by an e-mail address."""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

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
