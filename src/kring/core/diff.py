"""Readable differences between two versions of a text.

Paragraphs are compared as lines; within a changed paragraph the words are compared, so a
fixed typo shows as one struck word and one added word instead of two whole paragraphs.
Templates render the pieces as <del> and <ins>.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

CONTEXT = 1
TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class Row:
    kind: str  # "same", "changed", "added", "removed" or "gap"
    pieces: list[tuple[str, str]] = field(default_factory=list)  # (op, text); op: = + -


@dataclass
class FieldDiff:
    label: str
    rows: list[Row]


def _words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return pieces


def _lines(value: str) -> list[str]:
    return [line.rstrip() for line in (value or "").splitlines() if line.strip()]


def text_diff(old: str, new: str) -> list[Row]:
    """Rows for two texts: changed paragraphs with a little unchanged context around them."""
    a, b = _lines(old), _lines(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    rows: list[Row] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            # Keep a line of context after the previous change and before the next one.
            same = a[i1:i2]
            head = same[:CONTEXT] if index > 0 else []
            tail = same[-CONTEXT:] if index < len(opcodes) - 1 else []
            if len(same) <= len(head) + len(tail):
                head, tail = same, []
            rows.extend(Row("same", [("=", line)]) for line in head)
            if len(same) > len(head) + len(tail):
                rows.append(Row("gap"))
            rows.extend(Row("same", [("=", line)]) for line in tail)
        elif op == "replace":
            old_part, new_part = a[i1:i2], b[j1:j2]
            for x, y in zip(old_part, new_part, strict=False):
                rows.append(Row("changed", _words(x, y)))
            rows.extend(Row("removed", [("-", x)]) for x in old_part[len(new_part) :])
            rows.extend(Row("added", [("+", y)]) for y in new_part[len(old_part) :])
        elif op == "delete":
            rows.extend(Row("removed", [("-", x)]) for x in a[i1:i2])
        else:
            rows.extend(Row("added", [("+", y)]) for y in b[j1:j2])
    return rows
