"""Reads about communities and their people. Every selector takes the viewer."""

import time
from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from kring.accounts.models import Perspective, User
from kring.accounts.selectors import perspectives_version, profiles_version
from kring.communities import permissions
from kring.communities.directory_filters import directory_filters
from kring.communities.models import (
    Community,
    GroundRulesVersion,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Role,
)
from kring.core.models import Tag
from kring.core.prefetch import prefetch_m2m


def community_get_visible(*, slug: str, user: User | AnonymousUser) -> Community:
    """The community if the user may see its landing page; 404 otherwise (no existence leak)."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not permissions.can_view_landing(user, community):
        raise Http404
    return community


def community_get_inside(
    *, slug: str, user: User | AnonymousUser, hidden_from_outsiders: bool = False
) -> Community:
    """The community if the user may see inside it: the one way views, API endpoints and
    selectors open a community. Non-members get 404 for a private community and 403 for a
    public one (its existence is public anyway).

    `hidden_from_outsiders=True` answers 404 for a public community too: for the parts whose
    very existence the landing page does not show (conversations, sessions, insights)."""
    community = community_get_visible(slug=slug, user=user)
    if hidden_from_outsiders and not permissions.can_view_inside(user, community):
        raise Http404
    permissions.check_view_inside(user, community)
    return community


def communities_visible(*, user: User | AnonymousUser) -> QuerySet:
    return Community.objects.visible_to(user).annotate(
        member_count=Count("memberships", distinct=True)
    )


def communities_visible_listed(*, user: User | AnonymousUser) -> list[Community]:
    """The communities the user may see, with their ground rules, and the user's own
    memberships of them remembered for the permission checks (one query, not one each)."""
    communities = list(communities_visible(user=user).prefetch_related("ground_rules"))
    if user.is_authenticated:
        mine = {
            m.community_id: m
            for m in Membership.objects.filter(user=user, community__in=communities)
        }
    else:
        mine = {}
    permissions.remember_memberships(user, {c.pk: mine.get(c.pk) for c in communities})
    return communities


def community_ids_of_user(*, user: User | AnonymousUser) -> set[int]:
    """The ids of the communities the user is a member of (none for a visitor)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("community_id", flat=True))


def members_newest(
    *, community: Community, viewer: User | AnonymousUser, limit: int = 8
) -> QuerySet[Membership]:
    """The latest people to join, for the community's page (members see them)."""
    permissions.check_view_inside(viewer, community)
    return (
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("-joined_at")[:limit]
    )


