"""The library over HTTP: the search document, items, revisions, reactions, attachments."""

import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kring.accounts.services import api_token_create, profile_update
from kring.communities.models import Role, Visibility
from kring.core.testing import assert_error
from kring.knowledge import services
from kring.knowledge.models import Kind, KnowledgeItem, Revision

BASE = "/api/v1/communities"

# Twelve items, so that BM25's document frequencies mean something.
CORPUS = [
    ("Begeleiding van vrijwilligers", "Hoe je nieuwe vrijwilligers inwerkt en ondersteunt."),
    (
        "Verslag van de wijkavond",
        "We spraken over de buurt, het groen, de speeltuin en ook kort over begeleiding "
        "van jongeren, parkeren en de bibliotheek.",
    ),
    ("Subsidie aanvragen bij de gemeente", "Welke formulieren en welke termijnen gelden."),
    ("Stappenplan voor een buurtcafé", "Van ruimte zoeken tot de eerste koffie schenken."),
    ("Webinar over eenzaamheid", "Opname van het webinar met ervaringsdeskundigen."),
    ("Leerkring over mantelzorg", "Wat mantelzorgers elkaar leren in kleine groepen."),
    ("Workshop facilitation for beginners", "How to run a short workshop with residents."),
    ("De keukentafel", "Een praktijkverhaal over gesprekken aan de keukentafel."),
    ("Toolkit burgerparticipatie", "Werkvormen om bewoners mee te laten denken."),
    ("Wijkteam en huisarts", "Samenwerken tussen het wijkteam en de huisartsenpraktijk."),
    ("Handreiking privacy", "Wat je wel en niet mag delen over inwoners."),
    ("Jaarplan sociaal domein", "Doelen en mijlpalen voor het komende jaar."),
]


def bearer(user, scope="write") -> dict:
    _token, secret = api_token_create(user=user, scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method, url, data=None, headers=None):
    if method == "get":
        return client.get(url, data or {}, **(headers or {}))
    return getattr(client, method)(
        url, json.dumps(data or {}), content_type="application/json", **(headers or {})
    )


