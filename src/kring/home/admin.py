"""The admin's own titles, in the person's language (the stock ones are English)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Kring administration")
admin.site.site_title = _("Kring administration")
admin.site.index_title = _("Manage the platform")
