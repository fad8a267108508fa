"""The demo network: the Rivierenland communities on care and energy learn from each other;
the school leaders' network has been asked and has not answered yet."""

from datetime import datetime

from kring.accounts.models import User
from kring.communities.models import Community
from kring.conversations.models import Notification, Thread
from kring.demo.conversations import _quiet_history
from kring.knowledge.models import KnowledgeItem
from kring.networks.models import Network
from kring.networks.services import link_request, network_create
from kring.networks.services_sharing import share

SLUG = "leren-in-rivierenland"


def networks_ensure(*, admin: User, coordinator: User, now: datetime) -> None:
    """Idempotent: an existing demo network keeps what it has. The request's notification
    is history, as the other demo content's is."""
    if Network.objects.filter(slug=SLUG).exists():
        return
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    network = network_create(
        by=admin,
        slug=SLUG,
        name="Leren in Rivierenland",
        level="regional",
        description="Leergemeenschappen uit het Rivierengebied die van elkaar willen leren: "
        "over zorg dichtbij huis, over de warmtetransitie in de wijk en over wat werkt als "
        "bewoners, professionals en gemeente samen optrekken.",
    )
    network.coordinators.add(coordinator)
    communities = {c.slug: c for c in Community.objects.all()}
    for slug in ("langer-thuis-rivierenland", "energiekring-vogelwijk"):
        if slug in communities:
            link_request(network=network, community=communities[slug], by=admin)
    school = next((c for s, c in communities.items() if s.startswith("schoolleiders")), None)
    if school is not None:
        link_request(
            network=network,
            community=school,
            by=coordinator,
            note="Jullie ervaring met samenwerken over organisaties heen zou ons helpen.",
        )
    _share_examples(network, communities)
    _quiet_history(after_id=last, now=now)


def _share_examples(network: Network, communities: dict) -> None:
    """The care community shares its best-read practice story, the energy community a question."""
    care = communities.get("langer-thuis-rivierenland")
    energy = communities.get("energiekring-vogelwijk")
    if care is not None:
        item = (
            KnowledgeItem.objects.filter(
                community=care, kind__in=["practice_story", "lesson_learned"]
            )
            .order_by("-useful_count", "pk")
            .first()
        )
        if item is not None:
            by = item.created_by or care.created_by
            share(network=network, by=_facilitator(care, by), item=item)
    if energy is not None:
        question = (
            Thread.objects.filter(community=energy, kind="question", hidden=False)
            .order_by("pk")
            .first()
        )
        if question is not None:
            share(network=network, by=_facilitator(energy, question.author), thread=question)


def _facilitator(community: Community, fallback: User | None) -> User:
    membership = community.memberships.filter(role="facilitator").select_related("user").first()
    return membership.user if membership is not None else fallback
