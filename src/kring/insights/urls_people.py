"""Transparency (what Kring sees about me), the privacy page and the climate pulse."""

from django.urls import path

from kring.insights.views import people, pulse

PULSES = "communities/<slug:slug>/pulses/"

urlpatterns = [
    path("privacy/", people.privacy_view, name="privacy"),
    path("me/insights/", people.insights_me_all_view, name="insights-me-all"),
    path("communities/<slug:slug>/insights/me/", people.insights_me_view, name="insights-me"),
    path(
        "communities/<slug:slug>/insights/me/ties/",
        people.insights_me_ties_view,
        name="insights-me-ties",
    ),
    path(PULSES, pulse.pulse_list_view, name="pulse-list"),
    path(f"{PULSES}create/", pulse.pulse_start_view, name="pulse-start"),
    path(f"{PULSES}<int:pk>/", pulse.pulse_results_view, name="pulse-results"),
    path(f"{PULSES}<int:pk>/answer/", pulse.pulse_answer_view, name="pulse-answer"),
    path(f"{PULSES}<int:pk>/close/", pulse.pulse_close_view, name="pulse-close"),
]
