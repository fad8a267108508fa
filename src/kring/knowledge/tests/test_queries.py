"""The library's pages run a fixed number of queries, however much there is to show."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from kring.accounts.models import Perspective
from kring.accounts.services import profile_update
from kring.knowledge import services
from kring.knowledge.models import Featured, Kind


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    return SimpleUploadedFile("plaatje.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def library(client, make_user, make_community, make_member):
    """A community and a way to fill it: `grow(n)` adds n items with co-authors, themes,
    comments, useful marks and helpers who can help with the topic."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Wijkzorg", slug="wijkzorg")
    reader = make_member(community, full_name="Rita Reader").user
    perspective = Perspective.objects.first()
    state = {"count": 0}

    def grow(n: int) -> None:
        for _ in range(n):
            i = state["count"] = state["count"] + 1
            author = make_member(community, full_name=f"Auteur {i}").user
            co_author = make_member(community, full_name=f"Co {i}").user
            profile_update(
                user=author,
                by=author,
                help_tags=[f"begeleiding {i}"],
                perspectives=[perspective] if perspective else None,
            )
            item = services.item_create(
                community=community,
                by=author,
                kind=[Kind.PRACTICE_STORY, Kind.TOOLKIT, Kind.LESSON_LEARNED][i % 3],
                title=f"Begeleiding in wijk {i}",
                body=f"Over begeleiding van vrijwilligers, deel {i}.",
                sections={"learned": f"Begeleiding les {i}"} if i % 3 == 2 else None,
                tags=[f"thema {i}", "buurt"],
                authors=[author, co_author],
            )
            services.comment_create(item=item, by=co_author, body="Mooi!")
            services.item_mark_useful(item=item, by=reader)
            if i % 4 in (1, 2):
                services.item_feature(
                    item=item,
                    by=facilitator,
                    featured=Featured.GOOD_EXAMPLE if i % 4 == 1 else Featured.TOOLBOX,
                )

    client.force_login(reader)
    client.cookies["kring_language"] = "en"
    return {
        "community": community,
        "reader": reader,
        "facilitator": facilitator,
        "grow": grow,
        "client": client,
        "perspective": perspective.key if perspective else "",
    }


def queries_for(client, url, params=None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), [q["sql"][:160] for q in captured.captured_queries]


def assert_same_queries(client, url, params, grow, *, small, large):
    """Measure with `small` of something and with `large`: the count must not change."""
    grow(small)
    client.get(url, params)  # caches of the process (content types, ...) warm up first
    # Both measured cold for what Kring caches itself (the library's filter options): the
    # queries that fill those caches must not grow either.
    cache.clear()
    few, before = queries_for(client, url, params)
    grow(large - small)
    cache.clear()
    many, after = queries_for(client, url, params)
    assert many == few, "\n".join(q for q in after if q not in before) or "\n".join(after)
    return few


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "implicit"},
        {"theme": "buurt", "sort": "useful"},
        {"perspective": "PERSPECTIVE", "period": "year"},
    ],
    ids=["all", "implicit", "theme", "perspective"],
)
def test_the_library_page_does_not_grow_with_items(library, params):
    """The library list runs the same number of queries for 3 items as for 30."""
    if params.get("perspective"):
        params = {**params, "perspective": library["perspective"]}
    assert_same_queries(
        library["client"],
        "/communities/wijkzorg/library/",
        params,
        library["grow"],
        small=3,
        large=30,
    )


