"""Moderation: flagging, the facilitators' queue, one post's moderation page and the actions.
A reply is addressed with ?reply=<id> on the thread's URLs."""

from django.urls import path

from kring.conversations.views import moderation as views

MODERATION = "communities/<slug:slug>/moderation/"
POST = f"{MODERATION}<int:thread_pk>/"

urlpatterns = [
    path(
        "communities/<slug:slug>/conversations/<int:pk>/flag/",
        views.post_flag_view,
        name="post-flag",
    ),
    path(MODERATION, views.moderation_queue_view, name="moderation-queue"),
    path(f"{MODERATION}flags/<int:flag_pk>/dismiss/", views.flag_dismiss_view, name="flag-dismiss"),
    path(POST, views.moderation_post_view, name="moderation-post"),
    path(f"{POST}hide/", views.post_hide_view, name="post-hide"),
    path(f"{POST}restore/", views.post_restore_view, name="post-restore"),
    path(f"{POST}lock/", views.thread_lock_view, name="thread-lock"),
    path(f"{POST}unlock/", views.thread_unlock_view, name="thread-unlock"),
    path(f"{POST}message/", views.moderation_message_view, name="moderation-message"),
]
