"""The demo network: the Rivierenland communities on care and energy learn from each other;
the school leaders' network has been asked and has not answered yet."""

from datetime import datetime

from kring.accounts.models import User
from kring.communities.models import Community
from kring.conversations.models import Notification
from kring.demo.conversations import _quiet_history
from kring.networks.models import Network
from kring.networks.services import link_request, network_create

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
    _quiet_history(after_id=last, now=now)
