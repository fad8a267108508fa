"""@-mentions as people write them and as Kring stores them.

Stored, a mention is a Markdown link to a profile: ``@[Mehmet Kaya](/people/17/)`` (see
``services.MENTION_RE``); rendering and notifications read that form. While writing and
editing, people see and type ``@Mehmet Kaya``. The writing box carries the ids of the people
chosen from the autocomplete in a hidden field; the server turns ``@Name`` back into the
stored form for those people only, and for a name that exactly one member of the community
has (so a mention typed without JavaScript works too).
"""

import re

from kring.conversations.services import MENTION_RE

MAX_IDS = 50
# "@" and up to four words (names like "Anne-Marie van den Berg"), at the start or after a space.
TYPED_RE = re.compile(r"(?:^|(?<=[\s(]))@(\w[\w'’.-]*(?: \w[\w'’.-]*){0,4})", re.MULTILINE)


def label(name: str) -> str:
    """A name as it may stand in a mention: brackets would end the link text early."""
    return " ".join((name or "").replace("[", "(").replace("]", ")").split())


def as_names(text: str) -> str:
    """Stored mentions shown as names: ``@[Mehmet Kaya](/people/17/)`` becomes ``@Mehmet Kaya``."""
    return MENTION_RE.sub(lambda m: f"@{m.group(1)}", text or "")


def stored_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for _name, pk in MENTION_RE.findall(text or "")))


def parse_ids(raw) -> list[int]:
    """The ids the writing box posted ("17 23"); anything else in it is ignored."""
    ids = []
    for part in re.split(r"[\s,]+", str(raw or "")):
        if part.isdigit() and len(part) < 12 and int(part) not in ids:
            ids.append(int(part))
    return ids[:MAX_IDS]


def _known_labels(initial: str) -> dict[str, int]:
    """The mentions already in the text before editing, by their label."""
    return {label(name): int(pk) for name, pk in MENTION_RE.findall(initial or "")}


def typed_names(text: str) -> set[str]:
    """Every run of one to five words after an "@", as candidates for a member's name."""
    names = set()
    for match in TYPED_RE.finditer(text or ""):
        words = match.group(1).split(" ")
        for n in range(1, len(words) + 1):
            names.add(" ".join(words[:n]).rstrip(".,;:!?'’"))
    return names


def as_stored(text: str, *, people: dict[int, str], initial: str = "") -> str:
    """``@Name`` written back as a stored mention, for the people given (id to full name, all
    members of the community) and the mentions that were already in the text. The longest
    name wins, so "@Anna de Vries" is not taken for "@Anna"."""
    by_label: dict[str, int] = {}
    for pk, name in people.items():
        by_label.setdefault(label(name), pk)
    for name, pk in _known_labels(initial).items():
        by_label.setdefault(name, pk)
    if not by_label or "@" not in (text or ""):
        return text or ""
    names = sorted(by_label, key=len, reverse=True)
    pattern = re.compile(
        r"(?:^|(?<=[\s(]))@(" + "|".join(re.escape(n) for n in names if n) + r")(?![\w\[])",
        re.MULTILINE,
    )
    return pattern.sub(lambda m: f"@[{m.group(1)}](/people/{by_label[m.group(1)]}/)", text)
