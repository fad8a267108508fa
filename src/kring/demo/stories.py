"""The demo's value stories: what taking part gave a few people in Langer thuis, told along
different cycles, with different consent and from different perspectives; one featured, one
public. Written for the demo and fictional.

Seeding again adds nothing: a story is found by its teller and title.
"""

from dataclasses import dataclass

from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community
from kring.illuminate.models import Consent, ValueStory
from kring.illuminate.services import value_story_create, value_story_feature
from kring.knowledge.models import KnowledgeItem
from kring.meetings.models import Session


@dataclass(frozen=True)
class StorySpec:
    teller: str
    title: str
    cycles: dict[str, str]
    consent: str
    perspective: str
    about_session: bool = False
    about_item: bool = False
    people: tuple[str, ...] = ()
    quote: str | None = None  # featured by the first facilitator, with this quote


STORIES = {
    "zorg": (
        StorySpec(
            teller="Henk van der Molen",
            title="Ik durf weer om hulp te vragen",
            cycles={
                "immediate": "Ik vertelde in de leerkring hoe het is om hulp te krijgen die je "
                "niet gevraagd hebt. Er werd echt geluisterd.",
                "potential": "Ik merkte dat mijn verhaal de anderen iets leerde. Dat gaf me moed.",
                "applied": "Ik heb de wijkverpleegkundige zelf gebeld om te zeggen wat ik wel "
                "en niet nodig heb.",
                "realised": "Ze komt nu op vaste tijden en we maken samen een plan. Mijn "
                "dochter hoeft minder vaak te bellen.",
            },
            consent=Consent.PUBLIC,
            perspective="experience-expert",
            about_session=True,
            quote="Ik heb de wijkverpleegkundige zelf gebeld om te zeggen wat ik wel en niet "
            "nodig heb.",
        ),
        StorySpec(
            teller="Wim de Groot",
            title="Eerst het netwerk, dan de hulp",
            cycles={
                "immediate": "In de bijeenkomst bespraken we een casus van een mantelzorger "
                "die alles alleen deed.",
                "potential": "Het idee om eerst te tekenen wie er al om iemand heen staat.",
                "applied": "Bij twee nieuwe aanmeldingen heb ik eerst zo'n tekening gemaakt, "
                "samen met de cliënt.",
            },
            consent=Consent.COMMUNITY,
            perspective="professional",
            about_session=True,
        ),
        StorySpec(
            teller="Ingrid Bos",
            title="Anders kijken naar wat een goed resultaat is",
            cycles={
                "realised": "Twee wijkteams werken nu met dezelfde korte signaallijst. Dat "
                "scheelt dubbel werk.",
                "reframing": "We tellen bij de gemeente niet meer alleen hoeveel mensen we "
                "doorverwijzen, maar ook of ze zich gesteund voelen.",
            },
            consent=Consent.REPORT,
            perspective="municipality",
            about_item=True,
        ),
        StorySpec(
            teller="Gerrit Kuipers",
            title="Een buurvrouw die ik nu beter begrijp",
            cycles={
                "immediate": "Ik las in de kennisbank over eenzaamheid bij ouderen.",
                "potential": "Ik leerde dat mensen vaak niet zelf om hulp vragen. Anouk gaf "
                "me tips hoe je het gesprek begint.",
            },
            consent=Consent.COMMUNITY,
            perspective="citizen",
            about_item=True,
            people=("Anouk Verbeek",),
        ),
    ),
}


def stories_ensure(
    *, key: str, community: Community, people: dict[str, User], facilitator: User
) -> int:
    """The community's demo stories; returns how many were added."""
    specs = STORIES.get(key, ())
    if not specs:
        return 0
    session = (
        Session.objects.filter(community=community, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    item = KnowledgeItem.objects.filter(community=community).order_by("pk").first()
    added = 0
    for spec in specs:
        teller = people[spec.teller]
        if ValueStory.objects.filter(community=community, author=teller, title=spec.title).exists():
            continue
        story = value_story_create(
            community=community,
            by=teller,
            title=spec.title,
            cycles=spec.cycles,
            consent=spec.consent,
            perspective=teller.perspectives.filter(key=spec.perspective).first(),
            sessions=[session] if spec.about_session and session else [],
            items=[item] if spec.about_item and item else [],
            people=[people[name] for name in spec.people],
        )
        if spec.quote is not None:
            value_story_feature(story=story, by=facilitator, quote=spec.quote)
        added += 1
    return added
