"""Writes about communities: framing, ground rules, membership and roles.

Invitations are in services_invitations.py, requests to join in services_join_requests.py."""

import re
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kring.accounts.models import Perspective, User
from kring.communities import permissions, selectors
from kring.communities.models import (
    Community,
    GroundRule,
    GroundRulesVersion,
    Membership,
    Role,
    RulesOrigin,
    Visibility,
)
from kring.communities.verbs import CommunityVerb
from kring.core import search
from kring.core.services import activity_record

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"create", "mine", "new", "edit", "api", "admin", "static", "media"}
COMMUNITY_TEXT_FIELDS = ("theme", "urgency", "shared_goal", "signature")
# No "stage": it is derived from the community's data and corrected by facilitators on the
# development path (kring.growth), which alone writes it.
COMMUNITY_FIELDS = ("name", *COMMUNITY_TEXT_FIELDS, "visibility", "target_mix")


def _validate_slug(slug: str, *, exclude_pk: int | None = None) -> str:
    slug = slug.strip().lower()
    if not slug or len(slug) > 60 or not SLUG_RE.match(slug):
        raise ValidationError(
            {
                "slug": _(
                    "Use 1 to 60 lowercase letters, digits and single hyphens, e.g. 'zorg-thuis'."
                )
            }
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is reserved; choose another.")})
    clash = Community.objects.filter(slug=slug)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"slug": _("Another community already uses this short name.")})
    return slug


