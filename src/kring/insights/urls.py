"""Insights: the facilitator's dashboard here; what members see about themselves and the
climate pulse in urls_people."""

from django.urls import include, path

from kring.insights.views import dashboard as views

INSIGHTS = "communities/<slug:slug>/insights/"

urlpatterns = [
    path(INSIGHTS, views.dashboard_view, name="insights-dashboard"),
    path(f"{INSIGHTS}refresh/", views.refresh_view, name="insights-refresh"),
    path(f"{INSIGHTS}signals/<slug:kind>/", views.signals_view, name="insights-signals"),
    path(f"{INSIGHTS}network/", views.network_list_view, name="insights-network"),
    path(f"{INSIGHTS}settings/", views.settings_view, name="insights-settings"),
    path(
        f"{INSIGHTS}suggestions/<int:pk>/",
        views.suggestion_view,
        name="insights-suggestion",
    ),
    path("", include("kring.insights.urls_people")),
]
