"""Teams pages: the list, making a team (facilitators), a team with its members, tasks and
(for the team and the facilitators) its discussion, changing a team (facilitators and the
lead) and deleting it (facilitators). Thin adapters over services_teams and selectors_teams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.communities.header import header_context
from kring.core.forms import apply_service_errors
from kring.growth import permissions, selectors_teams, services_teams
from kring.growth.forms import TeamForm, TeamPostForm, TeamTaskForm
from kring.growth.models import TeamTask

TEAMS_PAGE_SIZE = 20
TASKS_PAGE_SIZE = 20
POSTS_PAGE_SIZE = 20


def _team(request, slug: str, pk: int):  # noqa: ANN202
    community = selectors_teams.community_for_teams(user=request.user, slug=slug)
    return selectors_teams.team_get(community=community, viewer=request.user, pk=pk)


@login_required
def team_list_view(request, slug: str):
    community = selectors_teams.community_for_teams(user=request.user, slug=slug)
    teams = selectors_teams.teams_list(community=community, viewer=request.user)
    page = Paginator(teams, TEAMS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "growth/team_list.html",
        {
            **header_context(request, community, "teams"),
            "page": page,
            "can_create": permissions.can_create_team(request.user, community),
        },
    )


def _team_form_page(request, community, form, *, team=None, status: int = 200):
    return render(
        request,
        "growth/team_form.html",
        {
            **header_context(request, community, "teams"),
            "form": form,
            "team": team,
            "can_delete": team is not None and permissions.can_delete_team(request.user, team),
            "suggestions": [_(name) for name in selectors_teams.SUGGESTED_NAMES],
        },
        status=status,
    )


def _save_team(request, community, form, save, *, team=None):
    """Save the team from a sent form: to the team's page, or the form again with the
    service's messages next to the fields."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            team = save(
                by=request.user,
                name=data["name"],
                purpose=data["purpose"],
                members=list(data["members"]),
                lead=data["lead"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("team-detail", slug=community.slug, pk=team.pk)
    return _team_form_page(request, community, form, team=team, status=422)


@login_required
def team_create_view(request, slug: str):
    community = selectors_teams.community_for_teams(user=request.user, slug=slug)
    permissions.check_create_team(request.user, community)
    if request.method != "POST":
        return _team_form_page(request, community, TeamForm(community=community))
    form = TeamForm(request.POST, community=community)

    def save(**fields):
        return services_teams.team_create(community=community, **fields)

    return _save_team(request, community, form, save)


@login_required
def team_update_view(request, slug: str, pk: int):
    team = _team(request, slug, pk)
    permissions.check_edit_team(request.user, team)
    members = selectors_teams.team_members(team=team)
    people = [m.user for m in members]
    if request.method != "POST":
        lead = next((m.user for m in members if m.is_lead), None)
        form = TeamForm(
            community=team.community,
            team_people=people,
            initial={
                "name": team.name,
                "purpose": team.purpose,
                "members": [p.pk for p in people],
                "lead": lead.pk if lead else None,
            },
        )
        return _team_form_page(request, team.community, form, team=team)
    form = TeamForm(request.POST, community=team.community, team_people=people)

    def save(**fields):
        return services_teams.team_update(team=team, **fields)

    return _save_team(request, team.community, form, save, team=team)


@login_required
def team_delete_view(request, slug: str, pk: int):
    """The confirmation of what goes with the team (GET), and the deletion (POST): the
    facilitators; 403 for the others inside, 404 for everyone outside."""
    team = _team(request, slug, pk)
    permissions.check_delete_team(request.user, team)
    if request.method == "POST":
        name = team.name
        services_teams.team_delete(team=team, by=request.user)
        messages.success(request, _("The team “%(name)s” has been deleted.") % {"name": name})
        return redirect("team-list", slug=slug)
    return render(
        request,
        "growth/team_confirm_delete.html",
        {
            **header_context(request, team.community, "teams"),
            "team": team,
            "removal": selectors_teams.team_removal(team=team),
        },
    )


def _detail(request, team, *, task_form=None, status: int = 200):
    members = selectors_teams.team_members(team=team)
    can_work = permissions.can_join_talk(request.user, team)
    tasks = Paginator(selectors_teams.team_tasks(team=team), TASKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        **header_context(request, team.community, "teams"),
        "team": team,
        "members": members,
        "lead": next((m for m in members if m.is_lead), None),
        "page": tasks,
        "can_edit": permissions.can_edit_team(request.user, team),
        "can_work": can_work,
    }
    if can_work:
        context["task_form"] = task_form or TeamTaskForm(team_people=[m.user for m in members])
    return render(request, "growth/team_detail.html", context, status=status)


@login_required
def team_detail_view(request, slug: str, pk: int):
    return _detail(request, _team(request, slug, pk))


def _working(request, slug: str, pk: int):  # noqa: ANN202
    """The team, for someone who keeps its tasks and discussion; 404 for everyone else."""
    team = _team(request, slug, pk)
    if not permissions.can_join_talk(request.user, team):
        raise Http404
    return team


@login_required
@require_POST
def team_task_add_view(request, slug: str, pk: int):
    team = _working(request, slug, pk)
    people = [m.user for m in selectors_teams.team_members(team=team)]
    form = TeamTaskForm(request.POST, team_people=people)
    if form.is_valid():
        try:
            services_teams.team_task_add(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The task is on the list."))
            return redirect("team-detail", slug=slug, pk=team.pk)
    return _detail(request, team, task_form=form, status=422)


@login_required
@require_POST
def team_task_done_view(request, slug: str, pk: int, task_pk: int):
    team = _working(request, slug, pk)
    task = TeamTask.objects.filter(team=team, pk=task_pk).first()
    if task is None:
        raise Http404
    services_teams.team_task_done(task=task, by=request.user, done=request.POST.get("done") != "no")
    return redirect("team-detail", slug=slug, pk=team.pk)


@login_required
def team_discussion_view(request, slug: str, pk: int):
    """The team's discussion, paged, with a box to write in: the team and the facilitators;
    404 for everyone else."""
    team = _team(request, slug, pk)
    try:
        posts = selectors_teams.team_posts(team=team, viewer=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    form = TeamPostForm()
    status = 200
    if request.method == "POST":
        form = TeamPostForm(request.POST)
        if form.is_valid():
            try:
                services_teams.team_post_add(
                    team=team, by=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("team-discussion", slug=slug, pk=team.pk)
        status = 422
    page = Paginator(posts, POSTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "growth/team_discussion.html",
        {
            **header_context(request, team.community, "teams"),
            "team": team,
            "page": page,
            "form": form,
        },
        status=status,
    )
