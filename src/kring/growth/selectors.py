"""Reads of the development path: opening a community for it, the path and the stage at a
moment (with the per-person evidence only for facilitators), the stage over time, and the
facilitators' decisions. The figures come from kring.growth.facts in a fixed number of
queries; the stage's timeline is cached (the past does not change)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Stage
from kring.communities.selectors import community_get_inside
from kring.core import daterange
from kring.core.dates import long_date
from kring.growth import derive, facts, permissions
from kring.growth.models import StageCorrection, StepOverride
from kring.insights.document import day_end

# The stage's timeline: at most this many moments, at least this far apart.
TIMELINE_POINTS = 8
TIMELINE_MIN_DAYS = 30
TIMELINE_CACHE_SECONDS = 6 * 3600
HISTORY_SIZE = 10
# A community's path in a few numbers (network insights read one per linked community): kept
# this long (longer than the 6 hours between two runs of the stages_refresh task, which reads
# it anew), or until a facilitator judges a step, records a mandate or corrects the stage.
SUMMARY_CACHE_SECONDS = 7 * 3600


@dataclass
class StagePoint:
    moment: datetime
    key: str
    corrected: bool


@dataclass
class Development:
    community: Community
    moment: datetime
    named: bool  # with the people's names (facilitators)
    stage: str  # what counts: the correction, or the derived stage
    derived: str
    reasons: list[str]
    correction: StageCorrection | None
    steps: list[derive.Step]
    timeline: list[StagePoint] = field(default_factory=list)

    @property
    def next_step(self) -> derive.Step | None:
        """The first step in the path's order that is not done: the one to work on."""
        return next((s for s in self.steps if s.status != derive.DONE), None)


def community_for_development(*, user: User | AnonymousUser, slug: str) -> Community:
    """The community whose path the user may read (members, facilitators, platform admins);
    404 for everyone else, public community or not."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    if not permissions.can_read_development(user, community):
        raise Http404
    return community


def development_moment(*, community: Community, day: date | None) -> datetime | None:
    """The end of `day` (Europe/Amsterdam) to read the path at, or None for now. A day in
    the future, outside Kring's years, or before the community began is refused."""
    if day is None:
        return None
    if not daterange.in_range(day):
        raise ValidationError({"as_of": [daterange.message()]})
    if day > timezone.localdate():
        raise ValidationError(
            {"as_of": [_("Choose a day that has passed, not one in the future.")]}
        )
    started = timezone.localtime(community.created_at).date()
    if day < started:
        raise ValidationError(
            {
                "as_of": [
                    _("The community did not exist yet on that day; it started on %(date)s.")
                    % {"date": long_date(started)}
                ]
            }
        )
    return day_end(day)


def _stage_with(
    derived: str, correction: StageCorrection | None, named: bool
) -> tuple[str, list[str]]:
    """The stage that counts, and a first reason when a facilitator corrected it."""
    if correction is None:
        return derived, []
    values = {
        "stage": Stage(correction.stage).label,
        "derived": Stage(derived).label,
        "date": long_date(correction.on),
    }
    if named and correction.note:
        values["note"] = correction.note
        return correction.stage, [
            _(
                "A facilitator set the stage to %(stage)s on %(date)s (from the data Kring reads "
                "%(derived)s): %(note)s"
            )
            % values
        ]
    return correction.stage, [
        _(
            "A facilitator set the stage to %(stage)s on %(date)s (from the data Kring reads "
            "%(derived)s)."
        )
        % values
    ]


def development_read(
    *,
    community: Community,
    viewer: User | AnonymousUser | None,
    moment: datetime | None = None,
    timeline: bool = False,
) -> Development:
    """The path and the stage at `moment` (default now), as `viewer` may read them: names of
    people only for those who facilitate. `timeline`: also the stage over time."""
    moment = moment or timezone.now()
    named = viewer is None or permissions.can_see_people(viewer, community)
    [stage_facts] = facts.stage_facts(community=community, moments=[moment])
    step_facts = facts.step_facts(
        community=community, moment=moment, stage=stage_facts, named=named
    )
    derived, reasons = derive.stage_of(stage_facts)
    key, corrected = _stage_with(derived, step_facts.correction, named)
    development = Development(
        community=community,
        moment=moment,
        named=named,
        stage=key,
        derived=derived,
        reasons=corrected + reasons,
        correction=step_facts.correction,
        steps=derive.steps_of(step_facts, named=named),
    )
    if timeline:
        development.timeline = stage_timeline(community=community, moment=moment)
        development.timeline[-1:] = [StagePoint(moment, key, step_facts.correction is not None)]
    return development


