"""Teams under /communities/{slug}/teams, read-only, with the rules of the web pages
(permissions.py): everyone inside the community sees its teams, who is in them and their
tasks; the team's discussion is for the team and the facilitators only (anyone else 404,
as on the web page). People outside the community get 404.

See docs/api.md.
"""

from django.conf import settings
from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from kring.communities.models import Community
from kring.core.api_kit import LazyPage, person_ref
from kring.core.api_types import PageNumberPagination
from kring.growth import permissions, selectors_teams
from kring.growth.models import Team, TeamMember, TeamPost, TeamTask
from kring.growth.schemas_teams import TeamOut, TeamPostOut, TeamSummaryOut, TeamTaskOut

router = Router(tags=["teams"])

TEAMS_PER_PAGE = 20
TASKS_PER_PAGE = 20
POSTS_PER_PAGE = 20
# The open tasks a team's own answer lists; a team's list is short, the rest pages.
TASKS_SHOWN = 100


def _member_out(member: TeamMember) -> dict:
    return {**person_ref(member.user), "lead": member.is_lead}  # type: ignore[dict-item]


def _task_out(task: TeamTask) -> dict:
    return {
        "id": task.pk,
        "what": task.what,
        "owner": person_ref(task.owner),
        "due_date": task.due_date,
        "done": task.done_at is not None,
        "done_at": task.done_at,
        "created_at": task.created_at,
    }


def _post_out(post: TeamPost) -> dict:
    return {
        "id": post.pk,
        "author": person_ref(post.author),
        "text": post.text,
        "created_at": post.created_at,
    }


def _summary(community: Community, team: Team, members: list[TeamMember], open_tasks: int):
    return {
        "id": team.pk,
        "name": team.name,
        "purpose": team.purpose,
        "members": [_member_out(m) for m in members],
        "open_tasks": open_tasks,
        "url": settings.SITE_URL + reverse("team-detail", args=[community.slug, team.pk]),
    }


def _team(request, slug: str, team_id: int) -> Team:
    community = selectors_teams.community_for_teams(user=request.user, slug=slug)
    return selectors_teams.team_get(community=community, viewer=request.user, pk=team_id)


@router.get("/{slug}/teams", response=list[TeamSummaryOut], summary="Teams")
@paginate(PageNumberPagination, page_size=TEAMS_PER_PAGE)
def team_list(request, slug: str, **kwargs):
    """By name."""
    community = selectors_teams.community_for_teams(user=request.user, slug=slug)
    teams = selectors_teams.teams_list(community=community, viewer=request.user)

    def page(rows: list[Team]) -> list[dict]:
        members = selectors_teams.teams_members(teams=rows)
        open_tasks = selectors_teams.teams_open_tasks(teams=rows)
        return [_summary(community, t, members[t.pk], open_tasks[t.pk]) for t in rows]

    return LazyPage(teams, page=page)


@router.get("/{slug}/teams/{team_id}", response=TeamOut, summary="A team")
def team_detail(request, slug: str, team_id: int):
    team = _team(request, slug, team_id)
    open_tasks = selectors_teams.team_tasks(team=team).filter(done_at__isnull=True)
    count = selectors_teams.teams_open_tasks(teams=[team])[team.pk]
    return {
        **_summary(team.community, team, selectors_teams.team_members(team=team), count),
        "tasks": [_task_out(t) for t in open_tasks[:TASKS_SHOWN]],
        "can_read_discussion": permissions.can_join_talk(request.user, team),
    }


@router.get("/{slug}/teams/{team_id}/tasks", response=list[TeamTaskOut], summary="A team's tasks")
@paginate(PageNumberPagination, page_size=TASKS_PER_PAGE)
def team_task_list(request, slug: str, team_id: int, **kwargs):
    """Still to do first (soonest due first), then the done ones."""
    team = _team(request, slug, team_id)
    return LazyPage(selectors_teams.team_tasks(team=team), row=_task_out)


@router.get(
    "/{slug}/teams/{team_id}/posts", response=list[TeamPostOut], summary="A team's discussion"
)
@paginate(PageNumberPagination, page_size=POSTS_PER_PAGE)
def team_post_list(request, slug: str, team_id: int, **kwargs):
    """Newest first. For the team and the facilitators; everyone else 404 (they do not learn
    what is said there)."""
    team = _team(request, slug, team_id)
    return LazyPage(selectors_teams.team_posts(team=team, viewer=request.user), row=_post_out)
