"""Search over the library and the people of a community: stemming, ranking, snippets,
filters, who may see what, and an index that follows every change.

Runs on whichever backend the settings choose: SQLite FTS5 by default, PostgreSQL when
DATABASE_URL points at one. The expectations are the same for both.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from kring.accounts.services import profile_update
from kring.communities.models import Role, Visibility
from kring.communities.services import membership_remove
from kring.core import search
from kring.core.models import SearchDocument
from kring.knowledge import selectors, services
from kring.knowledge.models import Kind

# Fourteen items (Dutch and English), so that BM25's document frequencies mean something.
# The words the tests look for occur in exactly the items named in each test.
CORPUS = [
    {
        "key": "begeleiding",
        "kind": Kind.STEP_PLAN,
        "title": "Begeleiding van nieuwe vrijwilligers",
        "body": "Hoe je nieuwe vrijwilligers inwerkt en ondersteunt in de wijk.",
        "tags": ["vrijwilligerswerk"],
    },
    {
        "key": "leerkring",
        "kind": Kind.PRACTICE_STORY,
        "title": "Onze eerste leerkring",
        "body": "Twaalf bewoners en drie professionals aan tafel in het buurthuis.",
    },
    {
        "key": "mantelzorg",
        "kind": Kind.TOOLKIT,
        "title": "Mantelzorg in de buurt",
        "body": "Wat het zorgen voor een naaste vraagt van families en buren.",
        "tags": ["mantelzorg"],
    },
    {
        "key": "volunteering",
        "kind": Kind.PRACTICE_EXAMPLE,
        "title": "Volunteering in the neighbourhood",
        "body": "How people find their place in a community centre.",
    },
    {
        "key": "volunteer",
        "kind": Kind.HANDOUT,
        "title": "Onboarding newcomers",
        "body": "Every new volunteer gets a buddy for the first month.",
    },
    {
        "key": "keukentafel",
        "kind": Kind.PRACTICE_STORY,
        "title": "Het keukentafelgesprek",
        "body": "Wat je hoort als je thuis bij mensen aan de keukentafel zit.",
    },
    {
        "key": "jaarverslag",
        "kind": Kind.HANDOUT,
        "title": "Jaarverslag van het wijkteam",
        "body": (
            "Cijfers over het afgelopen jaar: aanmeldingen, huisbezoeken, wachttijden, "
            "doorverwijzingen, een paar gesprekken aan de keukentafel en een lange lijst "
            "met bedankjes aan de partners."
        ),
    },
    {
        "key": "subsidie",
        "kind": Kind.HANDOUT,
        "title": "Subsidie aanvragen bij de gemeente",
        "body": "Welke formulieren en termijnen gelden voor een aanvraag.",
        "tags": ["financiering"],
    },
    {
        "key": "webinar",
        "kind": Kind.WEBINAR,
        "title": "Webinar over armoede",
        "body": "Opname met ervaringsdeskundigen over schulden en schaamte.",
        "url": "https://example.org/webinar",
    },
    {
        "key": "buurtcafe",
        "kind": Kind.STEP_PLAN,
        "title": "Stappenplan buurtcafé",
        "body": "Van ruimte zoeken tot de eerste koffie schenken.",
    },
    {
        "key": "privacy",
        "kind": Kind.HANDOUT,
        "title": "Handreiking privacy",
        "body": "Let op veiligheid: <script>alert('x')</script> hoort niet in een verslag.",
    },
    {
        "key": "huisarts",
        "kind": Kind.PRACTICE_EXAMPLE,
        "title": "Wijkteam en huisarts",
        "body": "Samenwerken tussen het wijkteam en de huisartsenpraktijk.",
        "tags": ["samenwerking"],
    },
    {
        "key": "lesson",
        "kind": Kind.LESSON_LEARNED,
        "title": "Te snel opgeschaald",
        "sections": {
            "tried": "We startten in vijf wijken tegelijk.",
            "learned": "Begin klein: één straat, en laat de begeleiders eerst oefenen.",
        },
        "tags": ["samenwerking"],
    },
    {
        "key": "jaarplan",
        "kind": Kind.COURSE,
        "title": "Jaarplan sociaal domein",
        "body": "Doelen en mijlpalen voor het komende jaar.",
    },
]


def share(community, by, **fields):
    fields.pop("key", None)
    return services.item_create(community=community, by=by, **fields)


@pytest.fixture
def lib(make_user, make_community, make_member):
    """Community A with the corpus, a facilitator, a member and a helper who can help with
    'begeleiding'; community B with items on the same topics and its own people."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    a = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    member = make_member(a, full_name="Mo Member").user
    helper = make_member(a, full_name="Hanna Hulp").user
    profile_update(user=helper, by=helper, help_tags=["begeleiding", "mantelzorgers"])
    items = {doc["key"]: share(a, facilitator, **doc) for doc in CORPUS}

    b_facilitator = make_user(full_name="Bert Buiten", can_create=True)
    b = make_community(by=b_facilitator, name="Elders", slug="elders")
    outsider = make_member(b, full_name="Olga Outsider").user
    profile_update(user=outsider, by=outsider, help_tags=["begeleiding"])
    b_item = share(
        b,
        b_facilitator,
        kind=Kind.PRACTICE_STORY,
        title="Begeleiding van vrijwilligers in Elders",
        body="Een leerkring over mantelzorg en volunteering.",
    )
    return {
        "a": a,
        "b": b,
        "facilitator": facilitator,
        "member": member,
        "helper": helper,
        "outsider": outsider,
        "items": items,
        "b_item": b_item,
    }


