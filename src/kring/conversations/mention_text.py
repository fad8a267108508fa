"""@-mentions as people write them and as Kring stores them.

Stored, a mention is a Markdown link to a profile: ``@[Mehmet Kaya](/people/17/)`` (see
``MENTION_RE``); rendering and notifications read that form. While writing and
editing, people see and type ``@Mehmet Kaya``. The writing box carries the ids of the people
chosen from the autocomplete in a hidden field; the server turns ``@Name`` back into the
stored form for those people only, and for a name that exactly one member of the community
has (so a mention typed without JavaScript works too).
"""

import re

MAX_IDS = 50
# A mention is a Markdown link to a profile, as the editor's autocomplete writes it:
# @[Anna de Vries](/people/12/). It renders as a working link without any extra syntax.
MENTION_RE = re.compile(r"@\[([^\]\n]{1,120})\]\(/people/(\d{1,12})/\)")
# "@" and up to four words (names like "Anne-Marie van den Berg"), at the start or after a space.
TYPED_RE = re.compile(r"(?:^|(?<=[\s(]))@(\w[\w'’.-]*(?: \w[\w'’.-]*){0,4})", re.MULTILINE)


def label(name: str) -> str:
    """A name as it may stand in a mention: brackets would end the link text early."""
    return " ".join((name or "").replace("[", "(").replace("]", ")").split())


def as_names(text: str) -> str:
    """Stored mentions shown as names: ``@[Mehmet Kaya](/people/17/)`` becomes ``@Mehmet Kaya``."""
    return MENTION_RE.sub(lambda m: f"@{m.group(1)}", text or "")


def stored_ids(text: str) -> list[int]:
    """The people a stored text mentions, each once, in the order of their first mention."""
    return list(dict.fromkeys(int(pk) for _name, pk in MENTION_RE.findall(text or "")))


def parse_ids(raw) -> list[int]:
    """The ids the writing box posted ("17 23"); anything else in it is ignored."""
    ids = []
    for part in re.split(r"[\s,]+", str(raw or "")):
        if part.isdigit() and len(part) < 12 and int(part) not in ids:
            ids.append(int(part))
    return ids[:MAX_IDS]


def typed_names(text: str) -> set[str]:
    """Every run of one to five words after an "@", as candidates for a member's name."""
    names = set()
    for match in TYPED_RE.finditer(text or ""):
        words = match.group(1).split(" ")
        for n in range(1, len(words) + 1):
            names.add(" ".join(words[:n]).rstrip(".,;:!?'’"))
    return names


def as_stored(
    text: str, *, people: dict[int, str], initial: str = "", chosen: list[int] | None = None
) -> str:
    """``@Name`` written back as a stored mention, for the people given (id to full name, all
    members of the community) and the mentions that were already in the text. The longest
    name wins, so "@Anna de Vries" is not taken for "@Anna".

    One name can belong to several people. Each name keeps a queue of ids, handed out in the
    order the name appears in the text: first the people the text already mentioned (so an
    edit never moves a mention to a namesake who joined later), then the people chosen in
    the writing box in the order they were chosen, then a member found by name alone."""
    queues: dict[str, list[int]] = {}

    def add(name: str, pk: int) -> None:
        queue = queues.setdefault(label(name), [])
        if pk not in queue:
            queue.append(pk)

    for name, pk in MENTION_RE.findall(initial or ""):
        add(name, int(pk))
    for pk in chosen or []:
        if pk in people:
            add(people[pk], pk)
    for pk, name in people.items():
        add(name, pk)
    queues.pop("", None)
    if not queues or "@" not in (text or ""):
        return text or ""
    names = sorted(queues, key=len, reverse=True)
    pattern = re.compile(
        r"(?:^|(?<=[\s(]))@(" + "|".join(re.escape(n) for n in names) + r")(?![\w\[])",
        re.MULTILINE,
    )
    handed: dict[str, int] = {}

    def stored(match: re.Match) -> str:
        name = match.group(1)
        queue = queues[name]
        turn = handed.get(name, 0)
        handed[name] = turn + 1
        return f"@[{name}](/people/{queue[min(turn, len(queue) - 1)]}/)"

    return pattern.sub(stored, text)
