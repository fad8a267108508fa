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


def search(terms, *, words, community_ids, doc_types, kinds, theme, limit, offset):
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
    joined = (
        f"FROM core_searchdocument d, ({'SELECT ' + query_sql + ' AS query'}) q "
        f"WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id, ts_rank(%s::float4[], d.search_vector, q.query) AS score {joined} "  # noqa: S608
            "ORDER BY score DESC, d.id LIMIT %s OFFSET %s",
            [WEIGHTS, *query_params, *params, limit, offset],
        )
        ranked = cursor.fetchall()
        if offset == 0 and len(ranked) < limit:
            total = len(ranked)
        else:
            cursor.execute(f"SELECT count(*) {joined}", [*query_params, *params])  # noqa: S608
            total = cursor.fetchone()[0]
    return ranked, total


def index_size_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('searchdoc_vector_gin')")
        return int(cursor.fetchone()[0])
