from django.urls import path

from kring.illuminate import views_report as views

REPORT = "communities/<slug:slug>/report/"

urlpatterns = [
    path(REPORT, views.report_view, name="report"),
    path(f"{REPORT}pdf/", views.report_pdf_view, name="report-pdf"),
    path(f"{REPORT}csv/", views.report_csv_view, name="report-csv"),
    path(f"{REPORT}organisations/", views.organisation_report_view, name="report-organisation"),
]
