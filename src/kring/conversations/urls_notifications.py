from django.urls import path

from kring.conversations.views import notifications as views

urlpatterns = [
    path("notifications/", views.notification_list_view, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all_view, name="notification-read-all"),
    path("notifications/settings/", views.notification_settings_view, name="notification-settings"),
    path("notifications/<int:pk>/", views.notification_open_view, name="notification-open"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
