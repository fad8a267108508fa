"""Reads for the library: browsing, one item, search across items and people, who knows."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.accounts.models import Perspective, User
from kring.accounts.selectors import profiles_version
from kring.communities import permissions as community_permissions
from kring.communities.models import Community, Membership
from kring.communities.selectors import member_count, members_of
from kring.core import search
from kring.core.prefetch import prefetch_m2m
from kring.core.search import text
from kring.knowledge import permissions
from kring.knowledge.models import (
    MAX_AUTHORS,
    Attachment,
    Featured,
    ItemAuthor,
    Kind,
    KnowledgeItem,
    Revision,
    Useful,
)
from kring.knowledge.permissions import Viewer

SORTS = {
    "new": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
    "useful": ("-useful_count", "-created_at", "-id"),
    "title": ("title", "id"),
}
PERIODS = {"month": 31, "quarter": 92, "year": 366}
# The library's author filter lists the authors of this many latest items (a few dozen
# people); the picker searches the others by name.
LIBRARY_AUTHOR_ITEMS = 30


def items_for_community(
    *,
    community: Community,
    viewer: Viewer,
    kind: str = "",
    theme: str = "",
    author: int | None = None,
    perspective: str = "",
    period: str = "",
    featured: str = "",
    sort: str = "new",
) -> QuerySet:
    """Library items of a community the viewer may see, filtered and sorted."""
    permissions.check_view(viewer, community)
    qs = community.knowledge_items.all()
    if kind == "implicit":
        qs = qs.filter(kind__in=[Kind.PRACTICE_STORY, Kind.LESSON_LEARNED])
    elif kind == "explicit":
        qs = qs.exclude(kind__in=[Kind.PRACTICE_STORY, Kind.LESSON_LEARNED])
    elif kind:
        qs = qs.filter(kind=kind)
    # Subqueries, not joins: a join to tags or authors repeats items, and removing the
    # repeats (DISTINCT over every column, body included) cost more the larger the library.
    if theme:
        qs = qs.filter(
            pk__in=KnowledgeItem.tags.through.objects.filter(tag__slug=theme).values(
                "knowledgeitem_id"
            )
        )
    if author:
        qs = qs.filter(pk__in=ItemAuthor.objects.filter(user_id=author).values("item_id"))
    if perspective:
        # From the people of that perspective to their items: no joins to items or users
        # inside (the outer query keeps to the community).
        holders = User.perspectives.through.objects.filter(perspective__key=perspective)
        qs = qs.filter(
            pk__in=ItemAuthor.objects.filter(user_id__in=holders.values("user_id")).values(
                "item_id"
            )
        )
    if period in PERIODS:
        qs = qs.filter(created_at__gte=timezone.now() - timedelta(days=PERIODS[period]))
    if featured:
        qs = (
            qs.filter(featured=featured) if featured in Featured.values else qs.exclude(featured="")
        )
    # The authors and themes of the page shown: items_prepare.
    return qs.select_related("created_by").order_by(*SORTS.get(sort, SORTS["new"]))


def items_prepare(items: list[KnowledgeItem], *, attachments: bool = False) -> list[KnowledgeItem]:
    """A page of `items_for_community` with its authors (in their order), themes and, when
    asked, attachments: one query each, for the page rather than per item."""
    prefetch_m2m(
        items, "item_authors", ItemAuthor.objects.select_related("user").order_by("position")
    )
    prefetch_m2m(items, "tags")
    if attachments:
        prefetch_m2m(items, "attachments")
    return items


def featured_items(*, community: Community, viewer: Viewer) -> dict[str, list[KnowledgeItem]]:
    permissions.check_view(viewer, community)
    items = (
        community.knowledge_items.exclude(featured="").with_people().order_by("-featured_at")[:12]
    )
    grouped: dict[str, list[KnowledgeItem]] = defaultdict(list)
    for item in items:
        grouped[item.featured].append(item)
    return dict(grouped)


def item_get(
    *, community: Community, pk: int, viewer: Viewer, attachments: bool = False
) -> KnowledgeItem:
    """One item; 404 if it is not in this community or the viewer may not see inside.
    `attachments` fetches its files along (the API shows them with the item)."""
    if not permissions.can_view(viewer, community):
        raise Http404
    items = community.knowledge_items.filter(pk=pk).with_people()
    if attachments:
        items = items.prefetch_related("attachments")
    item = items.first()
    if item is None:
        raise Http404
    return item


# The library's theme and perspective options, and its size, are the same for every viewer
# and cost a scan of the library's items, tags and authors: they are cached per community.
# The key holds a version that the knowledge services change after every write to the
# library (library_changed) and the accounts' profiles version (someone's perspectives); the
# expiry covers the rest (an erasure, the admin).
LIBRARY_OPTIONS_SECONDS = 600
LIBRARY_VERSION_KEY = "knowledge:library-version:{}"


def _library_options_key(community: Community, part: str) -> str:
    version = cache.get(LIBRARY_VERSION_KEY.format(community.pk), 0)
    return f"knowledge:options:{community.pk}:{part}:{version}:{profiles_version()}"


def library_size(*, community: Community) -> int:
    """How many items the community's library holds, for the unfiltered list's pager: a
    COUNT over every item costs ~11 ms on PostgreSQL at 20,000 items, on every page view."""
    key = _library_options_key(community, "size")
    size = cache.get(key)
    if size is None:
        size = KnowledgeItem.objects.filter(community=community).count()
        cache.set(key, size, LIBRARY_OPTIONS_SECONDS)
    return size


def library_themes(*, community: Community) -> list:
    """The themes (tags) of the community's library items, by name."""
    from kring.core.models import Tag

    key = _library_options_key(community, "themes")
    themes = cache.get(key)
    if themes is None:
        # Per option "is there one item with it?" (EXISTS stops at the first), not "collect
        # the options of every item".
        themes = list(
            Tag.objects.filter(
                Exists(
                    KnowledgeItem.tags.through.objects.filter(
                        tag_id=OuterRef("pk"), knowledgeitem__community=community
                    )
                )
            ).order_by("name")
        )
        cache.set(key, themes, LIBRARY_OPTIONS_SECONDS)
    return themes


