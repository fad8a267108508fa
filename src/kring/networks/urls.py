from django.urls import path

from kring.networks import views, views_report, views_sharing

urlpatterns = [
    path("networks/", views.network_list_view, name="network-list"),
    path("networks/create/", views.network_create_view, name="network-create"),
    path("networks/<slug:slug>/", views.network_detail_view, name="network-detail"),
    path("networks/<slug:slug>/update/", views.network_update_view, name="network-update"),
    path("networks/<slug:slug>/communities/", views.network_links_view, name="network-links"),
    path("networks/<slug:slug>/insights/", views.network_insights_view, name="network-insights"),
    path(
        "networks/<slug:slug>/communities/<slug:community>/accept/",
        views.link_accept_view,
        name="network-link-accept",
    ),
    path(
        "networks/<slug:slug>/communities/<slug:community>/remove/",
        views.link_remove_view,
        name="network-link-remove",
    ),
    path("networks/<slug:slug>/shared/", views_sharing.shared_list_view, name="network-shared"),
    path(
        "networks/<slug:slug>/shared/items/<int:pk>/",
        views_sharing.shared_item_view,
        name="network-shared-item",
    ),
    path(
        "networks/<slug:slug>/shared/questions/<int:pk>/",
        views_sharing.shared_question_view,
        name="network-shared-question",
    ),
    path("networks/<slug:slug>/share/", views_sharing.share_view, name="network-share"),
    path(
        "networks/<slug:slug>/shared/<int:share_pk>/withdraw/",
        views_sharing.withdraw_view,
        name="network-share-withdraw",
    ),
]

# The network report (kring.networks.views_report): the page, ?format=pdf and ?format=csv.
urlpatterns += [
    path("networks/<slug:slug>/report/", views_report.network_report_view, name="network-report"),
]
