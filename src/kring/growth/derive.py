"""The development path and the life stage, derived from the facts (kring.growth.facts):
plain functions, no queries. Each step and the stage come with their evidence or reasons as
sentences in the reader's language. `named` says whether a sentence may name people (for
facilitators); members read counts instead.

The rules (docs/growth.md explains them for facilitators):
- rhythm: a session at most RHYTHM_GAP after the one before keeps the rhythm; done when the
  rhythm, still going, has lasted RHYTHM_SPAN.
- the stage: see `stage_of`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.communities.models import Stage
from kring.core.dates import long_date, number
from kring.growth.facts import NAMES_SHOWN, StageFacts, StepFacts
from kring.growth.models import StepKey, StepOverride, StepStatus
from kring.insights.compute.base import ACTIVE_DAYS

# About every six weeks, with two weeks of slack.
RHYTHM_GAP = timedelta(days=56)
# Eighteen months.
RHYTHM_SPAN = timedelta(days=540)
# Gaps named at most (the latest).
GAPS_NAMED = 5
# Quiet this long after the last session, with nothing planned: the community winds down.
QUIET_END = timedelta(days=180)

DONE, PARTIAL, OPEN = StepStatus.DONE, StepStatus.PARTIAL, StepStatus.OPEN


@dataclass
class Step:
    key: str
    status: str  # what counts: the override's, or the derived one
    derived: str
    evidence: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    override: StepOverride | None = None


@dataclass
class Rhythm:
    started: datetime | None  # the first session of the rhythm still kept (or last kept)
    current: bool  # the last session (or the planned next) is within RHYTHM_GAP
    span: timedelta
    gaps: list[
        tuple[datetime, datetime | None]
    ]  # a gap's last session and the next (None: none yet)


def _weeks(delta: timedelta) -> int:
    return max(1, round(delta.days / 7))


def _months(delta: timedelta) -> int:
    return max(0, round(delta.days / 30.4))


def _list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def rhythm_of(f: StageFacts) -> Rhythm:
    held = f.held
    if not held:
        return Rhythm(None, False, timedelta(0), [])
    start = len(held) - 1
    while start > 0 and held[start] - held[start - 1] <= RHYTHM_GAP:
        start -= 1
    last = held[-1]
    current = f.moment - last <= RHYTHM_GAP or (
        f.planned is not None and f.planned - last <= RHYTHM_GAP
    )
    span = (f.moment if current else last) - held[start]
    gaps: list[tuple[datetime, datetime | None]] = [
        (a, b) for a, b in pairwise(held) if b - a > RHYTHM_GAP
    ]
    if not current:
        gaps.append((last, f.planned))
    return Rhythm(held[start], current, span, gaps)


# The life stage ----------------------------------------------------------------------------


def stage_of(f: StageFacts) -> tuple[str, list[str]]:
    """The life stage at f.moment and the reasons, the deciding one first.

    - potential: no session held yet, or fewer than three members;
    - transformation: quiet for QUIET_END after at least three sessions, nothing planned,
      fewer than three active members;
    - stewardship: at least eighteen months old, the rhythm kept for twelve months, a core
      group of three or more, at least ten library items, eight or more active members and
      activity not halved;
    - maturing: at least six months old, four sessions or more, five or more active members,
      three library items or more, and a core group or a web of ties (density 0.1 or more);
    - coalescing: otherwise.
    """
    rhythm = rhythm_of(f)
    age = f.moment - f.created
    months_kept = _months(rhythm.span) if rhythm.current else 0
    declining = f.active_before >= 4 and f.active * 2 < f.active_before
    facts = _stage_reasons(f, rhythm, age)
    if not f.held or f.members < 3:
        lead = (
            _("No session has been held yet.")
            if not f.held
            else _("Fewer than three people are members.")
        )
        return Stage.POTENTIAL, [lead, *facts]
    if (
        len(f.held) >= 3
        and f.moment - f.held[-1] > QUIET_END
        and f.planned is None
        and f.active < 3
    ):
        return Stage.TRANSFORMATION, [
            _("No session for more than six months, none planned, and hardly anyone active."),
            *facts,
        ]
    if (
        age >= RHYTHM_SPAN
        and months_kept >= 12
        and f.core >= 3
        and f.knowledge >= 10
        and f.active >= 8
        and not declining
    ):
        return Stage.STEWARDSHIP, [
            _(
                "An established community: a long-kept rhythm, a core group that carries it "
                "and a growing library."
            ),
            *facts,
        ]
    connected = f.core >= 1 or (f.density is not None and f.density >= 0.1)
    if (
        age >= timedelta(days=180)
        and len(f.held) >= 4
        and f.active >= 5
        and f.knowledge >= 3
        and connected
    ):
        return Stage.MATURING, [
            _("The community meets, produces knowledge and people are connected."),
            *facts,
        ]
    return Stage.COALESCING, [
        _("Sessions have started; the community is still finding its form."),
        *facts,
    ]


def _stage_reasons(f: StageFacts, rhythm: Rhythm, age: timedelta) -> list[str]:
    reasons = []
    months = _months(age)
    if months >= 1:
        reasons.append(
            ngettext(
                "It started %(n)s month ago, on %(date)s.",
                "It started %(n)s months ago, on %(date)s.",
                months,
            )
            % {"n": months, "date": long_date(f.created)}
        )
    else:
        reasons.append(_("It started on %(date)s.") % {"date": long_date(f.created)})
    if f.held:
        if rhythm.current:
            reasons.append(
                ngettext(
                    "%(n)s session held; the rhythm has been kept since %(date)s.",
                    "%(n)s sessions held; the rhythm has been kept since %(date)s.",
                    len(f.held),
                )
                % {"n": len(f.held), "date": long_date(rhythm.started)}
            )
        else:
            reasons.append(
                ngettext(
                    "%(n)s session held; none since %(date)s.",
                    "%(n)s sessions held; none since %(date)s.",
                    len(f.held),
                )
                % {"n": len(f.held), "date": long_date(f.held[-1])}
            )
    reasons.append(
        ngettext(
            "%(active)s of %(n)s member took part in the last %(days)s days (%(before)s in the "
            "%(days)s days before).",
            "%(active)s of %(n)s members took part in the last %(days)s days (%(before)s in the "
            "%(days)s days before).",
            f.members,
        )
        % {"active": f.active, "n": f.members, "days": ACTIVE_DAYS, "before": f.active_before}
    )
    reasons.append(
        ngettext("The core group has %(n)s person.", "The core group has %(n)s people.", f.core)
        % {"n": f.core}
        if f.core
        else _("There is no core group yet.")
    )
    reasons.append(
        ngettext("The library holds %(n)s item.", "The library holds %(n)s items.", f.knowledge)
        % {"n": f.knowledge}
    )
    if f.density is not None and f.members > 1:
        reasons.append(
            _("On average each member had direct contact with %(n)s others (insights of %(date)s).")
            % {"n": number(round(f.density * (f.members - 1), 1)), "date": long_date(f.density_on)}
        )
    else:
        reasons.append(
            _("No insights from that time, so the ties between members are not counted.")
        )
    reasons.append(
        _(
            "Kring does not link communities to each other yet, so links to other communities are "
            "not counted."
        )
    )
    return reasons


# The nine steps ----------------------------------------------------------------------------


def steps_of(f: StepFacts, *, named: bool) -> list[Step]:
    """The nine steps in their order, each with its override applied."""
    steps = [
        _theme(f),
        _urgency(f),
        _perspectives(f),
        _mandate(f, named),
        _facilitators(f, named),
        _ownership(f, named),
        _act_reflect(f),
        _rhythm(f),
        _results(f),
    ]
    for step in steps:
        override = f.overrides.get(step.key)
        if override is not None and override.status:
            step.override = override
            step.status = override.status
    return steps


def _step(key: str, status: str, evidence: list[str], missing: list[str]) -> Step:
    return Step(key=key, status=status, derived=status, evidence=evidence, missing=missing)


def _theme(f: StepFacts) -> Step:
    evidence, missing = [], []
    if f.community.theme:
        evidence.append(_("The theme is written down on the community's page."))
    else:
        missing.append(_("Write down the theme: what is this community about?"))
    if f.community.shared_goal:
        evidence.append(_("The shared goal is written down."))
    else:
        missing.append(_("Write down the goal you share: what do you want to achieve together?"))
    status = DONE if not missing else PARTIAL if evidence else OPEN
    return _step(StepKey.THEME, status, evidence, missing)


def _urgency(f: StepFacts) -> Step:
    if f.community.urgency:
        return _step(StepKey.URGENCY, DONE, [_("The urgency is written down.")], [])
    return _step(
        StepKey.URGENCY,
        OPEN,
        [],
        [_("Write down why this matters to the participants now.")],
    )


def _perspectives(f: StepFacts) -> Step:
    present = f.perspectives
    evidence, missing = [], []
    if present:
        listed = ", ".join(f"{name} ({n})" for name, n in present.items())
        evidence.append(
            ngettext(
                "Members come from %(n)s perspective: %(list)s.",
                "Members come from %(n)s perspectives: %(list)s.",
                len(present),
            )
            % {"n": len(present), "list": listed}
        )
    if f.coverage_on is not None:
        evidence.append(_("From the insights of %(date)s.") % {"date": long_date(f.coverage_on)})
    else:
        evidence.append(_("Counted from the members' profiles (no recent insights)."))
    target = bool(f.community.target_mix)
    if f.coverage_gaps:
        missing.append(
            _("Too few active members, or none, from: %(list)s.") % {"list": _list(f.coverage_gaps)}
        )
    if not target:
        missing.append(
            _("Set a target mix of perspectives on the community's page, so Kring can compare.")
        )
    if len(present) <= 1:
        missing.insert(0, _("Invite people with other perspectives than the ones you have."))
        status = OPEN
    elif target and not f.coverage_gaps:
        status = DONE
    else:
        status = PARTIAL
    return _step(StepKey.PERSPECTIVES, status, evidence, missing)


def _mandate(f: StepFacts, named: bool) -> Step:
    m = f.mandate
    if m is None:
        return _step(
            StepKey.MANDATE,
            OPEN,
            [],
            [_("Record who gave the participants room to experiment in their work, and for what.")],
        )
    if named:
        evidence = [
            _("Room to experiment given by %(who)s on %(date)s: %(scope)s")
            % {"who": m.given_by, "date": long_date(m.on), "scope": m.scope}
        ]
        if m.recorded_by is not None:
            evidence.append(_("Recorded by %(name)s.") % {"name": m.recorded_by.full_name})
    else:
        evidence = [
            _("Room to experiment given on %(date)s: %(scope)s")
            % {"date": long_date(m.on), "scope": m.scope}
        ]
    return _step(StepKey.MANDATE, DONE, evidence, [])


def _facilitators(f: StepFacts, named: bool) -> Step:
    people = f.facilitators
    if not people:
        return _step(StepKey.FACILITATORS, OPEN, [], [_("Appoint two facilitators.")])
    if named:
        described = [
            _("%(name)s (%(perspectives)s)") % {"name": name, "perspectives": ", ".join(p)}
            if p
            else name
            for _id, name, p in people
        ]
        evidence = [
            ngettext("%(list)s facilitates.", "%(list)s facilitate.", len(people))
            % {"list": _list(described)}
        ]
    else:
        evidence = [
            ngettext("%(n)s facilitator.", "%(n)s facilitators.", len(people)) % {"n": len(people)}
        ]
    if len(people) == 1:
        return _step(
            StepKey.FACILITATORS,
            PARTIAL,
            evidence,
            [_("Find a second facilitator, preferably with another perspective.")],
        )
    known = [set(p) for _id, _name, p in people if p]
    every = set().union(*known) if known else set()
    if len(known) < 2:
        return _step(
            StepKey.FACILITATORS,
            PARTIAL,
            evidence,
            [
                _(
                    "Not every facilitator has a perspective in their profile, so Kring cannot "
                    "tell whether they differ."
                )
            ],
        )
    if len(every) < 2:
        only = next(iter(every))
        return _step(
            StepKey.FACILITATORS,
            PARTIAL,
            evidence,
            [
                _(
                    "All facilitators come from the same perspective (%(perspective)s): the "
                    "method asks for two different perspectives."
                )
                % {"perspective": only}
            ],
        )
    return _step(StepKey.FACILITATORS, DONE, evidence, [])


def _who(ids: list[int], names: dict[int, str]) -> str:
    shown = [names[pk] for pk in ids[:NAMES_SHOWN] if pk in names]
    rest = len(ids) - len(shown)
    if rest > 0:
        shown.append(ngettext("%(n)s other", "%(n)s others", rest) % {"n": rest})
    return _list(shown)


def _ownership(f: StepFacts, named: bool) -> Step:
    kinds = (
        (
            f.leaders,
            _("Members besides the facilitators led a session: %(who)s."),
            ngettext(
                "%(n)s member besides the facilitators led a session.",
                "%(n)s members besides the facilitators led a session.",
                len(f.leaders),
            ),
            _("No member besides the facilitators led a session in the last year."),
        ),
        (
            f.owners,
            _("Members besides the facilitators own action points: %(who)s."),
            ngettext(
                "%(n)s member besides the facilitators owns action points.",
                "%(n)s members besides the facilitators own action points.",
                len(f.owners),
            ),
            _("No member besides the facilitators took on an action point in the last year."),
        ),
        (
            f.writers,
            _("Members besides the facilitators wrote stories: %(who)s."),
            ngettext(
                "%(n)s member besides the facilitators wrote a story.",
                "%(n)s members besides the facilitators wrote stories.",
                len(f.writers),
            ),
            _(
                "No member besides the facilitators wrote a value story or practice story in the "
                "last year."
            ),
        ),
    )
    evidence, missing = [], []
    for ids, with_names, counted, absent in kinds:
        if not ids:
            missing.append(absent)
        elif named:
            evidence.append(with_names % {"who": _who(ids, f.names)})
        else:
            evidence.append(counted % {"n": len(ids)})
    done = sum(1 for ids, *_rest in kinds if ids)
    status = DONE if done >= 2 else PARTIAL if done else OPEN
    return _step(StepKey.OWNERSHIP, status, evidence, missing)


def _act_reflect(f: StepFacts) -> Step:
    if not f.recent_sessions:
        return _step(
            StepKey.ACT_REFLECT,
            OPEN,
            [],
            [_("Hold sessions, and ask everyone for a short reflection afterwards.")],
        )
    evidence = [
        ngettext(
            "%(n)s of %(total)s session in the last year has a reflection.",
            "%(n)s of %(total)s sessions in the last year have a reflection.",
            f.recent_sessions,
        )
        % {"n": f.reflected_sessions, "total": f.recent_sessions}
    ]
    missing = []
    if f.reflected_sessions * 2 < f.recent_sessions:
        missing.append(_("Ask for a reflection after every session: fewer than half have one."))
    if f.points:
        evidence.append(
            ngettext(
                "%(done)s of %(n)s action point is done.",
                "%(done)s of %(n)s action points are done.",
                f.points,
            )
            % {"done": f.points_done, "n": f.points}
        )
        if f.points_done * 2 < f.points:
            missing.append(
                _(
                    "Fewer than half of the action points are done: pick them up at the next "
                    "session."
                )
            )
    else:
        missing.append(
            _(
                "Agree after each session who does what: there are no action points in the last "
                "year."
            )
        )
    if f.points_overdue:
        missing.append(
            ngettext(
                "%(n)s action point is past its date and not done.",
                "%(n)s action points are past their date and not done.",
                f.points_overdue,
            )
            % {"n": f.points_overdue}
        )
    acted = f.points > 0 and f.points_done * 2 >= f.points
    reflected = f.reflected_sessions * 2 >= f.recent_sessions
    if acted and reflected:
        status = DONE
    elif f.reflected_sessions or f.points:
        status = PARTIAL
    else:
        status = OPEN
    return _step(StepKey.ACT_REFLECT, status, evidence, missing)


def _rhythm(f: StepFacts) -> Step:
    s = f.stage
    rhythm = rhythm_of(s)
    if not s.held:
        missing = [_("Plan sessions about every six weeks, for at least eighteen months.")]
        evidence = []
        if s.planned is not None:
            evidence.append(
                _("The first session is planned on %(date)s.") % {"date": long_date(s.planned)}
            )
        return _step(StepKey.RHYTHM, OPEN, evidence, missing)
    evidence = [
        ngettext(
            "%(n)s session held since %(date)s.",
            "%(n)s sessions held since %(date)s.",
            len(s.held),
        )
        % {"n": len(s.held), "date": long_date(s.held[0])}
    ]
    kept = [t for t in s.held if rhythm.started is not None and t >= rhythm.started]
    if len(kept) >= 2:
        every = (kept[-1] - kept[0]) / (len(kept) - 1)
        evidence.append(
            _("Since %(date)s you met about every %(weeks)s weeks.")
            % {"date": long_date(rhythm.started), "weeks": _weeks(every)}
        )
    if s.planned is not None:
        evidence.append(
            _("The next session is planned on %(date)s.") % {"date": long_date(s.planned)}
        )
    missing = []
    window = s.moment - RHYTHM_SPAN
    named = [(a, b) for a, b in rhythm.gaps if (b or s.moment) >= window][-GAPS_NAMED:]
    for last, following in named:
        if following is None:
            missing.append(
                _("No session since %(date)s (%(weeks)s weeks): plan the next one.")
                % {"date": long_date(last), "weeks": _weeks(s.moment - last)}
            )
        else:
            missing.append(
                _("No session between %(from)s and %(to)s (%(weeks)s weeks).")
                % {
                    "from": long_date(last),
                    "to": long_date(following),
                    "weeks": _weeks(following - last),
                }
            )
    if rhythm.current and rhythm.span >= RHYTHM_SPAN:
        return _step(StepKey.RHYTHM, DONE, evidence, missing)
    to_go = max(1, _months(RHYTHM_SPAN - rhythm.span)) if rhythm.current else 18
    missing.append(
        ngettext(
            "Keep the rhythm for about %(n)s more month to reach eighteen months.",
            "Keep the rhythm for about %(n)s more months to reach eighteen months.",
            to_go,
        )
        % {"n": to_go}
    )
    return _step(StepKey.RHYTHM, PARTIAL, evidence, missing)


def _results(f: StepFacts) -> Step:
    evidence, missing = [], []
    if f.reports:
        evidence.append(
            ngettext("%(n)s report written.", "%(n)s reports written.", f.reports)
            % {"n": f.reports}
        )
    else:
        missing.append(_("Write a report about a period: what did the community achieve?"))
    if f.public_stories:
        evidence.append(
            ngettext(
                "%(n)s value story is public.", "%(n)s value stories are public.", f.public_stories
            )
            % {"n": f.public_stories}
        )
    if f.spotlight:
        evidence.append(_("The spotlight is published: outsiders can see what you do."))
    if not f.public_stories and not f.spotlight:
        missing.append(
            _(
                "Tell others: publish the spotlight, and ask tellers whether their story may be "
                "public."
            )
        )
    shared = bool(f.public_stories or f.spotlight)
    status = DONE if f.reports and shared else PARTIAL if f.reports or shared else OPEN
    return _step(StepKey.RESULTS, status, evidence, missing)
