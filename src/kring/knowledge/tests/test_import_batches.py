"""The bulk import writes plain rows and prepares the texts of its next batch in a process
of its own: what it stores must be what sharing an item one by one stores."""

import datetime as dt
import threading

import pytest
from django.contrib.contenttypes.models import ContentType

from kring.core import search
from kring.core.models import ActivityEvent, SearchDocument
from kring.core.search import text
from kring.knowledge import services, services_import
from kring.knowledge.models import ImportedDocument, Kind, KnowledgeItem
from kring.knowledge.verbs import KnowledgeVerb


@pytest.fixture
def place(make_user, make_community, make_member):
    facilitator = make_user(full_name="Fenna Facilitator", can_create=True)
    community = make_community(by=facilitator, name="Zorg thuis", slug="zorg-thuis")
    co_author = make_member(community, full_name="Cor Schrijver").user
    return facilitator, community, co_author


LESSON = {"tried": "We begonnen te groot.", "learned": "Eerst één straat, dan de wijk."}


def _stored(item: KnowledgeItem) -> dict:
    revision = item.revisions.get()
    event = ActivityEvent.objects.get(
        target_type=ContentType.objects.get_for_model(KnowledgeItem), target_id=item.pk
    )
    doc = SearchDocument.objects.get(doc_type="item", doc_id=item.pk)
    return {
        "item": (item.kind, item.title, item.body, item.sections, item.url, item.created_at),
        "authors": list(item.item_authors.order_by("position").values_list("user_id", flat=True)),
        "tags": sorted(item.tags.values_list("slug", flat=True)),
        "revision": (revision.number, revision.kind, revision.title, revision.body),
        "revision_more": (revision.sections, revision.url, revision.edited_by_id),
        "event": (event.actor_id, event.verb, event.community_id, event.created_at),
        "event_kind": event.data["kind"],
        "search": (doc.community_id, doc.kind, doc.title, doc.body, doc.tags, doc.themes),
        "search_url": doc.url,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {
            "kind": Kind.PRACTICE_STORY,
            "title": "Regiotaxi voor mantelzorgers",
            "body": "# Kop\n\nDe **regiotaxi** brengt mantelzorgondersteuning dichterbij.",
            "tags": ["Mantelzorg", "vervoer"],
        },
        {"kind": Kind.LESSON_LEARNED, "title": "Te groot begonnen", "sections": LESSON},
        {"kind": Kind.WEBINAR, "title": "Webinar", "url": "https://example.org/w", "tags": []},
    ],
    ids=["story", "lesson", "webinar"],
)
def test_an_imported_item_is_stored_as_a_shared_one(place, fields):
    facilitator, community, co_author = place
    when = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    shared = services.item_create(
        community=community, by=facilitator, authors=[facilitator, co_author], at=when, **fields
    )

    created, problems = services_import.items_bulk_create(
        community=community,
        by=facilitator,
        authors=[facilitator, co_author],
        documents=[{**fields, "created_at": when, "import_key": "k1"}],
    )

    assert (created, problems) == (1, [])
    imported = KnowledgeItem.objects.exclude(pk=shared.pk).get()
    mine, theirs = _stored(imported), _stored(shared)
    assert mine.pop("search_url").endswith(f"/{imported.pk}/")
    assert theirs.pop("search_url").endswith(f"/{shared.pk}/")
    assert mine == theirs
    assert imported.revisions.get().note == "import"
    event = ActivityEvent.objects.get(target_id=imported.pk, verb=KnowledgeVerb.ITEM_CREATED)
    assert event.data == {"kind": fields["kind"], "import": True}
    assert ImportedDocument.objects.get(key="k1").item_id == imported.pk


def test_batches_are_written_in_order_with_their_texts_prepared_ahead(place):
    """Seven documents in batches of two: the texts of the later batches are worked out in
    the import's second process; every item is found, in the order of the documents."""
    facilitator, community, _co_author = place
    documents = [
        {
            "kind": Kind.HANDOUT,
            "title": f"Hand-out {n}",
            "body": f"Over de buurtzorgcirkel nummer {n} en de **mantelzorg**.",
            "tags": [f"thema{n % 3}"],
            "import_key": f"doc-{n}",
        }
        for n in range(7)
    ]
    documents.insert(3, {"kind": "onbekend", "title": "Fout", "source": "fout.md"})
    steps: list[int] = []

    created, problems = services_import.items_bulk_create(
        community=community, by=facilitator, documents=documents, batch=2, progress=steps.append
    )

    assert created == 7 and steps == [2, 2, 2, 1]
    assert len(problems) == 1 and problems[0].startswith("fout.md:")
    items = list(KnowledgeItem.objects.filter(community=community).order_by("pk"))
    assert [i.title for i in items] == [f"Hand-out {n}" for n in range(7)]
    for word in ("mantelzorg", "buurtzorgcirkel", "cirkel"):  # cirkel: a part of a compound
        results = search.search(word, community_ids=[community.pk], doc_types=["item"])
        assert {hit.document.doc_id for hit in results.hits} == {i.pk for i in items}, word
    keys = dict(ImportedDocument.objects.values_list("key", "item_id"))
    assert keys == {f"doc-{n}": items[n].pk for n in range(7)}


def test_a_failure_while_reading_keeps_the_batches_read_before_it(place):
    """The batch read ahead is written when the run stops, so the next run resumes."""
    facilitator, community, _co_author = place

    def documents():
        for n in range(5):
            yield {"kind": Kind.HANDOUT, "title": f"Doc {n}", "import_key": f"k{n}"}
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk went away"):
        services_import.items_bulk_create(
            community=community, by=facilitator, documents=documents(), batch=2
        )

    assert set(ImportedDocument.objects.values_list("key", flat=True)) == {"k0", "k1", "k2", "k3"}
    assert KnowledgeItem.objects.filter(community=community).count() == 4


def test_each_thread_stems_with_its_own_stemmers_and_gets_the_same_stems():
    """A stemmer keeps state while it works: web threads each have their own."""
    words = ["begeleiders", "mantelzorgondersteuning", "leerkringen", "walking"]
    here = [text.stems.__wrapped__(w) for w in words]  # around the shared cache
    mine = text._stemmers()
    there: list = []
    theirs: list = []

    def work() -> None:
        theirs.append(text._stemmers())
        there.extend(text.stems.__wrapped__(w) for w in words)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()

    assert there == here
    assert "begeleid" in here[0]
    assert theirs[0][0] is not mine[0] and theirs[0][1] is not mine[1]
