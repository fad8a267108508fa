"""Sharing a library item or a question with a network, and withdrawing it.

A facilitator of the source community, or the item's author or sharer (the question's asker),
shares it with a network the community is linked to. Its readers are then the members of the
network's linked communities (selectors_sharing decides; core.grants carries it into the
knowledge and conversations permissions), and their useful marks and answers are made by the
knowledge and conversations services on the item or question itself: they flow back to the
source. The source withdraws it at any time: gone everywhere at once.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.communities import permissions as community_permissions
from kring.conversations.models import Thread, ThreadKind
from kring.core import grants
from kring.core.services import activity_record
from kring.knowledge.models import KnowledgeItem
from kring.networks.models import LinkStatus, Network, NetworkLink, NetworkShare
from kring.networks.verbs import NetworkVerb


def can_share(user: User | AnonymousUser, subject: KnowledgeItem | Thread) -> bool:
    community = subject.community
    if community_permissions.can_manage(user, community):
        return True
    if community_permissions.membership_of(user, community) is None:
        return False
    if isinstance(subject, KnowledgeItem):
        own = subject.created_by_id == user.pk or subject.authors.filter(pk=user.pk).exists()
    else:
        own = subject.author_id == user.pk
    return own


@transaction.atomic
def share(
    *, network: Network, by: User, item: KnowledgeItem | None = None, thread: Thread | None = None
) -> NetworkShare:
    subject = item if item is not None else thread
    if subject is None or (item is not None and thread is not None):
        raise ValidationError(_("Share one library item or one question."))
    if not can_share(by, subject):
        raise PermissionDenied
    if thread is not None and (thread.kind != ThreadKind.QUESTION or thread.hidden):
        raise ValidationError(_("Only a visible question can be shared with a network."))
    linked = NetworkLink.objects.filter(
        network=network, community=subject.community, status=LinkStatus.LINKED
    ).exists()
    if not linked:
        raise ValidationError(
            {"network": _("This community is not in that network. Link it first.")}
        )
    try:
        with transaction.atomic():
            shared = NetworkShare.objects.create(
                network=network, community=subject.community, item=item, thread=thread, shared_by=by
            )
    except IntegrityError:
        raise ValidationError({"network": _("It is shared with this network already.")}) from None
    grants.forget(by)
    activity_record(
        actor=by,
        verb=NetworkVerb.SHARED_WITH_NETWORK,
        community=subject.community,
        target=subject,
        data={"network": network.slug},
    )
    return shared


def can_withdraw(user: User | AnonymousUser, shared: NetworkShare) -> bool:
    return community_permissions.can_manage(user, shared.community) or (
        user.is_authenticated
        and shared.shared_by_id == user.pk
        and community_permissions.membership_of(user, shared.community) is not None
    )


@transaction.atomic
def withdraw(*, shared: NetworkShare, by: User) -> None:
    """The source takes it back: no one outside the community sees it any more."""
    if not can_withdraw(by, shared):
        raise PermissionDenied
    NetworkShare.objects.filter(pk=shared.pk).delete()
    grants.forget(by)
