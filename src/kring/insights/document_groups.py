"""The sentences of the feelers for the group (compute.groups): the reasons of the community
signals and of the suggestions they lead to, in the active language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _names(emails: list[str], names: dict[str, str]) -> str:
    """ "Anna", "Anna and Bram", "Anna, Bram and Chris"."""
    shown = [names.get(e, e) for e in emails]
    if len(shown) <= 1:
        return "".join(shown)
    return _("%(first)s and %(last)s") % {"first": ", ".join(shown[:-1]), "last": shown[-1]}


def _group(anchors: list[str], names: dict[str, str], reader: str | None) -> str:
    if reader is not None and reader in anchors:
        return _("your group")
    return _("the group of %(names)s") % {"names": _names(anchors, names)}


def _bridges_text(bridges: list[str], names: dict[str, str]) -> str:
    if not bridges:
        return _("No one is in touch with both groups any more.")
    shown, more = bridges[:3], len(bridges) - 3
    if more > 0:
        return ngettext(
            "Still in touch with both: %(names)s and %(more)s other.",
            "Still in touch with both: %(names)s and %(more)s others.",
            more,
        ) % {"names": ", ".join(names.get(e, e) for e in shown), "more": more}
    return _("Still in touch with both: %(names)s.") % {"names": _names(shown, names)}


def _unheard_text(p: dict) -> str:
    """Why a perspective is unheard, without the perspective's name."""
    quiet = _(
        "%(member_share)s%% of the members, but %(post_share)s%% of the posts in conversations "
        "in the last %(weeks)s weeks"
    ) % {
        "member_share": p["member_share"],
        "post_share": p["post_share"],
        "weeks": p["period_weeks"],
    }
    unanswered = _(
        "their posts got %(rate)s replies per 10 posts, against %(others)s for the others"
    ) % {"rate": p["replies_per_10"], "others": p["others_per_10"]}
    if p.get("quiet") and p.get("unanswered"):
        return _("%(quiet)s; %(unanswered)s") % {"quiet": quiet, "unanswered": unanswered}
    return quiet if p.get("quiet") else unanswered


def community_signal_reason(
    signal: dict, names: dict[str, str], perspectives: dict[str, str]
) -> str:
    """A community signal in one or two sentences, with the numbers it was made from."""
    kind, p = signal["kind"], signal.get("params", {})
    if kind == "drifting_apart":
        a, b = p["anchors"]
        text = _(
            "The group of %(a)s (%(a_size)s people) and the group of %(b)s (%(b_size)s people) "
            "are drifting apart: in the %(before_weeks)s weeks before, %(cross_before)s of the "
            "%(total_before)s interactions went between them; in the last %(now_weeks)s weeks, "
            "%(cross_now)s of %(total_now)s."
        ) % {
            "a": _names(a, names),
            "b": _names(b, names),
            "a_size": p["sizes"][0],
            "b_size": p["sizes"][1],
            "before_weeks": p["before_weeks"],
            "cross_before": p["cross_before"],
            "total_before": p["total_before"],
            "now_weeks": p["now_weeks"],
            "cross_now": p["cross_now"],
            "total_now": p["total_now"],
        }
        return f"{text} {_bridges_text(p['bridges'], names)}"
    if kind == "dominant_voice" and signal.get("perspective"):
        key = signal["perspective"]
        return _(
            "People with the perspective %(perspective)s made %(share)s%% of the contributions "
            "in the last %(now_weeks)s weeks, while they are %(people_share)s%% of those who "
            "contributed. The others made %(others_now)s, against %(others_before)s in the "
            "%(before_weeks)s weeks before."
        ) % {
            "perspective": perspectives.get(key, key),
            "share": p["share"],
            "now_weeks": p["now_weeks"],
            "people_share": p["people_share"],
            "others_now": p["others_now"],
            "others_before": p["others_before"],
            "before_weeks": p["before_weeks"],
        }
    if kind == "dominant_voice":
        return _(
            "%(name)s made %(count)s of the %(total)s contributions in the last %(now_weeks)s "
            "weeks (%(share)s%%), with %(active)s people contributing. The others made "
            "%(others_now)s, against %(others_before)s in the %(before_weeks)s weeks before."
        ) % {
            "name": _names(signal.get("people", [])[:1], names),
            "count": p["count"],
            "total": p["total"],
            "now_weeks": p["now_weeks"],
            "share": p["share"],
            "active": p["active"],
            "others_now": p["others_now"],
            "others_before": p["others_before"],
            "before_weeks": p["before_weeks"],
        }
    if kind == "unheard_perspective":
        key = signal["perspective"]
        return _("%(perspective)s: %(text)s.") % {
            "perspective": perspectives.get(key, key),
            "text": _unheard_text(p),
        }
    return kind


