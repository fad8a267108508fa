"""Erasing an account (GDPR art. 17), by the person or by a platform admin.

Deleting a User row used to cascade into other people's content (their replies under the
person's threads, their side of direct messages, the community's activity history). So
nothing here relies on `on_delete`: `account_erase` deals with every relation to the user
explicitly, following `POLICY`, and refuses to delete the row while anything still points at
it. A test walks every model and fails when a relation to User has no policy.

What an erased person leaves behind for others moves to a "former member": a fresh, empty,
inactive User row per erasure (`erased_at` set), shown as "Former member" in the reader's
language. Activity events move there too, so the community's figures (active members, ties,
trends) stay exactly as they were while no longer pointing at the person.
"""

import logging
import secrets
from datetime import datetime
from functools import partial
from typing import Any

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.accounts.services import profiles_changed
from kring.privacy import erasure_content as content
from kring.privacy.erasure_content import Work
from kring.privacy.erasure_policy import Contributions, Policy, policy_for, user_relations
from kring.privacy.export import export_path

logger = logging.getLogger(__name__)


def communities_without_facilitator_after(user: User) -> list:
    """The communities where this person is the only facilitator: erasing them leaves those
    communities without one (nothing stops it; the page says so, so it can be fixed first)."""
    from kring.communities.models import Community, Membership, Role

    mine = Membership.objects.filter(user=user, role=Role.FACILITATOR).values("community_id")
    others = (
        Membership.objects.filter(role=Role.FACILITATOR).exclude(user=user).values("community_id")
    )
    return list(Community.objects.filter(pk__in=mine).exclude(pk__in=others).order_by("name"))


# --- Permissions ----------------------------------------------------------------------------


def can_erase(by: User, user: User) -> bool:
    if not by.is_authenticated or not by.is_active:
        return False
    if by.pk == user.pk:
        return True
    if (user.is_superuser or user.is_staff) and not by.is_superuser:
        return False  # staff with the delete permission may not remove staff or administrators
    return by.is_staff and by.has_perm("accounts.delete_user")


def check_erase(by: User, user: User) -> None:
    if not can_erase(by, user):
        if by.is_authenticated and by.is_active and by.is_staff and user.is_staff:
            raise PermissionDenied(_("Only a platform administrator may erase a staff account."))
        raise PermissionDenied
    if user.is_erased:
        raise ValidationError(_("This account has already been erased."))
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ValidationError(
            _("This is the last platform administrator. Make someone else an administrator first.")
        )


# --- The service ----------------------------------------------------------------------------


def _tombstone_create(at: datetime) -> User:
    tombstone = User(
        email=f"former-{secrets.token_hex(12)}@erased.invalid",
        full_name="",
        is_active=False,
        erased_at=at,
        date_joined=at,
    )
    tombstone.set_unusable_password()
    tombstone.save()
    return tombstone


def _generic(user: User, tombstone: User) -> None:
    """TOMBSTONE and DELETE for every relation the steps above left alone."""
    for key, field in user_relations():
        policy = policy_for(key)
        if policy is None:
            raise RuntimeError(f"No erasure policy for {key}: add it to POLICY.")
        model = field.model
        if field.many_to_many:
            through = field.remote_field.through
            column = field.m2m_reverse_field_name()
            links = through.objects.filter(**{column: user})
            if policy in (Policy.TOMBSTONE, Policy.CUSTOM):
                links.update(**{column: tombstone})
            elif policy == Policy.DELETE:
                links.delete()
            continue
        rows = model._base_manager.filter(**{field.name: user})
        if policy in (Policy.TOMBSTONE, Policy.CUSTOM):
            rows.update(**{field.name: tombstone})
        elif policy == Policy.DELETE:
            rows.delete()


def _pointers(user: User, tombstone: User) -> None:
    """What points at the person without a foreign key: the admin's history of changes to
    their account (named by their name then), activity events about the account itself (a
    profile update), and the attendance events that name who recorded them."""
    from kring.core.models import ActivityEvent

    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_id=str(tombstone.pk), object_repr=f"former member {tombstone.pk}"
    )
    ActivityEvent.objects.filter(target_type=user_type, target_id=user.pk).update(
        target_id=tombstone.pk
    )
    recorded = list(ActivityEvent.objects.filter(data__recorded_by=user.pk))
    for event in recorded:
        event.data = {**event.data, "recorded_by": tombstone.pk}
    ActivityEvent.objects.bulk_update(recorded, ["data"], batch_size=1000)


def refuse_plain_delete(sender: type[User], instance: User, **kwargs: Any) -> None:
    """pre_delete of User: only an account with nothing left pointing at it may be deleted
    (account_erase checks that itself just before)."""
    if getattr(instance, "_erased", False):
        return
    left = _still_pointing(instance)
    if left:
        raise ProtectedError(
            f"Deleting this account would delete other rows too ({', '.join(left)}). "
            "Erase it with kring.privacy.erasure.account_erase instead.",
            set(),
        )


