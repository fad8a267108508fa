"""Community notices: news that one app makes and every member of the community hears about
(for now: a session or a series was planned).

Core knows no feature, so the two sides meet here, each registering in its AppConfig.ready():

    notices.register_describer([MeetingVerb.SESSION_PLANNED], describe_planned)   # meetings
    notices.register_deliverer(deliver_notice)                                 # conversations

The app that makes the news calls `announce(event=...)` with its activity event, inside the
transaction of the change. Every deliverer gets the event (conversations makes one
notification per member, and e-mails them as their settings say). A describer turns a batch
of events into what a notification shows: a sentence, its parts and a link, in the reader's
language. So meetings never imports conversations, and conversations never imports meetings.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kring.core.models import ActivityEvent


@dataclass(frozen=True)
class Notice:
    """What one notification about an event says. `pattern` is a translated sentence with
    %(name)s (who did it), %(title)s and any other named parts in `parts` (plain text: the
    reader escapes them); `url` is a path on this site."""

    pattern: str
    title: str
    url: str
    parts: dict[str, str] = field(default_factory=dict)
    # False once the news no longer holds (the session was cancelled or is over): the
    # notification stays in the list, but no e-mail goes out for it any more.
    active: bool = True

    def values(self, name: str) -> dict[str, str]:
        return {**self.parts, "name": name, "title": self.title}


Describer = Callable[[list[ActivityEvent]], dict[int, Notice]]
Deliverer = Callable[[ActivityEvent], object]

_describers: dict[str, Describer] = {}
_deliverers: list[Deliverer] = []


def register_describer(verbs: Iterable[str], describer: Describer) -> None:
    """`describer(events)` returns {event id: Notice} for the events that still make sense
    (a target that is gone or cancelled gets none)."""
    for verb in verbs:
        _describers[str(verb)] = describer


def register_deliverer(deliverer: Deliverer) -> None:
    if deliverer not in _deliverers:
        _deliverers.append(deliverer)


def announced_verbs() -> list[str]:
    return sorted(_describers)


def announce(*, event: ActivityEvent) -> None:
    """Tell the community about `event`. Call inside the transaction of the change."""
    if event.verb not in _describers:
        return
    for deliverer in _deliverers:
        deliverer(event)


def describe(events: Iterable[ActivityEvent]) -> dict[int, Notice]:
    """{event id: Notice} in the active language, one batch per describer."""
    by_describer: dict[Describer, list[ActivityEvent]] = {}
    for event in events:
        describer = _describers.get(event.verb)
        if describer is not None:
            by_describer.setdefault(describer, []).append(event)
    notices: dict[int, Notice] = {}
    for describer, batch in by_describer.items():
        notices.update(describer(batch))
    return notices
