from django.urls import path

from kring.communities import views, views_invitations

urlpatterns = [
    path("communities/", views.community_list_view, name="community-list"),
    path("communities/mine/", views.my_communities_view, name="my-communities"),
    path("communities/create/", views.community_create_view, name="community-create"),
    path("communities/<slug:slug>/", views.community_detail_view, name="community-detail"),
    path("communities/<slug:slug>/update/", views.community_update_view, name="community-update"),
    path("communities/<slug:slug>/members/", views.member_list_view, name="member-list"),
    path(
        "communities/<slug:slug>/members/lookup/",
        views.member_lookup_view,
        name="member-lookup",
    ),
    path(
        "communities/<slug:slug>/members/<int:user_pk>/role/",
        views.member_role_view,
        name="member-role",
    ),
    path(
        "communities/<slug:slug>/members/<int:user_pk>/remove/",
        views.member_remove_view,
        name="member-remove",
    ),
    path(
        "communities/<slug:slug>/invitations/",
        views_invitations.invitation_list_view,
        name="invitation-list",
    ),
    path(
        "communities/<slug:slug>/invitations/<int:pk>/revoke/",
        views_invitations.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path(
        "communities/<slug:slug>/join/",
        views_invitations.join_request_create_view,
        name="join-request",
    ),
    path(
        "communities/<slug:slug>/join-requests/<int:pk>/invite/",
        views_invitations.join_request_answer_view,
        {"answer": "invite"},
        name="join-request-invite",
    ),
    path(
        "communities/<slug:slug>/join-requests/<int:pk>/decline/",
        views_invitations.join_request_answer_view,
        {"answer": "decline"},
        name="join-request-decline",
    ),
    path(
        "invitations/<str:secret>/",
        views_invitations.invitation_accept_view,
        name="invitation-accept",
    ),
    path("people/<int:pk>/", views.person_detail_view, name="person-detail"),
    path("people/<int:pk>/photo/", views.person_photo_view, name="person-photo"),
]
