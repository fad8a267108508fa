"""The table of the database cache that holds the login throttle's counters when Redis is
not configured, so that every worker process counts the same failures."""

from django.core.management import call_command
from django.db import migrations

TABLE = "kring_throttle_cache"


def create_table(apps, schema_editor):
    # createcachetable skips a table that already exists.
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_event_actor_covering")]

    operations = [migrations.RunPython(create_table, drop_table)]
