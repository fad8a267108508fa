"""Each area of conversations keeps its own URL list."""

from django.urls import include, path

urlpatterns = [
    path("", include("kring.conversations.urls_threads")),
    path("", include("kring.conversations.urls_messages")),
    path("", include("kring.conversations.urls_notifications")),
    path("", include("kring.conversations.urls_moderation")),
]
