"""`kring import-knowledge SLUG PATH...`: text, Markdown and PDF files as library items.

See docs/import.md for the formats and the title rules.
"""

import hashlib
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from kring.accounts.models import User
from kring.accounts.selectors import person_get_active_by_email
from kring.communities.commands import community_from_argument
from kring.communities.models import Community, Membership, Role
from kring.communities.selectors import first_facilitator
from kring.knowledge.models import Kind
from kring.knowledge.services import MAX_BODY, MAX_TITLE
from kring.knowledge.services_import import imported_keys, items_bulk_create

EXTENSIONS = {".txt": "text", ".md": "markdown", ".pdf": "pdf"}
# A text can hold at most MAX_BODY characters; a file much larger than that cannot fit,
# so it is refused before it is read.
MAX_TEXT_BYTES = 4 * MAX_BODY
MAX_PDF_BYTES = 100 * 1024 * 1024
BATCH = 100

ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
# Titles that office software writes into PDF properties by itself: not worth keeping.
MEANINGLESS_PDF_TITLE = re.compile(
    r"^(microsoft \w+ - .*|untitled.*|naamloos.*|.*\.(docx?|odt|rtf|txt|pptx?|xlsx?|pdf))$",
    re.IGNORECASE,
)


class Unreadable(Exception):
    """A file that cannot become an item; the message says why, for the summary."""


class _DryRun(Exception):
    pass


def shorten(line: str, limit: int = MAX_TITLE) -> str:
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut + "…"


def split_title(text: str, *, markdown: bool) -> tuple[str, str]:
    """(title, body): the first Markdown heading (Markdown files), else the first non-empty
    line; the body is everything else. A first line too long for a title is shortened
    and also kept in the body, so no text is lost."""
    lines = text.split("\n")
    if markdown:
        in_fence = False
        for i, line in enumerate(lines):
            if FENCE.match(line):
                in_fence = not in_fence
            if in_fence:
                continue
            match = ATX_HEADING.match(line)
            if match:
                return _title_and_rest(lines, i, 1, match.group(1))
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if line.strip() and SETEXT_UNDERLINE.match(following) and i + 1 < len(lines):
                return _title_and_rest(lines, i, 2, line)
    for i, line in enumerate(lines):
        if line.strip():
            return _title_and_rest(lines, i, 1, line)
    return "", ""


def _title_and_rest(lines: list[str], start: int, count: int, title: str) -> tuple[str, str]:
    short = shorten(title)
    if short != " ".join(title.split()):
        count = 0  # the whole line stays in the body
    before, after = lines[:start], lines[start + count :]
    if count and before and after and not before[-1].strip() and not after[0].strip():
        after = after[1:]  # the blank lines around the title become one
    return short, "\n".join(before + after).strip()


def strip_front_matter(text: str) -> tuple[str, str]:
    """Markdown files from static-site tools start with `---` lines; a `title:` there wins."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---", 4)
    if end == -1:
        return "", text
    title = ""
    for line in text[4:end].split("\n"):
        key, _sep, value = line.partition(":")
        if key.strip().lower() == "title" and value.strip():
            title = value.strip().strip("\"'")
    rest = text[end + 4 :]
    return title, rest.split("\n", 1)[1] if "\n" in rest else ""


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("not readable as UTF-16 text") from None
    if b"\x00" in data:
        raise Unreadable("looks like a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("not readable as UTF-8 or Windows-1252 text")


def read_text(path: Path, *, markdown: bool) -> tuple[str, str]:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise Unreadable(
            f"too large ({size // 1024} KB; a text holds at most {MAX_BODY} characters)"
        )
    text = decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    front_title = ""
    if markdown:
        front_title, text = strip_front_matter(text)
    if not text.strip() and not front_title:
        raise Unreadable("the file is empty")
    if front_title:
        return shorten(front_title), text.strip()
    return split_title(text, markdown=markdown)


def read_pdf(path: Path) -> tuple[str, str]:
    from pypdf import PdfReader

    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise Unreadable(f"too large ({size // 1024 // 1024} MB)")
    if size == 0:
        raise Unreadable("the file is empty")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("the PDF is protected with a password")
        pages, length = [], 0
        for page in reader.pages:
            page_text = page.extract_text() or ""
            pages.append(page_text)
            length += len(page_text)
            if length > MAX_BODY * 2:
                break
        meta_title = ""
        if reader.metadata is not None and isinstance(reader.metadata.title, str):
            meta_title = reader.metadata.title.strip()
    except Unreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise Unreadable(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(pages).replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise Unreadable("no text found in the PDF (a scan without text?)")
    if meta_title and not MEANINGLESS_PDF_TITLE.match(meta_title):
        return shorten(meta_title), text
    return split_title(text, markdown=False)


def read_document(path: Path) -> tuple[str, str]:
    """(title, body) from one file; raises Unreadable."""
    kind = EXTENSIONS[path.suffix.lower()]
    try:
        if kind == "pdf":
            return read_pdf(path)
        return read_text(path, markdown=kind == "markdown")
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror or exc})") from None


def import_key(path: Path) -> str:
    """The file's key for re-runs: a hash of its bytes, so a moved or renamed file still
    counts as imported, and a changed one as new."""
    try:
        with path.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror or exc})") from None


def walk(paths: list[str]) -> Iterator[tuple[Path, str | None]]:
    """Every file to consider, in a stable order, with a reason when it is refused outright.

    Directories are walked for .txt, .md and .pdf files (hidden ones left out); a file named
    on the command line with another extension is reported."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                        yield Path(root) / name, None
        elif path.is_file():
            if path.suffix.lower() in EXTENSIONS:
                yield path, None
            else:
                yield path, "not a .txt, .md or .pdf file"
        else:
            yield path, "no such file or directory"


