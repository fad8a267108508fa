from django.urls import path

from kring.privacy import views, views_erase, views_export

urlpatterns = [
    path("me/data/", views.data_view, name="my-data"),
    *views_export.urlpatterns,
    *views_erase.urlpatterns,
]