def _derive_slug(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "community"
    if base in RESERVED_SLUGS:
        base = f"{base}-community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _validate_fields(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "name" in values:
        values["name"] = " ".join((values["name"] or "").split())
        if not values["name"]:
            errors["name"] = _("A community needs a name.")
        elif len(values["name"]) > 120:
            errors["name"] = _("Keep the name to 120 characters at most.")
    for field in COMMUNITY_TEXT_FIELDS:
        if field in values:
            values[field] = (values[field] or "").strip()
            if len(values[field]) > 2000:
                errors[field] = _("Keep this to 2000 characters at most.")
    if "visibility" in values and values["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose private or public.")
    if "target_mix" in values:
        values["target_mix"], problem = _clean_target_mix(values["target_mix"])
        if problem:
            errors["target_mix"] = problem
    if errors:
        raise ValidationError(errors)
    return values


def _clean_target_mix(mix: object) -> tuple[dict[str, int], str | None]:
    """(the shares worth keeping, None) or (what is kept so far, the problem)."""
    mix = mix or {}
    known = set(Perspective.objects.values_list("key", flat=True))
    clean: dict[str, int] = {}
    if not isinstance(mix, dict):
        return clean, _("The target mix is a share in percent per perspective.")
    for key, share in mix.items():
        if key not in known:
            return clean, _("Unknown perspective: %(key)s") % {"key": key}
        try:
            share = int(share)
        except (TypeError, ValueError):
            share = -1
        if not 0 <= share <= 100:
            return clean, _("Each share is a whole percentage from 0 to 100.")
        if share:
            clean[key] = share
    if sum(clean.values()) > 100:
        return clean, _("The shares add up to more than 100%.")
    return clean, None


@transaction.atomic
def community_create(
    *, by: User, name: str, slug: str = "", at: datetime | None = None, **fields: Any
) -> Community:
    """Create a community; its creator becomes its first facilitator.

    `at` backdates the creation (imports of history, demo data); it defaults to now.
    """
    permissions.check_create_community(by)
    unknown = set(fields) - set(COMMUNITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = _validate_fields({"name": name, **fields})
    values["slug"] = _validate_slug(slug) if slug else _derive_slug(values["name"])
    try:
        with transaction.atomic():
            community = Community.objects.create(
                created_by=by, created_at=at or timezone.now(), **values
            )
    except IntegrityError:
        raise ValidationError(
            {"slug": _("Another community already uses this short name.")}
        ) from None
    founder = Membership.objects.create(
        community=community, user=by, role=Role.FACILITATOR, joined_at=community.created_at
    )
    permissions.forget_membership(by, community)
    search.index_objects("person", [by.pk])
    activity_record(
        actor=by,
        verb=CommunityVerb.COMMUNITY_CREATED,
        community=community,
        target=community,
        at=community.created_at,
    )
    activity_record(
        actor=by,
        verb=CommunityVerb.JOINED,
        community=community,
        target=founder,
        at=community.created_at,
        data={"role": Role.FACILITATOR},
    )
    return community


@transaction.atomic
def community_update(*, community: Community, by: User, **fields: Any) -> Community:
    permissions.check_manage(by, community)
    unknown = set(fields) - set(COMMUNITY_FIELDS) - {"slug"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = _validate_fields(dict(fields))
    if "slug" in values:
        values["slug"] = _validate_slug(values["slug"], exclude_pk=community.pk)
    changed = [f for f, v in values.items() if getattr(community, f) != v]
    for field in changed:
        setattr(community, field, values[field])
    if changed:
        community.save()
        activity_record(
            actor=by,
            verb=CommunityVerb.COMMUNITY_UPDATED,
            community=community,
            target=community,
            data={"fields": changed},
        )
    return community


@transaction.atomic
def community_patch(
    *, community: Community, by: User, spotlight_published: bool | None = None, **fields: Any
) -> Community:
    """Change some fields; `spotlight_published` is the visibility seen as a switch."""
    if spotlight_published is not None:
        wanted = Visibility.PUBLIC if spotlight_published else Visibility.PRIVATE
        if fields.get("visibility", wanted) != wanted:
            raise ValidationError(
                {
                    "visibility": _(
                        "Send either the visibility or whether the spotlight is published."
                    )
                }
            )
        fields["visibility"] = wanted
    return community_update(community=community, by=by, **fields)


def ground_rules_clean(rules: Sequence[str]) -> list[str]:
    """The rules as kept: whitespace tidied, empty lines dropped, length and number checked."""
    clean = [" ".join(str(rule).split()) for rule in rules]
    clean = [rule for rule in clean if rule]
    too_long = [rule for rule in clean if len(rule) > 300]
    if too_long:
        raise ValidationError({"ground_rules": _("Keep each ground rule to 300 characters.")})
    if len(clean) > 30:
        raise ValidationError({"ground_rules": _("Keep the list to 30 ground rules at most.")})
    return clean


@transaction.atomic
def ground_rules_set(
    *,
    community: Community,
    by: User,
    rules: Sequence[str],
    origin: str = RulesOrigin.SET,
    agreed_by: Sequence[User] = (),
    at: datetime | None = None,
) -> list[GroundRule]:
    """Replace the list of ground rules, keeping the identity of rules whose text stays, and
    record the new version (with who agreed, when the group agreed it together)."""
    permissions.check_edit_ground_rules(by, community)
    clean = ground_rules_clean(rules)
    current = list(community.ground_rules.all())
    before = [rule.text for rule in current]
    existing = {rule.text: rule for rule in current}
    kept = []
    for position, text in enumerate(clean):
        rule = existing.pop(text, None)
        if rule is None:
            rule = GroundRule.objects.create(community=community, text=text, position=position)
        elif rule.position != position:
            rule.position = position
            rule.save(update_fields=["position"])
        kept.append(rule)
    if existing:
        GroundRule.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    if before != clean:
        activity_record(
            actor=by,
            verb=CommunityVerb.COMMUNITY_UPDATED,
            community=community,
            target=community,
            data={"fields": ["ground_rules"]},
        )
    if before != clean or origin == RulesOrigin.AGREED:
        _rules_version_record(community, by, clean, origin, agreed_by, at or timezone.now())
    return kept


def _rules_version_record(
    community: Community,
    by: User,
    rules: list[str],
    origin: str,
    agreed_by: Sequence[User],
    at: datetime,
) -> GroundRulesVersion:
    # Versions of one community are numbered in turn; the row lock keeps two at once apart.
    Community.objects.select_for_update().filter(pk=community.pk).first()
    last = GroundRulesVersion.objects.filter(community=community).order_by("-number").first()
    people = list({person.pk: person for person in agreed_by}.values())
    version = GroundRulesVersion.objects.create(
        community=community,
        number=(last.number + 1) if last else 1,
        rules=rules,
        origin=origin,
        took_effect_at=at,
        recorded_by=by,
        agreed_count=len(people),
    )
    if people:
        version.agreed_by.add(*people)
    return version


def role_or_error(role: str) -> str:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose facilitator, core group, member or guest.")})
    return role


@transaction.atomic
def membership_add(
    *,
    community: Community,
    user: User,
    role: str = Role.MEMBER,
    by: User | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Membership:
    """Add a person to a community (idempotent: an existing membership is returned as is)."""
    role_or_error(role)
    membership, created = Membership.objects.get_or_create(
        community=community,
        user=user,
        defaults={
            "role": role,
            "invited_by": by if by and by.pk != user.pk else None,
            "note": note[:300],
            "joined_at": at or timezone.now(),
        },
    )
    if created:
        permissions.forget_membership(user, community)
        _member_stats_forget_on_commit(community)
        search.index_objects("person", [user.pk])
        activity_record(
            actor=user,
            verb=CommunityVerb.JOINED,
            community=community,
            target=membership,
            other=by if by and by.pk != user.pk else None,
            at=at,
            data={"role": role},
        )
    return membership


def _member_stats_forget_on_commit(community: Community) -> None:
    """The cached member counts are stale once this change is committed (not before: a
    request in between would cache the old numbers again)."""
    transaction.on_commit(partial(selectors.member_stats_forget, community_id=community.pk))


def _facilitator_count(community: Community) -> int:
    return Membership.objects.filter(community=community, role=Role.FACILITATOR).count()


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, by: User) -> Membership:
    community = membership.community
    permissions.check_manage(by, community)
    role_or_error(role)
    if membership.role == role:
        return membership
    if membership.role == Role.FACILITATOR and _facilitator_count(community) <= 1:
        raise ValidationError(
            {"role": _("A community keeps at least one facilitator. Appoint another first.")}
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.forget_membership(membership.user, community)
    activity_record(
        actor=by,
        verb=CommunityVerb.ROLE_CHANGED,
        community=community,
        target=membership,
        other=membership.user,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """A facilitator removes someone, or a person leaves."""
    community = membership.community
    leaving = by.pk == membership.user_id
    if not leaving:
        permissions.check_manage(by, community)
    if membership.role == Role.FACILITATOR and _facilitator_count(community) <= 1:
        raise ValidationError(
            _("A community keeps at least one facilitator. Appoint another first.")
        )
    user = membership.user
    activity_record(
        actor=by,
        verb=CommunityVerb.LEFT if leaving else CommunityVerb.REMOVED,
        community=community,
        target=community,
        other=None if leaving else user,
    )
    membership.delete()
    permissions.forget_membership(user, community)
    _member_stats_forget_on_commit(community)
    search.index_objects("person", [user.pk])


@transaction.atomic
def community_create_with_rules(*, by: User, ground_rules: list[str], **fields: Any) -> Community:
    """Create a community and its first ground rules in one go (all or nothing)."""
    community = community_create(by=by, **fields)
    if ground_rules:
        ground_rules_set(community=community, by=by, rules=ground_rules, at=community.created_at)
    return community