@contextmanager
def _pypdf_quiet() -> Iterator[None]:
    """pypdf logs every oddity of a damaged file; the summary gives the reason once."""
    pypdf_log = logging.getLogger("pypdf")
    pypdf_level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        pypdf_log.setLevel(pypdf_level)


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .pdf files (or folders of them) as library items of a "
        "community. Titles come from the first Markdown heading or the first line."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the community's short name")
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--author",
            metavar="EMAIL",
            help="the author, a member (default: the community's first facilitator)",
        )
        parser.add_argument(
            "--kind",
            default=Kind.PRACTICE_EXAMPLE,
            choices=Kind.values,
            help="kind of item for every file (default: %(default)s)",
        )
        parser.add_argument(
            "--tag", action="append", default=[], metavar="THEME", help="theme for every item"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check everything, save nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, slug, paths, author, kind, tag, dry_run, no_progress, **options):
        community = community_from_argument(slug)
        by = self._author(community, author)
        skipped: list[tuple[str, str]] = []
        total = sum(1 for _path in walk(paths))
        bar = self._progress_bar(total, disable=no_progress)

        reader = _Reader(
            already=imported_keys(community), bar=bar, skipped=skipped, kind=kind, tags=tag
        )
        counts = reader.counts

        try:
            with _pypdf_quiet(), transaction.atomic() if dry_run else nullcontext():
                created, problems = items_bulk_create(
                    community=community,
                    by=by,
                    authors=[by],
                    documents=reader.documents(paths),
                    batch=BATCH,
                    progress=bar.update,
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except (PermissionDenied, ValidationError) as exc:
            bar.close()
            messages = exc.messages if isinstance(exc, ValidationError) else []
            raise CommandError(
                " ".join(messages) or f"{by.email} may not add items to {slug!r}."
            ) from None
        bar.update(len(problems))
        bar.close()
        for problem in problems:
            source, _sep, reason = problem.partition(": ")
            skipped.append((source, reason))
        self._summary(community, by, kind, created, counts["already"], skipped, dry_run)
        if not created and not counts["already"]:
            raise CommandError("Nothing was imported." if total else "No files found.")

    def _progress_bar(self, total: int, *, disable: bool) -> tqdm:
        return tqdm(
            total=total, unit="file", desc="Importing", file=self.stderr._out, disable=disable
        )

    def _author(self, community: Community, email: str | None) -> User:
        if email:
            user = person_get_active_by_email(email=email)
            if user is None:
                raise CommandError(f"No active person with e-mail address {email!r}.")
            membership = Membership.objects.filter(community=community, user=user).first()
            if membership is None:
                raise CommandError(f"{user.email} is not a member of {community.slug!r}.")
            if membership.role == Role.GUEST:
                raise CommandError(f"{user.email} is a guest in {community.slug!r}: guests read.")
            return user
        first = first_facilitator(community=community)
        if first is None:
            raise CommandError(f"{community.slug!r} has no facilitator: name one with --author.")
        return first

    def _summary(self, community, by, kind, created, already, skipped, dry_run) -> None:
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {created} item{'s' if created != 1 else ''} into {community.slug!r} "
            f"as {by.full_name} <{by.email}> (kind: {kind})."
        )
        if already:
            self.stdout.write(
                f"Already imported before: {already} file{'s' if already != 1 else ''} "
                "(passed over)."
            )
        if skipped:
            self.stdout.write(f"Skipped {len(skipped)}:")
            for source, reason in skipped:
                self.stdout.write(f"  {source}: {reason}")


class _Reader:
    """Turns the files into documents for `items_bulk_create`, passing over copies and
    files imported before, and noting each file it refuses with the reason."""

    def __init__(self, *, already: set[str], bar: tqdm, skipped: list, kind: str, tags: list):
        self.already = already
        self.bar = bar
        self.skipped = skipped
        self.kind = kind
        self.tags = tags
        self.first_with: dict[str, Path] = {}
        self.counts = {"already": 0}

    def documents(self, paths: list[str]) -> Iterator[dict]:
        seen: set[Path] = set()
        for path, refused in walk(paths):
            resolved = path.resolve()
            if resolved in seen:
                self.bar.update(1)
                continue
            seen.add(resolved)
            document = self._document(path, refused)
            if document is not None:
                yield document

    def _document(self, path: Path, refused: str | None) -> dict | None:
        key = ""
        if refused is None:
            try:
                key = import_key(path)
                if key in self.already:
                    self.counts["already"] += 1
                    self.bar.update(1)
                    return None
                if key in self.first_with:
                    raise Unreadable(f"the same content as {self.first_with[key]}")
                self.first_with[key] = path
                title, body = read_document(path)
            except Unreadable as exc:
                refused = str(exc)
        if refused is not None:
            self.skipped.append((str(path), refused))
            self.bar.update(1)
            return None
        return {
            "kind": self.kind,
            "title": title,
            "body": body,
            "tags": self.tags,
            "source": str(path),
            "import_key": key,
        }