@pytest.fixture
def lib(make_user, make_community, make_member):
    """A private community with a facilitator, a member, a guest, and a corpus of items;
    a second community with an item on the same topic."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    member = make_member(community, full_name="Mo Member", email="mo@example.org").user
    guest = make_member(community, role=Role.GUEST, full_name="Guus Guest").user
    helper = make_member(community, full_name="Bea Begeleider").user
    profile_update(user=helper, by=helper, help_tags=["begeleiding"], job_title="Coach")
    items = {
        title: services.item_create(
            community=community, by=facilitator, kind=Kind.PRACTICE_EXAMPLE, title=title, body=body
        )
        for title, body in CORPUS
    }
    other_facilitator = make_user(full_name="Otto Elders", can_create=True)
    other = make_community(by=other_facilitator, name="Elders", slug="elders")
    services.item_create(
        community=other,
        by=other_facilitator,
        kind=Kind.PRACTICE_EXAMPLE,
        title="Begeleiding elders",
        body="Begeleiding in een andere community.",
    )
    return {
        "community": community,
        "other": other,
        "facilitator": facilitator,
        "member": member,
        "guest": guest,
        "helper": helper,
        "outsider": make_user(full_name="Olga Outsider"),
        "items": items,
    }


def search(client, user, q, **params):
    return client.get(f"{BASE}/zorg-thuis/search", {"q": q, **params}, **bearer(user, "read"))


# --- Search ---------------------------------------------------------------------------------


def test_search_document_shape(client, lib):
    """The search answer has results (type, id, title, snippet, score, url) and people."""
    response = search(client, lib["member"], "begeleiding")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"total", "results", "people"}
    assert body["total"] == len(body["results"]) >= 2
    for hit in body["results"]:
        assert set(hit) == {"type", "id", "title", "snippet", "snippet_html", "score", "url"}
        assert hit["type"] in ("item", "person")
        assert isinstance(hit["id"], int)
        assert isinstance(hit["score"], float)
        assert hit["url"].startswith(settings.SITE_URL + "/")
        assert "<mark>" not in hit["snippet"] and "<" not in hit["title"]
    first = next(hit for hit in body["results"] if hit["type"] == "item")
    item = lib["items"]["Begeleiding van vrijwilligers"]
    assert first == {
        "type": "item",
        "id": item.pk,
        "title": "Begeleiding van vrijwilligers",
        "snippet": "Hoe je nieuwe vrijwilligers inwerkt en ondersteunt.",
        "snippet_html": "Hoe je nieuwe vrijwilligers inwerkt en ondersteunt.",
        "score": first["score"],
        "url": settings.SITE_URL + f"/communities/zorg-thuis/library/{item.pk}/",
    }
    body_only = next(h for h in body["results"] if h["title"] == "Verslag van de wijkavond")
    assert "<mark>begeleiding</mark>" in body_only["snippet_html"]
    assert "begeleiding van jongeren" in body_only["snippet"]


def test_search_people_say_who_knows(client, lib):
    """`people` names members who know about the query, with the reason in words."""
    people = search(client, lib["member"], "begeleiding", people="true").json()["people"]
    helper = next(p for p in people if p["email"] == lib["helper"].email)
    assert helper["name"] == "Bea Begeleider"
    assert "begeleiding" in helper["reason"]
    assert {"email", "name", "reason"} == set(helper)


def test_search_leaves_who_knows_out_unless_asked(client, lib):
    """Without people=true the answer has `people: null`, and who knows this? is not worked
    out: fewer queries than with it, the same results."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        without = search(client, lib["member"], "begeleiding").json()
    with CaptureQueriesContext(connection) as asked:
        with_people = search(client, lib["member"], "begeleiding", people="true").json()
    assert without["people"] is None
    assert with_people["people"]
    assert without["results"] == with_people["results"]
    assert not any("knowledge_itemauthor" in q["sql"] for q in plain.captured_queries)
    assert len(plain.captured_queries) < len(asked.captured_queries)


def test_search_finds_people_as_results(client, lib):
    """A member whose profile matches is a result of type person, with their profile URL."""
    results = search(client, lib["member"], "coach").json()["results"]
    assert [(r["type"], r["id"]) for r in results] == [("person", lib["helper"].pk)]
    assert results[0]["url"] == settings.SITE_URL + f"/people/{lib['helper'].pk}/"


def test_search_ranks_title_match_before_body_only_match(client, lib):
    """A title match ranks above a match in the body only; scores fall from first to last."""
    results = search(client, lib["member"], "begeleiding", kind="practice_example").json()[
        "results"
    ]
    titles = [r["title"] for r in results]
    assert titles == ["Begeleiding van vrijwilligers", "Verslag van de wijkavond"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("begeleiders", "Begeleiding van vrijwilligers"),
        ("leerkringen", "Leerkring over mantelzorg"),
        ("mantelzorger", "Leerkring over mantelzorg"),
        ("workshops facilitating", "Workshop facilitation for beginners"),
    ],
)
def test_search_stems_dutch_and_english(client, lib, query, title):
    """Other forms of a word find it: Dutch plurals and English verb forms."""
    results = search(client, lib["member"], query, kind="explicit").json()["results"]
    assert results and results[0]["title"] == title


def test_search_stays_in_its_community(client, lib, make_admin):
    """Items of another community are never returned, not even to a platform admin."""
    other_item = KnowledgeItem.objects.get(community=lib["other"])
    for user in (lib["member"], make_admin()):
        results = search(client, user, "begeleiding elders").json()["results"]
        assert other_item.pk not in [r["id"] for r in results if r["type"] == "item"]
        assert all(r["url"].startswith(settings.SITE_URL + "/") for r in results)
    everything = search(client, lib["member"], "begeleiding", limit=50).json()["results"]
    own = set(KnowledgeItem.objects.filter(community=lib["community"]).values_list("pk", flat=1))
    assert {r["id"] for r in everything if r["type"] == "item"} <= own


