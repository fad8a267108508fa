from django.db import migrations


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from kring.core.search import postgres

            postgres.create_column(cursor)
        elif connection.vendor == "sqlite":
            from kring.core.search import sqlite

            sqlite.create_table(cursor)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS core_search_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS searchdoc_vector_gin")
            cursor.execute("ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_searchdocument")]
    operations = [migrations.RunPython(create_index, drop_index)]
