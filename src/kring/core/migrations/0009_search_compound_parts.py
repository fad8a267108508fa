"""The search index gets the parts of Dutch compound words, and PostgreSQL indexes the
same Python-stemmed words as SQLite (one `simple` vector instead of `dutch` + `english`).

SQLite: the FTS5 table is made again with a fourth column, `parts`. Both: every existing
search document is indexed again from its stored title, body and tags (a few minutes for
100,000 documents; `kring reindex` does the same from the source objects).
"""

from types import SimpleNamespace

from django.db import migrations

BATCH = 1000


def rebuild(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        from kring.core.search import postgres as backend
    elif connection.vendor == "sqlite":
        from kring.core.search import sqlite as backend

        with connection.cursor() as cursor:
            backend.create_table_with_parts(cursor)
    else:
        return
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title, body, tags FROM core_searchdocument WHERE id > %s "
                "ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = [
                SimpleNamespace(pk=pk, title=title, body=body, tags=tags)
                for pk, title, body, tags in cursor.fetchall()
            ]
        if not rows:
            return
        backend.write(rows, connection=connection)
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("core", "0008_alter_activityevent_verb")]
    # Going back leaves the new index in place: run `kring reindex` after migrating back.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