def test_search_kind_filter_and_paging(client, lib):
    """kind narrows to items of that kind; limit and offset page through the ranking."""
    services.item_create(
        community=lib["community"],
        by=lib["member"],
        kind=Kind.LESSON_LEARNED,
        title="Wat we leerden over begeleiding",
        sections={"learned": "Begin klein."},
    )
    lessons = search(client, lib["member"], "begeleiding", kind="lesson_learned").json()
    assert [r["title"] for r in lessons["results"]] == ["Wat we leerden over begeleiding"]
    all_hits = search(client, lib["member"], "begeleiding").json()
    page = search(client, lib["member"], "begeleiding", limit=1, offset=1).json()
    assert page["results"] == all_hits["results"][1:2]
    assert page["total"] == all_hits["total"]


def test_search_theme_filter(client, lib):
    """theme keeps only items with that theme."""
    item = services.item_create(
        community=lib["community"],
        by=lib["member"],
        kind=Kind.HANDOUT,
        title="Begeleiding op school",
        tags=["Onderwijs"],
    )
    results = search(client, lib["member"], "begeleiding", theme="onderwijs").json()["results"]
    assert [r["id"] for r in results] == [item.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "zorg", "kind": "poem"}, "kind"),
        ({"q": "zorg", "limit": 51}, "limit"),
        ({"q": "zorg", "limit": 0}, "limit"),
        ({"q": "zorg", "offset": -1}, "offset"),
        ({"q": "zorg", "limit": "lots"}, "limit"),
    ],
)
def test_search_bad_input_is_422(client, lib, params, field):
    """An empty query and bad parameters get 422 naming the field."""
    response = client.get(f"{BASE}/zorg-thuis/search", params, **bearer(lib["member"]))
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"]


def test_search_empty_query_message(client, lib):
    """An empty query is answered with a sentence saying what to do."""
    response = client.get(f"{BASE}/zorg-thuis/search", {"q": ""}, **bearer(lib["member"]))
    assert response.json()["detail"] == "Type what you are looking for."


def test_search_hostile_query_is_harmless(client, lib):
    """Quotes, operators and markup in a query are just words; the snippet stays escaped."""
    services.item_create(
        community=lib["community"],
        by=lib["member"],
        kind=Kind.HANDOUT,
        title="Script tips",
        body='Use <script>alert("x")</script> never.',
    )
    for q in ['"begeleiding', "begeleiding OR 1=1 --", "NEAR(a b)", "*", "<script>"]:
        assert search(client, lib["member"], q).status_code == 200
    hit = search(client, lib["member"], "script").json()["results"][0]
    assert (
        "<script>" not in hit["snippet_html"]
        and "&lt;<mark>script</mark>&gt;" in (hit["snippet_html"])
    )
    assert '<script>alert("x")</script>' in hit["snippet"]


def test_search_access(client, lib, make_community, make_user):
    """Outsiders get 404 for a private community, 403 for a public one; no token is 401."""
    assert_error(search(client, lib["outsider"], "zorg"), 404, "not_found")
    assert_error(client.get(f"{BASE}/zorg-thuis/search", {"q": "zorg"}), 401, "unauthenticated")
    make_community(name="Open", slug="open", visibility=Visibility.PUBLIC)
    response = client.get(f"{BASE}/open/search", {"q": "zorg"}, **bearer(lib["outsider"]))
    assert_error(response, 403, "forbidden")
    assert search(client, lib["guest"], "zorg").status_code == 200


# --- Items ----------------------------------------------------------------------------------