def find(lib, q, *, community=None, viewer=None, **filters):
    return selectors.community_search(
        community=community or lib["a"], viewer=viewer or lib["member"], q=q, **filters
    )


def hits(results, doc_type="item") -> list[int]:
    return [h.document.doc_id for h in results.hits if h.document.doc_type == doc_type]


def item_ids(lib, *keys) -> set[int]:
    return {lib["items"][key].pk for key in keys}


# --- Stemming -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("begeleiders", {"begeleiding", "lesson"}),
        ("begeleiding", {"begeleiding", "lesson"}),
        ("leerkringen", {"leerkring"}),
        ("mantelzorgers", {"mantelzorg"}),
        ("volunteers", {"volunteering", "volunteer"}),
        ("volunteer", {"volunteering", "volunteer"}),
        ("huisarts", {"huisarts"}),
    ],
)
def test_a_word_finds_its_other_forms(lib, query, expected):
    """A Dutch or English word finds items with another form of it (plural, -ing, -er)."""
    results = find(lib, query)

    assert set(hits(results)) == item_ids(lib, *expected)
    assert results.total == len(hits(results)) + len(hits(results, "person"))


def test_the_backend_under_test_is_the_one_configured():
    """The module under test matches the database (so both backends really get run)."""
    expected = "postgres" if connection.vendor == "postgresql" else "sqlite"

    assert search.backend().__name__.endswith(expected)


# --- Ranking and matching -------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_only_match(lib):
    """The item with the word in its title comes before the one that only mentions it."""
    titled = share(
        lib["a"],
        lib["facilitator"],
        kind=Kind.HANDOUT,
        title="Buurtpreventie met appgroepen",
        body="Afspraken over wie wat doet.",
    )
    mentioned = share(
        lib["a"],
        lib["facilitator"],
        kind=Kind.HANDOUT,
        title="Verslag van de bewonersavond",
        body="We spraken over het groen, de speeltuin, het parkeren en ook even over "
        "buurtpreventie.",
    )

    results = find(lib, "buurtpreventie")

    assert hits(results) == [titled.pk, mentioned.pk]
    assert results.hits[0].score > results.hits[1].score


def test_every_word_of_a_query_must_match(lib):
    """A multi-word query finds only the items that contain all its words."""
    assert set(hits(find(lib, "vrijwilligers wijk"))) == item_ids(lib, "begeleiding")
    assert set(hits(find(lib, "wijkteam huisarts"))) == item_ids(lib, "huisarts")
    assert hits(find(lib, "vrijwilligers mantelzorg")) == []


@pytest.mark.parametrize("query", ["de het een", "the and of", "  ", "!!! ???"])
def test_a_query_without_real_words_finds_nothing(lib, query):
    """Stop words alone (or no words at all) find nothing rather than everything."""
    results = find(lib, query)

    assert results.hits == []
    assert results.total == 0


def test_stop_words_around_a_real_word_do_not_spoil_the_match(lib):
    """Stop words in a query are ignored; the real word still has to match."""
    assert set(hits(find(lib, "de mantelzorgers van het"))) == item_ids(lib, "mantelzorg")


def test_lesson_learned_sections_are_searchable(lib):
    """The parts of a lesson learned are indexed, not only its title."""
    assert set(hits(find(lib, "straat oefenen"))) == item_ids(lib, "lesson")
    assert set(hits(find(lib, "vijf wijken"))) == item_ids(lib, "lesson")


# --- Snippets -------------------------------------------------------------------------------


