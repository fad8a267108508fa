from django.urls import path

from kring.conversations.views import messages as views

urlpatterns = [
    path("messages/", views.conversation_list_view, name="conversation-list"),
    path("messages/new/<int:user_pk>/", views.conversation_start_view, name="conversation-start"),
    path("messages/<int:pk>/", views.conversation_detail_view, name="conversation-detail"),
    path("people/<int:user_pk>/block/", views.person_block_view, name="person-block"),
    path("people/<int:user_pk>/unblock/", views.person_unblock_view, name="person-unblock"),
]