def items_url(item=None, suffix=""):
    return f"{BASE}/zorg-thuis/knowledge" + (f"/{item}" if item is not None else "") + suffix


def test_crud_round_trip_with_revisions_and_restore(client, lib):
    """Create, read, patch, replace, list versions, restore the first, delete."""
    member = bearer(lib["member"])
    created = send(
        client,
        "post",
        items_url(),
        {
            "kind": "link",
            "title": "  Handboek   buurtzorg ",
            "body": "Lees **dit** eerst.",
            "url": "https://example.org/handboek",
            "tags": ["Zorg", "Wijk"],
            "authors": ["MO@example.org", lib["helper"].email],
        },
        member,
    )
    assert created.status_code == 201, created.content
    item = created.json()
    pk = item["id"]
    assert item["title"] == "Handboek buurtzorg"
    assert item["body_html"] == "<p>Lees <strong>dit</strong> eerst.</p>\n"
    assert item["url"] == "https://example.org/handboek"
    assert item["tags"] == ["Wijk", "Zorg"]
    assert [a["email"] for a in item["authors"]] == ["mo@example.org", lib["helper"].email]
    assert item["page_url"] == settings.SITE_URL + f"/communities/zorg-thuis/library/{pk}/"
    assert item["featured"] == "" and item["attachments"] == []
    assert item["useful_count"] == 0 and item["comment_count"] == 0

    assert client.get(items_url(pk), **member).json() == item

    patched = send(client, "patch", items_url(pk), {"title": "Handboek", "note": "korter"}, member)
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Handboek"
    assert patched.json()["body"] == "Lees **dit** eerst."

    replaced = send(
        client,
        "put",
        items_url(pk),
        {"kind": "handout", "title": "Handboek 2", "body": "Nieuw."},
        member,
    )
    assert replaced.status_code == 200, replaced.content
    data = replaced.json()
    assert (data["kind"], data["url"], data["tags"]) == ("handout", "", [])
    assert len(data["authors"]) == 2  # left out on PUT: unchanged

    revisions = client.get(items_url(pk, "/revisions"), **member).json()
    assert revisions["count"] == 3
    assert [r["number"] for r in revisions["items"]] == [3, 2, 1]
    assert revisions["items"][1]["note"] == "korter"
    assert revisions["items"][2]["title"] == "Handboek buurtzorg"
    assert revisions["items"][2]["edited_by"]["email"] == "mo@example.org"

    restored = client.post(items_url(pk, "/revisions/1/restore"), **member)
    assert restored.status_code == 200, restored.content
    data = restored.json()
    assert (data["kind"], data["title"], data["url"]) == (
        "link",
        "Handboek buurtzorg",
        "https://example.org/handboek",
    )
    assert data["tags"] == ["Wijk", "Zorg"]
    assert Revision.objects.filter(item_id=pk).count() == 4

    assert client.delete(items_url(pk), **member).status_code == 204
    assert_error(client.get(items_url(pk), **member), 404, "not_found")
    assert not KnowledgeItem.objects.filter(pk=pk).exists()


def test_created_item_is_searchable(client, lib):
    """What the API shares, the API finds; what it deletes, it no longer finds."""
    member = bearer(lib["member"])
    pk = send(client, "post", items_url(), {"kind": "toolkit", "title": "Zebrapad"}, member).json()[
        "id"
    ]
    assert [r["id"] for r in search(client, lib["member"], "zebrapad").json()["results"]] == [pk]
    client.delete(items_url(pk), **member)
    assert search(client, lib["member"], "zebrapad").json()["results"] == []


