"""Illuminate: value stories, the report, and the spotlight's own pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("kring.illuminate.urls_stories")),
    path("", include("kring.illuminate.urls_report")),
    path("", include("kring.illuminate.urls_spotlight")),
]
