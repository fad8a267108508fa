"""The library's services: sharing, editing with revisions, restoring, deleting, useful marks,
comments, featuring, and the activity events they leave behind."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.communities.models import Role
from kring.core.models import ActivityEvent, SearchDocument, Tag
from kring.knowledge import selectors, services
from kring.knowledge.models import (
    Attachment,
    Comment,
    Featured,
    ItemAuthor,
    Kind,
    KnowledgeItem,
    Revision,
    Useful,
)
from kring.knowledge.verbs import KnowledgeVerb

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def club(make_user, make_community, make_member):
    """A community with a facilitator, core group member, two members and a guest, and a
    person from another community."""
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Wijkzorg", slug="wijkzorg")
    other = make_community(name="Elders", slug="elders")
    return {
        "community": community,
        "facilitator": facilitator,
        "core": make_member(community, role=Role.CORE, full_name="Kees Kern").user,
        "member": make_member(community, full_name="Mo Member").user,
        "colleague": make_member(community, full_name="Cato Collega").user,
        "guest": make_member(community, role=Role.GUEST, full_name="Guus Gast").user,
        "outsider": make_member(other, full_name="Olga Outsider").user,
        "other": other,
    }


def share(club, by=None, **fields):
    fields.setdefault("kind", Kind.PRACTICE_EXAMPLE)
    fields.setdefault("title", "Buurtcafé starten")
    fields.setdefault("body", "Zo begonnen wij.")
    return services.item_create(community=club["community"], by=by or club["member"], **fields)


def snapshot() -> dict:
    """How many rows of each kind the library has written, to prove nothing was saved."""
    return {
        "items": KnowledgeItem.objects.count(),
        "authors": ItemAuthor.objects.count(),
        "revisions": Revision.objects.count(),
        "tags": Tag.objects.count(),
        "events": ActivityEvent.objects.filter(verb__startswith="item_").count(),
        "index": SearchDocument.objects.filter(doc_type="item").count(),
    }


def events(verb, **filters):
    return list(ActivityEvent.objects.filter(verb=verb, **filters).order_by("id"))


def target_of(item):
    return {"target_type": ContentType.objects.get_for_model(item), "target_id": item.pk}


# --- Sharing --------------------------------------------------------------------------------


def test_the_sharer_is_the_author_by_default(club):
    """Without named authors, the person who shares is the only author."""
    item = share(club, tags=["Buurt", "buurt ", "Koffie"])

    assert item.author_list == [club["member"]]
    assert item.created_by == club["member"]
    assert sorted(t.name for t in item.tags.all()) == ["Buurt", "Koffie"]
    assert [r.number for r in item.revisions.all()] == [1]


def test_co_authors_who_are_members_are_kept_in_order(club):
    """Named authors (members) are stored in the order given, the sharer need not be one."""
    item = share(club, authors=[club["colleague"], club["guest"], club["colleague"]])

    assert item.author_list == [club["colleague"], club["guest"]]
    assert item.created_by == club["member"]


def test_an_outsider_cannot_be_a_co_author(club):
    """Naming someone from outside the community is refused and nothing is saved."""
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        share(club, authors=[club["member"], club["outsider"]], tags=["nieuw thema"])

    assert error.value.message_dict["authors"] == [
        "Authors must be members of this community: Olga Outsider"
    ]
    assert snapshot() == before


def test_too_many_authors_are_refused(club, make_member):
    """More than ten authors is refused, nothing saved."""
    people = [make_member(club["community"]).user for _ in range(11)]
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        share(club, authors=people)

    assert error.value.message_dict["authors"] == ["At most 10 authors."]
    assert snapshot() == before


BAD_INPUT = [
    ({"title": ""}, "title", "Give the item a title."),
    ({"title": "   \n "}, "title", "Give the item a title."),
    ({"title": "x" * 201}, "title", "Keep the title to 200 characters."),
    ({"body": "x" * 50001}, "body", "The text is too long (at most 50000 characters)."),
    ({"kind": "poem"}, "kind", "Choose one of the kinds of library item."),
    (
        {"url": "ftp://example.org/file"},
        "url",
        "Enter a web address starting with http:// or https://.",
    ),
    (
        {"url": "javascript:alert(1)"},
        "url",
        "Enter a web address starting with http:// or https://.",
    ),
    ({"url": "not a url"}, "url", "Enter a web address starting with http:// or https://."),
    ({"url": "https://example.org/" + "a" * 500}, "url", "The web address is too long."),
    ({"kind": Kind.LINK, "url": ""}, "url", "A link needs a web address."),
    ({"tags": [f"thema {n}" for n in range(16)]}, "tags", "15 themes at most, please."),
    ({"tags": ["x" * 61]}, "tags", "Keep each theme to 60 characters."),
    ({"sections": {"learned": "Iets"}}, "sections", "Only a lesson learned has parts."),
    (
        {"kind": Kind.LESSON_LEARNED, "body": "", "sections": {}},
        "learned",
        "Tell at least what you learned.",
    ),
    (
        {"kind": Kind.LESSON_LEARNED, "body": "", "sections": {"tried": "Van alles."}},
        "learned",
        "Tell at least what you learned.",
    ),
    (
        {"kind": Kind.LESSON_LEARNED, "body": "", "sections": {"learned": "  ", "tried": " "}},
        "learned",
        "Tell at least what you learned.",
    ),
    (
        {"kind": Kind.LESSON_LEARNED, "sections": {"learned": "Ja", "mood": "blij"}},
        "sections",
        "Unknown part: mood",
    ),
    (
        {"kind": Kind.LESSON_LEARNED, "sections": {"learned": "x" * 10001}},
        "learned",
        "Keep each part to 10000 characters.",
    ),
]


@pytest.mark.parametrize(
    ("fields", "field", "message"), BAD_INPUT, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD_INPUT)]
)
def test_bad_input_is_refused_with_a_clear_message(club, fields, field, message):
    """Invalid, oversized and hostile input is refused with a clear message; nothing saved."""
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        share(club, **{"tags": ["nieuw thema"], **fields})

    assert error.value.message_dict[field] == [message]
    assert snapshot() == before


def test_a_lesson_learned_keeps_its_parts(club):
    """A lesson learned is stored in its parts (blank parts left out), with no body."""
    item = share(
        club,
        kind=Kind.LESSON_LEARNED,
        body="ignored",
        sections={"tried": " Alles tegelijk. ", "went_wrong": "", "learned": "Begin klein."},
    )

    assert item.sections == {"tried": "Alles tegelijk.", "learned": "Begin klein."}
    assert item.body == ""
    assert item.revisions.get().sections == item.sections


def test_a_title_is_tidied(club):
    """Runs of spaces and newlines in a title become single spaces."""
    item = share(club, title="  Buurtcafé \n  starten  ")

    assert item.title == "Buurtcafé starten"


def test_a_link_keeps_its_web_address(club):
    """A link with a web address is fine."""
    item = share(club, kind=Kind.LINK, url="https://example.org/toolkit")

    assert item.url == "https://example.org/toolkit"


def test_guests_cannot_share(club):
    """Guests read and react, but cannot share; nothing is saved."""
    before = snapshot()

    with pytest.raises(PermissionDenied):
        share(club, by=club["guest"])

    assert snapshot() == before


def test_outsiders_cannot_share(club):
    """Someone from another community cannot share here."""
    with pytest.raises(PermissionDenied):
        share(club, by=club["outsider"])


def test_sharing_records_an_event(club):
    """Sharing writes one item_created event: the sharer, the item, the community."""
    item = share(club)

    [event] = events(KnowledgeVerb.ITEM_CREATED, **target_of(item))
    assert event.actor == club["member"]
    assert event.community == club["community"]
    assert event.data == {"kind": Kind.PRACTICE_EXAMPLE}


# --- Editing, revisions, restoring ----------------------------------------------------------


def test_an_edit_adds_a_revision_with_its_note(club):
    """Each change becomes a new numbered revision, with the note and the editor."""
    item = share(club, tags=["buurt"])

    updated = services.item_update(
        item=item,
        by=club["facilitator"],
        title="Buurtcafé openen",
        tags=["buurt", "koffie"],
        note="Titel en thema aangepast",
    )

    newest, first = list(updated.revisions.all())
    assert (newest.number, first.number) == (2, 1)
    assert newest.note == "Titel en thema aangepast"
    assert newest.edited_by == club["facilitator"]
    assert newest.title == "Buurtcafé openen"
    assert newest.tags == ["buurt", "koffie"]
    assert first.title == "Buurtcafé starten"
    assert KnowledgeItem.objects.get(pk=item.pk).title == "Buurtcafé openen"


def test_an_edit_without_a_note_names_the_changed_fields(club):
    """Without a note, the revision says which fields changed."""
    item = share(club)

    services.item_update(item=item, by=club["member"], body="Nieuwe tekst.")

    assert item.revisions.first().note == "body"


def test_an_edit_that_changes_nothing_adds_no_revision(club):
    """Saving the same values again leaves the history and the activity alone."""
    item = share(club, tags=["buurt"])

    services.item_update(
        item=item, by=club["member"], title=item.title, body=item.body, tags=["buurt"]
    )

    assert item.revisions.count() == 1
    assert events(KnowledgeVerb.ITEM_UPDATED) == []


def test_an_edit_records_an_event(club):
    """An edit writes an item_updated event with the editor and the changed fields."""
    item = share(club)

    services.item_update(item=item, by=club["facilitator"], title="Anders")

    [event] = events(KnowledgeVerb.ITEM_UPDATED, **target_of(item))
    assert event.actor == club["facilitator"]
    assert event.community == club["community"]
    assert event.data == {"fields": ["title"]}


def test_a_bad_edit_changes_nothing(club):
    """An invalid edit is refused; the item and its history stay as they were."""
    item = share(club)

    with pytest.raises(ValidationError) as error:
        services.item_update(item=item, by=club["member"], title="", body="Nieuw")

    assert error.value.message_dict["title"] == ["Give the item a title."]
    fresh = KnowledgeItem.objects.get(pk=item.pk)
    assert (fresh.title, fresh.body) == ("Buurtcafé starten", "Zo begonnen wij.")
    assert item.revisions.count() == 1


def test_an_edit_cannot_name_an_outsider_as_author(club):
    """Changing the authors to include an outsider is refused; the authors stay."""
    item = share(club)

    with pytest.raises(ValidationError):
        services.item_update(item=item, by=club["member"], authors=[club["outsider"]])

    assert KnowledgeItem.objects.get(pk=item.pk).author_list == [club["member"]]


@pytest.mark.parametrize(
    ("editor", "allowed"),
    [
        ("member", True),
        ("colleague", True),
        ("facilitator", True),
        ("core", False),
        ("guest", False),
        ("outsider", False),
    ],
)
def test_who_may_edit(club, editor, allowed):
    """Authors, the sharer and facilitators edit; other members, guests and outsiders not."""
    item = share(club, authors=[club["colleague"]])

    if allowed:
        services.item_update(item=item, by=club[editor], title="Bewerkt")
        assert KnowledgeItem.objects.get(pk=item.pk).title == "Bewerkt"
    else:
        with pytest.raises(PermissionDenied):
            services.item_update(item=item, by=club[editor], title="Bewerkt")
        assert KnowledgeItem.objects.get(pk=item.pk).title == "Buurtcafé starten"


def test_an_author_who_left_can_no_longer_edit(club):
    """Having written an item does not let someone edit it once they left the community."""
    from kring.communities.services import membership_remove

    item = share(club)
    membership_remove(
        membership=club["member"].memberships.get(community=club["community"]),
        by=club["member"],
    )

    with pytest.raises(PermissionDenied):
        services.item_update(item=item, by=club["member"], title="Nog even")


def test_restoring_brings_back_an_older_version(club):
    """Restoring version 1 brings back its title, text and themes as a new, newest version."""
    item = share(club, tags=["buurt"], body="Eerste tekst.")
    services.item_update(
        item=item, by=club["member"], title="Tweede", body="Tweede tekst.", tags=["koffie"]
    )
    services.item_update(item=item, by=club["member"], title="Derde")
    first = item.revisions.get(number=1)

    restored = services.item_restore(item=item, revision=first, by=club["facilitator"])

    assert restored.title == "Buurtcafé starten"
    assert restored.body == "Eerste tekst."
    assert [t.name for t in restored.tags.all()] == ["buurt"]
    newest = restored.revisions.first()
    assert newest.number == 4
    assert newest.note == "Restored version 1"
    assert newest.edited_by == club["facilitator"]
    assert [r.number for r in restored.revisions.all()] == [4, 3, 2, 1]


def test_restoring_a_lesson_brings_back_its_parts(club):
    """A lesson learned gets its parts back on restore."""
    item = share(club, kind=Kind.LESSON_LEARNED, sections={"learned": "Eerst"})
    services.item_update(
        item=item, by=club["member"], sections={"learned": "Later", "tried": "Iets"}
    )

    restored = services.item_restore(
        item=item, revision=item.revisions.get(number=1), by=club["member"]
    )

    assert restored.sections == {"learned": "Eerst"}


def test_a_revision_of_another_item_cannot_be_restored(club):
    """A version belongs to one item; using it on another is refused."""
    item, other = share(club), share(club, title="Ander item")

    with pytest.raises(ValidationError) as error:
        services.item_restore(item=item, revision=other.revisions.get(), by=club["member"])

    assert error.value.messages == ["That version belongs to another item."]
    assert KnowledgeItem.objects.get(pk=item.pk).title == "Buurtcafé starten"


def test_only_editors_can_restore(club):
    """A member who is not an author cannot restore a version."""
    item = share(club)
    services.item_update(item=item, by=club["member"], title="Tweede")

    with pytest.raises(PermissionDenied):
        services.item_restore(
            item=item, revision=item.revisions.get(number=1), by=club["colleague"]
        )

    assert KnowledgeItem.objects.get(pk=item.pk).title == "Tweede"


# --- Deleting -------------------------------------------------------------------------------


def test_deleting_removes_the_item_its_files_and_its_search_entry(
    club, django_capture_on_commit_callbacks
):
    """Delete takes the item, its revisions, attachments and their files, and the index row."""
    item = share(club)
    pk = item.pk
    attachment = services.attachment_add(
        item=item, by=club["member"], upload=SimpleUploadedFile("foto.png", PNG)
    )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    assert SearchDocument.objects.filter(doc_type="item", doc_id=item.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=item, by=club["facilitator"])

    assert not KnowledgeItem.objects.filter(pk=pk).exists()
    assert not Revision.objects.filter(item_id=pk).exists()
    assert not Attachment.objects.exists()
    assert not storage.exists(name)
    assert not SearchDocument.objects.filter(doc_type="item", doc_id=pk).exists()
    [event] = events(KnowledgeVerb.ITEM_DELETED)
    assert event.actor == club["facilitator"]
    assert event.data["item_id"] == pk


def test_only_editors_can_delete(club):
    """A member who did not write it cannot delete an item."""
    item = share(club)

    with pytest.raises(PermissionDenied):
        services.item_delete(item=item, by=club["colleague"])

    assert KnowledgeItem.objects.filter(pk=item.pk).exists()


# --- Useful ---------------------------------------------------------------------------------


def test_useful_counts_once_per_person(club):
    """Marking useful twice counts once; another person adds one more."""
    item = share(club)

    services.item_mark_useful(item=item, by=club["colleague"])
    services.item_mark_useful(item=item, by=club["colleague"])
    item = services.item_mark_useful(item=item, by=club["guest"])

    assert item.useful_count == 2
    assert Useful.objects.filter(item=item).count() == 2
    assert len(events(KnowledgeVerb.MARKED_USEFUL)) == 2


def test_unmarking_useful_counts_down_once(club):
    """Taking the mark back lowers the count once, even when asked twice."""
    item = share(club)
    services.item_mark_useful(item=item, by=club["colleague"])

    services.item_mark_useful(item=item, by=club["colleague"], useful=False)
    item = services.item_mark_useful(item=item, by=club["colleague"], useful=False)

    assert item.useful_count == 0
    assert not Useful.objects.exists()


def test_marking_useful_tells_the_first_author(club):
    """The useful event names the marker as actor and the first author as the other person."""
    item = share(club, authors=[club["colleague"], club["member"]])

    services.item_mark_useful(item=item, by=club["guest"])

    [event] = events(KnowledgeVerb.MARKED_USEFUL)
    assert event.actor == club["guest"]
    assert event.other == club["colleague"]
    assert event.community == club["community"]
    assert (event.target_type, event.target_id) == tuple(target_of(item).values())


def test_outsiders_cannot_mark_useful(club):
    """Someone outside the community cannot mark an item useful."""
    item = share(club)

    with pytest.raises(PermissionDenied):
        services.item_mark_useful(item=item, by=club["outsider"])

    assert KnowledgeItem.objects.get(pk=item.pk).useful_count == 0


# --- Comments -------------------------------------------------------------------------------


def test_a_comment_is_saved_counted_and_recorded(club):
    """A comment (a guest's too) is stored, counted on the item, and written as an event."""
    item = share(club)

    comment = services.comment_create(item=item, by=club["guest"], body="  Heel bruikbaar!  ")

    assert comment.body == "Heel bruikbaar!"
    assert list(selectors.item_comments(item=item)) == [comment]
    assert KnowledgeItem.objects.get(pk=item.pk).comment_count == 1
    [event] = events(KnowledgeVerb.COMMENTED)
    assert event.actor == club["guest"]
    assert event.other == club["member"]
    assert event.community == club["community"]
    assert (event.target_type, event.target_id) == tuple(target_of(item).values())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a comment first."),
        ("   \n  ", "Write a comment first."),
        ("x" * 5001, "Keep the comment to 5000 characters."),
    ],
)
def test_a_bad_comment_is_refused(club, body, message):
    """Empty or oversized comments are refused; nothing is saved or counted."""
    item = share(club)

    with pytest.raises(ValidationError) as error:
        services.comment_create(item=item, by=club["colleague"], body=body)

    assert error.value.message_dict["body"] == [message]
    assert not Comment.objects.exists()
    assert KnowledgeItem.objects.get(pk=item.pk).comment_count == 0
    assert events(KnowledgeVerb.COMMENTED) == []