def test_lesson_learned_sections(client, lib):
    """A lesson learned is written in parts; unknown parts are refused."""
    member = bearer(lib["member"])
    response = send(
        client,
        "post",
        items_url(),
        {
            "kind": "lesson_learned",
            "title": "Te snel gestart",
            "sections": {"tried": "Meteen beginnen.", "learned": "Eerst kennismaken."},
        },
        member,
    )
    assert response.status_code == 201, response.content
    assert response.json()["sections"] == {
        "tried": "Meteen beginnen.",
        "learned": "Eerst kennismaken.",
    }
    bad = send(
        client,
        "post",
        items_url(),
        {"kind": "lesson_learned", "title": "x", "sections": {"mood": "ok"}},
        member,
    )
    assert "sections" in assert_error(bad, 422, "invalid")["errors"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "toolkit", "title": ""}, "title"),
        ({"kind": "toolkit", "title": "x" * 201}, "title"),
        ({"kind": "poem", "title": "Gedicht"}, "kind"),
        ({"kind": "link", "title": "Link"}, "url"),
        ({"kind": "link", "title": "Link", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "toolkit", "title": "x", "body": "y" * 50001}, "body"),
        ({"kind": "toolkit", "title": "x", "tags": [f"t{i}" for i in range(16)]}, "tags"),
        ({"kind": "toolkit", "title": "x", "authors": ["nobody@example.org"]}, "authors"),
        ({"kind": "toolkit", "title": "x", "sections": {"learned": "y"}}, "sections"),
        ({"kind": "toolkit"}, "title"),
        ({"title": "x", "kind": ["toolkit"]}, "kind"),
    ],
)
def test_create_bad_input_is_422_and_saves_nothing(client, lib, data, field):
    """Invalid input is answered with 422 and the field's message; nothing is saved."""
    before = KnowledgeItem.objects.count()
    response = send(client, "post", items_url(), data, bearer(lib["member"]))
    body = assert_error(response, 422, "invalid")
    assert field in body["errors"], body
    assert KnowledgeItem.objects.count() == before


def test_author_must_be_a_member(client, lib):
    """Naming someone outside the community as author is refused."""
    response = send(
        client,
        "post",
        items_url(),
        {"kind": "toolkit", "title": "x", "authors": [lib["outsider"].email]},
        bearer(lib["member"]),
    )
    assert lib["outsider"].email in assert_error(response, 422, "invalid")["detail"]


