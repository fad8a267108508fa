from django.urls import path

from kring.meetings.views import calendar

urlpatterns = [
    path(
        "communities/<slug:slug>/sessions/<int:pk>/ics/",
        calendar.session_ics_view,
        name="session-ics",
    ),
    path("calendar/<str:secret>.ics", calendar.calendar_feed_view, name="calendar-feed"),
    path("me/calendar/", calendar.calendar_settings_view, name="calendar-settings"),
]
