"""The insights document as people read it: the raw facts from compute.py with their reasons
in plain words, in the active language. The CLI and the API return exactly this."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.accounts.models import Perspective
from kring.core.dates import long_date
from kring.insights.document_groups import community_signal_reason, group_suggestion_reason
from kring.insights.models import Suggestion, SuggestionStatus

GROUP_SUGGESTION_KINDS = ("bring_together", "make_room", "invite_perspective")


def day_end(day: date) -> datetime:
    """`--as-of` / `?as_of=` with a date: the last moment of that day in Kring's time zone
    (Europe/Amsterdam), so the whole day counts."""
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _pace_text(p: dict) -> str:
    return ngettext(
        "%(recent)s activity in the last %(window)s weeks, against %(baseline)s in the "
        "%(base)s weeks before",
        "%(recent)s activities in the last %(window)s weeks, against %(baseline)s in the "
        "%(base)s weeks before",
        p["recent"],
    ) % {
        "recent": p["recent"],
        "window": p["window_weeks"],
        "baseline": p["baseline"],
        "base": p["baseline_weeks"],
    }


def _days(n: float) -> str:
    return ngettext("%(n)s day", "%(n)s days", n if isinstance(n, int) else 2) % {
        "n": number_format(n)
    }


def _rhythm_text(p: dict) -> str:
    """A silence unusual for the member's own rhythm (compute.rhythm), how sure and why."""
    months = max(1, round(p.get("history_days", 365) / 30.4))
    if p["silent_days"] <= p["longest_days"]:
        # Longer on the community's clock only: the longest gap fell in a quiet time.
        longer = _(
            "longer than any earlier gap once the community's quiet times are taken into "
            "account (the longest, %(longest)s, fell in a quieter time)"
        )
    elif months >= 12:
        longer = _("longer than any gap in the past year (the longest was %(longest)s)")
    else:
        longer = ngettext(
            "longer than any gap in the past %(months)s month (the longest was %(longest)s)",
            "longer than any gap in the past %(months)s months (the longest was %(longest)s)",
            months,
        )
    values = {
        "usual": _days(p["usual_days"]),
        "silent": _days(p["silent_days"]),
        "longer": longer % {"months": months, "longest": _days(p["longest_days"])},
    }
    if p["usual_days"] <= 1:
        text = _("usually active every day; nothing for %(silent)s, %(longer)s") % values
    else:
        text = _("usually active every %(usual)s; nothing for %(silent)s, %(longer)s") % values
    text = text[:1].upper() + text[1:]
    tide = p.get("tide", 1.0)
    if tide < 0.8:
        text += _(
            "; the community as a whole was quieter in that time, which is taken into account"
        )
    elif tide > 1.25:
        text += _("; meanwhile the community was busier than usual")
    return _sure(text, p)


def _inner(reason: str) -> str:
    """A reason put inside a sentence: without its own final full stop, and starting in lower
    case when it is a sentence of its own ("Usually active ..." → "usually active ...")."""
    reason = reason.rstrip(".")
    if reason[:1].isupper() and reason[1:2].islower() and not reason.startswith(_("Core group")):
        return reason[:1].lower() + reason[1:]
    return reason


def _sure(text: str, p: dict) -> str:
    if p.get("certainty") == "high":
        return _("%(text)s. Very unusual for this rhythm.") % {"text": text}
    return _("%(text)s. Unusual for this rhythm.") % {"text": text}


def _drift_text(rule: str | None, p: dict) -> str | None:
    """Why a member is drifting away, by the rule that found it (docs/insights.md)."""
    if rule == "pace":
        text = _pace_text(p)
        if p.get("last_active"):
            text += _("; last active on %(date)s") % {"date": long_date(p["last_active"])}
        return text
    if rule == "rhythm":
        return _rhythm_text(p)
    if rule == "fading":
        return _sure(
            _(
                "Active on %(active)s of the last %(window)s days, where their own rhythm would "
                "give about %(expected)s"
            )
            % {
                "active": p["active_days"],
                "window": p["window_days"],
                "expected": number_format(p["expected_days"]),
            },
            p,
        )
    if rule == "sessions":
        return _(
            "Missed the last %(missed)s sessions after attending %(went)s of the %(before)s "
            "before them"
        ) % {"missed": p["missed"], "went": p["attended_before"], "before": p["before"]}
    return None


def signal_reason(signal: dict) -> str:
    kind, rule, p = signal["kind"], signal.get("rule"), signal.get("params", {})
    if kind in ("drifting", "core_silent"):
        text = _drift_text(rule, p)
        if text is None:
            return kind
        if kind == "core_silent":
            text = _("Core group: %(text)s") % {"text": text}
        return text
    if kind == "rising":
        return _pace_text(p)
    if kind == "unconnected":
        return ngettext(
            "Joined %(weeks)s week ago and has not interacted with anyone yet",
            "Joined %(weeks)s weeks ago and has not interacted with anyone yet",
            p["weeks"],
        ) % {"weeks": p["weeks"]}
    if kind == "lurker":
        return _(
            "Has not asked, answered, shared or reflected yet (a way of taking part, not a problem)"
        )
    return kind


