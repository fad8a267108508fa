from django.urls import path

from kring.illuminate import views_stories as views

STORIES = "communities/<slug:slug>/stories/"
STORY = f"{STORIES}<int:pk>/"

urlpatterns = [
    path(STORIES, views.story_list_view, name="value-story-list"),
    path(f"{STORIES}create/", views.story_create_view, name="value-story-create"),
    path(f"{STORIES}overview/", views.value_overview_view, name="value-overview"),
    path(STORY, views.story_detail_view, name="value-story-detail"),
    path(f"{STORY}update/", views.story_update_view, name="value-story-update"),
    path(f"{STORY}delete/", views.story_delete_view, name="value-story-delete"),
    path(f"{STORY}feature/", views.story_feature_view, name="value-story-feature"),
    path(f"{STORY}practice-story/", views.story_practice_view, name="value-story-practice"),
]
