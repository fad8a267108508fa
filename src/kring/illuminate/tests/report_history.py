"""A constructed history with known answers for the report, over the period March–May 2026.

Everything is made through the services with `at=`; value stories (whose service stamps them
now) and featuring (another part's service) are backdated on the rows afterwards.
"""

from datetime import date, timedelta

from kring.accounts.models import Perspective
from kring.communities.models import Visibility
from kring.conversations.models import ThreadKind
from kring.conversations.services.threads import answer_accept, reply_create, thread_create
from kring.illuminate.models import Consent, ValueStory
from kring.illuminate.report import Period
from kring.illuminate.services import value_story_create
from kring.insights.tests.histories import backdate_everyone, join, local, session
from kring.knowledge.models import Kind
from kring.knowledge.services import item_create
from kring.meetings.services_learning import action_point_complete, action_point_create

PERIOD = Period(first=date(2026, 3, 1), last=date(2026, 5, 31))

# What the report must say about PERIOD.
EXPECTED = {
    "sessions_held": 2,
    "attendances": 4,
    "attendees": 3,
    "members": 5,
    "members_by_perspective": {"experience-expert": 1, "municipality": 1, "professional": 1},
    "members_without_perspective": 2,
    "took_part": 5,  # everyone but eva: fenna made the action points in the period
    "organisations": 2,
    "items_shared": 3,
    "items_by_kind": {"practice_story": 1, "toolkit": 2},
    "questions_asked": 3,
    "questions_responded": 2,
    "questions_answered": 1,
    "median_hours_to_first_response": 4.0,
    "ties": 2,
    "new_ties": 1,
    "ties_across_perspectives": 2,
    "action_points_done": 1,
    "value_stories": 2,
    "value_stories_by_cycle": {
        "immediate": 1,
        "potential": 1,
        "applied": 1,
        "realised": 1,
        "reframing": 0,
    },
}
SECRET = "Only for us: the alderman's budget fight"


def _story(community, by, *, consent, at, featured=False, quote="", **cycles):
    story = value_story_create(
        community=community,
        by=by,
        title=f"A story ({consent})",
        cycles=cycles,
        consent=consent,
        perspective=by.perspectives.first(),
    )
    ValueStory.objects.filter(pk=story.pk).update(
        created_at=at, featured_at=at + timedelta(days=1) if featured else None, quote=quote
    )
    return story


def build(make_community, make_user, *, visibility: str = Visibility.PRIVATE):
    """The community and its people: fenna (facilitator), ada (municipality, Gemeente
    Utrecht), bo (experience expert, gemeente utrecht), cas (professional, Zorg BV), dirk
    (no perspective); eva joins after the period."""
    fenna = make_user(full_name="Fenna Facilitator", email="fenna@example.org")
    community = make_community(by=fenna, name="Leerkring Wijkzorg", visibility=visibility)
    backdate_everyone(community, local(2025, 1, 1))
    joined = local(2025, 2, 1)

    def person(name, perspective=None, organisation=""):
        user = join(
            community,
            make_user,
            at=joined,
            full_name=name,
            email=f"{name.lower().split()[0]}@example.org",
            organisation=organisation,
        )
        if perspective:
            user.perspectives.set(Perspective.objects.filter(key=perspective))
        return user

    ada = person("Ada Amsterdam", "municipality", "Gemeente Utrecht")
    bo = person("Bo Bakker", "experience-expert", " gemeente utrecht ")
    cas = person("Cas Cornelis", "professional", "Zorg BV")
    dirk = person("Dirk Dekker")
    eva = join(community, make_user, at=local(2026, 7, 1), full_name="Eva", organisation="Later")

    # Sessions: one before the period, two in it.
    session(community, fenna, local(2026, 2, 10, 19), attended=[ada, bo])
    session(community, fenna, local(2026, 3, 10, 19), attended=[ada, bo, cas], excused=[dirk])
    session(community, fenna, local(2026, 4, 10, 19), attended=[ada])

    # Library: one item before the period, three in it.
    item_create(community=community, by=ada, kind=Kind.TOOLKIT, title="Old", at=local(2026, 2, 1))
    for title, kind, by in (
        ("Buurtkaart", Kind.TOOLKIT, ada),
        ("Stappen", Kind.TOOLKIT, ada),
        ("Het verhaal van Cas", Kind.PRACTICE_STORY, cas),
    ):
        item_create(community=community, by=by, kind=kind, title=title, at=local(2026, 4, 2))

    # Questions: bo and ada first talked in February (an old tie); in the period ada-bo
    # again (2 h to a response, accepted) and ada-cas for the first time (6 h).
    old = thread_create(
        community=community, by=bo, kind=ThreadKind.QUESTION, title="Oud", at=local(2026, 2, 1)
    )
    reply_create(thread=old, by=ada, body="Zo.", at=local(2026, 2, 1, 12))
    q1 = thread_create(
        community=community,
        by=ada,
        kind=ThreadKind.QUESTION,
        title="Wie kent de wijkagent?",
        at=local(2026, 3, 5, 10),
    )
    reply = reply_create(thread=q1, by=bo, body="Ik.", at=local(2026, 3, 5, 12))
    answer_accept(thread=q1, reply=reply, by=ada, at=local(2026, 3, 5, 13))
    q2 = thread_create(
        community=community,
        by=cas,
        kind=ThreadKind.QUESTION,
        title="Budget?",
        at=local(2026, 4, 1, 10),
    )
    reply_create(thread=q2, by=ada, body="Ja.", at=local(2026, 4, 1, 16))
    thread_create(
        community=community,
        by=dirk,
        kind=ThreadKind.QUESTION,
        title="Nog open",
        at=local(2026, 5, 1, 10),
    )

    # Action points: one done in the period, one after it, one open.
    for done_at in (local(2026, 4, 20), local(2026, 7, 1), None):
        point = action_point_create(
            community=community, by=fenna, what="Bel de wijkagent", owner=ada, at=local(2026, 3, 1)
        )
        if done_at:
            action_point_complete(point=point, by=ada, at=done_at)

    # Value stories: one of each consent in the period, and one for reports before it.
    _story(community, ada, consent=Consent.COMMUNITY, at=local(2026, 4, 5), realised=SECRET)
    _story(
        community,
        bo,
        consent=Consent.REPORT,
        at=local(2026, 4, 6),
        featured=True,
        immediate="Ik was bij de leerkring.",
        realised="Bewoners weten de wijkagent nu te vinden.",
    )
    _story(
        community,
        cas,
        consent=Consent.PUBLIC,
        at=local(2026, 5, 6),
        featured=True,
        quote="We kijken nu anders naar succes.",
        potential="Een contact bij de gemeente.",
        applied="Ik bel eerst de buurtcoach.",
    )
    _story(
        community, ada, consent=Consent.REPORT, at=local(2026, 2, 6), reframing="Voor de periode."
    )
    people = {"fenna": fenna, "ada": ada, "bo": bo, "cas": cas, "dirk": dirk, "eva": eva}
    return community, people


def assert_queries_flat(client, url: str, add, assert_max_num_queries) -> None:
    """The page at `url` makes no more queries after `add(10)` than after `add(2)`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(10)
    with assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