def _timeline_moments(created: datetime, moment: datetime) -> list[datetime]:
    age = moment - created
    count = max(1, min(TIMELINE_POINTS, age.days // TIMELINE_MIN_DAYS))
    return [created + age * (k / count) for k in range(1, count + 1)]


def stage_timeline(*, community: Community, moment: datetime) -> list[StagePoint]:
    """The stage at up to TIMELINE_POINTS moments from the start to `moment`, oldest first,
    with the facilitators' corrections of that time applied. Six queries, cached per day."""
    key = f"growth:timeline:{community.pk}:{timezone.localtime(moment).date()}:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    moments = _timeline_moments(community.created_at, moment)
    corrections = list(
        StageCorrection.objects.filter(community=community, on__lte=moment.date()).values_list(
            "on", "stage"
        )
    )
    points = []
    for figures in facts.stage_facts(community=community, moments=moments):
        derived, _reasons = derive.stage_of(figures)
        day = timezone.localtime(figures.moment).date()
        word = next((stage for on, stage in corrections if on <= day), "")
        points.append(StagePoint(figures.moment, word or derived, bool(word)))
    cache.set(key, points, TIMELINE_CACHE_SECONDS)
    return points


def stage_now(*, community: Community) -> str:
    """The stage the community shows now: the facilitators' correction, or the derived one."""
    correction = facts.latest_correction(community=community, day=timezone.localdate())
    if correction is not None:
        return correction.stage
    [figures] = facts.stage_facts(community=community, moments=[timezone.now()])
    return derive.stage_of(figures)[0]


def decisions_recent(
    *, community: Community, limit: int = HISTORY_SIZE
) -> list[StepOverride | StageCorrection]:
    """The facilitators' latest decisions on steps and the stage, newest first (the history:
    every row is kept)."""
    steps = list(StepOverride.objects.filter(community=community).select_related("by")[:limit])
    stages = list(StageCorrection.objects.filter(community=community).select_related("by")[:limit])
    both: list[StepOverride | StageCorrection] = [*steps, *stages]
    both.sort(key=lambda row: (row.on, row.created_at), reverse=True)
    return both[:limit]


def override_out(step: derive.Step, *, named: bool) -> dict | None:
    o = step.override
    if o is None:
        return None
    return {
        "status": o.status,
        "derived": step.derived,
        "kind": "confirmed" if o.status == step.derived else "overridden",
        "on": o.on.isoformat(),
        "note": o.note if named else None,
        "by": o.by.full_name if named and o.by is not None else None,
    }


def development_document(development: Development) -> dict:
    """The document of `kring development SLUG --json` and GET /communities/{slug}/development."""
    return {
        "stage": {"key": development.stage, "reasons": development.reasons},
        "steps": [
            {
                "key": str(step.key),
                "status": str(step.status),
                "evidence": step.evidence,
                "missing": step.missing,
                "override": override_out(step, named=development.named),
            }
            for step in development.steps
        ],
    }


def _summary_key(community_id: int) -> str:
    return f"growth:summary:{community_id}"


def development_summary(steps: list[derive.Step]) -> dict:
    """How many of the nine steps are done, partly done and open, and the next one to work
    on (its key; None when all are done). Plain data, no names: the same for every reader."""
    statuses = [str(step.status) for step in steps]
    following = next((step for step in steps if step.status != derive.DONE), None)
    return {
        "steps": len(steps),
        "done": statuses.count(derive.DONE),
        "partial": statuses.count(derive.PARTIAL),
        "open": statuses.count(derive.OPEN),
        "next": str(following.key) if following is not None else None,
    }


def _summary_read(community: Community, moment: datetime) -> dict:
    """The path's summary at `moment`: the path's fixed number of queries (about 20)."""
    [stage_facts] = facts.stage_facts(community=community, moments=[moment])
    step_facts = facts.step_facts(
        community=community, moment=moment, stage=stage_facts, named=False
    )
    return development_summary(derive.steps_of(step_facts, named=False))


def development_summaries(
    *,
    communities: list[Community],
    moment: datetime | None = None,
    fresh: bool = False,
    limit: int | None = None,
) -> dict[int, dict | None]:
    """{community id: development_summary} for many communities at once (network insights).

    Now (no `moment`): one cache read for all of them. The periodic stages_refresh task
    keeps every community's summary in the cache (fresh=True: read anew and stored), a
    facilitator's decision clears it; a community whose summary is not cached costs the
    path's fixed number of queries (about 20) once. So a read is flat in the number of
    communities when the cache is warm, and bounded by 20 queries per community when cold;
    `limit`: read at most this many that are not cached (the others are None: not read yet).
    A `moment` in the past is read anew, per community, and not cached."""
    if moment is not None:
        return {c.pk: _summary_read(c, moment) for c in communities}
    now = timezone.now()
    keys = {community.pk: _summary_key(community.pk) for community in communities}
    cached = {} if fresh else cache.get_many(list(keys.values()))
    summaries: dict[int, dict | None] = {}
    new: dict[str, dict] = {}
    for community in communities:
        key = keys[community.pk]
        if key in cached:
            summaries[community.pk] = cached[key]
        elif limit is not None and len(new) >= limit:
            summaries[community.pk] = None
        else:
            summaries[community.pk] = new[key] = _summary_read(community, now)
    if new:
        cache.set_many(new, SUMMARY_CACHE_SECONDS)
    return summaries


def development_summary_forget(*, community: Community) -> None:
    """A facilitator's decision changed the path: the cached summary is stale."""
    cache.delete(_summary_key(community.pk))
