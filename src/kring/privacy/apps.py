from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Your data (GDPR art. 15, 17, 20): export everything about you, or erase your account.

    A top layer, like home: it reads and changes the models of every feature app, and nothing
    imports it."""

    name = "kring.privacy"
    label = "privacy"
    verbose_name = _("Your data")
