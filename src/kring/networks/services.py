"""Writes for networks: start and keep a network, and link communities to it (both sides
agree: a request from one side, accepted by the other, or one step for someone on both)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities.models import Community, Membership, Role
from kring.communities.services import SLUG_RE
from kring.conversations.models import NotificationKind
from kring.conversations.services.notifications import notify
from kring.core.services import activity_record
from kring.growth.services import community_development_refresh
from kring.networks import permissions
from kring.networks.models import Level, LinkStatus, Network, NetworkLink, Side
from kring.networks.verbs import NetworkVerb

MAX_NAME = 120
MAX_DESCRIPTION = 5000
MAX_NOTE = 500
RESERVED = {"create", "mine", "new", "api", "admin"}


def _clean(*, name: str, level: str, description: str, errors: dict) -> dict:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the network a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Keep the name to %(max)s characters.") % {"max": MAX_NAME}
    if level not in Level.values:
        errors["level"] = _("Choose local, regional, national or thematic.")
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description to %(max)s characters.") % {
            "max": MAX_DESCRIPTION
        }
    return {"name": name, "level": level, "description": description}


@transaction.atomic
def network_create(*, by: User, slug: str, name: str, level: str, description: str = "") -> Network:
    """Start a network; its creator is its first coordinator."""
    permissions.check_create_network(by)
    errors: dict[str, str] = {}
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > 60 or not SLUG_RE.match(slug) or slug in RESERVED:
        errors["slug"] = _(
            "Use 1 to 60 lowercase letters, digits and single hyphens, e.g. 'zorg-gelderland'."
        )
    elif Network.objects.filter(slug=slug).exists():
        errors["slug"] = _("Another network already uses this short name.")
    values = _clean(name=name, level=level, description=description, errors=errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            network = Network.objects.create(slug=slug, created_by=by, **values)
    except IntegrityError:
        raise ValidationError(
            {"slug": _("Another network already uses this short name.")}
        ) from None
    network.coordinators.add(by)
    permissions.forget_coordinators(by)
    activity_record(actor=by, verb=NetworkVerb.NETWORK_CREATED, target=network)
    return network


@transaction.atomic
def network_update(
    *, network: Network, by: User, name: str, level: str, description: str = ""
) -> Network:
    permissions.check_manage_network(by, network)
    errors: dict[str, str] = {}
    values = _clean(name=name, level=level, description=description, errors=errors)
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(network, field, value)
    network.save(update_fields=list(values))
    return network


@transaction.atomic
def coordinators_set(*, network: Network, by: User, people: list[User]) -> None:
    """Who coordinates the network: at least one person."""
    permissions.check_manage_network(by, network)
    people = list({p.pk: p for p in people if p is not None and p.is_active}.values())
    if not people:
        raise ValidationError({"coordinators": _("A network needs at least one coordinator.")})
    network.coordinators.set(people)
    for person in [by, *people]:
        permissions.forget_coordinators(person)


def _facilitators(community: Community) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            community=community, role=Role.FACILITATOR, user__is_active=True
        ).select_related("user")
    ]


def _tell_other_side(link: NetworkLink, by: User) -> None:
    """The side that has to answer hears of the request in Kring."""
    network, community = link.network, link.community
    url = reverse("network-links", kwargs={"slug": network.slug})
    if link.requested_from == Side.NETWORK:
        people = _facilitators(community)
        subject = _("%(network)s asks to link %(community)s to the network") % {
            "network": network.name,
            "community": community.name,
        }
    else:
        people = list(network.coordinators.filter(is_active=True))
        subject = _("%(community)s asks to join the network %(network)s") % {
            "network": network.name,
            "community": community.name,
        }
    notify(
        recipients=dict.fromkeys(people, NotificationKind.NETWORK),
        actor=by,
        link=url,
        subject=subject,
    )


def _link(link: NetworkLink, by: User) -> NetworkLink:
    link.status = LinkStatus.LINKED
    link.accepted_by = by
    link.linked_at = timezone.now()
    link.save(update_fields=["status", "accepted_by", "linked_at"])
    # The network insights read the development path's summary from the cache: read it once
    # now, not in a coordinator's request.
    community_development_refresh(community=link.community)
    activity_record(
        actor=by,
        verb=NetworkVerb.NETWORK_LINKED,
        community=link.community,
        target=link.network,
    )
    return link


@transaction.atomic
def link_request(
    *, network: Network, community: Community, by: User, note: str = ""
) -> NetworkLink:
    """Link a community to a network. Someone who speaks for both links at once; otherwise it
    becomes a request the other side accepts (and a request from the other side already
    waiting is accepted by this)."""
    coordinator = permissions.can_manage_network(by, network)
    facilitator = permissions.can_speak_for_community(by, community)
    if not coordinator and not facilitator:
        permissions.check_manage_network(by, network)  # raises PermissionDenied
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("Keep the note to %(max)s characters.") % {"max": MAX_NOTE}}
        )
    link = (
        NetworkLink.objects.select_for_update()
        .filter(network=network, community=community)
        .select_related("network", "community")
        .first()
    )
    if link is not None:
        if link.is_linked:
            raise ValidationError({"community": _("This community is in the network already.")})
        if permissions.can_accept(by, link):
            return _link(link, by)
        raise ValidationError(
            {"community": _("This request is waiting for the other side already.")}
        )
    side = Side.NETWORK if coordinator else Side.COMMUNITY
    link = NetworkLink.objects.create(
        network=network,
        community=community,
        status=LinkStatus.REQUESTED,
        requested_from=side,
        requested_by=by,
        note=note,
    )
    if coordinator and facilitator:
        return _link(link, by)
    activity_record(
        actor=by,
        verb=NetworkVerb.NETWORK_LINK_REQUESTED,
        community=community,
        target=network,
        data={"from": side},
    )
    _tell_other_side(link, by)
    return link


@transaction.atomic
def link_accept(*, link: NetworkLink, by: User) -> NetworkLink:
    permissions.check_accept(by, link)
    link = (
        NetworkLink.objects.select_for_update()
        .select_related("network", "community")
        .get(pk=link.pk)
    )
    if link.is_linked:
        raise ValidationError(_("This community is in the network already."))
    return _link(link, by)


@transaction.atomic
def link_remove(*, link: NetworkLink, by: User) -> None:
    """Unlink a community, or withdraw or decline a request: either side may."""
    permissions.check_unlink(by, link)
    was_linked = link.is_linked
    NetworkLink.objects.filter(pk=link.pk).delete()
    if was_linked:
        activity_record(
            actor=by,
            verb=NetworkVerb.NETWORK_UNLINKED,
            community=link.community,
            target=link.network,
        )
