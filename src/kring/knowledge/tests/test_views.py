"""The library's pages: who may open or use each one, and what the forms do with good and
bad input."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from PIL import Image

from kring.accounts.services import profile_update
from kring.communities.models import Role, Visibility
from kring.knowledge import services
from kring.knowledge.models import Comment, Featured, Kind, KnowledgeItem, Revision


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, format="PNG")
    return SimpleUploadedFile("schema.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def world(make_user, make_admin, make_community, make_member):
    """A private community with someone in every role, an item by `author` with two
    versions and an attachment; a facilitator of another community; a platform admin."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Wijkzorg", slug="wijkzorg")
    author = make_member(community, full_name="Anna Auteur").user
    people = {
        "anonymous": None,
        "non_member": make_user(full_name="Niek Nietlid"),
        "guest": make_member(community, role=Role.GUEST, full_name="Guus Gast").user,
        "member": make_member(community, full_name="Mo Member").user,
        "author": author,
        "core": make_member(community, role=Role.CORE, full_name="Kees Kern").user,
        "facilitator": facilitator,
        "other_facilitator": make_user(full_name="Otto Elders", can_create=True),
        "admin": make_admin(full_name="Ada Admin"),
    }
    make_community(by=people["other_facilitator"], name="Elders", slug="elders")
    profile_update(user=author, by=author, help_tags=["begeleiding"])
    item = services.item_create(
        community=community,
        by=author,
        kind=Kind.STEP_PLAN,
        title="Begeleiding van vrijwilligers",
        body="Eerste versie.",
        tags=["buurt"],
    )
    item = services.item_update(item=item, by=author, body="Tweede versie over begeleiding.")
    attachment = services.attachment_add(item=item, by=author, upload=png())
    return {"community": community, "people": people, "item": item, "attachment": attachment}


