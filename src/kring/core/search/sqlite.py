"""SQLite FTS5 backend: an FTS5 table of stemmed text, rowid = SearchDocument.id."""

from django.db import connection

from kring.core import bulk
from kring.core.models import SearchDocument
from kring.core.search import text

TABLE = "core_search_fts"
# bm25 weights per column: title, body, tags, parts of compound words. Title matches weigh
# most; a word found only as part of a compound weighs least.
WEIGHTS = (10.0, 1.0, 4.0, 0.5)


def create_table(cursor) -> None:
    """The FTS5 table as migration 0003 made it (title, body, tags)."""
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "title, body, tags, tokenize = 'unicode61 remove_diacritics 2', detail = 'full')"
    )


def create_table_with_parts(cursor) -> None:
    """The FTS5 table since migration 0009: a fourth column for the parts of compounds."""
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cursor.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
        "title, body, tags, parts, tokenize = 'unicode61 remove_diacritics 2', "
        "detail = 'full')"
    )


def insert(rows, indexed: list[tuple[str, str, str, str]]) -> None:
    """New SearchDocument rows and their index entries (`indexed[i]`, rows[i]'s index
    columns). Sets each row's pk."""
    ids = bulk.insert(
        SearchDocument,
        ("doc_type", "doc_id", "community_id", "kind", "title", "body", "tags", "themes", "url"),
        [
            (r.doc_type, r.doc_id, r.community_id, r.kind, r.title, r.body, r.tags, r.themes, r.url)
            for r in rows
        ],
        returning_ids=True,
    )
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, body, tags, parts) VALUES (%s, %s, %s, %s, %s)",
            [(row.pk, *columns) for row, columns in zip(rows, indexed, strict=True)],
        )


def write(rows, *, connection=connection) -> None:
    """Index these SearchDocument rows (anything with pk, title, body and tags)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        pks = [row.pk for row in rows]
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN ({','.join('%s' for _ in chunk)})", chunk
            )
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, body, tags, parts) VALUES (%s, %s, %s, %s, %s)",
            [(row.pk, *text.index_columns(row.title, row.body, row.tags)) for row in rows],
        )


def delete(pks: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE rowid IN ({','.join('%s' for _ in chunk)})", chunk
            )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: list[tuple[str, ...]]) -> str:
    """Every query word must match, through either of its stems."""
    return " AND ".join(
        "(" + " OR ".join(_quote(stem) for stem in alternatives) + ")" for alternatives in terms
    )


def search(terms, *, words, community_ids, doc_types, kinds, theme, limit):
    """The newest `limit` matches as (id, score), newest first."""
    where = [f"{TABLE} MATCH %s", f"d.community_id IN ({','.join('%s' for _ in community_ids)})"]
    params: list = [match_expression(terms), *community_ids]
    if doc_types:
        where.append(f"d.doc_type IN ({','.join('%s' for _ in doc_types)})")
        params.extend(doc_types)
    if kinds:
        where.append(f"(d.doc_type != 'item' OR d.kind IN ({','.join('%s' for _ in kinds)}))")
        params.extend(kinds)
    if theme:
        where.append("d.themes LIKE %s")
        params.append(f"% {theme} %")
    joined = (
        f"FROM {TABLE} JOIN core_searchdocument d ON d.id = {TABLE}.rowid "
        f"WHERE {' AND '.join(where)}"
    )
    weights = ", ".join(str(w) for w in WEIGHTS)
    with connection.cursor() as cursor:
        # FTS5 walks its index in rowid order and stops after `limit` matches, so bm25 runs
        # for those only, not for every item that mentions a common word.
        cursor.execute(
            f"SELECT d.id, -bm25({TABLE}, {weights}) AS score {joined} "
            f"ORDER BY {TABLE}.rowid DESC LIMIT %s",
            [*params, limit],
        )
        return cursor.fetchall()


def index_size_bytes() -> int:
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{TABLE}%"])
            return int(cursor.fetchone()[0] or 0)
        except Exception:  # dbstat is an optional SQLite module
            return -1
