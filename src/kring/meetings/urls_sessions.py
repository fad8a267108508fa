"""Sessions of a community: the list, planning, one session, RSVPs and attendance."""

from django.urls import path

from kring.meetings.views import attendance
from kring.meetings.views import sessions as views

SESSIONS = "communities/<slug:slug>/sessions/"
SESSION = f"{SESSIONS}<int:pk>/"

urlpatterns = [
    path(SESSIONS, views.session_list_view, name="session-list"),
    path(f"{SESSIONS}create/", views.session_create_view, name="session-create"),
    path(f"{SESSIONS}series/create/", views.series_create_view, name="series-create"),
    path(SESSION, views.session_detail_view, name="session-detail"),
    path(f"{SESSION}update/", views.session_update_view, name="session-update"),
    path(f"{SESSION}cancel/", views.session_cancel_view, name="session-cancel"),
    path(f"{SESSION}restore/", views.session_restore_view, name="session-restore"),
    path(f"{SESSION}rsvp/", views.session_rsvp_view, name="session-rsvp"),
    path(f"{SESSION}attendance/", attendance.session_attendance_view, name="session-attendance"),
    path(f"{SESSION}materials/", views.session_materials_view, name="session-materials"),
    path(
        f"{SESSION}materials/lookup/",
        views.session_material_lookup_view,
        name="session-material-lookup",
    ),
]
