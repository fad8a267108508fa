"""Who knows this? gives the same people, order and reasons as reading every member did,
and the pages that show it (item page, search page, API search) run as many queries with 5
people who can help as with 60."""

import itertools
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.accounts.models import User
from kring.accounts.services import api_token_create, profile_update
from kring.communities.models import Role
from kring.communities.selectors import members_of
from kring.communities.services import membership_add, membership_remove
from kring.core import search
from kring.core.models import SearchDocument
from kring.core.search import text
from kring.knowledge import selectors, services
from kring.knowledge.models import ItemAuthor, Kind, Useful
from kring.knowledge.selectors import KIND_REASONS, Expert, _generic_reason

TOPICS = ["begeleiding", "vrijwilligers", "mantelzorg", "buurtcafé"]
KINDS = [Kind.PRACTICE_STORY, Kind.TOOLKIT, Kind.LESSON_LEARNED, Kind.PRACTICE_EXAMPLE]


def reference_who_knows(*, community, viewer, query="", item=None, limit=5):
    """Who knows this? as it was before it stopped reading every member (the definition the
    faster selector must keep)."""
    if item is not None:
        query = " ".join([item.title, *[t.name for t in item.tags.all()]])
    words = text.query_words(query)
    if not words:
        return []
    wanted = {stem for word in words for stem in text.stems(word)}
    topic = query.strip() if item is None else item.title
    topic = topic if len(topic) <= 60 else topic[:57] + "…"
    experts: dict[int, Expert] = {}
    for person in members_of(community=community).prefetch_related("help_tags").distinct():
        matched = [
            tag.name
            for tag in person.help_tags.all()
            if wanted & {s for w in text.words(tag.name) for s in text.stems(w)}
        ]
        if matched:
            e = experts.setdefault(person.pk, Expert(user=person))
            e.score += 3 * len(matched)
            e.reasons.append(_("can help with %(tags)s") % {"tags": ", ".join(matched)})
    results = search.search(query, community_ids=[community.pk], doc_types=["item"], limit=200)
    item_ids = [hit.document.doc_id for hit in results.hits]
    if item is not None:
        item_ids = [pk for pk in item_ids if pk != item.pk]
    links = ItemAuthor.objects.filter(
        item_id__in=item_ids, user__in=members_of(community=community, active_only=False)
    ).select_related("user", "item")
    per_author: dict[int, Counter] = defaultdict(Counter)
    authored: dict[int, set[int]] = defaultdict(set)
    for link in links:
        kind = link.item.kind if link.item.kind in KIND_REASONS else ""
        per_author[link.user_id][kind] += 1
        authored[link.item_id].add(link.user_id)
        experts.setdefault(link.user_id, Expert(user=link.user))
    fans: dict[int, set[int]] = defaultdict(set)
    for item_id, user_id in Useful.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "user_id"
    ):
        for author_id in authored.get(item_id, ()):
            if author_id != user_id:
                fans[author_id].add(user_id)
    for user_id, kinds in per_author.items():
        e = experts[user_id]
        for kind, n in kinds.most_common():
            e.score += 2 * n if kind in KIND_REASONS else 1.5 * n
            e.reasons.append(KIND_REASONS.get(kind, _generic_reason)(n, topic))
        people = len(fans[user_id])
        if people:
            e.score += min(people, 20) * 0.5
            e.reasons.append(
                ngettext(
                    "%(count)s person found that useful",
                    "%(count)s people found that useful",
                    people,
                )
                % {"count": people}
            )
    ranked = sorted(
        (e for e in experts.values() if e.user.pk != getattr(viewer, "pk", None)),
        key=lambda e: (-e.score, e.user.full_name, e.user.pk),
    )
    return ranked[:limit]


def shown(experts) -> list[tuple[int, float, list[str]]]:
    return [(e.user.pk, e.score, e.reasons) for e in experts]


