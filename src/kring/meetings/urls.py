"""Each area of meetings keeps its own URL list."""

from django.urls import include, path

urlpatterns = [
    path("", include("kring.meetings.urls_sessions")),
    path("", include("kring.meetings.urls_calendar")),
    path("", include("kring.meetings.urls_learning")),
]
