"""PostgreSQL backend: a weighted tsvector column on core_searchdocument with a GIN index.

The vector holds the same stemmed words as SQLite's FTS5 table, made in Python
(`text.index_columns`: Dutch and English stems, parts of compounds) and read with the
`simple` configuration, which only splits and lower-cases: both backends find the same
documents, and the database does no stemming of its own.
"""

import itertools

from django.db import connection

from kring.core.search import text

# ts_rank weights for D, C, B, A: parts of compounds D, body C, tags B, title A.
WEIGHTS = "{0.05, 0.1, 0.5, 1.0}"

VECTOR_SQL = (
    "setweight(to_tsvector('simple', v.title), 'A')"
    " || setweight(to_tsvector('simple', v.tags), 'B')"
    " || setweight(to_tsvector('simple', v.body), 'C')"
    " || setweight(to_tsvector('simple', v.parts), 'D')"
)


def create_column(cursor) -> None:
    cursor.execute(
        "ALTER TABLE core_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector"
    )
    cursor.execute(
        "CREATE INDEX IF NOT EXISTS searchdoc_vector_gin ON core_searchdocument "
        "USING gin (search_vector)"
    )
    # Keep vectors (a few kB each) in the row rather than in the TOAST table: ranking
    # reads the vector of every candidate, and fetching it from TOAST costs 2-3 times more.
    cursor.execute("ALTER TABLE core_searchdocument ALTER COLUMN search_vector SET STORAGE MAIN")
    cursor.execute("ALTER TABLE core_searchdocument SET (toast_tuple_target = 8160)")


_INSERT_COLUMNS = (
    "doc_type",
    "doc_id",
    "community_id",
    "kind",
    "title",
    "body",
    "tags",
    "themes",
    "url",
    "updated_at",
)
_INSERT_TYPES = (
    "text",
    "bigint",
    "bigint",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "timestamptz",
)


def insert(rows, indexed: list[tuple[str, str, str, str]]) -> None:
    """New SearchDocument rows with their vectors, in one INSERT (no second write of each
    row to fill the vector in, which would leave a dead row behind); `indexed[i]` are
    rows[i]'s index columns. Sets each row's pk."""
    values: list[list] = [[] for _ in _INSERT_COLUMNS]
    texts: list[list] = [[], [], [], []]
    for row, columns in zip(rows, indexed, strict=True):
        for column, name in zip(values, _INSERT_COLUMNS, strict=True):
            column.append(getattr(row, name))
        for column, value in zip(texts, columns, strict=True):
            column.append(value)
    unnest = ", ".join(f"%s::{kind}[]" for kind in (*_INSERT_TYPES, "text", "text", "text", "text"))
    names = ", ".join((*_INSERT_COLUMNS, "title_i", "body_i", "tags_i", "parts_i"))
    vector = VECTOR_SQL.replace("v.title", "v.title_i").replace("v.body", "v.body_i")
    vector = vector.replace("v.tags", "v.tags_i").replace("v.parts", "v.parts_i")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO core_searchdocument ({', '.join(_INSERT_COLUMNS)}, search_vector) "
            f"SELECT {', '.join('v.' + c for c in _INSERT_COLUMNS)}, {vector} "
            f"FROM unnest({unnest}) AS v({names}) "
            "RETURNING id, doc_type, doc_id, community_id",
            [*values, *texts],
        )
        ids = {(t, d, c): pk for pk, t, d, c in cursor.fetchall()}
    for row in rows:
        row.pk = ids[(row.doc_type, row.doc_id, row.community_id)]


def write(rows, *, connection=connection) -> None:
    """Index these SearchDocument rows (anything with pk, title, body and tags)."""
    if not rows:
        return
    columns: tuple[list, ...] = ([], [], [], [], [])
    for row in rows:
        title, body, tags, parts = text.index_columns(row.title, row.body, row.tags)
        for column, value in zip(columns, (row.pk, title, body, tags, parts), strict=True):
            column.append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_searchdocument d SET search_vector = {VECTOR_SQL} "
            "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS title, "
            "unnest(%s::text[]) AS body, unnest(%s::text[]) AS tags, "
            "unnest(%s::text[]) AS parts) v WHERE d.id = v.id",
            list(columns),
        )


def delete(pks: list[int]) -> None:
    """Rows carry their own vector; deleting the row is enough."""


def clear() -> None:
    """Rows carry their own vector; deleting the rows is enough."""


def _tsquery(terms: list[tuple[str, ...]]) -> tuple[str, list[str]]:
    """Every query word must match, through either of its stems (as on SQLite)."""
    parts, params = [], []
    for alternatives in terms:
        parts.append("(" + " || ".join("plainto_tsquery('simple', %s)" for _ in alternatives) + ")")
        params.extend(alternatives)
    return " && ".join(parts), params


# The id ranges searched one after the other, newest first (see search): the newest 16,384
# ids, the 49,152 before them, then the rest. Measured at 100,000 items
# (benchmarks/README.md): a query matching one document in sixteen or more is answered
# from the first range.
PASSES = (16_384, 65_536)


def search(terms, *, words, community_ids, doc_types, kinds, theme, limit):
    """The newest `limit` matches as (id, score), newest first.

    Every matching row is read from the table (its id, for the order; its vector, for the
    rank), and a row is about a page: read all the matches of two fairly common words and
    that is thousands of pages. So the search goes back in ranges of ids, newest first, and
    stops as soon as it has `limit` matches: the index narrows each range to its matches,
    and a later range is not searched at all when an earlier one had enough. One statement
    (ranges as parts of a UNION ALL, which PostgreSQL runs in order and stops), so the
    number of queries does not depend on the data."""
    query_sql, query_params = _tsquery(terms)
    where = ["d.search_vector @@ q.query", "d.community_id = ANY(%s)"]
    params: list = [community_ids]
    if doc_types:
        where.append("d.doc_type = ANY(%s)")
        params.append(doc_types)
    if kinds:
        where.append("(d.doc_type != 'item' OR d.kind = ANY(%s))")
        params.append(kinds)
    if theme:
        where.append("d.themes LIKE %s")
        params.append(f"% {theme} %")
    # Newest first and no further: ts_rank for every match of a common word is what would
    # take time.
    part = (
        f"(SELECT d.id, ts_rank(%s::float4[], d.search_vector, q.query) AS score "
        f"FROM core_searchdocument d, (SELECT {query_sql} AS query) q "
        f"WHERE {' AND '.join(where)} AND {{range}} ORDER BY d.id DESC LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM core_searchdocument")
        newest = cursor.fetchone()[0] or 0
        bounds = [newest - reach for reach in PASSES]
        ranges = [
            ("d.id > %s", [bounds[0]]),
            *(("d.id > %s AND d.id <= %s", [lo, hi]) for hi, lo in itertools.pairwise(bounds)),
            ("d.id <= %s", [bounds[-1]]),
        ]
        sql = " UNION ALL ".join(part.format(range=condition) for condition, _ in ranges)
        sql_params = [
            value
            for _, bound in ranges
            for value in (WEIGHTS, *query_params, *params, *bound, limit)
        ]
        # The order of the result relies on PostgreSQL running a UNION ALL's parts one
        # after the other (an Append; a LIMIT in each part keeps it from a parallel one).
        cursor.execute(f"{sql} LIMIT %s", [*sql_params, limit])
        return cursor.fetchall()


def index_size_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('searchdoc_vector_gin')")
        return int(cursor.fetchone()[0])
