from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kring.core"
    label = "core"
    verbose_name = _("Kring core")

    def ready(self) -> None:
        from kring.core import db  # noqa: F401  (connects the SQLite tuning signal)
