"""What the development path and the life stage are read from: a fixed number of queries,
however much history the community has.

`stage_facts` reads the few figures the life stage needs at several moments at once (one
query per kind of fact, with a conditional count per moment), so the stage's timeline costs
the same as one moment. `step_facts` reads the rest of what the nine steps need at one
moment. The network's density and the perspective coverage come from the insights snapshots
(kring.insights), never computed here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from kring.accounts.models import Perspective
from kring.communities.models import Community, Membership, Role
from kring.core.models import ActivityEvent
from kring.growth.models import Mandate, StageCorrection, StepOverride
from kring.illuminate.models import Consent, ReportText, ValueStory
from kring.insights.compute.base import ACTIVE_DAYS
from kring.insights.compute.passes import ACTIVE_VERBS
from kring.insights.models import Snapshot
from kring.insights.services import KEEP_SNAPSHOTS
from kring.knowledge.models import IMPLICIT_KINDS, ItemAuthor, KnowledgeItem
from kring.meetings.models import ActionPoint, Reflection, Session

# A snapshot older than this before the moment says nothing about it.
SNAPSHOT_REACH = timedelta(days=30)
# The steps about what the group does look at the last year.
RECENT = timedelta(days=365)
# The names a facilitator sees per kind of evidence; the rest are counted.
NAMES_SHOWN = 3


@dataclass
class StageFacts:
    """The figures behind the life stage at one moment."""

    moment: datetime
    created: datetime
    held: list[datetime]  # scheduled sessions that started before the moment, oldest first
    planned: datetime | None  # the first session after the moment, planned before it
    members: int
    core: int
    active: int  # took part in the ACTIVE_DAYS before the moment
    active_before: int  # ... in the ACTIVE_DAYS before those
    knowledge: int
    density: float | None  # of the relations network, from the snapshot nearest before
    density_on: datetime | None


@dataclass
class StepFacts:
    """What the nine steps read at one moment, besides the stage's figures."""

    stage: StageFacts
    community: Community
    facilitators: list[tuple[int, str, list[str]]]  # (id, name, perspective names)
    perspectives: dict[str, int]  # perspective name -> members
    coverage_gaps: list[str]  # perspective names below the target mix (from the snapshot)
    coverage_on: datetime | None  # the snapshot's moment; None: counted from the profiles
    reflected_sessions: int
    recent_sessions: int
    points: int
    points_done: int
    points_overdue: int
    leaders: list[int]  # members (not facilitators) who led a session in the last year
    owners: list[int]  # ... who own an action point
    writers: list[int]  # ... who wrote a value story or a practice story
    names: dict[int, str]
    reports: int
    public_stories: int
    spotlight: bool
    overrides: dict[str, StepOverride] = field(default_factory=dict)
    mandate: Mandate | None = None
    correction: StageCorrection | None = None


def _counts(moments: list[datetime], make) -> dict:  # noqa: ANN001
    return {f"n{i}": make(moment) for i, moment in enumerate(moments)}


def stage_facts(*, community: Community, moments: list[datetime]) -> list[StageFacts]:
    """The stage's figures at each of `moments` (oldest first): five queries in all."""
    last = max(moments)
    sessions = list(
        Session.objects.filter(community=community)
        .scheduled()
        .order_by("starts_at")
        .values_list("starts_at", "created_at")
    )
    members = Membership.objects.filter(community=community).aggregate(
        **_counts(moments, lambda t: Count("id", filter=Q(joined_at__lt=t))),
        **{
            f"c{i}": Count("id", filter=Q(joined_at__lt=t, role=Role.CORE))
            for i, t in enumerate(moments)
        },
    )
    window = timedelta(days=ACTIVE_DAYS)
    events = ActivityEvent.objects.filter(
        community=community,
        verb__in=ACTIVE_VERBS,
        created_at__gte=min(moments) - 2 * window,
        created_at__lt=last,
    ).aggregate(
        **{
            f"a{i}": Count(
                "actor", distinct=True, filter=Q(created_at__gte=t - window, created_at__lt=t)
            )
            for i, t in enumerate(moments)
        },
        **{
            f"b{i}": Count(
                "actor",
                distinct=True,
                filter=Q(created_at__gte=t - 2 * window, created_at__lt=t - window),
            )
            for i, t in enumerate(moments)
        },
    )
    knowledge = KnowledgeItem.objects.filter(community=community).aggregate(
        **_counts(moments, lambda t: Count("id", filter=Q(created_at__lt=t)))
    )
    # The snapshots kept (KEEP_SNAPSHOTS at most): each moment takes the latest before it.
    snapshots = list(
        Snapshot.objects.filter(community=community, as_of__lte=last)
        .order_by("-as_of")
        .values_list("as_of", "data__network__density")[:KEEP_SNAPSHOTS]
    )
    found = []
    for i, moment in enumerate(moments):
        near = next(
            (
                (on, d)
                for on, d in snapshots
                if on <= moment and on >= moment - SNAPSHOT_REACH and d is not None
            ),
            (None, None),
        )
        found.append(
            StageFacts(
                moment=moment,
                created=community.created_at,
                held=[s for s, _c in sessions if s < moment],
                planned=next((s for s, c in sessions if s >= moment and c < moment), None),
                members=members[f"n{i}"],
                core=members[f"c{i}"],
                active=events[f"a{i}"],
                active_before=events[f"b{i}"],
                knowledge=knowledge[f"n{i}"],
                density=float(near[1]) if near[1] is not None else None,
                density_on=near[0],
            )
        )
    return found


