"""Questions and discussions, inside a community."""

from django.urls import path

from kring.conversations.views import threads as views

THREADS = "communities/<slug:slug>/conversations/"
THREAD = f"{THREADS}<int:pk>/"
REPLY = f"{THREAD}replies/<int:reply_pk>/"

urlpatterns = [
    path(THREADS, views.thread_list_view, name="thread-list"),
    path(f"{THREADS}create/", views.thread_create_view, name="thread-create"),
    path(f"{THREADS}mentions/", views.mention_search_view, name="mention-search"),
    path(THREAD, views.thread_detail_view, name="thread-detail"),
    path(f"{THREAD}update/", views.thread_update_view, name="thread-update"),
    path(f"{THREAD}history/", views.thread_history_view, name="thread-history"),
    path(f"{THREAD}useful/", views.thread_useful_view, name="thread-useful"),
    path(f"{THREAD}accept/", views.answer_accept_view, name="answer-accept"),
    path(f"{THREAD}replies/", views.reply_create_view, name="reply-create"),
    path(f"{REPLY}update/", views.reply_update_view, name="reply-update"),
    path(f"{REPLY}useful/", views.reply_useful_view, name="reply-useful"),
    path(f"{THREAD}attachments/<int:att_pk>/", views.post_attachment_view, name="post-attachment"),
]
