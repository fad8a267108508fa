"""Communities and their members over HTTP. Same rules as the web pages: see permissions.py."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from kring.accounts.models import User
from kring.communities import permissions, selectors, services, services_invitations
from kring.communities.models import Community, Membership
from kring.communities.schemas import (
    CommunityIn,
    CommunityOut,
    CommunityPatch,
    MemberAdded,
    MemberIn,
    MemberOut,
)
from kring.core.api_kit import LazyPage
from kring.core.api_types import PageNumberPagination

router = Router(tags=["communities"])

STAGE_READ_ONLY = (
    "The stage is read-only: Kring derives it from the community's data. Facilitators "
    "correct it with POST /api/v1/communities/{slug}/development/stage."
)


def _without_stage(values: dict[str, Any]) -> dict[str, Any]:
    """The fields to change; a stage sent (as before it was derived) is refused out loud,
    not ignored."""
    if values.pop("stage", None) is not None:
        raise ValidationError({"stage": [STAGE_READ_ONLY]})
    return values


def _community_out(community: Community, user: User | AnonymousUser) -> dict[str, Any]:
    membership = permissions.membership_of(user, community)
    count = getattr(community, "member_count", None)
    if count is None:
        count = community.memberships.count()
    return {
        "slug": community.slug,
        "name": community.name,
        "theme": community.theme,
        "urgency": community.urgency,
        "shared_goal": community.shared_goal,
        "signature": community.signature,
        "visibility": community.visibility,
        "spotlight_published": community.spotlight_published,
        "stage": community.stage,
        "target_mix": community.target_mix,
        "ground_rules": [rule.text for rule in community.ground_rules.all()],
        "member_count": count,
        "my_role": membership.role if membership else None,
        "url": settings.SITE_URL + community.get_absolute_url(),
        "created_at": community.created_at,
    }


def _member_out(membership: Membership) -> dict[str, Any]:
    user = membership.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.full_name,
        "organisation": user.organisation,
        "job_title": user.job_title,
        "perspectives": [p.key for p in user.perspectives.all()],
        "help_tags": [t.name for t in user.help_tags.all()],
        "seeking_tags": [t.name for t in user.seeking_tags.all()],
        "role": membership.role,
        "joined_at": membership.joined_at,
        "has_joined": user.has_joined,
        "url": settings.SITE_URL + reverse("person-detail", kwargs={"pk": user.pk}),
    }


@router.get("", response=list[CommunityOut], summary="Communities you may see")
@paginate(PageNumberPagination, page_size=50)
def community_list(request: HttpRequest, **kwargs: Any) -> list[dict[str, Any]]:
    user = request.user
    communities = selectors.communities_visible_listed(user=user)
    return [_community_out(c, user) for c in communities]


@router.post("", response={201: CommunityOut}, summary="Create a community")
def community_create(request: HttpRequest, payload: CommunityIn) -> Status:
    community = services.community_create_with_rules(
        by=request.user, **_without_stage(payload.dict())
    )
    return Status(201, _community_out(community, request.user))


@router.get("/{slug}", response=CommunityOut, summary="One community")
def community_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    community = selectors.community_get_visible(slug=slug, user=request.user)
    return _community_out(community, request.user)


@router.patch("/{slug}", response=CommunityOut, summary="Change a community")
def community_patch(request: HttpRequest, slug: str, payload: CommunityPatch) -> dict[str, Any]:
    """Facilitators and platform admins; only the fields sent change (null leaves a field
    alone). `spotlight_published` and `visibility` name the same switch: send one."""
    community = selectors.community_get_inside(slug=slug, user=request.user)
    permissions.check_manage(request.user, community)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    _without_stage(changes)
    community = services.community_patch(community=community, by=request.user, **changes)
    return _community_out(community, request.user)


@router.get("/{slug}/members", response=list[MemberOut], summary="Members of a community")
@paginate(PageNumberPagination, page_size=50)
def member_list(
    request: HttpRequest,
    slug: str,
    perspective: str = "",
    organisation: str = "",
    tag: str = "",
    role: str = "",
    q: str = "",
    **kwargs: Any,
) -> LazyPage:
    community = selectors.community_get_inside(slug=slug, user=request.user)
    memberships = selectors.members_directory(
        community=community,
        viewer=request.user,
        perspective=perspective,
        organisation=organisation,
        tag=tag,
        role=role,
        q=q,
    )
    return LazyPage(
        memberships, page=lambda rows: [_member_out(m) for m in selectors.members_prepare(rows)]
    )


@router.post("/{slug}/members", response={201: MemberAdded}, summary="Add a person by e-mail")
def member_add(request: HttpRequest, slug: str, payload: MemberIn) -> Status:
    community = selectors.community_get_inside(slug=slug, user=request.user)
    membership, invited = services_invitations.member_add_by_email(
        community=community,
        by=request.user,
        email=payload.email,
        full_name=payload.name,
        role=payload.role,
        perspectives=payload.perspectives,
    )
    return Status(201, {**_member_out(membership), "invited": invited})
