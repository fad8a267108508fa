"""`core.bulk.insert`: rows as plain values, read back through the ORM as Django wrote them."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.core import bulk
from kring.core.models import ActivityEvent, Tag

pytestmark = pytest.mark.django_db


def test_insert_returns_the_new_ids_in_row_order(make_user):
    """Each id is its own row's: values and prepared JSON and dates read back in order."""
    actor = make_user(full_name="Ada")
    when = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)

    ids = bulk.insert(
        ActivityEvent,
        ("actor_id", "verb", "created_at", "data"),
        [(actor.pk, f"test.verb{n}", when + dt.timedelta(hours=n), {"n": n}) for n in range(5)],
        returning_ids=True,
    )

    rows = {e.pk: e for e in ActivityEvent.objects.filter(pk__in=ids)}
    assert len(ids) == 5 and len(rows) == 5
    for n, pk in enumerate(ids):
        assert rows[pk].verb == f"test.verb{n}"
        assert rows[pk].data == {"n": n}
        assert rows[pk].created_at == when + dt.timedelta(hours=n)


def test_fields_not_named_get_their_defaults_and_values_keep_their_types(make_user):
    """JSON comes back as written, a date-time default is now, nullable fields are empty."""
    actor = make_user(full_name="Ada")
    before = timezone.now()

    bulk.insert(
        ActivityEvent,
        ("actor_id", "verb", "data"),
        [(actor.pk, "test.plain", {"nested": [1, "twee", None], "ok": True})],
    )

    event = ActivityEvent.objects.get(verb="test.plain")
    assert event.data == {"nested": [1, "twee", None], "ok": True}
    assert before <= event.created_at <= timezone.now()  # the field's default, now
    assert event.community_id is None and event.target_id is None and event.other_id is None


def test_a_named_null_value_stays_null(make_user):
    """None is SQL NULL, also for a field that needs preparing."""
    actor = make_user(full_name="Ada")

    bulk.insert(ActivityEvent, ("actor_id", "verb", "community_id"), [(actor.pk, "t.x", None)])

    assert ActivityEvent.objects.get(verb="t.x").community_id is None


def test_ignore_conflicts_skips_rows_that_already_exist():
    """An existing row keeps its values; the new ones are added."""
    Tag.objects.create(name="Zorg", slug="zorg")

    bulk.insert(
        Tag, ("name", "slug"), [("zorg again", "zorg"), ("Wonen", "wonen")], ignore_conflicts=True
    )

    assert dict(Tag.objects.values_list("slug", "name")) == {"zorg": "Zorg", "wonen": "Wonen"}


def test_a_conflict_without_ignore_fails_and_writes_nothing_of_the_call():
    """A duplicate fails the whole statement: the row before it is not kept either."""
    Tag.objects.create(name="Zorg", slug="zorg")

    with pytest.raises(Exception, match="(?i)unique"), transaction.atomic():
        bulk.insert(Tag, ("name", "slug"), [("Wonen", "wonen"), ("Zorg", "zorg")])

    assert list(Tag.objects.values_list("slug", flat=True)) == ["zorg"]


def test_mistakes_in_the_call_are_refused_before_anything_is_written(make_user):
    """A row of the wrong length, or a required field left out: an error, and no rows."""
    actor = make_user(full_name="Ada")

    with pytest.raises(ValueError, match="2 values for 3 fields"):
        bulk.insert(ActivityEvent, ("actor_id", "verb", "data"), [(actor.pk, "t.y")])
    with pytest.raises(TypeError, match="verb has no default"):
        bulk.insert(ActivityEvent, ("actor_id",), [(actor.pk,)])

    assert not ActivityEvent.objects.filter(actor=actor).exists()


def test_nothing_to_insert_is_no_query():
    """No rows, no statement."""
    with CaptureQueriesContext(connection) as captured:
        assert bulk.insert(Tag, ("name", "slug"), [], returning_ids=True) == []

    assert captured.captured_queries == []


def test_more_rows_than_one_statement_takes():
    """Returning ids goes in statements of as many rows as the database's parameter limit
    allows; every row is written and every id returned, in order."""
    size = connection.ops.bulk_batch_size(list(Tag._meta.concrete_fields), [None] * 100_000)
    count = min(size + 7, 40_000)

    ids = bulk.insert(
        Tag, ("name", "slug"), [(f"T{n}", f"t-{n}") for n in range(count)], returning_ids=True
    )

    assert len(ids) == count == Tag.objects.count()
    assert Tag.objects.get(pk=ids[-1]).slug == f"t-{count - 1}"


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # a real transaction, not the test's savepoint
def test_commit_without_waiting_lasts_for_the_transaction_only():
    """PostgreSQL: off inside the transaction, as before after it. SQLite: nothing to do."""
    before = _synchronous_commit() if connection.vendor == "postgresql" else None
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        bulk.commit_without_waiting()
        inside = _synchronous_commit() if connection.vendor == "postgresql" else None

    if connection.vendor == "postgresql":
        assert inside == "off"
        assert _synchronous_commit() == before
    else:
        assert captured.captured_queries == []


def test_a_default_that_must_differ_per_row_is_refused(monkeypatch):
    """A callable default other than now, dict or list (uuid4, say) would give every row
    the same value: the caller has to name the field."""
    field = Tag._meta.get_field("name")
    monkeypatch.setattr(field, "default", lambda: "zelfde")

    with pytest.raises(TypeError, match="Tag.name: name it in the fields"):
        bulk.insert(Tag, ("slug",), [("a",), ("b",)])

    assert not Tag.objects.exists()
