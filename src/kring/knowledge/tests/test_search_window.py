"""Search at scale: only the newest RANK_WINDOW matches are ranked and counted, so a word
found in most of the library stays fast; narrower queries behave exactly as before.
Also the bulk import's batched tag lookup. Runs on whichever backend is configured."""

import pytest
from django.db import connection

from kring.core import search
from kring.core.models import Tag
from kring.core.search import postgres
from kring.knowledge import services, services_import
from kring.knowledge.models import Kind


@pytest.fixture
def two_communities(make_user, make_community):
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    a = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    b = make_community(by=facilitator, name="Elders", slug="elders")
    return facilitator, a, b


def share(community, by, title, body="Een verhaal uit de wijk."):
    return services.item_create(
        community=community, by=by, kind=Kind.PRACTICE_STORY, title=title, body=body
    )


def found(results) -> list[int]:
    return [hit.document.doc_id for hit in results.hits]


def test_a_query_within_the_window_is_counted_and_ranked_exactly(two_communities, monkeypatch):
    """Up to RANK_WINDOW matches: the exact total, and title matches above body matches."""
    facilitator, a, _b = two_communities
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    in_title = share(a, facilitator, "Het wijkteam aan tafel")
    in_body = share(a, facilitator, "Een avond", body="Met het wijkteam gepraat.")

    results = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"])

    assert results.total == 2
    assert results.total_capped is False
    assert found(results) == [in_title.pk, in_body.pk]


def test_beyond_the_window_the_newest_matches_are_ranked_and_the_total_is_capped(
    two_communities, monkeypatch
):
    """More matches than RANK_WINDOW: total says "at least RANK_WINDOW", and the hits are
    the best of the newest RANK_WINDOW matches of this community only."""
    facilitator, a, b = two_communities
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    old_title_match = share(a, facilitator, "Wijkteam van het eerste uur")
    newer = [share(a, facilitator, f"Verhaal {n}", body="Het wijkteam hielp.") for n in range(3)]
    for n in range(3):  # newer still, but in another community
        share(b, facilitator, f"Elders {n}", body="Het wijkteam elders.")

    results = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"], limit=10)

    assert results.total == 3
    assert results.total_capped is True
    assert set(found(results)) == {item.pk for item in newer}
    assert old_title_match.pk not in found(results)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search in passes")
@pytest.mark.parametrize("passes", [(1, 2), (2, 5), (1, 3, 8), (10_000, 20_000)])
def test_searching_back_in_passes_finds_the_same_newest_matches(
    two_communities, monkeypatch, passes
):
    """PostgreSQL looks at the newest ids first and further back only as far as needed:
    whatever the ranges of ids, the hits are the newest RANK_WINDOW matches of this
    community, each once (equal scores: oldest first, as on SQLite)."""
    facilitator, a, b = two_communities
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    monkeypatch.setattr(postgres, "PASSES", passes)
    matches = []
    for n in range(7):
        matches.append(share(a, facilitator, f"Verhaal {n}", body="Het wijkteam hielp."))
        for m in range(n % 3):  # gaps of other documents between the matches
            share(a, facilitator, f"Ander verhaal {n}.{m}", body="Over de buurt.")
        share(b, facilitator, f"Elders {n}", body="Het wijkteam elders.")

    results = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"], limit=10)

    assert (results.total, results.total_capped) == (4, True)
    assert found(results) == [item.pk for item in matches[3:]]


def test_a_page_past_the_window_is_empty(two_communities, monkeypatch):
    """Paging past the ranked window gives no hits, and the same capped total."""
    facilitator, a, _b = two_communities
    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    for n in range(4):
        share(a, facilitator, f"Wijkteam {n}")

    results = search.search("wijkteam", community_ids=[a.pk], offset=2)

    assert results.hits == []
    assert (results.total, results.total_capped) == (2, True)


def test_pages_within_the_window_do_not_overlap(two_communities, monkeypatch):
    """Two pages of the window together are its matches, each once."""
    facilitator, a, _b = two_communities
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    items = [share(a, facilitator, f"Wijkteam {n}") for n in range(6)]

    first = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"], limit=2)
    second = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"], limit=2, offset=2)

    assert set(found(first)) | set(found(second)) == {item.pk for item in items[-4:]}
    assert not set(found(first)) & set(found(second))


def test_the_snippet_is_made_only_when_asked_for(two_communities):
    """Highlighting happens on first use and gives the marked text."""
    facilitator, a, _b = two_communities
    share(a, facilitator, "Avond", body="We spraken met het wijkteam over de buurt.")

    hit = search.search("wijkteam", community_ids=[a.pk], doc_types=["item"]).hits[0]

    assert "snippet_html" not in hit.__dict__
    assert "<mark>wijkteam</mark>" in hit.snippet_html


def test_bulk_import_links_each_item_to_its_own_tags(two_communities):
    """One tag lookup per batch still gives every item exactly its themes; names that
    differ only in case or spacing share one tag, as with tags_get_or_create."""
    facilitator, a, _b = two_communities
    documents = [
        {"kind": Kind.HANDOUT, "title": "Een", "body": "x", "tags": ["Mantelzorg", "wonen"]},
        {"kind": Kind.HANDOUT, "title": "Twee", "body": "x", "tags": ["mantelzorg "]},
        {"kind": Kind.HANDOUT, "title": "Drie", "body": "x", "tags": []},
        {"kind": Kind.HANDOUT, "title": "Vier", "body": "x", "tags": ["Energie  armoede"]},
    ]

    created, problems = services_import.items_bulk_create(
        community=a, by=facilitator, documents=documents, batch=3
    )

    assert (created, problems) == (4, [])
    items = {i.title: sorted(t.slug for t in i.tags.all()) for i in a.knowledge_items.all()}
    assert items == {
        "Een": ["mantelzorg", "wonen"],
        "Twee": ["mantelzorg"],
        "Drie": [],
        "Vier": ["energie-armoede"],
    }
    assert Tag.objects.filter(slug="mantelzorg").count() == 1
    assert Tag.objects.get(slug="mantelzorg").name == "Mantelzorg"
