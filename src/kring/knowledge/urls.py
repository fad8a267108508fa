from django.urls import path

from kring.knowledge import views

urlpatterns = [
    path("communities/<slug:slug>/library/", views.item_list_view, name="item-list"),
    path("communities/<slug:slug>/library/<int:pk>/", views.item_detail_view, name="item-detail"),
]