def test_markdown_is_sanitised(client, lib):
    """Raw HTML and javascript: links in the body never reach body_html."""
    response = send(
        client,
        "post",
        items_url(),
        {
            "kind": "toolkit",
            "title": "x",
            "body": '<script>alert(1)</script> [klik](javascript:alert(2)) <img src=x onerror="y">',
        },
        bearer(lib["member"]),
    )
    html = response.json()["body_html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_read_token_cannot_write(client, lib):
    """A read token may read but not create, change or delete (403)."""
    read = bearer(lib["member"], "read")
    item = lib["items"]["De keukentafel"]
    assert client.get(items_url(item.pk), **read).status_code == 200
    before = KnowledgeItem.objects.count()
    response = send(client, "post", items_url(), {"kind": "toolkit", "title": "x"}, read)
    assert_error(response, 403, "read_only_token")
    assert_error(
        send(client, "patch", items_url(item.pk), {"title": "y"}, read), 403, "read_only_token"
    )
    assert_error(client.delete(items_url(item.pk), **read), 403, "read_only_token")
    assert_error(client.post(items_url(item.pk, "/useful"), **read), 403, "read_only_token")
    assert KnowledgeItem.objects.count() == before


WHO = ("outsider", "guest", "member", "author", "facilitator", "admin")


@pytest.fixture
def caller(client, lib, make_admin):
    """Requests as one person in a position relative to an item by Mo Member."""
    item = services.item_create(
        community=lib["community"], by=lib["member"], kind=Kind.TOOLKIT, title="Mo's toolkit"
    )
    people = {
        "outsider": lib["outsider"],
        "guest": lib["guest"],
        "member": lib["helper"],
        "author": lib["member"],
        "facilitator": lib["facilitator"],
        "admin": make_admin(),
    }

    def call(who, method, suffix="", data=None):
        return send(client, method, items_url(item.pk, suffix), data, bearer(people[who]))

    call.item = item
    return call


@pytest.mark.parametrize(
    ("who", "read", "edit", "react"),
    [
        ("outsider", 404, 404, 404),
        ("guest", 200, 403, 200),
        ("member", 200, 403, 200),
        ("author", 200, 200, 200),
        ("facilitator", 200, 200, 200),
        ("admin", 200, 200, 200),
    ],
)
def test_item_access(caller, who, read, edit, react):
    """Everyone inside reads and reacts; authors and facilitators edit; outsiders get 404."""
    assert caller(who, "get").status_code == read
    assert caller(who, "get", "/revisions").status_code == read
    assert caller(who, "patch", "", {"title": "Nieuw"}).status_code == edit
    assert caller(who, "post", "/useful").status_code == react
    assert caller(who, "post", "/comments", {"body": "Dank!"}).status_code == (
        201 if react == 200 else react
    )
    assert caller(who, "delete").status_code == (204 if edit == 200 else edit)


def test_guest_cannot_share(client, lib):
    """Guests read and react but do not share items (403)."""
    response = send(
        client, "post", items_url(), {"kind": "toolkit", "title": "x"}, bearer(lib["guest"])
    )
    assert_error(response, 403, "forbidden")


def test_public_community_outsider_gets_403(client, lib, make_community):
    """In a public community an outsider is refused (403): its existence is no secret."""
    community = make_community(name="Open", slug="open", visibility=Visibility.PUBLIC)
    response = client.get(f"{BASE}/open/knowledge", **bearer(lib["outsider"]))
    assert_error(response, 403, "forbidden")
    assert community.knowledge_items.count() == 0


def test_item_of_another_community_is_404(client, lib):
    """An item id from another community is not found through this community's URL."""
    other_item = KnowledgeItem.objects.get(community=lib["other"])
    assert_error(client.get(items_url(other_item.pk), **bearer(lib["member"])), 404, "not_found")


def test_facilitator_features(client, lib):
    """Facilitators feature items; others may not."""
    item = lib["items"]["Toolkit burgerparticipatie"]
    denied = send(
        client, "patch", items_url(item.pk), {"featured": "toolbox"}, bearer(lib["member"])
    )
    assert_error(denied, 403, "forbidden")
    ok = send(
        client, "patch", items_url(item.pk), {"featured": "toolbox"}, bearer(lib["facilitator"])
    )
    assert ok.json()["featured"] == "toolbox"
    listed = client.get(items_url(), {"featured": "toolbox"}, **bearer(lib["member"])).json()
    assert [i["id"] for i in listed["items"]] == [item.pk]


def test_list_filters_and_sorting(client, lib):
    """The list is paginated and filters by kind, author and theme, sorted as asked."""
    member = bearer(lib["member"])
    mine = services.item_create(
        community=lib["community"],
        by=lib["member"],
        kind=Kind.WEBINAR,
        title="Aardig webinar",
        tags=["Eenzaamheid"],
    )
    everything = client.get(items_url(), **member).json()
    assert set(everything) == {"items", "count"}
    assert everything["count"] == len(CORPUS) + 1
    assert everything["items"][0]["id"] == mine.pk  # newest first
    by_kind = client.get(items_url(), {"kind": "webinar"}, **member).json()
    assert [i["id"] for i in by_kind["items"]] == [mine.pk]
    by_author = client.get(items_url(), {"author": lib["member"].pk}, **member).json()
    assert [i["id"] for i in by_author["items"]] == [mine.pk]
    by_theme = client.get(items_url(), {"theme": "eenzaamheid"}, **member).json()
    assert [i["id"] for i in by_theme["items"]] == [mine.pk]
    by_title = client.get(items_url(), {"sort": "title"}, **member).json()["items"]
    assert by_title[0]["title"] == "Aardig webinar"
    page = client.get(items_url(), {"page": 2, "page_size": 5}, **member).json()
    assert len(page["items"]) == 5 and page["count"] == len(CORPUS) + 1
    assert_error(client.get(items_url(), {"kind": "poem"}, **member), 422, "invalid")
    assert_error(client.get(items_url(), {"sort": "random"}, **member), 422, "invalid")
    assert_error(client.get(items_url(), {"period": "decade"}, **member), 422, "invalid")


def test_list_pages_twenty_items_by_default(client, lib):
    """Whole items come 20 to a page unless `page_size` asks for more (docs/knowledge-api.md)."""
    from kring.knowledge.api import ITEMS_PER_PAGE

    member = bearer(lib["member"])
    for number in range(ITEMS_PER_PAGE + 1 - len(CORPUS)):
        services.item_create(
            community=lib["community"], by=lib["member"], kind=Kind.HANDOUT, title=f"Blad {number}"
        )
    total = max(len(CORPUS), ITEMS_PER_PAGE + 1)
    first = client.get(items_url(), **member).json()
    assert len(first["items"]) == ITEMS_PER_PAGE and first["count"] == total
    assert len(client.get(items_url(), {"page": 2}, **member).json()["items"]) == 1
    everything = client.get(items_url(), {"page_size": 200}, **member).json()["items"]
    assert len(everything) == total


def test_list_query_count_does_not_grow(client, lib, django_assert_max_num_queries):
    """Listing 12 items or 24 takes the same number of queries."""
    headers = bearer(lib["member"], "read")
    client.get(items_url(), **headers)  # token last-used stamp

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(items_url(), **headers).status_code == 200
        return len(ctx.captured_queries)

    small = count_queries()
    for title, body in CORPUS:
        services.item_create(
            community=lib["community"],
            by=lib["member"],
            kind=Kind.HANDOUT,
            title=title,
            body=body,
            tags=["Extra"],
        )
    # The library's size is kept between requests: the first list after a change counts
    # the items once, the next ones do not.
    assert count_queries() == small + 1
    assert count_queries() == small


def test_the_whole_librarys_size_is_kept_and_follows_changes(client, lib):
    """Unfiltered, the API list's `count` is the kept library size, not a COUNT each time,
    and a new item shows in it at once; a filtered list is counted."""
    headers = bearer(lib["member"], "read")
    before = client.get(items_url(), **headers).json()["count"]
    services.item_create(
        community=lib["community"], by=lib["member"], kind=Kind.HANDOUT, title="Nieuw"
    )
    assert client.get(items_url(), **headers).json()["count"] == before + 1
    handouts = client.get(items_url() + "?kind=handout", **headers).json()
    assert (
        handouts["count"]
        == KnowledgeItem.objects.filter(community=lib["community"], kind=Kind.HANDOUT).count()
    )


def test_useful_marks_count_once(client, lib):
    """Marking useful twice counts once; unmarking takes it back."""
    item = lib["items"]["Handreiking privacy"]
    member = bearer(lib["member"])
    assert client.post(items_url(item.pk, "/useful"), **member).json() == {
        "useful": True,
        "useful_count": 1,
    }
    assert client.post(items_url(item.pk, "/useful"), **member).json()["useful_count"] == 1
    assert client.delete(items_url(item.pk, "/useful"), **member).json() == {
        "useful": False,
        "useful_count": 0,
    }


def test_comments(client, lib):
    """Comments are added (Markdown rendered safely), counted and listed in order."""
    item = lib["items"]["Wijkteam en huisarts"]
    member = bearer(lib["member"])
    response = send(client, "post", items_url(item.pk, "/comments"), {"body": "*Mooi*"}, member)
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment["author"]["email"] == "mo@example.org"
    assert comment["body_html"] == "<p><em>Mooi</em></p>\n"
    send(client, "post", items_url(item.pk, "/comments"), {"body": "Tweede"}, member)
    listed = client.get(items_url(item.pk, "/comments"), **member).json()
    assert [c["body"] for c in listed["items"]] == ["*Mooi*", "Tweede"]
    assert client.get(items_url(item.pk), **member).json()["comment_count"] == 2
    empty = send(client, "post", items_url(item.pk, "/comments"), {"body": "   "}, member)
    assert "body" in assert_error(empty, 422, "invalid")["errors"]


def test_restore_unknown_revision_is_404(client, lib):
    """Restoring a version that does not exist is 404."""
    item = lib["items"]["Handreiking privacy"]
    response = client.post(
        items_url(item.pk, "/revisions/99/restore"), **bearer(lib["facilitator"])
    )
    assert_error(response, 404, "not_found")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_attachments_upload_download_delete(client, lib):
    """Authors attach files (type read from the content), insiders download, outsiders don't."""
    item = services.item_create(
        community=lib["community"], by=lib["member"], kind=Kind.TOOLKIT, title="Met plaatje"
    )
    member = bearer(lib["member"])
    upload = SimpleUploadedFile("plaatje.pdf", _png(), content_type="application/pdf")
    response = client.post(items_url(item.pk, "/attachments"), {"file": upload}, **member)
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert (attachment["name"], attachment["content_type"]) == ("plaatje.pdf", "image/png")
    assert client.get(items_url(item.pk), **member).json()["attachments"] == [attachment]
    path = attachment["url"].removeprefix(settings.SITE_URL)
    download = client.get(path, **bearer(lib["guest"]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == _png()
    assert client.get(path, **bearer(lib["outsider"])).status_code == 404
    bad = SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    rejected = client.post(items_url(item.pk, "/attachments"), {"file": bad}, **member)
    assert "file" in assert_error(rejected, 422, "invalid")["errors"]
    assert client.delete(path, **member).status_code == 204
    assert client.get(path, **member).status_code == 404


def test_attachment_download_is_safe(client, lib):
    """The API hands a file out as the web page does: not sniffed, not kept by the browser,
    under a name that cannot add a header."""
    item = services.item_create(
        community=lib["community"], by=lib["member"], kind=Kind.TOOLKIT, title="Met plaatje"
    )
    attachment = services.attachment_add(
        item=item,
        by=lib["member"],
        upload=SimpleUploadedFile('Plan "mei"\r\nX-Evil: 1.png', _png(), content_type="image/png"),
    )
    path = items_url(item.pk, f"/attachments/{attachment.pk}")

    download = client.get(path, **bearer(lib["member"]))

    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert not download.has_header("X-Evil")


def test_attachment_download_of_a_missing_file_is_404(client, lib):
    """A file gone from storage gives the API's 404, not a server error."""
    item = services.item_create(
        community=lib["community"], by=lib["member"], kind=Kind.TOOLKIT, title="Kwijt"
    )
    attachment = services.attachment_add(
        item=item, by=lib["member"], upload=SimpleUploadedFile("weg.png", _png())
    )
    attachment.file.storage.delete(attachment.file.name)

    response = client.get(
        items_url(item.pk, f"/attachments/{attachment.pk}"), **bearer(lib["member"])
    )

    assert_error(response, 404, "not_found")


def test_openapi_lists_the_library(client):
    """The schema documents the library endpoints at the promised paths."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/communities/{slug}"
    assert set(paths[f"{base}/knowledge/{{item_id}}"]) == {"get", "put", "patch", "delete"}
    for path in (
        f"{base}/search",
        f"{base}/knowledge",
        f"{base}/knowledge/{{item_id}}/revisions",
        f"{base}/knowledge/{{item_id}}/revisions/{{number}}/restore",
        f"{base}/knowledge/{{item_id}}/useful",
        f"{base}/knowledge/{{item_id}}/comments",
    ):
        assert path in paths
