"""Rows written as plain values, for bulk imports: `bulk_create` without model instances.

Django's `bulk_create` builds a model instance per row and prepares every value through its
field (`pre_save`, `get_db_prep_save`, the SQL of each placeholder): about 13 µs a value,
two thirds of an import of library items. `insert` takes rows as tuples in the order of the
field names it is given, passes plain values (numbers, text, foreign-key ids) to the
database as they are, prepares only the others (JSON, dates) through their field, and fills
every field it is not given from the field's default, once a call.

It is for new rows of simple tables written in one go: no signals, no `save()`, no
validation. Check the values first, as the import does with its services' rules.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.constants import OnConflict
from django.utils import timezone

# Fields whose Python value is what the database takes, given the right type (int, str, bool).
_PLAIN = (models.IntegerField, models.CharField, models.TextField, models.BooleanField)


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool = False,
    ignore_conflicts: bool = False,
) -> list[int]:
    """Insert `rows` (tuples, one value per name in `fields`, attnames for foreign keys:
    "community_id") into `model`'s table. Returns the new primary keys in row order when
    `returning_ids`, else []. Fields not named get their default (`auto_now` ones: now);
    a required field with no default that is not named is a programming error."""
    if not rows:
        return []
    meta = model._meta
    given = [_column_field(model, name) for name in fields]
    named = {field.attname for field in given}
    filled = [
        field
        for field in meta.concrete_fields
        if field.attname not in named and not field.primary_key and not field.generated
    ]
    extra = tuple(_prepare(field, _default(model, field)) for field in filled)
    prepared = _rows(rows, [_preparer(field) for field in given], extra)
    columns = [field.column for field in (*given, *filled)]

    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    table = ops.quote_name(meta.db_table)
    names = ", ".join(ops.quote_name(column) for column in columns)
    head = f"{ops.insert_statement(on_conflict=on_conflict)} {table} ({names}) VALUES "
    tail = ops.on_conflict_suffix_sql(given, on_conflict, None, None)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if not returning_ids:
            cursor.executemany(f"{head}{placeholders} {tail}", prepared)
            return []
        pk = ops.quote_name(str(meta.pk.column if meta.pk else "id"))
        ids: list[int] = []
        size = max(1, ops.bulk_batch_size(list(meta.concrete_fields), prepared))
        for start in range(0, len(prepared), size):
            chunk = prepared[start : start + size]
            values = ", ".join([placeholders] * len(chunk))
            cursor.execute(
                f"{head}{values} {tail} RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            # New keys grow in the order of the rows; sorted, since neither database
            # promises to return the rows of a multi-row INSERT in that order.
            ids.extend(sorted(row[0] for row in cursor.fetchall()))
    if len(ids) != len(rows):
        raise RuntimeError(f"{meta.label}: {len(rows)} rows inserted, {len(ids)} ids returned")
    return ids


def _column_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete or field.many_to_many:
        raise TypeError(f"{model._meta.label}.{name} is not a column")
    return field


def _rows(rows: Sequence[Sequence[Any]], preparers: list[Callable | None], extra: tuple) -> list:
    """The rows as the database takes them: prepared where a field needs it, defaults after."""
    special = [(i, prepare) for i, prepare in enumerate(preparers) if prepare is not None]
    prepared = []
    for row in rows:
        if len(row) != len(preparers):
            raise ValueError(f"a row has {len(row)} values for {len(preparers)} fields")
        values = [*row, *extra]
        for i, prepare in special:
            if values[i] is not None:
                values[i] = prepare(values[i])
        prepared.append(values)
    return prepared


def _preparer(field: models.Field) -> Callable | None:
    """None for a plain field (its value goes as it is), else how its values are prepared.
    Django's own JSON and date-time fields go straight to the backend's adaptation (what
    their `get_db_prep_save` comes down to, without the three calls in between)."""
    if isinstance(field, _PLAIN) or field.is_relation:
        return None
    ops = connection.ops
    if type(field) is models.JSONField:
        encoder = field.encoder
        return lambda value: ops.adapt_json_value(value, encoder)
    if type(field) is models.DateTimeField:
        return lambda value: ops.adapt_datetimefield_value(field.get_prep_value(value))
    return lambda value: field.get_db_prep_save(value, connection=connection)


# Defaults that may be worked out once for all the rows of a call.
_SHARED_DEFAULTS = (timezone.now, dict, list)


def _default(model: type[models.Model], field: models.Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default() and callable(field.default):
        if field.default not in _SHARED_DEFAULTS:
            # A default such as uuid4 must differ per row: the caller names the field.
            raise TypeError(f"{model._meta.label}.{field.name}: name it in the fields")
        return field.get_default()
    if field.has_default() or field.null:
        return field.get_default()
    if isinstance(field, (models.CharField, models.TextField)) and field.blank:
        return ""
    raise TypeError(f"{model._meta.label}.{field.name} has no default: name it in the fields")


def _prepare(field: models.Field, value: Any) -> Any:
    if value is None or _preparer(field) is None:
        return value
    return field.get_db_prep_save(value, connection=connection)


def commit_without_waiting() -> None:
    """In a transaction on PostgreSQL: let its commit return before the log is on disk
    (`synchronous_commit = off` for this transaction only; SQLite in WAL mode with
    `synchronous=NORMAL` does this already). A crash right after may lose the last such
    transactions, each whole and never half, which suits an import that resumes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
