"""The export part of `/me/data/`: ask for a copy, see its state, download it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from kring.privacy import export as services
from kring.privacy import selectors
from kring.privacy import services as privacy_services


def section_context(request) -> dict:
    latest = selectors.data_export_latest(user=request.user)
    return {
        "export": latest,
        "export_state": latest.shown_state if latest is not None else "",
        "export_days": services.EXPORT_DAYS,
    }


@login_required
@require_POST
def export_request_view(request):
    """Ask for a copy (a plain form POST; with htmx the section is swapped in place)."""
    privacy_services.data_export_request(user=request.user)
    if request.htmx:
        return render(request, "privacy/_export_section.html", section_context(request))
    return redirect("my-data")


@login_required
@require_GET
def export_section_view(request):
    """The section on its own, for htmx to poll while the copy is being made."""
    if not request.htmx:
        return redirect("my-data")
    return render(request, "privacy/_export_section.html", section_context(request))


@login_required
@require_GET
def export_download_view(request, pk: int):
    """Your ZIP as an attachment. Someone else's export is 404; an old one says it expired."""
    export = selectors.data_export_get(user=request.user, pk=pk)
    if export.is_expired:
        return render(request, "privacy/export_expired.html", {"export": export}, status=410)
    if not export.is_downloadable:
        raise Http404
    try:
        handle = services.export_path(export).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(export),
        content_type="application/zip",
    )


urlpatterns = [
    path("me/data/export/", export_request_view, name="data-export-request"),
    path("me/data/export/section/", export_section_view, name="data-export-section"),
    path(
        "me/data/export/<int:pk>/download/",
        export_download_view,
        name="data-export-download",
    ),
]
