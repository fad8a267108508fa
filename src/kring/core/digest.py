"""What goes into the daily and weekly digest e-mails.

Core knows no feature, so each app registers its own section in its AppConfig.ready():

    digest.register("library", _("New in the library"), library_digest_entries)

A section's function gets the reader, the ids of the communities they belong to and the
period, and returns the entries *for that person* (it must only return what they may see).
conversations adds the questions still waiting for an answer (position 10), knowledge the
new library items (20); meetings will add the upcoming sessions (30).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

# Enough to be useful in one e-mail; the rest is one click away.
MAX_ENTRIES = 10


@dataclass(frozen=True)
class DigestEntry:
    title: str
    url: str  # a path on this site (the e-mail prefixes SITE_URL) or an absolute address
    meta: str = ""  # one line under the title: where and who, never private content
    community: str = ""


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str  # usually a lazy translation, rendered in the reader's language
    fn: Callable[..., Iterable[DigestEntry]]
    position: int = 50


@dataclass
class FilledSection:
    key: str
    title: str
    entries: list[DigestEntry] = field(default_factory=list)
    more: int = 0  # entries left out to keep the e-mail short


_sections: dict[str, DigestSection] = {}


def register(
    key: str, title: str, fn: Callable[..., Iterable[DigestEntry]], *, position: int = 50
) -> None:
    """Add (or replace, on a second ready()) the section `key`. Sections show by position,
    then in the order they were registered (which follows INSTALLED_APPS)."""
    _sections[key] = DigestSection(key=key, title=title, fn=fn, position=position)


def unregister(key: str) -> None:
    _sections.pop(key, None)


def sections() -> list[DigestSection]:
    return sorted(_sections.values(), key=lambda section: section.position)


def build(
    *, user, community_ids: list[int], since: datetime, until: datetime
) -> list[FilledSection]:
    """Every registered section for this person and period; empty sections are left out."""
    if not community_ids:
        return []
    filled = []
    for section in sections():
        entries = list(section.fn(user=user, community_ids=community_ids, since=since, until=until))
        if entries:
            filled.append(
                FilledSection(
                    key=section.key,
                    title=str(section.title),
                    entries=entries[:MAX_ENTRIES],
                    more=max(0, len(entries) - MAX_ENTRIES),
                )
            )
    return filled
