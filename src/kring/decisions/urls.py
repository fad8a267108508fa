from django.urls import path

from kring.decisions import views, views_rules

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
    path("communities/<slug:slug>/ground-rules/", views_rules.rules_view, name="ground-rules"),
    path(
        "communities/<slug:slug>/ground-rules/propose/",
        views_rules.rules_propose_view,
        name="ground-rules-propose",
    ),
    path(
        "communities/<slug:slug>/ground-rules/proposals/<int:pk>/comment/",
        views_rules.rules_comment_view,
        name="ground-rules-comment",
    ),
    path(
        "communities/<slug:slug>/ground-rules/proposals/<int:pk>/agree/",
        views_rules.rules_agree_view,
        name="ground-rules-agree",
    ),
    path(
        "communities/<slug:slug>/ground-rules/proposals/<int:pk>/adopt/",
        views_rules.rules_adopt_view,
        name="ground-rules-adopt",
    ),
    path(
        "communities/<slug:slug>/ground-rules/proposals/<int:pk>/withdraw/",
        views_rules.rules_withdraw_view,
        name="ground-rules-withdraw",
    ),
]
