"""Demo shared decisions: ground rules agreed together (and one proposal still open), a team
that carries part of the work, a poll and a date poll with some answers."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kring.accounts.models import User
from kring.communities.models import Community, Role
from kring.conversations.models import Notification
from kring.decisions import services as poll_services
from kring.decisions import services_rules
from kring.decisions.models import Poll, RulesProposal
from kring.demo.conversations import _quiet_history
from kring.growth.models import Team
from kring.growth.services_teams import team_create, team_post_add, team_task_add

ZONE = ZoneInfo("Europe/Amsterdam")


def _members(community: Community, role: str = Role.MEMBER) -> list[User]:
    rows = community.memberships.filter(role=role).select_related("user").order_by("joined_at")
    return [m.user for m in rows]


def _rules_agreed(community: Community, facilitator: User, members: list[User]) -> None:
    """The starting rules, agreed as they stand by most of the group."""
    rules = list(community.ground_rules.values_list("text", flat=True))
    proposal = services_rules.rules_propose(
        community=community,
        by=facilitator,
        rules=rules,
        reason="Dit zijn de afspraken van onze eerste bijeenkomst. Kunnen we ons er allemaal "
        "in vinden? Zeg het hieronder als je iets wilt aanpassen.",
    )
    if len(members) > 1:
        services_rules.rules_comment(
            proposal=proposal,
            by=members[1],
            body="Mooi dat 'mislukte pogingen delen' erin staat. Daar leer ik het meest van.",
        )
    for person in [facilitator, *members[:7]]:
        services_rules.rules_agree(proposal=proposal, by=person)
    services_rules.rules_adopt(proposal=proposal, by=facilitator)


def _rules_open(community: Community, facilitator: User, members: list[User]) -> None:
    """A change still open: one rule added, a question about it, a few agreeing."""
    rules = [*community.ground_rules.values_list("text", flat=True)]
    rules.append("We sturen elkaar geen offertes of reclame, ook niet via een privébericht.")
    proposal = services_rules.rules_propose(
        community=community,
        by=facilitator,
        rules=rules,
        reason="Na de vorige bijeenkomst kregen twee leden ongevraagd een offerte. "
        "Zullen we dit erbij zetten?",
    )
    if members:
        services_rules.rules_comment(
            proposal=proposal,
            by=members[0],
            body="Eens. Mag een bedrijf wel laten weten dat het iets aanbiedt als iemand erom "
            "vraagt?",
        )
    for person in members[1:3]:
        services_rules.rules_agree(proposal=proposal, by=person)


def _team(community: Community, facilitator: User, members: list[User], now: datetime) -> None:
    if Team.objects.filter(community=community).exists() or len(members) < 3:
        return
    lead = members[2]
    team = team_create(
        community=community,
        by=facilitator,
        name="Communicatieteam",
        purpose="Zorgt dat buiten de kring bekend is wat we leren: de publieke pagina, "
        "verhalen en een kort verslag na elke bijeenkomst.",
        members=[lead, members[4] if len(members) > 4 else members[0], facilitator],
        lead=lead,
    )
    team_task_add(
        team=team,
        by=lead,
        what="Verslag van de laatste bijeenkomst op de publieke pagina",
        owner=lead,
        due_date=(now + timedelta(days=10)).date(),
    )
    team_task_add(team=team, by=lead, what="Twee waardeverhalen ophalen voor het verslag")
    team_post_add(
        team=team,
        by=lead,
        text="Wie wil er volgende keer foto's maken? Wel eerst even vragen of mensen dat "
        "goed vinden.",
    )


def _polls(community: Community, facilitator: User, members: list[User], now: datetime) -> None:
    if Poll.objects.filter(community=community).exists() or len(members) < 6:
        return
    poll = poll_services.poll_create(
        community=community,
        by=members[0],
        question="Welk thema willen jullie in de volgende bijeenkomst uitdiepen?",
        options=["Eenzaamheid achter de voordeur", "Mantelzorgers ontlasten", "Technologie thuis"],
        closes_at=now + timedelta(days=9),
    )
    options = list(poll.options.all())
    for n, person in enumerate(members[:5]):
        choice = options[0] if n % 3 != 2 else options[1]
        poll_services.poll_vote(poll=poll, by=person, answers={choice.pk: "yes"})
    first = (now + timedelta(weeks=6)).astimezone(ZONE)
    first = first.replace(hour=19, minute=30, second=0, microsecond=0)
    date_poll = poll_services.date_poll_create(
        community=community,
        by=facilitator,
        question="Wanneer komen we na de zomer weer bij elkaar?",
        starts=[first, first + timedelta(days=2), first + timedelta(days=7)],
        closes_at=now + timedelta(days=12),
        session_title="Leerkring: eenzaamheid achter de voordeur",
        session_location="Buurthuis De Linde, Lindelaan 4, Tiel",
    )
    dates = list(date_poll.options.all())
    answers = [("yes", "maybe", "no"), ("yes", "no", "yes"), ("maybe", "yes", "yes")]
    for person, row in zip(members[:3], answers, strict=True):
        poll_services.poll_vote(
            poll=date_poll,
            by=person,
            answers={option.pk: answer for option, answer in zip(dates, row, strict=True)},
        )


def decisions_ensure(*, key: str, community: Community, facilitator: User, now: datetime) -> None:
    """Idempotent: a community that has any proposal, team or poll keeps what it has. The
    notifications it causes are history, as the other demo content's are."""
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    members = _members(community)
    if not RulesProposal.objects.filter(community=community).exists():
        if key == "zorg":
            _rules_agreed(community, facilitator, members)
        elif key == "energie":
            _rules_open(community, facilitator, members)
    if key == "zorg":
        _team(community, facilitator, members, now)
        _polls(community, facilitator, members, now)
    _quiet_history(after_id=last, now=now)