@pytest.fixture
def network(make_user, make_community, make_member):
    """A community with helpers and authors on a few topics, and `grow(n)` to add n more:
    each new person can help with one or two topics and writes an item (with the one
    before them, two times in three) that others find useful. Around them: an inactive
    helper, an outsider with the same help tags and items elsewhere, and a former author
    who left."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Wijkzorg", slug="wijkzorg")
    reader = make_member(community, full_name="Rita Reader").user
    other = make_community(by=make_user(full_name="Otto Elders", can_create=True), slug="elders")
    outsider = make_member(other, full_name="Olga Outsider").user
    profile_update(user=outsider, by=outsider, help_tags=TOPICS)
    services.item_create(
        community=other, by=outsider, kind=Kind.PRACTICE_STORY, title="Begeleiding elders"
    )
    sleeper = make_member(community, full_name="Slapende Helper").user
    profile_update(user=sleeper, by=sleeper, help_tags=["begeleiding"])
    item = services.item_create(
        community=community,
        by=facilitator,
        kind=Kind.PRACTICE_STORY,
        title="Begeleiding van vrijwilligers in de wijk",
        tags=["mantelzorg"],
    )
    User.objects.filter(pk=sleeper.pk).update(is_active=False)
    count = itertools.count(1)
    fans = [make_member(community, full_name=f"Lezer {n}").user for n in range(3)]
    authors: list[User] = []

    def grow(n: int) -> None:
        for i in itertools.islice(count, n):
            # Names repeat, so ties on score are broken by name and then by person.
            author = make_member(community, full_name=f"Auteur {i % 7}").user
            profile_update(
                user=author,
                by=author,
                help_tags=[TOPICS[i % 4], TOPICS[(i * 3) % 4], f"thema {i}"],
            )
            made = services.item_create(
                community=community,
                by=author,
                kind=KINDS[i % 4],
                title=f"{TOPICS[i % 4].capitalize()} in de buurt, deel {i}",
                body=f"Over {TOPICS[(i + 1) % 4]} en samenwerking.",
                tags=[TOPICS[(i + 2) % 4]],
                authors=[author, authors[-1]] if i % 3 and authors else [author],
            )
            authors.append(author)
            services.item_mark_useful(item=made, by=fans[i % 3])
            if i % 2:
                services.item_mark_useful(item=made, by=reader)

    grow(8)
    # A former member's items stay, but they are no longer named.
    membership_remove(
        membership=community.memberships.get(user__full_name="Auteur 3"), by=facilitator
    )
    return {
        "community": community,
        "item": item,
        "reader": reader,
        "facilitator": facilitator,
        "outsider": outsider,
        "sleeper": sleeper,
        "grow": grow,
    }


QUERIES = [
    "begeleiding",
    "vrijwilligers begeleiding",
    "mantelzorg in de buurt",
    "buurtcafé",
    "thema",
    "de het",
    "samenwerking",
    "zonnepanelen",
]


@pytest.mark.parametrize("viewer", ["reader", "facilitator", "author"])
def test_who_knows_matches_reading_every_member(network, viewer):
    """Same people, order, scores and reasons as reading every member, for any viewer (who
    is left out of their own list), query and list length."""
    community = network["community"]
    person = (
        User.objects.filter(full_name="Auteur 1").first() if viewer == "author" else network[viewer]
    )
    for query, limit in itertools.product(QUERIES, (5, 20)):
        expected = reference_who_knows(community=community, viewer=person, query=query, limit=limit)

        got = selectors.who_knows(community=community, viewer=person, query=query, limit=limit)

        assert shown(got) == shown(expected), (query, limit)
        assert all(isinstance(e.user, User) for e in got)


def test_who_knows_from_the_callers_own_search_matches_reading_every_member(network):
    """The search page and the API pass their own search: the same people, order and
    reasons as reading every member, without a second search of the items."""
    community, reader = network["community"], network["reader"]
    for query in QUERIES:
        expected = reference_who_knows(community=community, viewer=reader, query=query)
        searched = selectors.community_search(community=community, viewer=reader, q=query)

        with CaptureQueriesContext(connection) as captured:
            got = selectors.who_knows(
                community=community, viewer=reader, query=query, searched=searched
            )

        assert shown(got) == shown(expected), query
        fts = [q for q in captured.captured_queries if "MATCH" in q["sql"] or "@@" in q["sql"]]
        assert fts == [], query


def test_a_narrowed_search_is_not_reused(network):
    """A search narrowed to a kind, a theme or people cannot say which items match the
    question: who knows this searches the items itself, and finds the same people."""
    community, reader = network["community"], network["reader"]
    expected = reference_who_knows(community=community, viewer=reader, query="begeleiding")
    for narrowing in ({"kind": Kind.TOOLKIT}, {"theme": "mantelzorg"}, {"types": ["person"]}):
        searched = selectors.community_search(
            community=community, viewer=reader, q="begeleiding", **narrowing
        )
        assert search.object_ids(searched, "item", community_ids=[community.pk]) is None

        got = selectors.who_knows(
            community=community, viewer=reader, query="begeleiding", searched=searched
        )

        assert shown(got) == shown(expected), narrowing


def test_object_ids_are_the_matching_items_best_first(network):
    """Below RANK_WINDOW matches, a search's own window gives the items a search of the
    items alone gives, in the same order."""
    community = network["community"]
    for query in QUERIES:
        searched = search.search(query, community_ids=[community.pk])
        expected = search.ranked_object_ids(query, community_ids=[community.pk], doc_type="item")

        assert search.object_ids(searched, "item", community_ids=[community.pk]) == expected


def test_object_ids_of_a_broad_query_are_the_items_among_the_newest_matches(network, monkeypatch):
    """Beyond RANK_WINDOW matches the window is the newest matches of every type: the items
    among them, best first, and none of another community."""
    community = network["community"]
    monkeypatch.setattr(search, "RANK_WINDOW", 6)
    searched = search.search("begeleiding", community_ids=[community.pk])
    assert searched.total_capped
    in_window = dict(
        SearchDocument.objects.filter(pk__in=[pk for pk, _s in searched.window]).values_list(
            "pk", "doc_type"
        )
    )
    expected_pks = [pk for pk, _s in searched.window if in_window[pk] == "item"]
    expected = [SearchDocument.objects.get(pk=pk).doc_id for pk in expected_pks]

    assert search.object_ids(searched, "item", community_ids=[community.pk]) == expected
    assert search.object_ids(searched, "item", community_ids=[community.pk + 999]) == []


def test_who_knows_an_item_matches_reading_every_member(network):
    """For an item's page: the same people, without counting the item itself."""
    community, item = network["community"], network["item"]
    expected = reference_who_knows(community=community, viewer=network["reader"], item=item)

    got = selectors.who_knows(community=community, viewer=network["reader"], item=item)

    assert shown(got) == shown(expected)
    assert got