def test_the_snippet_marks_the_matching_word(lib):
    """The snippet shows the matching word (in the form written) inside <mark>."""
    [hit] = find(lib, "vrijwilliger").hits

    assert "nieuwe <mark>vrijwilligers</mark> inwerkt" in hit.snippet_html
    assert hit.snippet_html.count("<mark>") == 1


def test_the_snippet_is_html_escaped(lib):
    """Markup in an item's text shows as text in the snippet, never as live HTML."""
    [hit] = find(lib, "veiligheid").hits

    assert hit.document.doc_id == lib["items"]["privacy"].pk
    assert "<mark>veiligheid</mark>" in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html
    assert "<script" not in hit.snippet_html
    assert "<" not in hit.snippet_html.replace("<mark>", "").replace("</mark>", "")


def test_a_hostile_title_is_escaped_in_the_highlighted_title(lib):
    """A title with markup is escaped in the highlighted title too."""
    share(
        lib["a"],
        lib["facilitator"],
        kind=Kind.HANDOUT,
        title='Zwerfvuil <img src=x onerror="alert(1)">',
    )

    [hit] = find(lib, "zwerfvuil").hits

    assert hit.title_html.startswith("<mark>Zwerfvuil</mark> &lt;img")
    assert "<img" not in hit.title_html


def test_a_long_body_is_cut_around_the_match(lib):
    """In a long text the snippet is an excerpt that includes the matching word."""
    long_body = " ".join(["Algemene tekst over de buurt."] * 40) + " Hier staat boomspiegels. "
    long_body += " ".join(["Nog meer tekst over andere dingen."] * 40)
    share(lib["a"], lib["facilitator"], kind=Kind.HANDOUT, title="Groen", body=long_body)

    [hit] = find(lib, "boomspiegels").hits

    assert "<mark>boomspiegels</mark>" in hit.snippet_html
    assert hit.snippet_html.startswith("… ")
    assert len(hit.snippet_html) < 400


# --- Filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("", {"begeleiding", "lesson"}),
        (Kind.STEP_PLAN, {"begeleiding"}),
        (Kind.LESSON_LEARNED, {"lesson"}),
        ("implicit", {"lesson"}),
        ("explicit", {"begeleiding"}),
        (Kind.WEBINAR, set()),
    ],
)
def test_filter_by_kind(lib, kind, expected):
    """A kind (or the explicit/implicit group) keeps only matching items of that kind."""
    results = find(lib, "begeleiders", kind=kind)

    assert set(hits(results)) == item_ids(lib, *expected)


def test_filtering_by_kind_leaves_people_out(lib):
    """Asking for a kind of item means items only: people do not come along."""
    assert hits(find(lib, "begeleiders"), "person") == [lib["helper"].pk]
    assert hits(find(lib, "begeleiders", kind=Kind.STEP_PLAN), "person") == []


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("", {"huisarts", "jaarverslag"}),
        ("samenwerking", {"huisarts"}),
        ("mantelzorg", set()),
        ("samen", set()),
    ],
)
def test_filter_by_theme(lib, theme, expected):
    """A theme keeps only items tagged with exactly that theme (not a part of its name)."""
    results = find(lib, "wijkteam", theme=theme)

    assert set(hits(results)) == item_ids(lib, *expected)


# --- People ---------------------------------------------------------------------------------


def test_people_are_found_through_what_they_can_help_with(lib):
    """A person whose 'I can help with' tags match appears as a result of type person."""
    results = find(lib, "mantelzorgers")

    people = [h for h in results.hits if h.document.doc_type == "person"]
    assert [h.document.doc_id for h in people] == [lib["helper"].pk]
    assert people[0].document.kind == "person"
    assert people[0].document.title == "Hanna Hulp"


def test_only_people_filter(lib):
    """Searching for people only returns people, no items."""
    results = find(lib, "begeleiders", types=["person"])

    assert [(h.document.doc_type, h.document.doc_id) for h in results.hits] == [
        ("person", lib["helper"].pk)
    ]


def test_people_only_appear_in_communities_they_belong_to(lib):
    """Someone who can help with a topic is not suggested in a community they are not in."""
    in_a = hits(find(lib, "begeleiding"), "person")
    in_b = hits(find(lib, "begeleiding", community=lib["b"], viewer=lib["outsider"]), "person")

    assert in_a == [lib["helper"].pk]
    assert in_b == [lib["outsider"].pk]


# --- Who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["begeleiding", "leerkring", "mantelzorg", "volunteering"])
def test_search_never_crosses_into_another_community(lib, query):
    """Results only come from the community searched, though the other has the same words."""
    results = find(lib, query)

    assert results.hits
    assert {h.document.community_id for h in results.hits} == {lib["a"].pk}
    assert lib["b_item"].pk not in hits(results)


