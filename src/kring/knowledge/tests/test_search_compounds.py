"""Dutch compound words: a part of a compound finds the item, below items that have the
part as a word of its own. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import pytest

from kring.core.search import compounds, text
from kring.knowledge import selectors, services
from kring.knowledge.models import Kind


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("regiotaxi", {"regio", "taxi"}),
        ("mantelzorgondersteuning", {"mantel", "zorg", "mantelzorg", "ondersteuning"}),
        ("gezondheidszorg", {"gezondheid", "zorg"}),
        ("wijkteamoverleg", {"wijk", "team", "wijkteam", "overleg"}),
        ("armoedebestrijding", {"armoede", "bestrijding"}),
        ("kinderopvang", {"kind", "opvang"}),
    ],
)
def test_a_compound_is_split_into_its_parts(word, expected):
    """Linking morphemes (-s-, -er-) are dropped from a part; runs of parts count too."""
    assert expected <= set(compounds.parts(word))
    assert word not in compounds.parts(word)


@pytest.mark.parametrize(
    "word",
    [
        "ondersteuning",  # onder + steuning: a prefix, not a compound
        "aanpak",
        "samenwerking",
        "gemeenschap",  # gemeen + schap: a derivational ending
        "verminderen",
        "eenzaamheid",
        "begeleiding",
        "gesprekken",  # the plural of a simple word (not gesp + rekken)
        "taxi",
        "zorg",
    ],
)
def test_a_simple_word_is_not_split(word):
    assert compounds.parts(word) == ()


def test_parts_go_in_their_own_column_as_stems():
    title, body, tags, parts = text.index_columns("Regiotaxi", "De mantelzorgers", "")

    assert title == "regiotaxi"
    assert "taxi" in parts.split() and "regio" in parts.split()
    assert "mantelzorger" in body.split()


def test_a_compound_match_is_highlighted():
    assert "<mark>Regiotaxi</mark>" in text.highlight("De Regiotaxi rijdt.", [("taxi",)])


@pytest.fixture
def library(make_user, make_community, make_member):
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    member = make_member(community, full_name="Mo Member").user

    def share(key, title, body):
        return key, services.item_create(
            community=community, by=facilitator, kind=Kind.PRACTICE_STORY, title=title, body=body
        )

    items = dict(
        [
            share("regiotaxi", "De Regiotaxi in Drenthe", "Ouderen reizen met de regiotaxi."),
            share("taxi", "Met de taxi naar het ziekenhuis", "Een taxi vraagt vooraf een rit."),
            share(
                "mantelzorg",
                "Mantelzorgondersteuning in de wijk",
                "Wat de gemeente doet voor mantelzorgondersteuning.",
            ),
            share("zorg", "Zorg in de buurt", "Zorg dichtbij voor wie het nodig heeft."),
            share("fiets", "Fietsen met ouderen", "Op de duofiets door het park."),
            share("tuin", "Een moestuin bij school", "Kinderen leren over groente."),
        ]
    )
    return {"community": community, "member": member, "items": items}


def found(library, q) -> list[str]:
    results = selectors.community_search(
        community=library["community"], viewer=library["member"], q=q
    )
    names = {item.pk: key for key, item in library["items"].items()}
    return [names[h.document.doc_id] for h in results.hits if h.document.doc_type == "item"]


def test_a_part_finds_the_compound_below_the_word_itself(library):
    """`taxi` finds the Regiotaxi story, after the item that has taxi as a word."""
    assert found(library, "taxi") == ["taxi", "regiotaxi"]


def test_zorg_finds_mantelzorgondersteuning(library):
    assert found(library, "zorg") == ["zorg", "mantelzorg"]


def test_a_run_of_parts_finds_the_compound(library):
    assert found(library, "mantelzorg") == ["mantelzorg"]
    assert found(library, "ondersteuning") == ["mantelzorg"]


def test_the_whole_compound_still_finds_itself_first(library):
    assert found(library, "regiotaxi") == ["regiotaxi"]


def test_a_part_of_a_simple_word_finds_nothing(library):
    """`tuin` finds the moestuin (a compound); letters of a simple word are no part."""
    assert found(library, "tuin") == ["tuin"]
    assert found(library, "steuning") == []
    assert found(library, "dicht") == []


def test_every_word_must_match_also_through_parts(library):
    assert found(library, "taxi drenthe") == ["regiotaxi"]