def test_who_knows_leaves_out_outsiders_inactive_people_and_former_members(network):
    """Only members who can sign in are named for their help tags; authors who left, and
    people of another community, are not named at all."""
    got = selectors.who_knows(
        community=network["community"], viewer=network["reader"], query="begeleiding", limit=50
    )

    names = {e.user.full_name for e in got}
    assert names
    assert not names & {"Olga Outsider", "Slapende Helper", "Auteur 3"}


def test_a_new_help_tag_counts_at_once_and_a_dropped_one_at_once_too(
    network, make_user, django_capture_on_commit_callbacks
):
    """The community's help-tag vocabulary is kept between questions, yet a profile that
    adds a help tag is found on the next question, and a person who no longer holds a kept
    tag (here removed behind the services' back) is not named for it."""
    community, reader = network["community"], network["reader"]

    def helpers(query: str) -> set[str]:
        got = selectors.who_knows(community=community, viewer=reader, query=query, limit=50)
        return {e.user.full_name for e in got if any("help" in r for r in e.reasons)}

    assert helpers("zonnepanelen") == set()
    newcomer = User.objects.get(full_name="Lezer 1")
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=newcomer, by=newcomer, help_tags=["zonnepanelen"])
    assert helpers("zonnepanelen") == {"Lezer 1"}

    newcomer.help_tags.clear()
    assert helpers("zonnepanelen") == set()

    # Someone who joins with help tags of their own counts at once too.
    joiner = make_user(full_name="Nieuwe Helper")
    profile_update(user=joiner, by=joiner, help_tags=["warmtepomp"])
    assert helpers("warmtepomp") == set()
    with django_capture_on_commit_callbacks(execute=True):
        membership_add(community=community, user=joiner, by=network["facilitator"])
    assert helpers("warmtepomp") == {"Nieuwe Helper"}


