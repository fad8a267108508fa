"""A URLconf for the error page tests: Kring's own, plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from kring.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fail_400(request):
    raise SuspiciousOperation("a broken request")


def fail_403(request):
    raise PermissionDenied


def fail_500(request):
    raise RuntimeError("something broke")


urlpatterns = [
    path("test-errors/400/", fail_400),
    path("test-errors/403/", fail_403),
    path("test-errors/500/", fail_500),
    *urlpatterns,
]
