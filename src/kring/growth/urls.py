from django.urls import path

from kring.growth import views

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
