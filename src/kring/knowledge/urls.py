from django.urls import path

from kring.knowledge import views

ITEM = "communities/<slug:slug>/library/<int:pk>/"

urlpatterns = [
    path("communities/<slug:slug>/library/", views.item_list_view, name="item-list"),
    path("communities/<slug:slug>/library/create/", views.item_create_view, name="item-create"),
    path(ITEM, views.item_detail_view, name="item-detail"),
    path(f"{ITEM}update/", views.item_update_view, name="item-update"),
    path(f"{ITEM}delete/", views.item_delete_view, name="item-delete"),
    path(f"{ITEM}revisions/", views.item_revisions_view, name="item-revisions"),
    path(f"{ITEM}useful/", views.item_useful_view, name="item-useful"),
    path(f"{ITEM}comments/", views.comment_create_view, name="item-comments"),
    path(f"{ITEM}feature/", views.item_feature_view, name="item-feature"),
    path(
        f"{ITEM}attachments/<int:att_pk>/",
        views.attachment_download_view,
        name="attachment-download",
    ),
    path(
        f"{ITEM}attachments/<int:att_pk>/delete/",
        views.attachment_delete_view,
        name="attachment-delete",
    ),
    path("communities/<slug:slug>/search/", views.search_view, name="community-search"),
    path("communities/<slug:slug>/who-knows/", views.who_knows_view, name="who-knows"),
]
