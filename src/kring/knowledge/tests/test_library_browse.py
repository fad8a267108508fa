"""What the library's list, filters and featured strip show (their queries were reshaped for
speed at 20,000 items: issue 13), kept to the community they are asked for."""

import pytest

from kring.accounts.models import Perspective
from kring.accounts.services import profile_update
from kring.knowledge import selectors, services
from kring.knowledge.models import Featured, Kind


@pytest.fixture
def two_libraries(make_user, make_community, make_member):
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    here = make_community(by=facilitator, name="Wijkzorg", slug="wijkzorg")
    there = make_community(by=facilitator, name="Elders", slug="elders")
    first, second = Perspective.objects.order_by("position", "key")[:2]
    ada = make_member(here, full_name="Ada Auteur").user
    profile_update(user=ada, by=ada, perspectives=[first])
    otto = make_member(there, full_name="Otto Elders").user
    profile_update(user=otto, by=otto, perspectives=[second])
    mine = services.item_create(
        community=here, by=ada, kind=Kind.TOOLKIT, title="Toolkit", tags=["Buurt"]
    )
    plain = services.item_create(community=here, by=facilitator, kind=Kind.HANDOUT, title="Blad")
    services.item_create(
        community=there, by=otto, kind=Kind.TOOLKIT, title="Elders", tags=["Ver weg"]
    )
    return {
        "here": here,
        "facilitator": facilitator,
        "ada": ada,
        "mine": mine,
        "plain": plain,
        "first": first,
        "second": second,
    }


def test_the_list_comes_newest_first_with_its_community(two_libraries, django_assert_num_queries):
    lib = two_libraries
    items = selectors.items_for_community(community=lib["here"], viewer=lib["facilitator"])
    with django_assert_num_queries(3):  # items, authors, themes: the community comes along
        listed = selectors.items_prepare(list(items))
        assert [item.community.slug for item in listed] == ["wijkzorg", "wijkzorg"]
    assert listed == [lib["plain"], lib["mine"]]


def test_the_perspective_filter_keeps_to_authors_of_it_here(two_libraries):
    lib = two_libraries

    def listed(key: str) -> list:
        return list(
            selectors.items_for_community(
                community=lib["here"], viewer=lib["facilitator"], perspective=key
            )
        )

    assert listed(lib["first"].key) == [lib["mine"]]
    assert listed(lib["second"].key) == []  # only an author elsewhere holds it


def test_the_facets_show_only_what_this_library_has(two_libraries):
    lib = two_libraries
    facets = selectors.library_facets(community=lib["here"])
    assert [tag.name for tag in facets["themes"]] == ["Buurt"]
    assert list(facets["perspectives"]) == [lib["first"]]
    assert lib["ada"] in facets["authors"]


def test_the_featured_strip_shows_featured_items_only(two_libraries):
    lib = two_libraries
    assert selectors.featured_items(community=lib["here"], viewer=lib["facilitator"]) == {}
    services.item_feature(item=lib["plain"], by=lib["facilitator"], featured=Featured.TOOLBOX)
    featured = selectors.featured_items(community=lib["here"], viewer=lib["facilitator"])
    assert featured == {Featured.TOOLBOX: [lib["plain"]]}


def test_filter_options_are_cached_and_follow_the_library(
    two_libraries, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Themes and perspectives are read once per community, and read anew after an item is
    made, changed or deleted, or someone's perspectives change."""
    lib = two_libraries
    here = lib["here"]
    assert [t.name for t in selectors.library_themes(community=here)] == ["Buurt"]
    with django_assert_num_queries(0):
        assert [t.name for t in selectors.library_themes(community=here)] == ["Buurt"]

    with django_capture_on_commit_callbacks(execute=True):
        new = services.item_create(
            community=here, by=lib["facilitator"], kind=Kind.HANDOUT, title="Nieuw", tags=["Zorg"]
        )
    assert [t.name for t in selectors.library_themes(community=here)] == ["Buurt", "Zorg"]

    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=new, by=lib["facilitator"])
    assert [t.name for t in selectors.library_themes(community=here)] == ["Buurt"]

    assert selectors.library_perspectives(community=here) == [lib["first"]]
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=lib["ada"], by=lib["ada"], perspectives=[lib["second"]])
    assert selectors.library_perspectives(community=here) == [lib["second"]]


