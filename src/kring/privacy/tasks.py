"""Background work for your data. Tasks take ids and only call services."""

from django_tasks import task

from kring.privacy import export


@task()
def data_export_build(*, export_id: int) -> bool:
    """Make the ZIP of one requested export and e-mail its owner."""
    return export.data_export_build(export_id=export_id)


@task()
def data_exports_purge() -> int:
    """Delete export files past their date (periodic, see KRING_PERIODIC_TASKS)."""
    return export.data_exports_purge()
