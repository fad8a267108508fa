"""The spotlight's own addresses; the page itself is the community's address for outsiders
(registered with kring.communities.landing in IlluminateConfig.ready)."""

from django.urls import path

from kring.illuminate import views_spotlight as views

SPOTLIGHT = "communities/<slug:slug>/spotlight/"

urlpatterns = [
    path(SPOTLIGHT, views.spotlight_preview_view, name="spotlight-preview"),
    path(f"{SPOTLIGHT}publish/", views.spotlight_publish_view, name="spotlight-publish"),
    path(f"{SPOTLIGHT}feed/", views.spotlight_feed_view, name="spotlight-feed"),
    path(f"{SPOTLIGHT}stories/<int:pk>/", views.spotlight_story_view, name="spotlight-story"),
]
