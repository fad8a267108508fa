"""`POST/GET /api/v1/me/export` and `GET /api/v1/me/export/download`.

POST asks for a copy of your data (202; while one is being made, that one is answered and no
second build starts). GET tells its state; when it is ready, `download_url` is
`/api/v1/me/export/download`, which answers the ZIP to the same token or session.
"""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.openapi.schema import REF_TEMPLATE

from kring.privacy import export as services
from kring.privacy import selectors
from kring.privacy import services as privacy_services
from kring.privacy.models import DataExport

router = Router(tags=["me"])

ExportStateName = Literal["none", "pending", "ready", "failed", "expired"]


class DataExportOut(Schema):
    """Your latest data export. `state` is `none` when you never asked for one."""

    state: ExportStateName
    requested_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None
    size: int | None
    download_url: str | None


def _out(request, export: DataExport | None) -> dict:
    if export is None:
        return {
            "state": "none",
            "requested_at": None,
            "finished_at": None,
            "expires_at": None,
            "size": None,
            "download_url": None,
        }
    downloadable = export.is_downloadable
    return {
        "state": str(export.shown_state),
        "requested_at": export.requested_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "size": export.size if downloadable else None,
        "download_url": (
            settings.SITE_URL + reverse("api:data_export_download") if downloadable else None
        ),
    }


@router.post(
    "/export",
    response={202: DataExportOut},
    summary="Ask for a copy of your data",
    url_name="data_export",
)
def data_export_request(request):
    """Starts making a ZIP of everything Kring keeps about you; you also get an e-mail when it
    is ready. Asking again while one is being made answers that one."""
    export, _created = privacy_services.data_export_request(user=request.user)
    return Status(202, _out(request, export))


@router.get("/export", response={200: DataExportOut}, summary="The state of your data export")
def data_export_state(request):
    return _out(request, selectors.data_export_latest(user=request.user))


ERROR_REF = {"$ref": REF_TEMPLATE.format(model="Error")}


@router.get(
    "/export/download",
    summary="Download your data export (a ZIP)",
    url_name="data_export_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The ZIP file, as an attachment.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            },
            404: {
                "description": "No copy is ready: never asked, still being made, failed or "
                "expired (`not_found`; `detail` says which).",
                "content": {"application/json": {"schema": ERROR_REF}},
            },
        }
    },
)
def data_export_download(request):
    export = selectors.data_export_latest(user=request.user)
    if export is None or not export.is_downloadable:
        if export is not None and export.is_expired:
            detail = "This copy has expired. Ask for a new one with POST /api/v1/me/export."
        elif export is not None and export.state == "pending":
            detail = "Your copy is still being made. Try again in a few minutes."
        else:
            detail = "No copy is ready. Ask for one with POST /api/v1/me/export."
        return JsonResponse({"detail": detail, "code": "not_found"}, status=404)
    try:
        handle = services.export_path(export).open("rb")
    except FileNotFoundError:
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(export),
        content_type="application/zip",
    )
