"""The facilitator's dashboard as one read: the latest snapshot's dashboard part (never
computed in the request) with its signals, suggestions, health strip, network, coverage and
trends, in the reader's words and number format. The view (views.dashboard) renders it."""

from collections.abc import Container
from datetime import date, datetime

from django.core.cache import cache
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community
from kring.insights import charts, dashboard_doc, document, permissions, selectors
from kring.insights.compute.signals import NEWCOMER_MAX_DAYS
from kring.insights.compute.suggestions import suggestion_priority
from kring.insights.document_groups import community_signal_reason
from kring.insights.models import Snapshot
from kring.insights.network_section import drawn_people, network_context

# Most urgent first; lurking is a way of taking part, shown last and quietly.
SIGNAL_ORDER = ("core_silent", "drifting", "unconnected", "rising", "lurker")
# The dashboard shows the first few people per signal (the snapshot ranks them); the rest are
# on that signal's own paged list (signals_page).
SIGNALS_ON_DASHBOARD = 5
SIGNALS_PER_PAGE = 25


def signal_heading(kind: str) -> str:
    return {
        "core_silent": _("Core group gone quiet"),
        "drifting": _("Drifting away"),
        "unconnected": _("Not yet connected"),
        "rising": _("Rising"),
        "lurker": _("Reading along"),
    }[kind]


def _tide_note(tide: dict | None) -> str:
    """A sentence when the community is clearly quieter or busier than usual: the signals
    take it into account (docs/insights.md, "The community's tide")."""
    if not tide:
        return ""
    percent = round(100 * tide["level"])
    if tide["level"] < 0.8:
        return _(
            "The community is quieter than usual: about %(percent)s%% of its usual activity in "
            "the last %(days)s days. The signals expect less of everyone for now."
        ) % {"percent": percent, "days": tide["days"]}
    if tide["level"] > 1.25:
        return _(
            "The community is busier than usual: about %(percent)s%% of its usual activity in "
            "the last %(days)s days. Someone quiet now stands out sooner."
        ) % {"percent": percent, "days": tide["days"]}
    return ""


def group_signal_heading(kind: str) -> str:
    return {
        "drifting_apart": _("Groups drifting apart"),
        "dominant_voice": _("One voice fills the room"),
        "unheard_perspective": _("Perspective not heard"),
    }.get(kind, kind)


