"""Database tuning that settings alone cannot express."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created)
def _sqlite_pragmas(sender, connection, **kwargs) -> None:
    """Keep SQLite's busy wait and foreign keys on for every connection, tests included.

    Settings' init_command covers normal connections; the test runner's in-memory
    databases skip WAL (it has no meaning there) but still want the busy timeout.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=20000")
        cursor.execute("PRAGMA foreign_keys=ON")
