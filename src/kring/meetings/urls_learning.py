"""Reflections on a session and action points: per community, and your own across them."""

from django.urls import path

from kring.meetings.views import learning as views

SESSION = "communities/<slug:slug>/sessions/<int:pk>/"
POINTS = "communities/<slug:slug>/action-points/"
POINT = f"{POINTS}<int:pk>/"

urlpatterns = [
    path(f"{SESSION}reflection/", views.reflection_create_view, name="reflection-create"),
    path(
        f"{SESSION}reflections/<int:reflection_pk>/highlight/",
        views.reflection_highlight_view,
        name="reflection-highlight",
    ),
    path(POINTS, views.action_point_list_view, name="action-point-list"),
    path(f"{POINTS}create/", views.action_point_create_view, name="action-point-create"),
    path(f"{POINT}update/", views.action_point_update_view, name="action-point-update"),
    path(f"{POINT}done/", views.action_point_done_view, name="action-point-done"),
    path(f"{POINT}delete/", views.action_point_delete_view, name="action-point-delete"),
    path("me/action-points/", views.my_action_points_view, name="my-action-points"),
]