def as_user(client, user):
    client.cookies["kring_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def item_url(world, suffix="") -> str:
    return f"/communities/wijkzorg/library/{world['item'].pk}/{suffix}"


@dataclass
class Page:
    """One view, how to call it, and what it changes when it is allowed to."""

    method: str
    url: Callable[[dict], str]
    data: dict = field(default_factory=dict)
    state: Callable[[dict], object] | None = None


def _item_state(world):
    item = KnowledgeItem.objects.filter(pk=world["item"].pk).first()
    if item is None:
        return "deleted"
    return (item.title, item.featured, item.useful_count, item.comment_count)


PAGES = {
    "list": Page("get", lambda w: "/communities/wijkzorg/library/"),
    "detail": Page("get", lambda w: item_url(w)),
    "create form": Page("get", lambda w: "/communities/wijkzorg/library/create/"),
    "create": Page(
        "post",
        lambda w: "/communities/wijkzorg/library/create/",
        {"kind": Kind.HANDOUT, "title": "Nieuwe handout", "body": "Tekst"},
        lambda w: KnowledgeItem.objects.count(),
    ),
    "update form": Page("get", lambda w: item_url(w, "update/")),
    "update": Page(
        "post",
        lambda w: item_url(w, "update/"),
        {"kind": Kind.STEP_PLAN, "title": "Nieuwe titel", "body": "Tekst", "note": "x"},
        _item_state,
    ),
    "delete form": Page("get", lambda w: item_url(w, "delete/")),
    "delete": Page("post", lambda w: item_url(w, "delete/"), {}, _item_state),
    "revisions": Page("get", lambda w: item_url(w, "revisions/")),
    "restore": Page(
        "post",
        lambda w: item_url(w, "revisions/"),
        {"revision": "1"},
        lambda w: Revision.objects.filter(item=w["item"]).count(),
    ),
    "useful": Page("post", lambda w: item_url(w, "useful/"), {"useful": "1"}, _item_state),
    "comment": Page(
        "post",
        lambda w: item_url(w, "comments/"),
        {"body": "Dank je!"},
        lambda w: Comment.objects.count(),
    ),
    "feature": Page(
        "post", lambda w: item_url(w, "feature/"), {"featured": Featured.TOOLBOX}, _item_state
    ),
    "download": Page("get", lambda w: item_url(w, f"attachments/{w['attachment'].pk}/")),
    "attachment delete": Page(
        "post",
        lambda w: item_url(w, f"attachments/{w['attachment'].pk}/delete/"),
        {},
        lambda w: w["item"].attachments.count(),
    ),
    "search": Page("get", lambda w: "/communities/wijkzorg/search/", {"q": "begeleiding"}),
    "who knows": Page("get", lambda w: "/communities/wijkzorg/who-knows/", {"q": "begeleiding"}),
}

ROLES = (
    "anonymous",
    "non_member",
    "guest",
    "member",
    "author",
    "core",
    "facilitator",
    "other_facilitator",
    "admin",
)
# What each role gets from each page. "login": sent to the login page; 302 after a POST:
# done and sent on; 403: inside but not allowed; 404: may not know the community exists.
MATRIX = {
    #                    anon     non_mem guest member author core facil other_f admin
    "list":              ("login", 404, 200, 200, 200, 200, 200, 404, 200),
    "detail":            ("login", 404, 200, 200, 200, 200, 200, 404, 200),
    "create form":       ("login", 404, 403, 200, 200, 200, 200, 404, 200),
    "create":            ("login", 404, 403, 302, 302, 302, 302, 404, None),
    "update form":       ("login", 404, 403, 403, 200, 403, 200, 404, 200),
    "update":            ("login", 404, 403, 403, 302, 403, 302, 404, 302),
    "delete form":       ("login", 404, 403, 403, 200, 403, 200, 404, 200),
    "delete":            ("login", 404, 403, 403, 302, 403, 302, 404, 302),
    "revisions":         ("login", 404, 200, 200, 200, 200, 200, 404, 200),
    "restore":           ("login", 404, 403, 403, 302, 403, 302, 404, 302),
    "useful":            ("login", 404, 302, 302, 302, 302, 302, 404, 302),
    "comment":           ("login", 404, 302, 302, 302, 302, 302, 404, 302),
    "feature":           ("login", 404, 403, 403, 403, 403, 302, 404, 302),
    "download":          ("login", 404, 200, 200, 200, 200, 200, 404, 200),
    "attachment delete": ("login", 404, 403, 403, 302, 403, 302, 404, 302),
    "search":            ("login", 404, 200, 200, 200, 200, 200, 404, 200),
    "who knows":         ("login", 404, 200, 200, 200, 200, 200, 404, 200),
}  # fmt: skip
CASES = [
    (page, role, expected)
    for page, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
    if expected is not None
]


def test_the_matrix_covers_every_library_url():
    """Every URL the library defines has a row in the permission matrix."""
    from kring.knowledge import urls

    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {
        "item-list", "item-detail", "item-create", "item-update", "item-delete",
        "item-revisions", "item-useful", "item-comments", "item-feature",
        "attachment-download", "attachment-delete", "community-search", "who-knows",
    }  # fmt: skip

    assert names == covered
    assert set(MATRIX) == set(PAGES)


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_permission_matrix(client, world, page, role, expected):
    """Each role gets exactly what the matrix says, and refused actions change nothing."""
    spec = PAGES[page]
    as_user(client, world["people"][role])
    before = spec.state(world) if spec.state else None

    response = getattr(client, spec.method)(spec.url(world), spec.data)

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    else:
        assert response.status_code == expected
    if spec.state:
        after = spec.state(world)
        if expected == 302:
            assert after != before, "the allowed action had no effect"
        else:
            assert after == before, "a refused action changed something"


def test_a_platform_admin_who_is_no_member_is_told_why_sharing_fails(client, world):
    """An admin may open the share form; as a non-member they cannot be the author, and
    are told so instead of getting an error page."""
    as_user(client, world["people"]["admin"])
    before = KnowledgeItem.objects.count()

    response = client.post(
        "/communities/wijkzorg/library/create/", {"kind": Kind.HANDOUT, "title": "Van de admin"}
    )

    assert response.status_code == 200
    assert "Authors must be members of this community: Ada Admin" in response.content.decode()
    assert KnowledgeItem.objects.count() == before


@pytest.mark.parametrize("page", ["list", "detail", "search", "who knows", "download"])
def test_a_public_community_is_403_inside_for_outsiders(client, world, page):
    """A public community's existence is no secret: outsiders get 403, not 404, inside."""
    community = world["community"]
    community.visibility = Visibility.PUBLIC
    community.save()
    as_user(client, world["people"]["non_member"])
    spec = PAGES[page]

    response = client.get(spec.url(world), spec.data)

    assert response.status_code == 403


def test_an_unknown_item_is_404_even_for_facilitators(client, world):
    """A guessed item number gives 404."""
    as_user(client, world["people"]["facilitator"])

    assert client.get("/communities/wijkzorg/library/999999/").status_code == 404


def test_an_item_of_another_community_is_404_under_this_one(client, world):
    """An item is only found under its own community's address."""
    other = services.item_create(
        community=world["people"]["other_facilitator"].memberships.get().community,
        by=world["people"]["other_facilitator"],
        kind=Kind.HANDOUT,
        title="Elders",
    )
    as_user(client, world["people"]["admin"])

    assert client.get(f"/communities/wijkzorg/library/{other.pk}/").status_code == 404


# --- Sharing through the form ---------------------------------------------------------------


def _errors_of(content: str, name: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', content, re.S)
    return match.group(1) if match else ""


def test_sharing_through_the_form(client, world):
    """A member shares an item with themes and a co-author, and lands on its page."""
    as_user(client, world["people"]["member"])

    response = client.post(
        "/communities/wijkzorg/library/create/",
        {
            "kind": Kind.WEBINAR,
            "title": "Webinar eenzaamheid",
            "url": "https://example.org/webinar",
            "tags": "eenzaamheid, ouderen",
            "authors": [world["people"]["member"].pk, world["people"]["guest"].pk],
        },
    )

    item = KnowledgeItem.objects.get(title="Webinar eenzaamheid")
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert set(item.author_list) == {world["people"]["member"], world["people"]["guest"]}
    assert sorted(t.name for t in item.tags.all()) == ["eenzaamheid", "ouderen"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Thank you! Your knowledge is in the library now." in page


def test_sharing_a_lesson_learned_through_the_form(client, world):
    """A lesson learned is shared in its parts and thanked for specially."""
    as_user(client, world["people"]["member"])

    response = client.post(
        "/communities/wijkzorg/library/create/?kind=lesson_learned",
        {
            "kind": Kind.LESSON_LEARNED,
            "title": "Te snel gestart",
            "tried": "Alles tegelijk.",
            "learned": "Begin klein.",
        },
        follow=True,
    )

    item = KnowledgeItem.objects.get(title="Te snel gestart")
    assert item.sections == {"tried": "Alles tegelijk.", "learned": "Begin klein."}
    content = response.content.decode()
    assert "Thank you for sharing what you learned." in content
    assert "What we tried" in content and "Begin klein." in content


BAD_FORMS = [
    ({"kind": "", "title": "x"}, "kind", "Choose what kind of knowledge you are sharing."),
    ({"kind": Kind.HANDOUT, "title": ""}, "title", "Give the item a title."),
    (
        {"kind": Kind.HANDOUT, "title": "x" * 201},
        "title",
        "Ensure this value has at most 200 characters (it has 201).",
    ),
    ({"kind": Kind.LINK, "title": "Link"}, "url", "A link needs a web address."),
    (
        {"kind": Kind.LINK, "title": "Link", "url": "javascript:alert(1)"},
        "url",
        "Enter a web address starting with http:// or https://.",
    ),
    (
        {"kind": Kind.LESSON_LEARNED, "title": "Les", "tried": "Van alles."},
        "learned",
        "Tell at least what you learned.",
    ),
    (
        {"kind": Kind.HANDOUT, "title": "x", "authors": ["OUTSIDER"]},
        "authors",
        "is not one of the available choices.",
    ),
]


@pytest.mark.parametrize(
    ("data", "name", "message"), BAD_FORMS, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_FORMS)]
)
def test_bad_input_in_the_share_form(client, world, data, name, message):
    """The form shows the problem next to its field, keeps what was typed, saves nothing."""
    as_user(client, world["people"]["member"])
    if data.get("authors") == ["OUTSIDER"]:
        data = {**data, "authors": [world["people"]["other_facilitator"].pk]}
    before = KnowledgeItem.objects.count()

    response = client.post("/communities/wijkzorg/library/create/", data)

    assert response.status_code == 200
    assert message in _errors_of(response.content.decode(), name)
    assert KnowledgeItem.objects.count() == before
    if data.get("title"):
        assert f'value="{data["title"]}"' in response.content.decode()


def test_editing_through_the_form_keeps_a_revision_with_the_note(client, world):
    """Saving the edit form adds a version with the note, and keeps the authors."""
    as_user(client, world["people"]["facilitator"])

    response = client.post(
        item_url(world, "update/"),
        {
            "kind": Kind.STEP_PLAN,
            "title": "Begeleiding van vrijwilligers",
            "body": "Derde versie.",
            "tags": "buurt",
            "note": "Stap over financiering toegevoegd",
        },
    )

    item = KnowledgeItem.objects.get(pk=world["item"].pk)
    assert response.status_code == 302
    assert item.body == "Derde versie."
    assert item.author_list == [world["people"]["author"]]
    newest = item.revisions.first()
    assert (newest.number, newest.note) == (3, "Stap over financiering toegevoegd")


def test_the_history_page_shows_what_changed(client, world):
    """The history shows the versions and the words removed and added."""
    as_user(client, world["people"]["member"])

    content = client.get(item_url(world, "revisions/")).content.decode()

    assert "Version 2" in content and "Version 1" in content
    assert "Eerste" in content and "Tweede" in content
    assert "<del>" in content and "<ins>" in content


def test_restoring_through_the_history_page(client, world):
    """The author restores version 1 from the history page; it becomes version 3."""
    as_user(client, world["people"]["author"])

    response = client.post(item_url(world, "revisions/"), {"revision": "1"}, follow=True)

    item = KnowledgeItem.objects.get(pk=world["item"].pk)
    assert item.body == "Eerste versie."
    assert item.revisions.first().number == 3
    assert "Version 1 has been restored." in response.content.decode()


def test_restoring_an_unknown_version_is_404(client, world):
    """Asking to restore a version that does not exist changes nothing."""
    as_user(client, world["people"]["author"])

    response = client.post(item_url(world, "revisions/"), {"revision": "77"})

    assert response.status_code == 404
    assert world["item"].revisions.count() == 2


def test_a_bad_comment_is_shown_back(client, world):
    """An empty comment is refused with a message; nothing is saved."""
    as_user(client, world["people"]["guest"])

    response = client.post(item_url(world, "comments/"), {"body": "   "})

    assert response.status_code == 200
    assert "Write a comment first." in _errors_of(response.content.decode(), "body")
    assert not Comment.objects.exists()


def test_an_unknown_spotlight_is_refused(client, world):
    """A facilitator posting an unknown spotlight value gets a message; nothing changes."""
    as_user(client, world["people"]["facilitator"])

    response = client.post(item_url(world, "feature/"), {"featured": "hall"}, follow=True)

    assert "Choose good example, toolbox or none." in response.content.decode()
    assert KnowledgeItem.objects.get(pk=world["item"].pk).featured == ""


def test_useful_with_htmx_returns_the_button(client, world):
    """With htmx, marking useful answers with the updated button only."""
    as_user(client, world["people"]["member"])

    response = client.post(item_url(world, "useful/"), {"useful": "1"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert "1 person found this useful" in content
    assert 'aria-pressed="true"' in content
    assert "<html" not in content


# --- Browsing and searching -----------------------------------------------------------------


def test_the_library_filters_by_kind_and_theme(client, world):
    """The list shows only items of the chosen kind and theme."""
    author = world["people"]["author"]
    services.item_create(
        community=world["community"], by=author, kind=Kind.HANDOUT, title="Folder", tags=["buurt"]
    )
    as_user(client, world["people"]["member"])

    by_kind = client.get("/communities/wijkzorg/library/", {"kind": Kind.HANDOUT})
    by_theme = client.get("/communities/wijkzorg/library/", {"theme": "buurt"})
    none = client.get("/communities/wijkzorg/library/", {"theme": "nergens"})

    assert [i.title for i in by_kind.context["page"].object_list] == ["Folder"]
    assert len(by_theme.context["page"].object_list) == 2
    assert "Nothing matches these filters" in none.content.decode()


def test_the_library_answers_htmx_with_the_results_only(client, world):
    """The filter form's htmx request gets just the results fragment."""
    as_user(client, world["people"]["member"])

    response = client.get(
        "/communities/wijkzorg/library/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
    )

    content = response.content.decode()
    assert "Begeleiding van vrijwilligers" in content
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


def test_the_search_page_shows_items_and_people(client, world):
    """Searching finds the item with the word marked, and the author as someone to ask."""
    as_user(client, world["people"]["member"])

    response = client.get("/communities/wijkzorg/search/", {"q": "begeleiders"})

    content = response.content.decode()
    assert "<mark>Begeleiding</mark> van vrijwilligers" in content
    assert "Anna Auteur" in content
    assert {h.document.doc_type for h in response.context["results"].hits} == {"item", "person"}


def test_the_search_page_can_show_only_people(client, world):
    """Choosing 'People' shows people only."""
    as_user(client, world["people"]["member"])

    response = client.get("/communities/wijkzorg/search/", {"q": "begeleiding", "kind": "person"})

    assert [h.document.doc_type for h in response.context["results"].hits] == ["person"]


def test_the_search_page_says_when_nothing_is_found(client, world):
    """A query without results says so and points to people who may know."""
    as_user(client, world["people"]["member"])

    content = client.get("/communities/wijkzorg/search/", {"q": "zonnepanelen"}).content.decode()

    assert "Nothing found for “zonnepanelen”" in content


def test_who_knows_names_the_helper_with_a_reason(client, world):
    """Who knows lists the person who can help, with the reason in words."""
    as_user(client, world["people"]["member"])

    response = client.get("/communities/wijkzorg/who-knows/", {"q": "begeleiding"})

    [expert] = response.context["experts"]
    assert expert.user == world["people"]["author"]
    assert "Can help with begeleiding" in response.content.decode()