def library_perspectives(*, community: Community) -> list[Perspective]:
    """The perspectives some author of the community's library holds (the others would
    always show an empty list)."""
    key = _library_options_key(community, "perspectives")
    ids = cache.get(key)
    if ids is None:
        # From the people holding a perspective to their items (not from all the items).
        ids = list(
            Perspective.objects.filter(
                Exists(
                    User.perspectives.through.objects.filter(
                        Exists(
                            ItemAuthor.objects.filter(
                                user_id=OuterRef("user_id"), item__community=community
                            )
                        ),
                        perspective_id=OuterRef("pk"),
                    )
                )
            ).values_list("pk", flat=True)
        )
        cache.set(key, ids, LIBRARY_OPTIONS_SECONDS)
    # The perspectives themselves are a short table: read fresh (names, order, colours).
    return list(Perspective.objects.filter(pk__in=ids).order_by("position", "key"))


def library_facets(*, community: Community, author: int | None = None) -> dict:
    """Options for the library's filters. Authors: those of the latest items (and the one
    chosen), never every author; the picker finds anyone else by name."""
    latest = (
        KnowledgeItem.objects.filter(community=community)
        .order_by("-created_at", "-id")
        .values("pk")[:LIBRARY_AUTHOR_ITEMS]
    )
    authors = sorted(
        User.objects.filter(
            Q(pk__in=ItemAuthor.objects.filter(item__in=latest).values("user_id"))
            | Q(pk=author or 0)
        ),
        key=lambda person: (person.full_name.casefold(), person.pk),
    )
    return {
        "themes": library_themes(community=community),
        "authors": authors,
        "perspectives": library_perspectives(community=community),
    }


def visible_community_ids(viewer: Viewer) -> list[int]:
    if community_permissions.is_platform_admin(viewer):
        return list(Community.objects.values_list("pk", flat=True))
    if not viewer.is_authenticated:
        return []
    return list(Membership.objects.filter(user=viewer).values_list("community_id", flat=True))


