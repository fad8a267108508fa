"""Reads of teams: the list, one team with its members, its tasks and its discussion, a
person's teams for their profile and the member directory's team filter. Every read takes
the viewer; a fixed number of queries however many teams, tasks or posts there are."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Membership
from kring.communities.selectors import community_get_inside
from kring.growth import permissions
from kring.growth.models import Team, TeamMember, TeamPost, TeamTask

Viewer = User | AnonymousUser

# The suggested names of the inner circle (the method's three teams); any name is fine.
SUGGESTED_NAMES = ("Communication team", "Support team", "Community builders")


def community_for_teams(*, user: Viewer, slug: str) -> Community:
    """The community whose teams the user may see (members, platform admins); 404 else."""
    community = community_get_inside(slug=slug, user=user, hidden_from_outsiders=True)
    if not permissions.can_read_teams(user, community):
        raise Http404
    return community


def _still_in(community_field: str = "team__community") -> Exists:
    """Team members who are still members of the team's community."""
    return Exists(
        Membership.objects.filter(user_id=OuterRef("user_id"), community=OuterRef(community_field))
    )


def _leads() -> Prefetch:
    return Prefetch(
        "members",
        queryset=TeamMember.objects.filter(_still_in(), is_lead=True).select_related("user"),
        to_attr="leads",
    )


def teams_list(*, community: Community, viewer: Viewer) -> QuerySet[Team]:
    """The community's teams by name, each with its size and its lead."""
    if not permissions.can_read_teams(viewer, community):
        raise Http404
    return (
        Team.objects.filter(community=community)
        .annotate(
            size=Count(
                "members",
                filter=Q(
                    members__user__memberships__community=community,
                ),
            )
        )
        .prefetch_related(_leads())
        .order_by("name", "id")
    )


def team_get(*, community: Community, viewer: Viewer, pk: int) -> Team:
    """One team of the community, for whoever sees the community's teams; 404 else."""
    if not permissions.can_read_teams(viewer, community):
        raise Http404
    team = Team.objects.filter(community=community, pk=pk).first()
    if team is None:
        raise Http404
    team.community = community
    return team


def team_members(*, team: Team) -> list[TeamMember]:
    """Who is in the team (a team is small): the lead first, then by name."""
    return list(
        TeamMember.objects.filter(_still_in(), team=team)
        .select_related("user")
        .order_by("-is_lead", "user__full_name", "pk")
    )


def team_removal(*, team: Team) -> dict[str, int]:
    """What deleting the team removes with it, for the confirmation: how many members (still
    in the community), tasks and messages in its discussion (three counts)."""
    return {
        "members": TeamMember.objects.filter(_still_in(), team=team).count(),
        "tasks": TeamTask.objects.filter(team=team).count(),
        "posts": TeamPost.objects.filter(team=team).count(),
    }


def team_tasks(*, team: Team) -> QuerySet[TeamTask]:
    """Open tasks first (soonest due first, undated last), then the done ones (earliest done
    first). Said in full here: the model's ordering puts NULLs first on SQLite and last on
    PostgreSQL."""
    return (
        TeamTask.objects.filter(team=team)
        .select_related("owner")
        .order_by(
            F("done_at").asc(nulls_first=True),
            F("due_date").asc(nulls_last=True),
            "created_at",
            "id",
        )
    )


def team_posts(*, team: Team, viewer: Viewer) -> QuerySet[TeamPost]:
    """The team's discussion, newest first: for the team and the facilitators; 404 for
    everyone else, who do not learn what is said there."""
    if not permissions.can_join_talk(viewer, team):
        raise Http404
    return TeamPost.objects.filter(team=team).select_related("author")


def person_teams(*, person: User, viewer: Viewer) -> list[TeamMember]:
    """The teams a person is in, in the communities the viewer sees inside (one query)."""
    if viewer is None or not viewer.is_authenticated:
        return []
    qs = TeamMember.objects.filter(_still_in(), user=person).select_related("team__community")
    if not community_permissions.is_platform_admin(viewer):
        qs = qs.filter(team__community__memberships__user=viewer)
    return list(qs.order_by("team__community__name", "team__name", "pk"))


def team_choices(*, community: Community) -> list[Team]:
    """The teams to filter the member directory by (a community has a handful)."""
    return list(Team.objects.filter(community=community).only("pk", "name").order_by("name")[:100])


def team_member_ids(community: Community, value: str) -> QuerySet:
    """The member directory's team filter: the people in the chosen team of this community
    (an unknown or foreign team matches no one)."""
    if not value.isdigit() or len(value) > 10:
        return TeamMember.objects.none().values("user_id")
    return TeamMember.objects.filter(team_id=int(value), team__community=community).values(
        "user_id"
    )


def teams_members(*, teams: list[Team]) -> dict[int, list[TeamMember]]:
    """The members of a page of teams (one query): per team, the lead first, then by name."""
    found: dict[int, list[TeamMember]] = {team.pk: [] for team in teams}
    rows = (
        TeamMember.objects.filter(_still_in(), team__in=teams)
        .select_related("user")
        .order_by("team_id", "-is_lead", "user__full_name", "pk")
    )
    for row in rows:
        found[row.team_id].append(row)
    return found


def teams_open_tasks(*, teams: list[Team]) -> dict[int, int]:
    """How many tasks each of a page of teams has still to do (one query)."""
    rows = (
        TeamTask.objects.filter(team__in=teams, done_at__isnull=True)
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    counts = dict.fromkeys((team.pk for team in teams), 0)
    counts.update(dict(rows))
    return counts