def signal_intro(kind: str, newcomer_days: int = 21) -> str:
    if kind == "unconnected":
        # The network's "no direct contact" holds everyone without ties; this signal only
        # newcomers, so the two lists differ and say why.
        return _(
            "Newcomers who joined between %(weeks)s weeks and %(months)s months ago and have "
            "not interacted with anyone yet. Members without ties who joined earlier show in "
            "the network, not here."
        ) % {"weeks": newcomer_days // 7, "months": NEWCOMER_MAX_DAYS // 30}
    return {
        "core_silent": _("Facilitators and core group members much less active than usual."),
        "drifting": _("Members much less active than their own usual pace, or missing sessions."),
        "rising": _("Members clearly more active than usual: ask them what works."),
        "lurker": _("They read but have not contributed yet. A way of taking part, not a problem."),
    }[kind]


# "Deze week": the top of the ranked open suggestions (docs/insights.md, "Ranking").
THIS_WEEK = 5
MORE_PER_PAGE = 10
SUGGESTION_KINDS = (
    "call",
    "welcome",
    "introduce",
    "pair_perspectives",
    "bring_together",
    "make_room",
    "invite_perspective",
)


def suggestion_kind_label(kind: str) -> str:
    return {
        "call": _("Calls"),
        "welcome": _("Newcomers"),
        "introduce": _("Introductions"),
        "pair_perspectives": _("Perspectives"),
        "bring_together": _("Groups apart"),
        "make_room": _("One voice"),
        "invite_perspective": _("Unheard"),
    }.get(kind, kind)


def suggestion_badge(suggestion: dict) -> str:
    """What kind of situation, in two or three words."""
    if suggestion["kind"] == "call":
        if suggestion["params"].get("signal") == "core_silent":
            return _("Core group gone quiet")
        return _("Drifting away")
    return {
        "welcome": _("Newcomer on their own"),
        "introduce": _("Introduction"),
        "pair_perspectives": _("Perspectives apart"),
        "bring_together": _("Groups drifting apart"),
        "make_room": _("One voice fills the room"),
        "invite_perspective": _("Perspective not heard"),
    }.get(suggestion["kind"], suggestion["kind"])


def suggestion_duration(suggestion: dict) -> str:
    """How long the situation has been going on, when that is known."""
    weeks = suggestion["params"].get("weeks") or 0
    if suggestion["kind"] == "call" and weeks:
        return ngettext("quiet for %(weeks)s week", "quiet for %(weeks)s weeks", weeks) % {
            "weeks": weeks
        }
    if suggestion["kind"] == "welcome" and weeks:
        return ngettext("joined %(weeks)s week ago", "joined %(weeks)s weeks ago", weeks) % {
            "weeks": weeks
        }
    return ""


def _direction(now: float | None, before: float | None) -> dict:
    """The direction of a figure against an earlier one (the template says it in words, with
    an arrow as decoration)."""
    if before is None or now is None:
        return {"key": "none"}
    if now > before:
        return {"key": "up", "before": before}
    if now < before:
        return {"key": "down", "before": before}
    return {"key": "same", "before": before}


def _month_name(key: str) -> str:
    year, month = key.split("-")
    return date_format(date(int(year), int(month), 1), "F")


def dashboard_read(*, community: Community, user: User, kind: str = "", page: int = 1) -> dict:
    """Everything the dashboard shows, for a facilitator (PermissionDenied otherwise):
    `insight_settings` (the thresholds) and `snapshot` (None before the first one); with a
    snapshot, the signals, suggestions (the "more" list filtered by `kind` and at `page`),
    the health strip, coverage, network and trends."""
    permissions.check_facilitate(user, community)
    limits = selectors.settings_for(community=community)
    snapshot = selectors.snapshot_latest_dashboard(community=community)
    context: dict = {"insight_settings": limits, "snapshot": snapshot}
    if snapshot is None:
        return context
    dash = _dashboard_part(snapshot)
    stored = {p["id"]: p for p in dash["people"]}
    # Who is still a member, by name only: the picture draws hundreds of them, but faces
    # are shown for the few on screen (their rows are read at the end, in one query).
    present = selectors.names_now(community=community, ids=list(stored))
    perspectives = selectors.perspectives_by_key()
    coverage = dash.get("coverage", {})
    # Perspective names in the reader's language (a snapshot was made in the worker's).
    perspective_names = {
        **coverage.get("names", {}),
        **{key: str(p.name) for key, p in perspectives.items()},
    }
    names = {p["email"]: p["name"] for p in stored.values()}
    by_email = {p["email"]: p for p in stored.values() if p["id"] in present}
    signals = _signals_context(dash, present, limits.newcomer_days, user)
    context.update(
        _suggestions_context(
            community=community,
            reader=user.email,
            dash=dash,
            names=names,
            by_email=by_email,
            perspective_names=perspective_names,
            kind=kind,
            page_number=page,
        )
    )
    context["health"] = _health(community, snapshot, dash, perspective_names)
    context["tide_note"] = _tide_note(dash.get("tide"))
    if "group_signals" in dash:
        context["group_signals"] = [
            {
                "kind": signal["kind"],
                "heading": group_signal_heading(signal["kind"]),
                "reason": community_signal_reason(signal, names, perspective_names),
                "since": signal.get("since"),
            }
            for signal in dash["group_signals"]
        ]
    context.update(
        {
            "signals": signals,
            "signal_count": sum(g["count"] for g in signals if g["kind"] != "lurker"),
            **_coverage_context(coverage, perspective_names),
            **network_context(
                dash,
                people=drawn_people(present),
                perspectives=perspectives,
                snapshot=snapshot,
                unconnected=dash["signals"].get("unconnected", {}).get("count", 0),
                with_list=False,
            ),
            "trends": _trend_charts(snapshot, dash.get("trends", {})),
        }
    )
    _faces(signals, [*context["this_week"], *context["more_page"].object_list], community)
    return context


def _faces(signals: list[dict], cards: list[dict], community: Community) -> None:
    """The people shown with a face (signals and suggestion cards) as User rows, in one
    query; until now they were ids."""
    wanted = {i["person"] for s in signals for i in s["items"]}
    wanted.update(pk for card in cards for pk in card["people"])
    people = selectors.people_by_id(community=community, ids=wanted)
    for signal in signals:
        signal["items"] = [
            {**item, "person": people[item["person"]]}
            for item in signal["items"]
            if item["person"] in people
        ]
    for card in cards:
        card["people"] = [people[pk] for pk in card["people"] if pk in people]


def network_list_read(*, community: Community, user: User) -> dict | None:
    """The network's people per group (the picture's alternative as a list), for a facilitator
    (PermissionDenied otherwise); None before the first snapshot."""
    permissions.check_facilitate(user, community)
    snapshot = selectors.snapshot_latest_dashboard(community=community)
    if snapshot is None:
        return None
    dash = _dashboard_part(snapshot)
    people = selectors.people_by_id(community=community, ids=[p["id"] for p in dash["people"]])
    return {
        "snapshot": snapshot,
        **network_context(
            dash,
            people=people,
            perspectives=selectors.perspectives_by_key(),
            snapshot=snapshot,
            unconnected=dash["signals"].get("unconnected", {}).get("count", 0),
            with_picture=False,
        ),
    }


def _signal_item(item: dict, kind: str, person: User | int, reader: User) -> dict:
    """One person's signal; `person` is their User, or their id until _faces reads it."""
    return {
        "person": person,
        "signal": {
            **item,
            "kind": kind,
            "reason": document.signal_reason({**item, "kind": kind}),
            "since_date": date.fromisoformat(item["since"]) if item.get("since") else None,
        },
        "is_reader": item["id"] == reader.pk,
    }


def _signals_context(
    dash: dict, present: Container[int], newcomer_days: int, reader: User
) -> list[dict]:
    """The signals per kind, most urgent first, with their reasons: the first SIGNALS_ON_DASHBOARD
    people who are still members (`present`), each by id (see _faces); `more` says how many
    the signal's own list adds."""
    signals = []
    for kind in SIGNAL_ORDER:
        part = dash["signals"].get(kind, {"count": 0, "items": []})
        current = [item for item in part["items"] if item["id"] in present]
        items = [
            _signal_item(item, kind, item["id"], reader) for item in current[:SIGNALS_ON_DASHBOARD]
        ]
        signals.append(
            {
                "kind": kind,
                "heading": signal_heading(kind),
                "intro": signal_intro(kind, newcomer_days),
                "items": items,
                "count": part["count"],
                "more": max(0, part["count"] - len(items)),
                # The signal's own list holds everyone the snapshot stored.
                "has_list": len(current) > len(items),
            }
        )
    return signals


def signals_page(*, community: Community, user: User, kind: str, page: int = 1) -> dict | None:
    """One signal's people, SIGNALS_PER_PAGE at a time, for a facilitator (PermissionDenied
    otherwise); None before the first snapshot. Only the people on the page are read."""
    permissions.check_facilitate(user, community)
    snapshot = selectors.snapshot_latest_dashboard(community=community)
    if snapshot is None:
        return None
    limits = selectors.settings_for(community=community)
    part = _dashboard_part(snapshot)["signals"].get(kind, {"count": 0, "items": []})
    paged = Paginator(part["items"], SIGNALS_PER_PAGE).get_page(page)
    people = selectors.people_by_id(
        community=community, ids=[item["id"] for item in paged.object_list]
    )
    paged.object_list = [
        _signal_item(item, kind, people[item["id"]], user)
        for item in paged.object_list
        if item["id"] in people
    ]
    return {
        "snapshot": snapshot,
        "kind": kind,
        "heading": signal_heading(kind),
        "intro": signal_intro(kind, limits.newcomer_days),
        "count": part["count"],
        "listed": len(part["items"]),
        "page": paged,
    }


def _trend_charts(snapshot: Snapshot, trends: dict) -> list[dict]:
    """The trend charts, drawn once per snapshot and language: a snapshot never changes."""
    key = f"insights:trends:{snapshot.pk}:{snapshot.computed_at.timestamp()}:{get_language()}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = charts.trend_charts(trends)
        cache.set(key, drawn, charts.LAYOUT_CACHE_SECONDS)
    return drawn


def _coverage_context(coverage: dict, perspective_names: dict[str, str]) -> dict:
    """Coverage with the gaps' reasons, and its rows with the perspectives' names."""
    return {
        "coverage": {
            **coverage,
            "gaps": [
                {**g, "reason": document.gap_reason(g, perspective_names)}
                for g in coverage.get("gaps", [])
            ],
        },
        "coverage_rows": [
            {**row, "name": perspective_names.get(row["perspective"], row["perspective"])}
            for row in coverage.get("rows", [])
        ],
    }


# The health strip ----------------------------------------------------------------------------


def _health(
    community: Community, snapshot: Snapshot, dash: dict, perspective_names: dict[str, str]
) -> list[dict]:
    """The health strip: five figures, each with its direction. From the dashboard part of the
    snapshot, and a few small live queries (the next session's RSVPs, the latest pulses, the
    gaps an earlier snapshot found)."""
    tiles = [
        *_trend_tiles(dash.get("trends", {})),
        _missing_tile(snapshot, dash, perspective_names),
        _rsvp_tile(community),
        _pulse_tile(community),
    ]
    for tile in tiles:
        decimal = tile.get("decimal", False)
        tile["shown"] = "—" if tile["value"] is None else _number(tile["value"], decimal)
        if "before" in tile["direction"]:
            tile["direction"]["shown"] = _number(tile["direction"]["before"], decimal)
    return tiles


def _trend_tiles(trends: dict) -> list[dict]:
    """Active members and new ties this month, against the month before."""
    months = trends.get("months", [])
    tiles = []
    for key, label in (
        ("active_members", _("Active members")),
        ("new_ties", _("New ties")),
    ):
        values = trends.get(key, [])
        if len(values) >= 2 and len(months) >= 2:
            tiles.append(
                {
                    "key": key,
                    "label": label,
                    "value": values[-1],
                    "when": (
                        _("so far in %(month)s")
                        if months[-1] == timezone.localtime().strftime("%Y-%m")
                        else _("in %(month)s")
                    )
                    % {"month": _month_name(months[-1])},
                    "direction": _direction(values[-1], values[-2]),
                    "against": _("in %(month)s") % {"month": _month_name(months[-2])},
                }
            )
    return tiles


def _missing_tile(snapshot: Snapshot, dash: dict, perspective_names: dict[str, str]) -> dict:
    """Target perspectives with nobody active, against an earlier snapshot."""
    gaps = [g for g in dash.get("coverage", {}).get("gaps", []) if g["kind"] == "none_active"]
    earlier = selectors.snapshot_earlier_gaps(snapshot=snapshot)
    before = None
    against = ""
    if earlier is not None:
        before = sum(1 for g in earlier[1] if g.get("kind") == "none_active")
        against = _("on %(date)s") % {"date": _short_date(earlier[0])}
    return {
        "key": "missing",
        "label": _("Perspectives missing"),
        "value": len(gaps),
        "when": ", ".join(perspective_names.get(g["perspective"], g["perspective"]) for g in gaps)
        or _("every target perspective is active"),
        "direction": _direction(len(gaps), before),
        "against": against,
        "link": "#coverage",
    }


def _rsvp_tile(community: Community) -> dict:
    """Who is coming to the next session, against the session before."""
    upcoming, last = selectors.sessions_next_and_last(community=community)
    if upcoming is None:
        return {
            "key": "rsvps",
            "label": _("Coming to the next session"),
            "value": None,
            "when": _("No session planned"),
            "direction": _direction(None, None),
            "link": reverse("session-create", args=[community.slug]),
        }
    # `coming` is annotated by sessions_next_and_last (the stubs do not know it).
    coming = upcoming.coming  # type: ignore[attr-defined]
    return {
        "key": "rsvps",
        "label": _("Coming to the next session"),
        "value": coming,
        "when": _("%(title)s, %(date)s")
        % {"title": upcoming.title, "date": _short_date(upcoming.starts_at)},
        "direction": _direction(coming, last.coming if last else None),  # type: ignore[attr-defined]
        "against": _("for the session before") if last else "",
        "link": reverse("session-detail", args=[community.slug, upcoming.pk]),
    }


def _pulse_tile(community: Community) -> dict:
    """Feeling safe in the latest pulse (from enough answers), against the pulse before."""
    pulses = selectors.pulses_latest_scores(community=community)
    latest = pulses[0] if pulses else None
    if latest is not None and latest["safety"] is not None:
        previous = pulses[1]["safety"] if len(pulses) > 1 else None
        return {
            "key": "pulse",
            "label": _("Feeling safe (latest pulse)"),
            "value": latest["safety"],
            "decimal": True,
            "when": ngettext(
                "out of 7, %(count)s answer", "out of 7, %(count)s answers", latest["answers"]
            )
            % {"count": latest["answers"]},
            "direction": _direction(latest["safety"], previous),
            "against": _("in the pulse before") if previous is not None else "",
            "link": reverse("pulse-list", args=[community.slug]),
        }
    return {
        "key": "pulse",
        "label": _("Feeling safe (latest pulse)"),
        "value": None,
        "when": (
            ngettext(
                "only %(count)s answer: no figure below 5",
                "only %(count)s answers: no figure below 5",
                latest["answers"],
            )
            % {"count": latest["answers"]}
            if latest is not None
            else _("No pulse yet")
        ),
        "direction": _direction(None, None),
        "link": reverse("pulse-list", args=[community.slug]),
    }


def _number(value: float, decimal: bool) -> str:
    """A figure in the reader's number format (a decimal comma in Dutch)."""
    return number_format(value, decimal_pos=1 if decimal else None, use_l10n=True)


def _short_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F")


def _dashboard_part(snapshot: Snapshot) -> dict:
    """The snapshot's dashboard part; built from the full document for an older snapshot
    made before there was one."""
    if snapshot.dashboard.get("version"):
        return snapshot.dashboard
    return dashboard_doc.build(selectors.snapshot_data(snapshot=snapshot))


def _suggestions_context(
    *,
    community: Community,
    reader: str,
    dash: dict,
    names: dict[str, str],
    by_email: dict[str, dict],
    perspective_names: dict[str, str],
    kind: str,
    page_number: int,
) -> dict:
    """This week's suggestions (the top THIS_WEEK open ones by rank) and the rest, filtered by
    kind and paged. The sentences are written for the reader: one that names them says "you".
    A card's people are ids until _faces reads them."""
    now = timezone.now()
    states = selectors.suggestion_states_open(
        community=community, keys=[s["key"] for s in dash["suggestions"]]
    )
    ranked = sorted(
        (
            s
            for s in dash["suggestions"]
            # About someone who has left since the snapshot: no longer anything to do.
            if s["key"] in states and all(e in by_email for e in s["members"])
        ),
        # An older snapshot has no stored rank: the same rule, from the stored facts.
        key=lambda s: -s.get("priority", suggestion_priority(s["kind"], s["params"])),
    )
    showing = [s for s in ranked if not _put_off(states[s["key"]][1], now)]
    later = len(ranked) - len(showing)

    def card(s: dict) -> dict:
        return {
            **s,
            "pk": states[s["key"]][0],
            "reason": document.suggestion_reason(s, names, perspective_names, reader=reader),
            # The reader is "you" in the sentence, not a face on their own to-do card.
            "people": [by_email[e]["id"] for e in s["members"] if e != reader],
            "badge": suggestion_badge(s),
            "duration": suggestion_duration(s),
        }

    this_week = [card(s) for s in showing[:THIS_WEEK]]
    rest = showing[THIS_WEEK:]
    counts = {k: sum(1 for s in rest if s["kind"] == k) for k in SUGGESTION_KINDS}
    filtered = [s for s in rest if not kind or s["kind"] == kind]
    page = Paginator(filtered, MORE_PER_PAGE).get_page(page_number)
    page.object_list = [card(s) for s in page.object_list]

    log = []
    for decided in selectors.suggestions_decided(community=community):
        emails = [u.email for u in decided.members.all()]
        names.update({u.email: u.display_name for u in decided.members.all()})
        raw = {"kind": decided.kind, "params": decided.params, "members": emails}
        try:
            reason = document.suggestion_reason(raw, names, perspective_names, reader=reader)
        except (KeyError, IndexError):  # an older snapshot's suggestion without every fact
            reason = decided.kind
        log.append({"suggestion": decided, "reason": reason})
    return {
        "this_week": this_week,
        "more_page": page,
        "more_count": len(rest),
        "more_kind": kind,
        "more_filters": [
            {"kind": k, "label": suggestion_kind_label(k), "count": counts[k]}
            for k in SUGGESTION_KINDS
            if counts[k]
        ],
        "later_count": later,
        "suggestion_log": log,
    }


def _put_off(later_until: datetime | None, now: datetime) -> bool:
    """Whether the facilitator put a suggestion off until a moment still ahead."""
    return later_until is not None and later_until > now
