from django.urls import path

from kring.growth import views, views_teams

urlpatterns = [
    path("communities/<slug:slug>/development/", views.development_view, name="development"),
    path(
        "communities/<slug:slug>/development/steps/<str:key>/",
        views.step_judge_view,
        name="development-step",
    ),
    path(
        "communities/<slug:slug>/development/mandate/",
        views.mandate_view,
        name="development-mandate",
    ),
    path(
        "communities/<slug:slug>/development/stage/",
        views.stage_correct_view,
        name="development-stage",
    ),
]

urlpatterns += [
    path("communities/<slug:slug>/teams/", views_teams.team_list_view, name="team-list"),
    path(
        "communities/<slug:slug>/teams/create/",
        views_teams.team_create_view,
        name="team-create",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/",
        views_teams.team_detail_view,
        name="team-detail",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/update/",
        views_teams.team_update_view,
        name="team-update",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/delete/",
        views_teams.team_delete_view,
        name="team-delete",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/tasks/",
        views_teams.team_task_add_view,
        name="team-task-add",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/tasks/<int:task_pk>/done/",
        views_teams.team_task_done_view,
        name="team-task-done",
    ),
    path(
        "communities/<slug:slug>/teams/<int:pk>/discussion/",
        views_teams.team_discussion_view,
        name="team-discussion",
    ),
]