def suggestion_reason(
    suggestion: dict,
    names: dict[str, str],
    perspectives: dict[str, str],
    *,
    reader: str | None = None,
) -> str:
    """The suggestion in one sentence. `reader` (the e-mail of who reads it): a suggestion that
    names the reader is written to them ("you can help"), never about them by name."""
    kind, p, people = suggestion["kind"], suggestion.get("params", {}), suggestion["members"]

    def name(i: int) -> str:
        return names.get(people[i], people[i])

    def is_reader(i: int) -> bool:
        return reader is not None and len(people) > i and people[i] == reader

    if kind == "call":
        if is_reader(0):
            pace = _inner(signal_reason({"kind": "drifting", "rule": p.get("rule"), "params": p}))
            return _("You are less active here than usual: %(reason)s.") % {"reason": pace}
        reason = _inner(
            signal_reason({"kind": p.get("signal"), "rule": p.get("rule"), "params": p})
        )
        return _("Call %(name)s: %(reason)s.") % {"name": name(0), "reason": reason}
    if kind == "introduce":
        if is_reader(1):
            return _("%(a)s is looking for help with %(topic)s; you can help.") % {
                "a": name(0),
                "topic": p.get("topic", ""),
            }
        if is_reader(0):
            return _("%(b)s helps with %(topic)s, which you are looking for: get in touch.") % {
                "b": name(1),
                "topic": p.get("topic", ""),
            }
        return _(
            "Introduce %(a)s to %(b)s: %(a)s is looking for %(topic)s, %(b)s helps with it."
        ) % {"a": name(0), "b": name(1), "topic": p.get("topic", "")}
    if kind == "welcome":
        perspective = perspectives.get(p.get("perspective", ""), p.get("perspective", ""))
        if is_reader(1):
            if perspective:
                return _(
                    "%(a)s has no contact with anyone yet and shares your perspective "
                    "%(perspective)s: say hello."
                ) % {"a": name(0), "perspective": perspective}
            return _("%(a)s has no contact with anyone yet: say hello.") % {"a": name(0)}
        if is_reader(0):
            return _("You have no contact with anyone here yet; %(b)s is well connected.") % {
                "b": name(1)
            }
        if perspective:
            return _(
                "Introduce %(a)s to %(b)s: %(a)s has no contact with anyone yet; %(b)s shares "
                "the perspective %(perspective)s and is well connected."
            ) % {"a": name(0), "b": name(1), "perspective": perspective}
        return _(
            "Introduce %(a)s to %(b)s: %(a)s has no contact with anyone yet; %(b)s is well "
            "connected."
        ) % {"a": name(0), "b": name(1)}
    if kind in GROUP_SUGGESTION_KINDS:
        return group_suggestion_reason(suggestion, names, perspectives, reader)
    if kind == "pair_perspectives":
        return _("%(a)s and %(b)s have no ties with each other: pair them in the next session.") % {
            "a": perspectives.get(p["a"], p["a"]),
            "b": perspectives.get(p["b"], p["b"]),
        }
    return kind


def gap_reason(gap: dict, perspectives: dict[str, str]) -> str:
    name = perspectives.get(gap["perspective"], gap["perspective"])
    if gap["kind"] == "none_active":
        return _("No one with the perspective %(name)s active in the last %(days)s days.") % {
            "name": name,
            "days": gap["days"],
        }
    return _("%(name)s: %(share)s%% of the active members, against a target of %(target)s%%.") % {
        "name": name,
        "share": gap["active_share"],
        "target": gap["target"],
    }


def _perspective_names(coverage: dict) -> dict[str, str]:
    """Perspective names in the reader's language (a snapshot was made in the worker's)."""
    perspectives = dict(coverage.get("names", {}))
    for perspective in Perspective.objects.filter(key__in=list(perspectives)):
        perspectives[perspective.key] = str(perspective.name)
    return perspectives


def _decided_keys(community) -> set[str]:
    if community is None:
        return set()
    return set(
        Suggestion.objects.filter(community=community)
        .exclude(status=SuggestionStatus.OPEN)
        .values_list("key", flat=True)
    )


def render_member(m: dict) -> dict:
    """One member of the document with the reasons of their signals."""
    return {
        **{k: v for k, v in m.items() if k != "signals"},
        "signals": [
            {
                "kind": s["kind"],
                "reason": signal_reason(s),
                "since": s.get("since"),
                "rule": s.get("rule"),
                "params": s.get("params", {}),
            }
            for s in m["signals"]
        ],
    }


def _render_rest(raw: dict, names: dict[str, str], community) -> dict:
    """Coverage and suggestions with their reasons; decided suggestions left out."""
    perspectives = _perspective_names(raw["coverage"])
    decided = _decided_keys(community)
    coverage = {**raw["coverage"], "names": perspectives}
    coverage["gaps"] = [{**g, "reason": gap_reason(g, perspectives)} for g in coverage["gaps"]]
    return {
        "coverage": coverage,
        "suggestions": [
            {
                "kind": s["kind"],
                "key": s["key"],
                "members": s["members"],
                "reason": suggestion_reason(s, names, perspectives),
                "params": s.get("params", {}),
                "priority": s.get("priority", 0),
            }
            for s in raw["suggestions"]
            if s["key"] not in decided
        ],
        "community_signals": [
            {**s, "reason": community_signal_reason(s, names, perspectives)}
            for s in raw.get("community_signals", [])
        ],
    }


def render(raw: dict, *, community=None) -> dict:
    """The whole public document (docs/insights.md, what `kring insights --json` prints): raw
    facts plus reasons. Suggestions a facilitator marked done or dismissed are left out (they
    are logged in Kring)."""
    names = {m["email"]: m["name"] for m in raw["members"]}
    return {
        **raw,
        "members": [render_member(m) for m in raw["members"]],
        **_render_rest(raw, names, community),
    }


def render_summary(summary: dict, *, community=None) -> dict:
    """The summary of a document (snapshot_split) as the API serves it: everything but the
    members and their ties, with reasons."""
    out = {k: v for k, v in summary.items() if k not in ("format", "people")}
    return {**out, **_render_rest(summary, summary.get("people", {}), community)}
