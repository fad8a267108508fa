from django.urls import path

from kring.home import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("me/sessions/<int:pk>/rsvp/", views.home_rsvp_view, name="home-rsvp"),
    path("platform/", views.platform_overview_view, name="platform-overview"),
]
