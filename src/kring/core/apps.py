from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kring.core"
    label = "core"
    verbose_name = _("Kring core")

    def ready(self) -> None:
        from django.db.models import ForeignKey, IntegerField

        from kring.core import db  # noqa: F401  (connects the SQLite tuning signal)
        from kring.core.lookups import InIds

        IntegerField.register_lookup(InIds)
        ForeignKey.register_lookup(InIds)

        # Each app registers its activity verbs when its verbs.py is imported (see
        # kring.core.verbs); importing them all here makes the registry complete at start-up.
        autodiscover_modules("verbs")
