from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Your data (GDPR art. 15, 17, 20): export everything about you, or erase your account.

    A top layer, like home: it reads and changes the models of every feature app, and nothing
    imports it."""

    name = "kring.privacy"
    label = "privacy"
    verbose_name = _("Your data")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from kring.accounts.models import User
        from kring.privacy.erasure import refuse_plain_delete

        # A safety net, not the way to do it: a plain delete of a person (the shell, a script,
        # a future admin) would cascade into other people's content. account_erase empties
        # every relation first; any other delete of someone who still has rows is refused.
        pre_delete.connect(refuse_plain_delete, sender=User, dispatch_uid="privacy-erase-only")
