from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HomeConfig(AppConfig):
    """The homes: a member's week across their communities and the platform overview.

    The top layer, like insights: it reads the selectors of every feature app, and nothing
    imports it."""

    name = "kring.home"
    label = "home"
    verbose_name = _("Home")


class TasksDatabaseConfig(AppConfig):
    """django_tasks_db under Dutch (translatable) names in the admin.

    The package names its app "Tasks Database Backend" (not translatable) and its model "Task
    Result" (translatable, but it ships no Dutch). Listed in INSTALLED_APPS instead of
    "django_tasks_db"; same name and label, so its tables and migrations stay as they are."""

    name = "django_tasks_db"
    label = "django_tasks_database"
    verbose_name = pgettext_lazy("admin", "Background tasks")
    default = False

    def ready(self) -> None:
        from django_tasks_db.apps import TasksAppConfig

        TasksAppConfig.ready(self)
        model = self.get_model("DBTaskResult")
        # Options are read at render time, so lazy strings follow the active language.
        model._meta.verbose_name = pgettext_lazy("admin", "task result")
        model._meta.verbose_name_plural = pgettext_lazy("admin", "task results")
