"""Who reads what a community shared with a network: the members of the network's linked
communities (and platform admins). The source community must still be linked; the reader's
own community too. Members of a community outside the network see nothing of it."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet
from django.http import Http404

from kring.accounts.models import User
from kring.communities.models import Membership
from kring.conversations.models import Thread
from kring.core import search
from kring.knowledge.models import KnowledgeItem
from kring.networks.models import LinkStatus, Network, NetworkLink, NetworkShare

Viewer = User | AnonymousUser


def _reader_networks(user: Viewer) -> QuerySet:
    """The networks in which the user is a member of a linked community."""
    mine = Membership.objects.filter(user_id=user.pk or 0).values("community_id")
    return NetworkLink.objects.filter(community_id__in=mine, status=LinkStatus.LINKED).values(
        "network_id"
    )


def can_read_shared(user: Viewer, network: Network) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return NetworkLink.objects.filter(
        network=network,
        status=LinkStatus.LINKED,
        community__memberships__user=user,
    ).exists()


def shares_of(*, network: Network, viewer: Viewer, q: str = "") -> list[NetworkShare]:
    """What the network's communities shared, newest first; 404 for anyone else."""
    if not can_read_shared(viewer, network):
        raise Http404
    linked = NetworkLink.objects.filter(network=network, status=LinkStatus.LINKED).values(
        "community_id"
    )
    shares = (
        NetworkShare.objects.filter(network=network, community_id__in=linked)
        .select_related("community", "item", "thread", "shared_by")
        .exclude(thread__hidden=True)
    )
    q = " ".join((q or "").split())[:100]
    if not q:
        return list(shares.order_by("-shared_at", "-id")[:200])
    # The Dutch-aware search of the whole site, within the source communities, kept to what
    # is shared here, best first.
    sources = list({s.community_id for s in shares})
    rank: dict[tuple[str, int], int] = {}
    for doc_type in ("item", "thread"):
        ids = search.ranked_object_ids(q, community_ids=sources, doc_type=doc_type, limit=500)
        rank.update({(doc_type, pk): n for n, pk in enumerate(ids)})

    def key(shared: NetworkShare) -> tuple[str, int]:
        if shared.item_id is not None:
            return ("item", shared.item_id)
        return ("thread", shared.thread_id or 0)

    return sorted((s for s in shares if key(s) in rank), key=lambda s: rank[key(s)])


def _shared_one(network: Network, viewer: Viewer, **subject: object) -> NetworkShare:
    """One share of the network, while its source community is linked; 404 for anyone who
    may not read what is shared there. One query besides the reader check."""
    if not can_read_shared(viewer, network):
        raise Http404
    shared = (
        NetworkShare.objects.filter(
            network=network,
            network__links__community_id=F("community_id"),
            network__links__status=LinkStatus.LINKED,
            **subject,
        )
        .select_related("community", "item", "thread", "thread__author")
        .first()
    )
    if shared is None:
        raise Http404
    return shared


def shared_item_get(
    *, network: Network, pk: int, viewer: Viewer
) -> tuple[NetworkShare, KnowledgeItem]:
    shared = _shared_one(network, viewer, item_id=pk)
    return shared, KnowledgeItem.objects.with_people().get(pk=pk)


def shared_thread_get(*, network: Network, pk: int, viewer: Viewer) -> tuple[NetworkShare, Thread]:
    shared = _shared_one(network, viewer, thread_id=pk, thread__hidden=False)
    assert shared.thread is not None
    return shared, shared.thread


def _granted(user: Viewer, **subject: object) -> bool:
    """Is the subject shared with a network in which the user is a member of a linked
    community, while its own community is linked there too? One query."""
    return NetworkShare.objects.filter(
        network_id__in=_reader_networks(user),
        network__links__community_id=F("community_id"),
        network__links__status=LinkStatus.LINKED,
        **subject,
    ).exists()


def item_granted(user: Viewer, item: KnowledgeItem) -> bool:
    return _granted(user, item=item)


def thread_granted(user: Viewer, thread: Thread) -> bool:
    return _granted(user, thread=thread)


def shares_of_subject(*, item: KnowledgeItem | None = None, thread: Thread | None = None) -> dict:
    """{network id: share} for an item or a question (the source's own view)."""
    subject: dict[str, object] = {"item": item} if item is not None else {"thread": thread}
    return {s.network_id: s for s in NetworkShare.objects.filter(**subject)}