def membership_get_inside(*, slug: str, user_pk: int, viewer: User | AnonymousUser) -> Membership:
    """A person's membership of a community the viewer sees inside; 404 if there is none."""
    community = community_get_inside(slug=slug, user=viewer)
    membership = (
        Membership.objects.select_related("user", "community")
        .filter(community=community, user_id=user_pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def invitation_get(*, community: Community, pk: int, viewer: User | AnonymousUser) -> Invitation:
    """One of the community's invitations, for those who manage it; 404 for another's."""
    permissions.check_manage(viewer, community)
    invitation = (
        Invitation.objects.filter(community=community, pk=pk).select_related("created_by").first()
    )
    if invitation is None:
        raise Http404
    return invitation


def memberships_of_user(*, user: User, counts: bool = True) -> list[Membership]:
    """A person's communities for their home page, by name, each with `member_count` (the
    kept count of member_stats: counting every membership of each community, as one
    query did, cost 9 ms on PostgreSQL at 10,000 members); without `counts`, none."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("community").order_by("community__name")
    )
    for membership in memberships if counts else ():
        membership.member_count = member_count(community=membership.community)  # type: ignore[attr-defined]
    return memberships


def members_of(
    *, community: Community, active_only: bool = True, role: str | None = None
) -> QuerySet[User]:
    """The people in a community (by default only those who can still sign in), for every
    app that needs to pick or check members: the one place the membership join is written.

    `role` narrows to one role (`Role.FACILITATOR`). Unordered; callers order as they show."""
    # One filter() call, so community and role are read from the same membership row.
    on_membership: dict = {"memberships__community": community}
    if role is not None:
        on_membership["memberships__role"] = role
    people = User.objects.filter(**on_membership)
    if active_only:
        people = people.filter(is_active=True)
    return people


# How many organisations the directory's filter lists (the most common ones).
DIRECTORY_ORGANISATIONS = 40
# Seconds the directory's filter options stay cached at most (see directory_facets).
DIRECTORY_FACETS_TTL = 600
# How many people a name lookup answers with: a short list to choose from, never everyone.
LOOKUP_LIMIT = 10


def members_named(*, community: Community, viewer: User | AnonymousUser, q: str) -> list[User]:
    """Active members whose name (or a word in it) starts with q, for pickers that search
    the community's people instead of listing them all; members only, at most LOOKUP_LIMIT."""
    permissions.check_view_inside(viewer, community)
    q = " ".join((q or "").split())[:60]
    if not q:
        return []
    return list(
        members_of(community=community)
        .filter(Q(full_name__istartswith=q) | Q(full_name__icontains=f" {q}"))
        .order_by("full_name", "pk")
        .only("pk", "full_name", "organisation")[:LOOKUP_LIMIT]
    )


def facilitators_of(*, community: Community) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(community=community, role=Role.FACILITATOR)
        .select_related("user")
        .order_by("user__full_name")
    ]


def first_facilitator(*, community: Community, active_only: bool = True) -> User | None:
    """The community's longest-serving facilitator: who acts for it when no one is named
    (imports), or None when it has none."""
    facilitators = Membership.objects.filter(community=community, role=Role.FACILITATOR)
    if active_only:
        facilitators = facilitators.filter(user__is_active=True)
    first = facilitators.select_related("user").order_by("joined_at", "pk").first()
    return first.user if first is not None else None


def emails_to_add(*, community: Community, people: dict[str, User | None]) -> list[str]:
    """The addresses (keys of `people`, in order) of people to add to the community: those
    without an account (None) and those not yet a member."""
    member_ids = set(
        Membership.objects.filter(community=community).values_list("user_id", flat=True)
    )
    return [email for email, user in people.items() if user is None or user.pk not in member_ids]


def is_facilitator_anywhere(user: User) -> bool:
    """Whether the person facilitates any community (the sign-in policy asks this)."""
    return Membership.objects.filter(user=user, role=Role.FACILITATOR).exists()


def members_directory(
    *,
    community: Community,
    viewer: User | AnonymousUser,
    perspective: str = "",
    organisation: str = "",
    tag: str = "",
    role: str = "",
    q: str = "",
    extra: dict[str, str] | None = None,
) -> QuerySet:
    """Members of a community, filtered; a fixed number of queries however many there are.
    `extra` holds the values of filters other apps registered (directory_filters)."""
    permissions.check_view_inside(viewer, community)
    qs = Membership.objects.filter(community=community).select_related("user")
    registered = directory_filters()
    for name, value in (extra or {}).items():
        if value and name in registered:
            qs = qs.filter(user_id__in=registered[name](community, value))
    # Subqueries, not joins: a join repeats people, and removing the repeats (DISTINCT over
    # every column, sorted by name) cost most of the page at 10,000 members.
    if perspective:
        qs = qs.filter(
            user_id__in=User.perspectives.through.objects.filter(
                perspective__key=perspective
            ).values("user_id")
        )
    if organisation:
        qs = qs.filter(user__organisation__iexact=organisation)
    if tag:
        qs = qs.filter(
            Q(user_id__in=User.help_tags.through.objects.filter(tag__slug=tag).values("user_id"))
            | Q(
                user_id__in=User.seeking_tags.through.objects.filter(tag__slug=tag).values(
                    "user_id"
                )
            )
        )
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(
            Q(user__full_name__icontains=q)
            | Q(user__organisation__icontains=q)
            | Q(user__job_title__icontains=q)
        )
    # The people's perspectives and tags: members_prepare, for the page that is shown.
    return qs.order_by("user__full_name", "pk")


def members_prepare(memberships: list[Membership]) -> list[Membership]:
    """A page of `members_directory` with each person's perspectives, help tags and seeking
    tags, one query each (`user.perspectives.all()` and so on need none after this)."""
    people = [membership.user for membership in memberships]
    prefetch_m2m(people, "perspectives", Perspective.objects.all())
    prefetch_m2m(people, "help_tags")
    prefetch_m2m(people, "seeking_tags")
    return memberships


def _perspective_counts(community: Community) -> dict[int, int]:
    """Members per perspective (id -> count): one GROUP BY over the perspective links of the
    members, without joining the people themselves."""
    member_ids = Membership.objects.filter(community=community).values("user_id")
    rows = (
        User.perspectives.through.objects.filter(user_id__in=member_ids)
        .values("perspective_id")
        .annotate(n=Count("pk"))
    )
    return {row["perspective_id"]: row["n"] for row in rows}


def _directory_facets(community: Community) -> dict:
    """The filter options, as plain data (it is cached)."""
    member_ids = Membership.objects.filter(community=community).values("user_id")
    counts = _perspective_counts(community)
    perspectives = [
        {"key": p.key, "name": str(p.name), "n": counts[p.pk]}
        for p in Perspective.objects.filter(pk__in=list(counts)).order_by("position")
    ]
    common = list(
        Membership.objects.filter(community=community)
        .exclude(user__organisation="")
        .values("user__organisation")
        .annotate(n=Count("pk"))
        .order_by("-n", "user__organisation")
        .values_list("user__organisation", flat=True)[:DIRECTORY_ORGANISATIONS]
    )
    # Tags through the two link tables, no DISTINCT over the joined rows.
    helped = User.help_tags.through.objects.filter(user_id__in=member_ids).values("tag_id")
    sought = User.seeking_tags.through.objects.filter(user_id__in=member_ids).values("tag_id")
    tags = Tag.objects.filter(Q(pk__in=helped) | Q(pk__in=sought)).order_by("name")
    return {
        "perspectives": perspectives,
        "organisations": common,
        "tags": [{"slug": t.slug, "name": t.name} for t in tags.only("slug", "name")],
    }


def directory_facets(*, community: Community, organisation: str = "") -> dict:
    """Options for the directory filters: only values that occur in this community. The
    organisations are the most common ones (and the one chosen), not every one: the search
    box finds the rest.

    They are aggregates over every member, the same for every viewer, so they are cached.
    The key holds what changes them: who the members are (count and newest membership, one
    indexed query), any profile change (accounts' profiles version) and the language (the
    perspective names). Changes that bypass profile_update show within DIRECTORY_FACETS_TTL."""
    members = Membership.objects.filter(community=community).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    key = (
        f"communities:directory-facets:{community.pk}:{members['n']}:{members['last']}:"
        f"{profiles_version()}:{get_language()}"
    )
    facets = cache.get(key)
    if facets is None:
        facets = _directory_facets(community)
        cache.set(key, facets, DIRECTORY_FACETS_TTL)
    chosen = [organisation] if organisation else []
    return {
        **facets,
        "organisations": sorted({*facets["organisations"], *chosen}, key=str.casefold),
    }


# How long the member counts of a community are kept at most. Joining, leaving and changing
# one's perspectives make them stale at once (member_stats_forget, perspectives_version);
# this only bounds what bypasses the services (the admin, a cache per process).
MEMBER_STATS_SECONDS = 300


def _member_stats_key(community_id: int) -> str:
    return f"communities:member-stats:{community_id}:{perspectives_version()}"


def member_stats(*, community: Community) -> dict:
    """How many members the community has ("total") and how many per perspective
    ("perspectives": id -> count). Counting them reads every membership, so the numbers are
    cached per community until someone joins, leaves or changes their perspectives."""
    key = _member_stats_key(community.pk)
    stats = cache.get(key)
    if stats is None:
        stats = {
            "total": Membership.objects.filter(community=community).count(),
            "perspectives": _perspective_counts(community),
        }
        cache.set(key, stats, MEMBER_STATS_SECONDS)
    return stats


def member_stats_forget(*, community_id: int) -> None:
    """Someone joined or left: the counts of member_stats are stale, and members_version
    moves on."""
    cache.delete(_member_stats_key(community_id))
    key = _members_version_key(community_id)
    try:
        cache.incr(key)
    except ValueError:  # not kept (yet, or any more): any new number will do
        cache.set(key, time.time_ns(), None)


def _members_version_key(community_id: int) -> str:
    return f"communities:members-version:{community_id}"


def members_version(*, community: Community) -> int:
    """A number that changes whenever someone joins or leaves the community: part of the
    key of anything kept about who its members are. A version the cache lost (evicted)
    comes back as a new number, never as one used before."""
    key = _members_version_key(community.pk)
    cache.add(key, time.time_ns(), None)
    return int(cache.get(key, 0))


def member_count(*, community: Community) -> int:
    return member_stats(community=community)["total"]


def perspective_mix(*, community: Community) -> list[dict]:
    """Members per perspective against the community's target mix (percent)."""
    stats = member_stats(community=community)
    total, counts = stats["total"], stats["perspectives"]
    rows = []
    for perspective in Perspective.objects.filter(is_active=True):
        count = counts.get(perspective.pk, 0)
        target = community.target_mix.get(perspective.key)
        if not count and not target:
            continue
        rows.append(
            {
                "perspective": perspective,
                "count": count,
                "share": round(100 * count / total) if total else 0,
                "target": target,
            }
        )
    return rows


def person_get_visible(*, pk: int, viewer: User | AnonymousUser) -> User:
    """A person's profile: visible to themselves, to people sharing a community, and admins."""
    if not viewer.is_authenticated:
        raise Http404
    qs = User.objects.filter(pk=pk, is_active=True)
    if not (viewer.pk == pk or permissions.is_platform_admin(viewer)):
        shared = Membership.objects.filter(user=viewer).values("community_id")
        qs = qs.filter(memberships__community_id__in=shared)
    person = qs.distinct().prefetch_related("perspectives", "help_tags", "seeking_tags").first()
    if person is None:
        raise Http404
    return person


def person_photo_owner(*, pk: int, viewer: User | AnonymousUser) -> User:
    """The person whose photo the viewer may see: anyone's whose profile they may see, and
    the facilitators of public communities (their photos are on public landing pages)."""
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is not None and person.photo and permissions.is_public_face(person):
        return person
    return person_get_visible(pk=pk, viewer=viewer)


def shared_memberships(*, person: User, viewer: User) -> QuerySet:
    """The communities of a person that the viewer may see inside."""
    qs = Membership.objects.filter(user=person).select_related("community")
    if not permissions.is_platform_admin(viewer):
        qs = qs.filter(community__memberships__user=viewer)
    return qs.order_by("community__name")


def invitations_open(*, community: Community, viewer: User | AnonymousUser) -> QuerySet:
    permissions.check_manage(viewer, community)
    return Invitation.objects.filter(community=community).open().select_related("created_by")


def join_requests_open(*, community: Community, viewer: User | AnonymousUser) -> QuerySet:
    """Open requests to join, newest first, for the facilitators who answer them."""
    permissions.check_manage(viewer, community)
    return JoinRequest.objects.filter(
        community=community, status=JoinRequestStatus.OPEN
    ).select_related("user")


def join_requests_open_count(*, community: Community, viewer: User | AnonymousUser) -> int:
    """How many requests wait for an answer; 0 for anyone who can't answer them."""
    if not permissions.can_manage(viewer, community):
        return 0
    return JoinRequest.objects.filter(community=community, status=JoinRequestStatus.OPEN).count()


def join_request_pending(*, community: Community, user: User | AnonymousUser) -> bool:
    """Whether a signed-in outsider has asked to join and is still waiting for an answer."""
    if user is None or not user.is_authenticated:
        return False
    return JoinRequest.objects.filter(
        community=community, email__iexact=user.email, status=JoinRequestStatus.OPEN
    ).exists()


def join_request_get_open(
    *, community: Community, pk: int, viewer: User | AnonymousUser
) -> JoinRequest:
    permissions.check_manage(viewer, community)
    join_request = JoinRequest.objects.filter(
        community=community, pk=pk, status=JoinRequestStatus.OPEN
    ).first()
    if join_request is None:
        raise Http404
    return join_request


def non_members(*, community: Community, people: Sequence[User]) -> list[User]:
    """Those of `people` who are not members of the community, in the order given."""
    member_ids = set(
        Membership.objects.filter(community=community, user__in=people).values_list(
            "user_id", flat=True
        )
    )
    return [person for person in people if person.pk not in member_ids]


def ground_rules_version(*, community: Community) -> GroundRulesVersion | None:
    """The version of the ground rules in effect (the newest), with who recorded it."""
    return (
        GroundRulesVersion.objects.filter(community=community)
        .select_related("recorded_by")
        .order_by("-number")
        .first()
    )