def test_who_knows_is_closed_to_outsiders(network):
    """An outsider cannot ask who knows inside a private community."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        selectors.who_knows(
            community=network["community"], viewer=network["outsider"], query="begeleiding"
        )


def _count(client, url, headers=None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **(headers or {}))
    assert response.status_code == 200, response.content[:300]
    return len(captured), [q["sql"][:200] for q in captured.captured_queries]


def _flat(client, url, grow, headers=None) -> int:
    """Queries with the fixture's 8 people, then 5 more and 60 more: all the same count."""
    client.get(url, **(headers or {}))  # process caches (content types, ...) first
    grow(5)
    few, before = _count(client, url, headers)
    grow(55)
    many, after = _count(client, url, headers)
    assert many == few, "\n".join(q for q in after if q not in before) or "\n".join(after)
    return few


@pytest.mark.parametrize(
    "url",
    [
        "/communities/wijkzorg/search/?q=begeleiding",
        "/communities/wijkzorg/search/?q=mantelzorg+vrijwilligers&kind=implicit",
        "/communities/wijkzorg/who-knows/?q=begeleiding",
    ],
    ids=["search", "search-implicit", "who-knows"],
)
def test_search_pages_do_not_grow_with_people_who_know(client, network, url):
    """The search and who-knows pages run as many queries with 13 people who can help and
    wrote on the topic as with 68."""
    client.force_login(network["reader"])
    _flat(client, url, network["grow"])


def test_the_item_page_does_not_grow_with_people_who_know(client, network):
    """An item's page runs as many queries with 13 people who know its topic as with 68."""
    client.force_login(network["reader"])
    _flat(client, network["item"].get_absolute_url(), network["grow"])


def test_the_api_search_does_not_grow_with_people_who_know(client, network):
    """The API search (results and people) runs as many queries at 13 as at 68 people."""
    _token, secret = api_token_create(user=network["reader"], name="test", scope="read")
    _flat(
        client,
        "/api/v1/communities/wijkzorg/search?q=begeleiding",
        network["grow"],
        {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
    )


def test_a_guest_sees_who_knows_too(client, network, make_member):
    """A guest of the community gets the same people as a member would (no one is hidden
    from the guest, and the guest is not in the list)."""
    guest = make_member(network["community"], role=Role.GUEST, full_name="Guus Guest").user
    expected = reference_who_knows(
        community=network["community"], viewer=guest, query="vrijwilligers"
    )

    got = selectors.who_knows(community=network["community"], viewer=guest, query="vrijwilligers")

    assert shown(got) == shown(expected)


def test_object_ids_reads_further_when_the_first_matches_hold_too_few(network):
    """Whatever the limit (so also when the first part of the window holds fewer items than
    asked, as when people match first), the same ids as reading the whole window at once."""
    community = network["community"]
    searched = search.search("begeleiding", community_ids=[community.pk])
    types = dict(
        SearchDocument.objects.filter(pk__in=[pk for pk, _s in searched.window]).values_list(
            "pk", "doc_type"
        )
    )
    assert "item" in types.values() and set(types.values()) != {"item"}
    # Some limit k whose first part (the first k + k // 4 matches) holds fewer than k items.
    assert any(
        sum(types[pk] == "item" for pk, _s in searched.window[: k + k // 4]) < k
        for k in range(1, len(searched.window) + 1)
    )
    every_item = [
        SearchDocument.objects.get(pk=pk).doc_id
        for pk, _s in searched.window
        if types[pk] == "item"
    ]
    for limit in range(1, len(searched.window) + 2):
        got = search.object_ids(searched, "item", community_ids=[community.pk], limit=limit)
        assert got == every_item[:limit], limit
