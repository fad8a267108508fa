"""The admin speaks the person's language: its own titles and the third-party app's names go
through gettext."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nl", "en"])
def test_admin_index_titles_are_translated(make_client, make_admin, language):
    """The admin index shows Kring's title and the task app's names in the chosen language,
    never Django's or the package's stock English."""
    client = make_client(make_admin())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get("/admin/").content.decode()
    with translation.override(language):
        expected = [
            gettext("Kring administration"),
            gettext("Manage the platform"),
            pgettext("admin", "Background tasks"),
            pgettext("admin", "task results").capitalize(),
        ]
    for text in expected:
        assert text in content
    assert "Django administration" not in content
    assert "Tasks Database Backend" not in content
    assert "Task Results" not in content


def test_task_app_keeps_its_label_and_tables():
    """The renamed task app is the same app: same label, same model, same table."""
    from django.apps import apps

    config = apps.get_app_config("django_tasks_database")
    assert config.name == "django_tasks_db"
    assert config.get_model("DBTaskResult")._meta.db_table == "django_tasks_database_dbtaskresult"
