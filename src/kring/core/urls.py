from django.http import HttpResponse
from django.urls import path

from kring.core.views import markdown_preview_view


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("preview/text/", markdown_preview_view, name="markdown-preview"),
]
