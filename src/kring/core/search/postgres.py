"""PostgreSQL backend: a weighted tsvector column on core_searchdocument with a GIN index.

Each text is indexed with both the `dutch` and the `english` configuration; a query word
matches through either, just as on SQLite.
"""

from django.db import connection

# ts_rank weights for D, C, B, A: body is D, tags B, title A.
WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"

VECTOR_SQL = (
    "setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('english', title), 'A')"
    " || setweight(to_tsvector('dutch', tags), 'B') || setweight(to_tsvector('english', tags), 'B')"
    " || setweight(to_tsvector('dutch', body), 'D') || setweight(to_tsvector('english', body), 'D')"
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


def write(rows) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_searchdocument SET search_vector = {VECTOR_SQL} WHERE id = ANY(%s)",
            [[row.pk for row in rows]],
        )


def delete(pks: list[int]) -> None:
    """Rows carry their own vector; deleting the row is enough."""


def clear() -> None:
    """Rows carry their own vector; deleting the rows is enough."""


def _tsquery(words: list[str]) -> tuple[str, list[str]]:
    """Every word must match, in its Dutch or its English form (PostgreSQL stems it)."""
    parts, params = [], []
    for word in words:
        parts.append("(plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s))")
        params.extend([word, word])
    return " && ".join(parts), params


def search(terms, *, words, community_ids, doc_types, kinds, theme, limit):
    """The newest `limit` matches as (id, score), newest first."""
    query_sql, query_params = _tsquery(words)
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
    with connection.cursor() as cursor:
        # Newest first and no further: ts_rank for every match of a common word is what
        # would take time.
        cursor.execute(
            f"SELECT d.id, ts_rank(%s::float4[], d.search_vector, q.query) AS score "
            f"FROM core_searchdocument d, (SELECT {query_sql} AS query) q "
            f"WHERE {' AND '.join(where)} ORDER BY d.id DESC LIMIT %s",
            [WEIGHTS, *query_params, *params, limit],
        )
        return cursor.fetchall()


def index_size_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('searchdoc_vector_gin')")
        return int(cursor.fetchone()[0])