def community_search(
    *,
    community: Community,
    viewer: Viewer,
    q: str,
    kind: str = "",
    theme: str = "",
    types: list[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> search.Results:
    """Search one community. Raises 404/403 through the community check for outsiders."""
    permissions.check_view(viewer, community)
    kinds: list[str] | None = None
    if kind == "implicit":
        kinds = [Kind.PRACTICE_STORY, Kind.LESSON_LEARNED]
    elif kind == "explicit":
        kinds = [k for k in Kind.values if k not in (Kind.PRACTICE_STORY, Kind.LESSON_LEARNED)]
    elif kind in Kind.values:
        kinds = [kind]
    doc_types = types
    if kinds and not doc_types:
        doc_types = ["item"]
    return search.search(
        q,
        community_ids=[community.pk],
        doc_types=doc_types,
        kinds=kinds,
        theme=theme,
        limit=limit,
        offset=offset,
    )


# --- Who knows this? ------------------------------------------------------------------------

KIND_REASONS = {
    Kind.PRACTICE_STORY: lambda n, topic: (
        ngettext(
            "wrote %(count)s practice story on %(topic)s",
            "wrote %(count)s practice stories on %(topic)s",
            n,
        )
        % {"count": n, "topic": topic}
    ),
    Kind.LESSON_LEARNED: lambda n, topic: (
        ngettext(
            "shared %(count)s lesson learned on %(topic)s",
            "shared %(count)s lessons learned on %(topic)s",
            n,
        )
        % {"count": n, "topic": topic}
    ),
}


def _generic_reason(n: int, topic: str) -> str:
    return ngettext(
        "shared %(count)s library item on %(topic)s",
        "shared %(count)s library items on %(topic)s",
        n,
    ) % {"count": n, "topic": topic}


@dataclass
class Expert:
    user: User
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class _Evidence:
    """What speaks for one person while ranking: ids, a name and counts. The person and
    the reasons in words are only made for the few who are shown."""

    user_id: int
    name: str
    score: float = 0.0
    helps_with: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    fans: int = 0

    def reasons(self, topic: str) -> list[str]:
        reasons = []
        if self.helps_with:
            reasons.append(_("can help with %(tags)s") % {"tags": ", ".join(self.helps_with)})
        for kind, n in self.kinds.most_common():
            reasons.append(KIND_REASONS.get(kind, _generic_reason)(n, topic))
        if self.fans:
            reasons.append(
                ngettext(
                    "%(count)s person found that useful",
                    "%(count)s people found that useful",
                    self.fans,
                )
                % {"count": self.fans}
            )
        return reasons


def who_knows(
    *,
    community: Community,
    viewer: Viewer,
    query: str = "",
    item: KnowledgeItem | None = None,
    limit: int = 5,
    searched: search.Results | None = None,
) -> list[Expert]:
    """Members most likely to help with a question or an item, each with reasons in words.
    `searched`: the caller's own search for the same query in this community (the search
    page, the API): its matching items are used instead of searching a second time.

    Evidence, strongest first: saying they can help with it (profile tags), having written
    about it (library items that match), and others marking that work useful.

    The work follows what matches, not the size of the community: the help tags held in
    the community are read once as a vocabulary, only the people holding a matching tag or
    having written a matching item are read (ids and names), and only the `limit` shown are
    fetched as people and given reasons in words.
    """
    permissions.check_view(viewer, community)
    if item is not None:
        query = " ".join([item.title, *[t.name for t in item.tags.all()]])
    words = text.query_words(query)
    if not words:
        return []
    wanted = {stem for word in words for stem in text.stems(word)}
    topic = query.strip() if item is None else item.title
    topic = topic if len(topic) <= 60 else topic[:57] + "…"
    found: dict[int, _Evidence] = {}
    _add_helpers(found, community=community, wanted=wanted)
    item_ids = (
        search.object_ids(searched, "item", community_ids=[community.pk])
        if searched and item is None
        else None
    )
    if item_ids is None:
        item_ids = search.ranked_object_ids(query, community_ids=[community.pk], doc_type="item")
    if item is not None:
        item_ids = [pk for pk in item_ids if pk != item.pk]
    if item_ids:
        _add_authors(found, community=community, item_ids=item_ids)
    viewer_pk = getattr(viewer, "pk", None)
    ranked = sorted(
        (e for e in found.values() if e.user_id != viewer_pk),
        key=lambda e: (-e.score, e.name, e.user_id),
    )[:limit]
    if not ranked:
        return []
    people = User.objects.in_bulk([e.user_id for e in ranked])
    return [
        Expert(user=people[e.user_id], score=e.score, reasons=e.reasons(topic))
        for e in ranked
        if e.user_id in people
    ]


# How long a community's help-tag vocabulary is kept at most (see _help_vocabulary).
HELP_VOCABULARY_SECONDS = 300


def _help_vocabulary(community: Community) -> list[tuple[int, frozenset[str]]]:
    """The help tags the community's active members hold, each with the stems of its name.

    The same for every question, and reading it joins every holder with their memberships
    (5 ms on PostgreSQL at 10,000 members), so it is kept per community until a profile
    changes (profiles_version) or someone joins or leaves (the kept member count), and at
    most HELP_VOCABULARY_SECONDS (someone coming back as active, say). A kept tag that
    nobody holds any more does no harm, the people themselves are read afresh."""
    members = member_count(community=community)
    key = f"knowledge:help-vocabulary:{community.pk}:{profiles_version()}:{members}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        held = User.help_tags.through.objects.filter(
            user__memberships__community=community, user__is_active=True
        )
        vocabulary = [
            (pk, frozenset(s for w in text.words(name) for s in text.stems(w)))
            for pk, name in held.values_list("tag_id", "tag__name").distinct().order_by()
        ]
        cache.set(key, vocabulary, HELP_VOCABULARY_SECONDS)
    return vocabulary


def _add_helpers(found: dict[int, _Evidence], *, community: Community, wanted: set[str]) -> None:
    """Members who say on their profile that they can help with the topic.

    Few members name help tags and they share a small vocabulary: the tags in use are
    matched against the query's stems, then only the people with a matching tag are read."""
    matching = [pk for pk, stems in _help_vocabulary(community) if wanted & stems]
    if not matching:
        return
    held = User.help_tags.through.objects.filter(
        user__memberships__community=community, user__is_active=True
    )
    for user_id, name, tag in (
        held.filter(tag_id__in=matching)
        .values_list("user_id", "user__full_name", "tag__name")
        .order_by("user_id", "tag__name", "tag_id")
    ):
        e = found.setdefault(user_id, _Evidence(user_id=user_id, name=name))
        e.score += 3
        e.helps_with.append(tag)


def _add_authors(found: dict[int, _Evidence], *, community: Community, item_ids: list[int]) -> None:
    """Members who wrote matching items, and how many people found that work useful."""
    # Former members and inactive people count as authors too (not active_only); one
    # membership row per person and community, so the join adds no duplicates.
    links = ItemAuthor.objects.filter(
        item_id__in_ids=item_ids, user__memberships__community=community
    ).values_list("user_id", "user__full_name", "item_id", "item__kind")
    authored: dict[int, set[int]] = defaultdict(set)
    for user_id, name, item_id, item_kind in links:
        # Practice stories and lessons learned get their own words; the other kinds
        # are counted together as library items.
        kind = item_kind if item_kind in KIND_REASONS else ""
        e = found.setdefault(user_id, _Evidence(user_id=user_id, name=name))
        e.kinds[kind] += 1
        e.score += 2 if kind else 1.5
        authored[item_id].add(user_id)
    # Distinct people who found an author's matching work useful (one person marking
    # three of their items counts once).
    fans: dict[int, set[int]] = defaultdict(set)
    for item_id, user_id in Useful.objects.filter(item_id__in_ids=item_ids).values_list(
        "item_id", "user_id"
    ):
        for author_id in authored.get(item_id, ()):
            if author_id != user_id:
                fans[author_id].add(user_id)
    for author_id, people in fans.items():
        e = found[author_id]
        e.fans = len(people)
        e.score += min(e.fans, 20) * 0.5


def people_matching(*, community: Community, viewer: Viewer, q: str) -> QuerySet:
    """Plain name lookup for author pickers."""
    permissions.check_view(viewer, community)
    return (
        members_of(community=community, active_only=False)
        .filter(Q(full_name__icontains=q) | Q(email__iexact=q))
        .distinct()[:10]
    )


def authors_by_email(*, community: Community, emails: list[str] | None) -> list[User] | None:
    """The members with these addresses, in the order given (the API names authors by
    e-mail address); a ValidationError for any other address. None stays None."""
    if emails is None:
        return None
    wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if len(wanted) > MAX_AUTHORS:
        raise ValidationError({"authors": _("At most %(max)s authors.") % {"max": MAX_AUTHORS}})
    found = {
        u.email_lower: u
        for u in members_of(community=community, active_only=False)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
    }
    missing = [e for e in wanted if e not in found]
    if missing:
        raise ValidationError(
            {
                "authors": _("Authors must be members of this community: %(names)s")
                % {"names": ", ".join(missing)}
            }
        )
    return [found[e] for e in wanted]


# --- One item's page: comments, useful marks, attachments, history -------------------------
# Each takes an item the caller got from item_get, so access is already settled.


def item_comments(*, item: KnowledgeItem) -> QuerySet:
    return item.comments.select_related("author").order_by("created_at", "id")


def item_is_useful_to(*, item: KnowledgeItem, user: Viewer) -> bool:
    if not user.is_authenticated:
        return False
    return Useful.objects.filter(item=item, user=user).exists()


def item_attachments(*, item: KnowledgeItem) -> QuerySet:
    return item.attachments.order_by("created_at", "id")


def attachment_get(*, item: KnowledgeItem, pk: int) -> Attachment:
    attachment = Attachment.objects.filter(item=item, pk=pk).first()
    if attachment is None:
        raise Http404
    attachment.item = item
    return attachment


def item_revisions(*, item: KnowledgeItem) -> QuerySet[Revision]:
    """Every version of the item, newest first."""
    return item.revisions.select_related("edited_by").order_by("-number")


def item_revision_get(*, item: KnowledgeItem, number: int) -> Revision:
    """One version of the item by its number; 404 if there is no such version."""
    revision = item.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    return revision
