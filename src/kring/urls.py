from django.contrib import admin
from django.urls import include, path

from kring.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kring.core.urls")),
    path("", include("kring.home.urls")),
    path("", include("kring.accounts.urls")),
    path("", include("kring.communities.urls")),
    path("", include("kring.knowledge.urls")),
    path("", include("kring.conversations.urls")),
    path("", include("kring.meetings.urls")),
    path("", include("kring.insights.urls")),
    path("", include("kring.illuminate.urls")),
    path("", include("kring.growth.urls")),
    path("", include("kring.decisions.urls")),
    path("", include("kring.networks.urls")),
    path("", include("kring.privacy.urls")),
]

# Error pages that explain themselves (kring/core/errors.py); the 500 page needs no database.
handler400 = "kring.core.errors.bad_request"
handler403 = "kring.core.errors.permission_denied"
handler404 = "kring.core.errors.page_not_found"
handler500 = "kring.core.errors.server_error"