def test_filter_options_are_kept_per_community(two_libraries):
    lib = two_libraries
    elders = lib["here"].__class__.objects.get(slug="elders")
    assert [t.name for t in selectors.library_themes(community=lib["here"])] == ["Buurt"]
    assert [t.name for t in selectors.library_themes(community=elders)] == ["Ver weg"]
    assert selectors.library_perspectives(community=elders) == [lib["second"]]


def test_the_library_size_is_cached_and_follows_the_library(
    two_libraries, make_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The unfiltered list's pager counts the items once per community, and anew after an
    item is made or deleted; a filtered list counts what the filter leaves."""
    from django.urls import reverse

    lib = two_libraries
    here = lib["here"]
    assert selectors.library_size(community=here) == 2
    with django_assert_num_queries(0):
        assert selectors.library_size(community=here) == 2
    with django_capture_on_commit_callbacks(execute=True):
        new = services.item_create(
            community=here, by=lib["facilitator"], kind=Kind.HANDOUT, title="Nieuw"
        )
    assert selectors.library_size(community=here) == 3
    client = make_client(lib["facilitator"])
    url = reverse("item-list", kwargs={"slug": here.slug})
    assert client.get(url).context["page"].paginator.count == 3
    assert client.get(url, {"kind": Kind.TOOLKIT}).context["page"].paginator.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=new, by=lib["facilitator"])
    assert client.get(url).context["page"].paginator.count == 2


def _cards(client, community, **params) -> str:
    from django.urls import reverse

    response = client.get(reverse("item-list", kwargs={"slug": community.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def test_kept_cards_follow_edits_marks_renames_and_erasure(
    two_libraries, make_client, django_capture_on_commit_callbacks
):
    """Library cards are kept between views, and a kept card never shows what changed since:
    an edited title, a useful mark, an author's new name, an erased author, the language."""
    from kring.privacy.erasure import account_erase

    lib = two_libraries
    here, ada = lib["here"], lib["ada"]
    client = make_client(lib["facilitator"])
    assert "Toolkit" in _cards(client, here)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_update(item=lib["mine"], by=ada, title="Toolkit, tweede druk")
    assert "Toolkit, tweede druk" in _cards(client, here)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_mark_useful(item=lib["mine"], by=lib["facilitator"])
    assert "1 found this useful" in _cards(client, here)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=ada, by=ada, full_name="Ada de Auteur")
    assert "Ada de Auteur" in _cards(client, here)
    # The same card in the reader's other language.
    client.cookies["kring_language"] = "nl"
    assert "1 vond dit nuttig" in _cards(client, here)
    client.cookies["kring_language"] = "en"
    assert "1 found this useful" in _cards(client, here)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=ada, contributions="keep", by=ada)
    page = _cards(client, here)
    assert "Ada de Auteur" not in page
    assert "Toolkit, tweede druk" in page


def test_a_kept_card_follows_its_authors_without_the_profiles_version(
    two_libraries, make_client, django_capture_on_commit_callbacks
):
    """Another web process does not see this one's profiles' version (no Redis): a card must
    still change when its authors change, as when an erasure moves them to a former member."""
    from kring.knowledge.models import ItemAuthor

    lib = two_libraries
    client = make_client(lib["facilitator"])
    assert "Ada Auteur" in _cards(client, lib["here"])
    ItemAuthor.objects.filter(item=lib["mine"]).update(user=lib["facilitator"])
    page = _cards(client, lib["here"])
    assert "Ada Auteur" not in page
    assert page.count("Fenna Facilitator") >= 2  # the handout, and now the toolkit
