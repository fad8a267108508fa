from django.urls import path

from kring.decisions import views

urlpatterns = [
    path("communities/<slug:slug>/polls/", views.poll_list_view, name="poll-list"),
    path("communities/<slug:slug>/polls/create/", views.poll_create_view, name="poll-create"),
    path(
        "communities/<slug:slug>/polls/create-date/",
        views.date_poll_create_view,
        name="date-poll-create",
    ),
    path("communities/<slug:slug>/polls/<int:pk>/", views.poll_detail_view, name="poll-detail"),
    path("communities/<slug:slug>/polls/<int:pk>/vote/", views.poll_vote_view, name="poll-vote"),
    path("communities/<slug:slug>/polls/<int:pk>/close/", views.poll_close_view, name="poll-close"),
    path("communities/<slug:slug>/polls/<int:pk>/plan/", views.poll_plan_view, name="poll-plan"),
]