def group_suggestion_reason(
    suggestion: dict, names: dict[str, str], perspectives: dict[str, str], reader: str | None
) -> str:
    """The suggestions of the community signals; `reader` is written to as "you"."""
    kind, p = suggestion["kind"], suggestion.get("params", {})
    if kind == "bring_together":
        groups = {
            "a": _group(p["group_a"], names, reader),
            "b": _group(p["group_b"], names, reader),
        }
        bridge = p.get("bridge") or ""
        if bridge and bridge == reader:
            return (
                _(
                    "You are still in touch with %(a)s and %(b)s, which are drifting apart: "
                    "help bring them together at the next session."
                )
                % groups
            )
        if bridge:
            return _(
                "Bring %(a)s and %(b)s together at the next session; %(bridge)s knows people "
                "in both."
            ) % {**groups, "bridge": names.get(bridge, bridge)}
        return (
            _(
                "Bring %(a)s and %(b)s together at the next session: no one is in touch with both "
                "any more."
            )
            % groups
        )
    if kind == "make_room":
        key = p.get("perspective") or ""
        if key:
            return _(
                "Make room for other perspectives: people with the perspective %(perspective)s "
                "made %(share)s%% of the contributions in the last %(weeks)s weeks, while the "
                "others made fewer. Ask the others first in the next session."
            ) % {
                "perspective": perspectives.get(key, key),
                "share": p["share"],
                "weeks": p["now_weeks"],
            }
        person = suggestion["members"][0] if suggestion["members"] else ""
        if person == reader:
            return _(
                "You made %(share)s%% of the contributions in the last %(weeks)s weeks, while "
                "the others made fewer: leave room for them."
            ) % {"share": p["share"], "weeks": p["now_weeks"]}
        return _(
            "Make room for other voices: %(name)s made %(share)s%% of the contributions in the "
            "last %(weeks)s weeks, while the others made fewer. Ask the others first in the "
            "next session."
        ) % {"name": names.get(person, person), "share": p["share"], "weeks": p["now_weeks"]}
    if kind == "invite_perspective":
        key = p.get("perspective", "")
        perspective = perspectives.get(key, key)
        if reader is not None and reader in suggestion["members"]:
            return _(
                "Your perspective %(perspective)s is seldom heard in the conversations "
                "(%(text)s): your voice is welcome."
            ) % {"perspective": perspective, "text": _unheard_text(p)}
        if suggestion["members"]:
            return _(
                "Invite people with the perspective %(perspective)s into the conversations, "
                "for instance %(names)s: %(text)s."
            ) % {
                "perspective": perspective,
                "names": _names(suggestion["members"], names),
                "text": _unheard_text(p),
            }
        return _(
            "Invite people with the perspective %(perspective)s into the conversations: %(text)s."
        ) % {
            "perspective": perspective,
            "text": _unheard_text(p),
        }
    return kind


def own_signal_reason(signal: dict) -> str:
    """A community signal as the member it concerns reads it (snapshot_split's member part:
    `part` says how it concerns them), naming no one else."""
    kind, p, part = signal["kind"], signal.get("params", {}), signal.get("part")
    if kind == "drifting_apart":
        numbers = {
            "cross_now": p["cross_now"],
            "total_now": p["total_now"],
            "now_weeks": p["now_weeks"],
            "cross_before": p["cross_before"],
            "total_before": p["total_before"],
            "before_weeks": p["before_weeks"],
        }
        if part == "bridge":
            return (
                _(
                    "You are still in touch with both of two groups that now interact much "
                    "less with each other: %(cross_now)s of %(total_now)s interactions went "
                    "between them in the last %(now_weeks)s weeks, against %(cross_before)s of "
                    "%(total_before)s in the %(before_weeks)s weeks before."
                )
                % numbers
            )
        return (
            _(
                "You are in one of two groups that now interact much less with each other: "
                "%(cross_now)s of %(total_now)s interactions went between them in the last "
                "%(now_weeks)s weeks, against %(cross_before)s of %(total_before)s in the "
                "%(before_weeks)s weeks before."
            )
            % numbers
        )
    if kind == "dominant_voice":
        numbers = {
            "share": p["share"],
            "now_weeks": p["now_weeks"],
            "others_now": p["others_now"],
            "others_before": p["others_before"],
            "before_weeks": p["before_weeks"],
        }
        if signal.get("perspective"):
            return (
                _(
                    "People with your perspective made %(share)s%% of the contributions in the "
                    "last %(now_weeks)s weeks, while the others made fewer: %(others_now)s, "
                    "against %(others_before)s in the %(before_weeks)s weeks before."
                )
                % numbers
            )
        return (
            _(
                "You made %(share)s%% of the contributions in the last %(now_weeks)s weeks, "
                "while the others made fewer: %(others_now)s, against %(others_before)s in "
                "the %(before_weeks)s weeks before."
            )
            % numbers
        )
    return kind