def _coverage(community: Community, moment: datetime) -> tuple[dict, list, datetime | None]:
    """Perspective name -> members, the names below target, and the snapshot's moment: from
    the latest snapshot before `moment`; without one, counted from the members' profiles."""
    row = (
        Snapshot.objects.filter(
            community=community, as_of__lte=moment, as_of__gte=moment - SNAPSHOT_REACH
        )
        .order_by("-as_of")
        .values_list("as_of", "data__coverage")
        .first()
    )
    if row is not None and row[1]:
        on, coverage = row
        names = coverage.get("names") or {}
        rows = sorted(coverage.get("rows", []), key=lambda r: -(r.get("members") or 0))
        present = {
            names.get(r["perspective"], r["perspective"]): r["members"]
            for r in rows
            if r.get("members")
        }
        gaps = [names.get(g["perspective"], g["perspective"]) for g in coverage.get("gaps", [])]
        return present, gaps, on
    # No insights yet: the members' own profiles, against the target mix.
    counted = list(
        Perspective.objects.annotate(
            n=Count(
                "people",
                distinct=True,
                filter=Q(
                    people__memberships__community=community,
                    people__memberships__joined_at__lt=moment,
                ),
            )
        )
    )
    target = {k for k, v in (community.target_mix or {}).items() if v}
    present = {p.name: p.n for p in sorted(counted, key=lambda p: -p.n) if p.n}  # type: ignore[attr-defined]
    gaps = [p.name for p in counted if p.key in target and not p.n]  # type: ignore[attr-defined]
    return present, gaps, None


def _people(rows) -> list[int]:  # noqa: ANN001
    return sorted({pk for pk in rows if pk is not None})


def step_facts(
    *, community: Community, moment: datetime, stage: StageFacts, named: bool
) -> StepFacts:
    """What the nine steps read at `moment`, with the stage's figures given. `named`: also
    the names of the people in the evidence (for facilitators)."""
    day: date = timezone.localtime(moment).date()
    since = moment - RECENT
    facilitators = list(
        Membership.objects.filter(community=community, role=Role.FACILITATOR, joined_at__lt=moment)
        .select_related("user")
        .prefetch_related("user__perspectives")
        .order_by("joined_at", "id")
    )
    fac_ids = [m.user_id for m in facilitators]
    present, gaps, coverage_on = _coverage(community, moment)
    recent = [s for s in stage.held if s >= since]
    reflected = (
        Reflection.objects.filter(
            session__community=community,
            session__starts_at__gte=since,
            session__starts_at__lt=moment,
            created_at__lt=moment,
        )
        .values("session")
        .distinct()
        .count()
    )
    points = ActionPoint.objects.filter(
        community=community, created_at__gte=since, created_at__lt=moment
    ).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(done_at__lt=moment)),
        overdue=Count(
            "id",
            filter=(Q(done_at__isnull=True) | Q(done_at__gte=moment)) & Q(due_date__lt=day),
        ),
    )
    leaders = _people(
        Session.facilitators.through.objects.filter(
            session__community=community,
            session__starts_at__gte=since,
            session__starts_at__lt=moment,
        )
        .exclude(user_id__in=fac_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )
    owners = _people(
        ActionPoint.objects.filter(
            community=community, created_at__gte=since, created_at__lt=moment
        )
        .exclude(owner_id__in=fac_ids)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    writers = _people(
        ValueStory.objects.filter(community=community, created_at__gte=since, created_at__lt=moment)
        .exclude(author_id__in=fac_ids)
        .values_list("author_id", flat=True)
        .distinct()
    ) + _people(
        ItemAuthor.objects.filter(
            item__community=community,
            item__kind__in=IMPLICIT_KINDS,
            item__created_at__gte=since,
            item__created_at__lt=moment,
        )
        .exclude(user_id__in=fac_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )
    writers = sorted(set(writers))
    names: dict[int, str] = {}
    if named:
        wanted = {pk for group in (leaders, owners, writers) for pk in group[:NAMES_SHOWN]}
        if wanted:
            names = dict(
                Membership.objects.filter(community=community, user_id__in=wanted).values_list(
                    "user_id", "user__full_name"
                )
            )
    overrides: dict[str, StepOverride] = {}
    for row in StepOverride.objects.filter(community=community, on__lte=day).select_related("by"):
        overrides.setdefault(row.step, row)
    return StepFacts(
        stage=stage,
        community=community,
        facilitators=[
            (m.user_id, m.user.full_name, [str(p.name) for p in m.user.perspectives.all()])
            for m in facilitators
        ],
        perspectives=present,
        coverage_gaps=gaps,
        coverage_on=coverage_on,
        reflected_sessions=reflected,
        recent_sessions=len(recent),
        points=points["total"],
        points_done=points["done"],
        points_overdue=points["overdue"],
        leaders=leaders,
        owners=owners,
        writers=writers,
        names=names,
        reports=ReportText.objects.filter(community=community, created_at__lt=moment).count(),
        public_stories=ValueStory.objects.filter(
            community=community, consent=Consent.PUBLIC, created_at__lt=moment
        ).count(),
        spotlight=community.spotlight_published,
        overrides=overrides,
        mandate=Mandate.objects.filter(community=community, on__lte=day)
        .select_related("recorded_by")
        .first(),
        correction=latest_correction(community=community, day=day),
    )


def latest_correction(*, community: Community, day: date) -> StageCorrection | None:
    """The facilitators' latest word on the stage up to `day`, or None; a row with an empty
    stage hands it back to the data."""
    row = (
        StageCorrection.objects.filter(community=community, on__lte=day)
        .select_related("by")
        .first()
    )
    return row if row is not None and row.stage else None