def test_the_library_htmx_fragment_does_not_grow_with_items(library):
    """The htmx results fragment stays flat too."""
    client = library["client"]
    client.defaults.update(HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results")

    assert_same_queries(
        client, "/communities/wijkzorg/library/", {}, library["grow"], small=3, large=30
    )


def _shape(sql: str) -> str:
    return re.sub(r"IN \([^)]*\)", "IN (...)", re.sub(r"\d+", "N", sql))


@pytest.mark.parametrize(
    "params",
    [{"q": "begeleiding"}, {"q": "begeleiding vrijwilligers", "kind": "implicit"}],
    ids=["all", "implicit"],
)
def test_the_search_page_does_not_grow_with_results(library, params):
    """The search page (items, people, who knows) runs as many queries for 3 matches as for
    30, but for the total: a full page of hits needs one count, fewer hits are the count."""
    client, url = library["client"], "/communities/wijkzorg/search/"
    library["grow"](3)
    client.get(url, params)
    cache.clear()  # both measured cold for the library's cached filter options
    few, before = queries_for(client, url, params)
    library["grow"](27)

    cache.clear()
    many, after = queries_for(client, url, params)

    # Compare the shape of the queries: ids in IN (...) lists differ between the runs.
    seen = {_shape(q) for q in before}
    extra = [q for q in after if _shape(q) not in seen]
    if many != few:
        assert many == few + 1
        assert len(extra) == 1 and extra[0].startswith("SELECT count(*) FROM")
    assert few < 30


def test_the_search_page_does_not_grow_beyond_a_full_page(library):
    """Past one full page of results (30 or 60 matches), the search page is flat."""
    assert_same_queries(
        library["client"],
        "/communities/wijkzorg/search/",
        {"q": "begeleiding"},
        library["grow"],
        small=30,
        large=60,
    )


def test_the_who_knows_page_does_not_grow_with_people(library):
    """Who knows stays flat as more people can help and more items match."""
    assert_same_queries(
        library["client"],
        "/communities/wijkzorg/who-knows/",
        {"q": "begeleiding"},
        library["grow"],
        small=3,
        large=30,
    )


@pytest.fixture
def one_item(library, make_member):
    """One item, and `grow(n)` gives it n more co-authors, comments and attachments."""
    library["grow"](1)
    community = library["community"]
    item = community.knowledge_items.get()
    first_author = item.author_list[0]
    people = []

    def grow(n: int) -> None:
        for _ in range(n):
            person = make_member(community, full_name=f"Lezer {len(people)}").user
            people.append(person)
            services.comment_create(item=item, by=person, body=f"Reactie **{len(people)}**")
            services.item_mark_useful(item=item, by=person)
            services.attachment_add(item=item, by=first_author, upload=png())
            services.item_update(
                item=item,
                by=library["facilitator"] if len(people) % 2 else first_author,
                authors=[first_author, *people[-9:]],
                body=f"Versie {len(people)}",
                tags=["buurt", *[f"thema {k}" for k in range(len(people))]],
            )

    return {**library, "item": item, "grow": grow}


def test_the_item_page_does_not_grow_with_comments_authors_or_files(one_item):
    """An item's page runs the same queries with 1 or 9 co-authors, comments and files."""
    item = one_item["item"]

    assert_same_queries(
        one_item["client"], item.get_absolute_url(), {}, one_item["grow"], small=1, large=9
    )


def test_the_history_page_does_not_grow_with_versions(one_item):
    """The history page runs the same queries with 3 or 11 versions by different people."""
    item = one_item["item"]

    assert_same_queries(
        one_item["client"],
        item.get_absolute_url() + "revisions/",
        {},
        one_item["grow"],
        small=1,
        large=9,
    )


def test_the_author_filter_lists_a_fixed_number_of_people(library):
    """The author filter lists the authors of the latest items, not every author: with 5 or
    with 40 items it stays within a screenful, and an older author still shows when chosen
    (the picker finds the others by name); the same queries either way."""
    from kring.knowledge.selectors import LIBRARY_AUTHOR_ITEMS

    client = library["client"]

    def authors_listed(params=None) -> list[str]:
        html = client.get("/communities/wijkzorg/library/", params or {}).content.decode()
        select = re.search(r'<select id="id_author".*?</select>', html, re.S).group(0)
        assert "data-picker-url" in select
        return re.findall(r'<option value="(\d+)"', select)

    library["grow"](5)
    assert len(authors_listed()) == 10  # two per item
    library["grow"](LIBRARY_AUTHOR_ITEMS + 5)
    assert len(authors_listed()) == 2 * LIBRARY_AUTHOR_ITEMS
    first = library["community"].knowledge_items.order_by("created_at").first()
    oldest = first.item_authors.first().user_id
    assert str(oldest) not in authors_listed()
    assert str(oldest) in authors_listed({"author": oldest})


def test_an_item_matching_twice_is_listed_once(library):
    """Filtering by theme and author together gives each item once (no join repeats it);
    the results fragment alone, as the featured items above the list may show it too."""
    library["grow"](3)
    item = library["community"].knowledge_items.order_by("created_at").first()
    author = item.item_authors.first().user_id
    html = (
        library["client"]
        .get(
            "/communities/wijkzorg/library/",
            {"theme": "buurt", "author": author},
            headers={"HX-Request": "true", "HX-Target": "library-results"},
        )
        .content.decode()
    )
    assert html.count(f'href="{item.get_absolute_url()}"') == 1
