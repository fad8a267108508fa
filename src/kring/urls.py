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
]