def test_the_other_community_finds_only_its_own(lib):
    """The same query in the other community finds that community's item only."""
    results = find(lib, "begeleiding", community=lib["b"], viewer=lib["outsider"])

    assert hits(results) == [lib["b_item"].pk]


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.PUBLIC])
def test_an_outsider_cannot_search_inside(lib, visibility, make_user):
    """A non-member cannot search a community, private or public; nothing leaks."""
    lib["b"].visibility = visibility
    lib["b"].save()

    with pytest.raises(PermissionDenied):
        find(lib, "begeleiding", community=lib["b"], viewer=lib["member"])


def test_the_search_page_of_a_private_community_is_404_for_outsiders(lib, client):
    """A member of A opening B's search page gets 404, and none of B's text."""
    client.force_login(lib["member"])
    client.cookies["kring_language"] = "en"

    response = client.get("/communities/elders/search/", {"q": "begeleiding"})

    assert response.status_code == 404
    assert b"Elders" not in response.content


def test_a_guest_can_search(lib, make_member):
    """Guests see inside, so they can search too."""
    guest = make_member(lib["a"], role=Role.GUEST).user

    assert set(hits(find(lib, "leerkringen", viewer=guest))) == item_ids(lib, "leerkring")


# --- The index follows every change ---------------------------------------------------------


def test_a_new_item_is_found_at_once(lib):
    """An item is searchable as soon as it is shared."""
    assert hits(find(lib, "zonnepanelen")) == []

    item = share(lib["a"], lib["member"], kind=Kind.TOOLKIT, title="Zonnepanelen op het dak")

    assert hits(find(lib, "zonnepaneel")) == [item.pk]


def test_an_edit_replaces_the_old_words(lib):
    """After an edit, the old words no longer find the item and the new ones do."""
    item = lib["items"]["buurtcafe"]

    services.item_update(
        item=item,
        by=lib["facilitator"],
        title="Stappenplan repaircafé",
        body="Van gereedschap verzamelen tot de eerste broodrooster maken.",
        tags=["reparatie"],
    )

    assert hits(find(lib, "buurtcafé")) == []
    assert hits(find(lib, "koffie")) == []
    assert hits(find(lib, "repaircafé")) == [item.pk]
    assert hits(find(lib, "broodroosters")) == [item.pk]
    assert hits(find(lib, "broodrooster", theme="reparatie")) == [item.pk]
    assert SearchDocument.objects.filter(doc_type="item", doc_id=item.pk).count() == 1


def test_a_deleted_item_is_gone_from_search(lib):
    """Deleting an item removes it from results and from the index tables."""
    item = lib["items"]["webinar"]

    services.item_delete(item=item, by=lib["facilitator"])

    assert hits(find(lib, "armoede")) == []
    assert not SearchDocument.objects.filter(doc_type="item", doc_id=item.pk).exists()


def test_a_person_who_leaves_disappears_from_search(lib):
    """Removing a member drops them from that community's people results."""
    membership = lib["helper"].memberships.get(community=lib["a"])

    membership_remove(membership=membership, by=lib["facilitator"])

    assert hits(find(lib, "begeleiding"), "person") == []
    assert not SearchDocument.objects.filter(
        doc_type="person", doc_id=lib["helper"].pk, community=lib["a"]
    ).exists()


def test_changing_what_you_can_help_with_updates_people_results(lib):
    """New 'I can help with' tags make a person findable under them, the old ones no more."""
    helper = lib["helper"]

    profile_update(user=helper, by=helper, help_tags=["subsidies"])

    assert hits(find(lib, "mantelzorgers"), "person") == []
    assert hits(find(lib, "subsidie"), "person") == [helper.pk]


QUERIES = ["begeleiders", "leerkringen", "mantelzorgers", "volunteers", "wijkteam", "keukentafel"]


def _snapshot(lib) -> dict:
    return {
        q: {(h.document.doc_type, h.document.doc_id): h.score for h in find(lib, q).hits}
        for q in QUERIES
    }


def test_reindex_all_rebuilds_the_same_results(lib):
    """Rebuilding the whole index from scratch gives the same results and scores."""
    before = _snapshot(lib)
    documents = SearchDocument.objects.count()
    with connection.cursor():
        search.backend().clear()
    SearchDocument.objects.all().delete()
    assert all(not found for found in _snapshot(lib).values())

    total = search.reindex_all()

    assert total == documents
    assert _snapshot(lib) == before
    assert all(before.values())