def test_outsiders_cannot_comment(club):
    """Someone outside the community cannot comment."""
    item = share(club)

    with pytest.raises(PermissionDenied):
        services.comment_create(item=item, by=club["outsider"], body="Hoi")

    assert not Comment.objects.exists()


# --- Featuring ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("facilitator", True),
        ("admin", True),
        ("member", False),
        ("core", False),
        ("guest", False),
        ("outsider", False),
    ],
)
def test_only_facilitators_feature(club, make_admin, who, allowed):
    """Facilitators (and platform admins) feature items; authors and others cannot."""
    item = share(club)
    person = make_admin() if who == "admin" else club[who]

    if allowed:
        services.item_feature(item=item, by=person, featured=Featured.TOOLBOX)
        assert KnowledgeItem.objects.get(pk=item.pk).featured == Featured.TOOLBOX
        [event] = events(KnowledgeVerb.ITEM_FEATURED)
        assert (event.actor, event.other) == (person, club["member"])
    else:
        with pytest.raises(PermissionDenied):
            services.item_feature(item=item, by=person, featured=Featured.TOOLBOX)
        assert KnowledgeItem.objects.get(pk=item.pk).featured == ""
        assert events(KnowledgeVerb.ITEM_FEATURED) == []


def test_featuring_can_be_undone_and_bad_values_are_refused(club):
    """Featuring with "" takes the item out of the spotlight; unknown values are refused."""
    item = share(club)
    services.item_feature(item=item, by=club["facilitator"], featured=Featured.GOOD_EXAMPLE)

    with pytest.raises(ValidationError) as error:
        services.item_feature(item=item, by=club["facilitator"], featured="hall_of_fame")
    assert error.value.message_dict["featured"] == ["Choose good example, toolbox or none."]
    assert KnowledgeItem.objects.get(pk=item.pk).featured == Featured.GOOD_EXAMPLE

    services.item_feature(item=item, by=club["facilitator"], featured="")
    fresh = KnowledgeItem.objects.get(pk=item.pk)
    assert (fresh.featured, fresh.featured_at) == ("", None)


# --- The activity trail as a whole ----------------------------------------------------------


def test_the_activity_trail_of_an_item(club):
    """Share, edit, useful and comment each leave one event, in order, in the community."""
    item = share(club)
    services.item_update(item=item, by=club["member"], body="Aangevuld.")
    services.item_mark_useful(item=item, by=club["colleague"])
    services.comment_create(item=item, by=club["guest"], body="Dank!")

    trail = [
        (e.verb, e.actor, e.other, e.community)
        for e in ActivityEvent.objects.filter(**target_of(item)).order_by("id")
    ]

    assert trail == [
        (KnowledgeVerb.ITEM_CREATED, club["member"], None, club["community"]),
        (KnowledgeVerb.ITEM_UPDATED, club["member"], None, club["community"]),
        (KnowledgeVerb.MARKED_USEFUL, club["colleague"], club["member"], club["community"]),
        (KnowledgeVerb.COMMENTED, club["guest"], club["member"], club["community"]),
    ]
