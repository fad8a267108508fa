"""What the CSV imports (attendance, activity) share: reading the file as spreadsheets save it,
reporting bad lines, and a readable name for a person known only by an e-mail address."""

import re
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
        raise ImportProblem("This looks like a binary file, not CSV text.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportProblem("The file is not readable as UTF-8 or Windows-1252 text.")


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
