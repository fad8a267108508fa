"""Teams, the inner circle: making a team, changing who is in it and who leads it, its own
task list and its discussion. Every write checks access again and says clearly what is wrong."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.core import daterange
from kring.core.services import activity_record
from kring.growth import permissions
from kring.growth.models import Team, TeamMember, TeamPost, TeamTask
from kring.growth.verbs import GrowthVerb

NAME_MAX = 80
PURPOSE_MAX = 1000
WHAT_MAX = 300
POST_MAX = 4000
# A team is a small group; a bigger one is not an inner circle any more.
MEMBERS_MAX = 30


def _clean_team(
    *,
    community: Community,
    name: str,
    purpose: str,
    members: Iterable[User],
    lead: User | None,
    team: Team | None = None,
) -> tuple[str, str, list[User]]:
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    purpose = (purpose or "").strip()
    people = list({person.pk: person for person in members}.values())
    same_name = Team.objects.filter(community=community, name__iexact=name)
    if team is not None:
        same_name = same_name.exclude(pk=team.pk)
    if not name:
        errors["name"] = _("Give the team a name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep the name to 80 characters at most.")
    elif same_name.exists():
        errors["name"] = _("This community already has a team with this name.")
    if len(purpose) > PURPOSE_MAX:
        errors["purpose"] = _("Keep the purpose to 1000 characters at most.")
    if len(people) > MEMBERS_MAX:
        errors["members"] = _("A team has 30 people at most.")
    else:
        inside = set(
            Membership.objects.filter(
                community=community, user_id__in=[p.pk for p in people]
            ).values_list("user_id", flat=True)
        )
        strangers = [p.full_name for p in people if p.pk not in inside]
        if strangers:
            errors["members"] = _("Only members of this community can join a team: %(names)s.") % {
                "names": ", ".join(strangers)
            }
    if lead is not None and lead.pk not in {p.pk for p in people}:
        errors["lead"] = _("The lead must be one of the team's members.")
    if errors:
        raise ValidationError(errors)
    return name, purpose, people


def _record_joined(*, team: Team, by: User, people: Iterable[User]) -> None:
    for person in people:
        activity_record(
            actor=person,
            verb=GrowthVerb.TEAM_JOINED,
            community=team.community,
            target=team,
            other=by if by.pk != person.pk else None,
        )


@transaction.atomic
def team_create(
    *,
    community: Community,
    by: User,
    name: str,
    purpose: str = "",
    members: Iterable[User] = (),
    lead: User | None = None,
) -> Team:
    """A new team in the community, with its members and (if chosen) its lead."""
    permissions.check_create_team(by, community)
    name, purpose, people = _clean_team(
        community=community, name=name, purpose=purpose, members=members, lead=lead
    )
    team = Team.objects.create(community=community, name=name, purpose=purpose)
    TeamMember.objects.bulk_create(
        TeamMember(team=team, user=p, is_lead=lead is not None and p.pk == lead.pk) for p in people
    )
    activity_record(actor=by, verb=GrowthVerb.TEAM_CREATED, community=community, target=team)
    _record_joined(team=team, by=by, people=people)
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    by: User,
    name: str,
    purpose: str,
    members: Iterable[User],
    lead: User | None,
) -> Team:
    """Change the team's name, purpose, members and lead (facilitators and the lead)."""
    permissions.check_edit_team(by, team)
    name, purpose, people = _clean_team(
        community=team.community,
        name=name,
        purpose=purpose,
        members=members,
        lead=lead,
        team=team,
    )
    team.name, team.purpose = name, purpose
    team.save(update_fields=["name", "purpose"])
    wanted = {p.pk: p for p in people}
    current = set(TeamMember.objects.filter(team=team).values_list("user_id", flat=True))
    TeamMember.objects.filter(team=team).exclude(user_id__in=wanted).delete()
    # The lead flag is unique per team: clear it before setting it on someone else.
    TeamMember.objects.filter(team=team, is_lead=True).update(is_lead=False)
    newcomers = [p for pk, p in wanted.items() if pk not in current]
    TeamMember.objects.bulk_create(TeamMember(team=team, user=p) for p in newcomers)
    if lead is not None:
        TeamMember.objects.filter(team=team, user=lead).update(is_lead=True)
    team.__dict__.pop("_kring_team_roles", None)
    _record_joined(team=team, by=by, people=newcomers)
    return team


@transaction.atomic
def team_delete(*, team: Team, by: User) -> None:
    """Remove a team with its members, tasks and discussion (the facilitators). The people
    stay in the community; the ledger keeps that the team was removed, by whom, and its name."""
    permissions.check_delete_team(by, team)
    activity_record(
        actor=by,
        verb=GrowthVerb.TEAM_DELETED,
        community=team.community,
        data={"name": team.name, "team_id": team.pk},
    )
    team.delete()


def _clean_due(due_date: date | None, errors: dict) -> None:
    if due_date is not None and not daterange.in_range(due_date):
        errors["due_date"] = daterange.message()


@transaction.atomic
def team_task_add(
    *, team: Team, by: User, what: str, owner: User | None = None, due_date: date | None = None
) -> TeamTask:
    """A task on the team's list; its owner, if any, is in the team."""
    permissions.check_join_talk(by, team)
    errors: dict[str, str] = {}
    what = " ".join((what or "").split())
    if not what:
        errors["what"] = _("Say what will be done.")
    elif len(what) > WHAT_MAX:
        errors["what"] = _("Keep it to 300 characters.")
    if owner is not None and not TeamMember.objects.filter(team=team, user=owner).exists():
        errors["owner"] = _("Choose someone in this team.")
    _clean_due(due_date, errors)
    if errors:
        raise ValidationError(errors)
    return TeamTask.objects.create(
        team=team, what=what, owner=owner, due_date=due_date, created_by=by
    )


@transaction.atomic
def team_task_done(*, task: TeamTask, by: User, done: bool = True) -> TeamTask:
    """Tick a task off (or open it again)."""
    permissions.check_join_talk(by, task.team)
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    return task


@transaction.atomic
def team_post_add(*, team: Team, by: User, text: str) -> TeamPost:
    """A message in the team's discussion (the team and the facilitators read it)."""
    permissions.check_join_talk(by, team)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message first.")})
    if len(text) > POST_MAX:
        raise ValidationError({"text": _("Keep the message to 4000 characters at most.")})
    return TeamPost.objects.create(team=team, author=by, text=text)
