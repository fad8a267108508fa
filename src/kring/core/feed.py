"""The community home: an activity feed built from activity events, and panels beside it.

Core knows no feature, so feature apps register in their AppConfig.ready():

    feed.register_describer([KnowledgeVerb.ITEM_CREATED], describe_items)   # knowledge
    feed.register_panel(waiting_questions_panel)

A describer gets a batch of events with the verbs it registered for (the actor already
loaded) and the viewer, looks its targets up in one query per type, and returns an entry per
event it can show. Events whose target is gone or hidden get no entry and drop out of the
feed. Verbs nobody describes (messages, flags, moderation, mentions) never appear.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from kring.core.models import ActivityEvent
from kring.core.reverse import reverse

FEED_PAGE_SIZE = 20
# A page with many events whose target was removed is filled from the next batches, up to
# this many: enough in practice, and a bound on the queries one page may run.
MAX_ROUNDS = 4
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class FeedEntry:
    """One line of the feed. `sentence` is safe HTML (built with format_html) that already
    links the people and things it names; `url` is where the entry leads."""

    actor: object
    sentence: str
    url: str
    time: datetime
    extra: dict = field(default_factory=dict)
    event_id: int = 0


def sentence(template: str, **parts) -> SafeString:
    """A translated sentence with named placeholders, e.g.
    sentence(_("%(name)s asks: %(title)s"), name=..., title=...). The sentence and plain
    parts are escaped; parts made with `link` or format_html stay as they are."""
    escaped = {key: conditional_escape(value) for key, value in parts.items()}
    return mark_safe(conditional_escape(template) % escaped)  # noqa: S308 (all parts escaped)


def link(url: str, text: str, css: str = "") -> SafeString:
    if css:
        return format_html('<a class="{}" href="{}">{}</a>', css, url, text)
    return format_html('<a href="{}">{}</a>', url, text)


def person_link(user, css: str = "person-name") -> SafeString:
    """A person's name linking to their profile; a former member (an erased account) gets
    its name in the reader's language and no link."""
    if getattr(user, "is_erased", False):
        return format_html('<span class="{}">{}</span>', css, user.display_name)
    return link(reverse("person-detail", kwargs={"pk": user.pk}), user.full_name, css)


Describer = Callable[[list[ActivityEvent], object], dict[int, FeedEntry]]
Panel = Callable[[object, object], "tuple[str, dict] | None"]

_describers: dict[str, Describer] = {}
_panels: list[Panel] = []


def register_describer(verbs: Iterable[str], describer: Describer) -> None:
    """`describer(events, viewer)` returns {event id: FeedEntry} for the events it can show."""
    for verb in verbs:
        _describers[str(verb)] = describer


def register_panel(panel: Panel) -> None:
    """`panel(community, viewer)` returns (template name, context) or None to show nothing."""
    if panel not in _panels:
        _panels.append(panel)


def feed_verbs() -> list[str]:
    return sorted(_describers)


@dataclass
class FeedPage:
    entries: list[FeedEntry]
    # The cursor for the next (older) page, or "" when this is the last one.
    next_before: str = ""


def cursor_for(event_time: datetime, event_id: int) -> str:
    micros = (event_time - EPOCH) // timedelta(microseconds=1)
    return f"{micros},{event_id}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """`before=<microseconds since 1970>,<event id>`; anything else means the first page."""
    if not value:
        return None
    try:
        micros, event_id = (int(part) for part in value.split(",", 1))
        if micros < 0 or event_id < 0 or micros > 10**17:
            return None
        return EPOCH + timedelta(microseconds=micros), event_id
    except (ValueError, OverflowError):
        return None


def _describe(events: list[ActivityEvent], user) -> dict[int, FeedEntry]:
    by_describer: dict[Describer, list[ActivityEvent]] = {}
    for event in events:
        describer = _describers.get(event.verb)
        if describer is not None:
            by_describer.setdefault(describer, []).append(event)
    times = {event.pk: event.created_at for event in events}
    entries: dict[int, FeedEntry] = {}
    for describer, batch in by_describer.items():
        for event_id, entry in describer(batch, user).items():
            # Paging follows the events, so an entry always carries its event's time.
            entry.event_id, entry.time = event_id, times[event_id]
            entries[event_id] = entry
    return entries


def community_feed(
    *,
    community,
    user,
    before: tuple[datetime, int] | str | None = None,
    limit: int = FEED_PAGE_SIZE,
) -> FeedPage:
    """The newest entries of a community's feed, older than `before`.

    The caller has checked that the user may see inside the community. Reads events through
    the (community, created_at) index, newest first, in a fixed number of queries."""
    if isinstance(before, str):
        before = parse_cursor(before)
    verbs = feed_verbs()
    if not verbs:
        return FeedPage(entries=[])
    base = (
        ActivityEvent.objects.filter(community=community, verb__in=verbs)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    entries: list[FeedEntry] = []
    cursor = before
    for _round in range(MAX_ROUNDS):
        qs = base
        if cursor is not None:
            at, event_id = cursor
            qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=event_id))
        chunk = limit + 1
        events = list(qs[:chunk])
        described = _describe(events, user)
        for event in events:
            entry = described.get(event.pk)
            if entry is None:
                continue
            if len(entries) == limit:
                # There is at least one more entry: the next page starts after our last one.
                last = entries[-1]
                return FeedPage(entries=entries, next_before=cursor_for(last.time, last.event_id))
            entries.append(entry)
        if len(events) < chunk:
            return FeedPage(entries=entries)
        cursor = (events[-1].created_at, events[-1].pk)
    # Many events in a row without an entry: offer to continue after the last one read.
    return FeedPage(entries=entries, next_before=cursor_for(*cursor))


def community_panels(*, community, user) -> list[dict]:
    """What other apps put beside the feed: [{"template": name, "context": {...}}]."""
    panels = []
    for panel in _panels:
        result = panel(community, user)
        if result is not None:
            template, context = result
            panels.append({"template": template, "context": context})
    return panels