def _mail_queue(user: User) -> None:
    """E-mails go out through background tasks, whose rows keep the whole message (address,
    name, text) until they are pruned (docs/operations.md: after 14 days). The ones to the
    person go now, sent or not; sent ones to others that name them too. Unsent mail to others
    is left to go out."""
    from django_tasks_db.models import DBTaskResult

    mails = DBTaskResult.objects.filter(task_path="kring.core.tasks.email_deliver").annotate(
        text=Cast("args_kwargs", TextField())
    )
    to_them = Q()
    for needle in content.json_needles(user.email):
        to_them |= Q(text__icontains=needle)
    naming = Q()
    for needle in content.json_needles(user.full_name) if user.full_name.strip() else []:
        naming |= Q(text__contains=needle)
    ids = list(mails.filter(to_them).values_list("pk", flat=True))
    if naming:
        ids += mails.filter(naming).exclude(status="READY").values_list("pk", flat=True)
    DBTaskResult.objects.filter(pk__in=ids).delete()


def _still_pointing(user: User) -> list[str]:
    left = []
    for key, field in user_relations():
        if field.many_to_many:
            through = field.remote_field.through
            if through.objects.filter(**{field.m2m_reverse_field_name(): user}).exists():
                left.append(key)
        elif field.model._base_manager.filter(**{field.name: user}).exists():
            left.append(key)
    return left


def _exports(user: User, work: Work) -> None:
    """Copies of the person's data: the rows go with them, the files once committed."""
    from kring.privacy.models import DataExport

    for export in DataExport.objects.filter(user=user).exclude(file_name=""):
        work.paths.append(export_path(export))


def _after_commit(*, work: Work, old_pk: int, email: str, language: str) -> None:
    from kring.core import search
    from kring.insights.tasks import snapshot_refresh

    # The erasure is saved by now: a file that cannot be deleted must not stop the rest (the
    # search index still names the person), nor turn the answer into an error.
    search.remove_objects("person", [old_pk])
    search.remove_objects("thread", work.threads_deleted)
    search.remove_objects("item", work.items_deleted)
    search.index_objects("thread", work.threads_changed)
    search.index_objects("item", work.items_changed)
    for storage, name in work.files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Erasure: could not delete the file %s; delete it by hand.", name)
    for path in work.paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("Erasure: could not delete the export %s; delete it by hand.", path)
    for community_id in work.communities:
        snapshot_refresh.enqueue(community_id=community_id)
    with translation.override(language):
        send_mail(
            _("Your Kring account has been erased"),
            _(
                "Your account on Kring has been erased, as asked. You can no longer sign in.\n\n"
                "This is the last e-mail Kring sends to this address: it is no longer stored."
            ),
            None,
            [email],
        )


@transaction.atomic
def account_erase(*, user: User, contributions: str, by: User) -> User:
    """Erase `user` and return the former member that now stands in for them.

    contributions="keep": their posts, library items, comments and reflections stay, by a
    "former member". "remove": their own posts, solo library items, comments and reflections
    go; a post others replied to, flagged or moderated, and a solo item others commented on,
    edited or added files to, stay with their text replaced (others' rows never go); their
    edits of shared library items stay (the text is shared work). Both: direct messages stay
    for the other person; everything private goes; the community's activity history stays,
    on the former member.
    """
    if contributions not in {c.value for c in Contributions}:
        raise ValidationError(_("Choose whether to keep or remove your contributions."))
    try:
        # Locked: a second erasure at the same moment (a double click, a retried request)
        # waits here, then finds the account gone.
        user = User.objects.select_for_update().get(pk=user.pk)
    except User.DoesNotExist:
        raise ValidationError(_("This account has already been erased.")) from None
    check_erase(by, user)
    now = timezone.now()
    work = Work()
    work.file(user.photo)
    tombstone = _tombstone_create(now)
    old_pk, email, language = user.pk, user.email, user.language

    content.mentions(user, work)
    content.conversations(user, tombstone, contributions, work)
    content.knowledge(user, tombstone, contributions, work)
    content.meetings(user, tombstone, contributions, now)
    content.illuminate(user, tombstone, contributions)
    content.decisions(user, tombstone, contributions)
    content.communities(user, tombstone, work)
    content.insights(user, work)
    _exports(user, work)
    _generic(user, tombstone)
    left = _still_pointing(user)
    if left:
        raise RuntimeError(f"Erasure left rows pointing at the user: {', '.join(left)}")

    _pointers(user, tombstone)
    _mail_queue(user)
    LogEntry.objects.create(
        user=tombstone if by.pk == user.pk else by,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(tombstone.pk),
        object_repr=f"former member {tombstone.pk}",
        action_flag=DELETION,
        change_message=(
            f"Erased an account ({'self-service' if by.pk == user.pk else 'by an admin'}); "
            f"contributions: {contributions}; former member {tombstone.pk}."
        ),
    )
    user._erased = True  # checked just above: nothing points at it
    user.delete()
    transaction.on_commit(
        partial(_after_commit, work=work, old_pk=old_pk, email=email, language=language)
    )
    # Whatever was cached from profiles (library cards, the directory's filters) is made
    # anew: none of it may go on showing the erased name.
    transaction.on_commit(profiles_changed)
    return tombstone
