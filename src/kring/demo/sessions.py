"""The demo's sessions: each community meets every six weeks (the method's rhythm) from its
start, with attendance registered for the past sessions, RSVPs for the next one, reflections
on the latest sessions at the three levels of learning, and action points (some done, some
still open and carried to the next agenda). Written for the demo and fictional.

Seeding again adds nothing: a community that has its demo series keeps it as it is.
A few people attend less and less over time, so the facilitators' feelers have something to
notice.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kring.communities.models import Community, Membership, Role
from kring.conversations.models import Notification
from kring.demo.conversations import _quiet_history
from kring.meetings import services, services_learning, services_rsvp, services_series
from kring.meetings.models import AttendanceStatus, Series, Session


@dataclass(frozen=True)
class SessionPlan:
    title: str
    location: str
    agenda: str
    weekday_offset: int
    start: time
    reflections: tuple[tuple[str, dict], ...]
    actions: tuple[tuple[str, str, int, bool], ...]  # owner, what, due in days, done


PLANS = {
    "zorg": SessionPlan(
        title="Leerkring Langer thuis",
        location="Buurthuis De Linde, Kerkstraat 12, Tiel",
        agenda=(
            "1. Welkom en een rondje: wat heb je sinds de vorige keer geprobeerd?\n"
            "2. Casus van de avond: een oudere die hulp afhoudt\n"
            "3. In drietallen: wat zou jij doen, en wie heb je daarvoor nodig?\n"
            "4. Terugblik en afspraken voor de komende zes weken"
        ),
        weekday_offset=1,
        start=time(19, 30),
        reflections=(
            (
                "facilitator",
                {
                    "did": "We bespraken een casus van een mantelzorger die al maanden alles "
                    "alleen doet. Drie groepjes zochten naar wie er nog meer om haar heen staat.",
                    "noticed": "De huisartsen waren stil tot het over de praktijkondersteuner "
                    "ging; toen kwam er ineens veel los.",
                    "learned": "We vragen te laat wie er al in beeld is. Eerst het netwerk in "
                    "kaart, dan pas de hulp.",
                    "double_loop": "Misschien moeten we niet beter doorverwijzen, maar eerder "
                    "samen aan de keukentafel zitten.",
                },
            ),
            (
                "member",
                {
                    "did": "Ik bracht de vraag in hoe we eenzaamheid eerder zien.",
                    "learned": "De bezorger van de maaltijdservice ziet meer dan wij allemaal.",
                    "single_loop": "Onze signaallijst is te lang; niemand vult hem in.",
                },
            ),
        ),
        actions=(
            (
                "member",
                "Signaallijst terugbrengen tot vijf vragen en delen in de kennisbank",
                20,
                True,
            ),
            ("facilitator", "Maaltijdservice uitnodigen voor de volgende bijeenkomst", 30, False),
            ("member", "Overzicht maken van alle inlooppunten in de regio", 7, False),
        ),
    ),
    "school": SessionPlan(
        title="Netwerkbijeenkomst Kansrijk Leren",
        location="OBS De Regenboog, Schoolstraat 4, Ede",
        agenda=(
            "1. Opening: wat speelt er op jullie scholen?\n"
            "2. Intervisie in kleine groepen over gelijke kansen bij de schooladviezen\n"
            "3. Korte inbreng vanuit de lerarenopleiding\n"
            "4. Wat nemen we mee naar ons team?"
        ),
        weekday_offset=3,
        start=time(15, 30),
        reflections=(
            (
                "facilitator",
                {
                    "did": "Intervisie over een adviesgesprek dat misliep met ouders.",
                    "noticed": "Iedereen herkende de druk van ouders, maar niemand had het "
                    "over de leerling zelf.",
                    "learned": "Het kind meer laten vertellen in het adviesgesprek.",
                    "triple_loop": "Waar staan wij als schoolleiders eigenlijk voor als het "
                    "advies schuurt met wat ouders willen?",
                },
            ),
            (
                "member",
                {
                    "noticed": "De inbreng van de pabo-studenten maakte het gesprek concreter.",
                    "learned": "Kleine groepen werken beter dan een plenaire ronde.",
                },
            ),
        ),
        actions=(
            ("member", "Voorbeeld van een leerlinggesprek vóór het advies uitschrijven", 25, True),
            ("facilitator", "Afspraak met de lerarenopleiding over stageplekken", 35, False),
        ),
    ),
    "energie": SessionPlan(
        title="Energiekring Vogelwijk",
        location="Buurthuis De Spreeuw, Merelplein 3, Tiel",
        agenda=(
            "1. Koffie en nieuws uit de wijk\n"
            "2. Wat levert het warmtecamera-rondje op?\n"
            "3. Samen kiezen: welke straat is de volgende?\n"
            "4. Wie doet wat tot de volgende keer?"
        ),
        weekday_offset=2,
        start=time(19, 0),
        reflections=(
            (
                "facilitator",
                {
                    "did": "We bekeken de beelden van de warmtecamera in de Lijsterstraat.",
                    "noticed": "Huurders kwamen pas los toen de corporatie even weg was.",
                    "learned": "Huurders en eigenaren apart laten beginnen, daarna samen.",
                },
            ),
        ),
        actions=(
            ("member", "Folder over tochtstrips in drie talen laten vertalen", 14, False),
            ("facilitator", "Corporatie vragen naar de planning van de isolatie", 21, True),
        ),
    ),
}

# Demo sessions happen every six weeks on a fixed weekday, starting after the founding.
EVERY_WEEKS = 6


def _rng(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("|".join(parts).encode()).digest())


def sessions_ensure(*, key: str, community: Community, started: datetime, now: datetime) -> dict:
    """The community's series, attendance, RSVPs, reflections and action points."""
    plan = PLANS.get(key)
    if plan is None or Series.objects.filter(community=community, title=plan.title).exists():
        return {"sessions_created": 0}
    memberships = list(
        Membership.objects.filter(community=community).select_related("user").order_by("joined_at")
    )
    facilitators = [m.user for m in memberships if m.role == Role.FACILITATOR]
    founder = facilitators[0]
    first_day = timezone.localtime(started).date() + timedelta(days=14 + plan.weekday_offset)
    first_start = timezone.make_aware(datetime.combine(first_day, plan.start))
    # Planning tells the members (a notification each); in the demo that is history, so it is
    # quieted before the e-mail tasks run (after the commit of this block).
    with transaction.atomic():
        last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        series = services_series.series_create(
            community=community,
            by=founder,
            title=plan.title,
            first_start=first_start,
            duration_minutes=120,
            location=plan.location,
            agenda=plan.agenda,
            facilitators=facilitators[:2],
            capacity=None,
            # The public community welcomes guests: its sessions show on its spotlight.
            is_open=community.visibility == "public",
            at=started + timedelta(days=3),
        )
        _quiet_history(after_id=last, now=now)
    sessions = list(Session.objects.filter(series=series).order_by("starts_at"))
    past = [s for s in sessions if s.ends_at < now]
    upcoming = [s for s in sessions if s.starts_at > now]
    rng = _rng(key, "sessions")
    # Two people drift away: they came at first and then less and less.
    regulars = [m for m in memberships if m.role != Role.GUEST]
    drifting = {m.user.pk for m in rng.sample(regulars[2:], k=min(2, max(0, len(regulars) - 2)))}
    for index, session in enumerate(past):
        for membership in memberships:
            if membership.joined_at > session.starts_at:
                continue
            user = membership.user
            if membership.role == Role.FACILITATOR:
                chance = 0.95
            elif user.pk in drifting:
                chance = max(0.05, 0.9 - 0.25 * index)
            else:
                chance = 0.7
            roll = rng.random()
            if roll < chance:
                status = AttendanceStatus.ATTENDED
            elif roll < chance + 0.1:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            services.attendance_set(
                session=session, by=founder, user=user, status=status, at=session.ends_at
            )
    # The next session: a mix of answers.
    if upcoming:
        nxt = upcoming[0]
        for membership in memberships:
            roll = rng.random()
            if roll < 0.55:
                response = "yes"
            elif roll < 0.7:
                response = "maybe"
            elif roll < 0.8:
                response = "no"
            else:
                continue
            services_rsvp.rsvp_set(
                session=nxt,
                user=membership.user,
                response=response,
                at=now - timedelta(days=rng.randint(1, 10)),
            )
    # Reflections and action points on the latest past session.
    if past:
        last = past[-1]
        attended = [
            m.user
            for m in memberships
            if m.user.attendances.filter(session=last, status=AttendanceStatus.ATTENDED).exists()
        ]
        members = [u for u in attended if u not in facilitators] or [
            m.user for m in memberships if m.role == Role.MEMBER
        ]
        for who, texts in plan.reflections:
            author = founder if who == "facilitator" else members[0]
            services_learning.reflection_save(
                session=last, by=author, at=last.ends_at + timedelta(hours=20), **texts
            )
        for n, (who, what, due_days, done) in enumerate(plan.actions):
            owner = founder if who == "facilitator" else members[n % len(members)]
            made = last.ends_at - timedelta(minutes=10)
            point = services_learning.action_point_create(
                community=community,
                by=founder,
                what=what,
                owner=owner,
                due_date=(timezone.localtime(last.ends_at) + timedelta(days=due_days)).date(),
                session=last,
                at=made,
            )
            if done:
                services_learning.action_point_complete(
                    point=point, by=owner, at=min(now, made + timedelta(days=max(due_days, 1) - 1))
                )
    return {"sessions_created": len(sessions)}
