"""Error pages that say what happened and where to go next (400, 403, 404, 500, CSRF).

400, 403 and 404 use Django's own handlers with the templates at the template root. The
500 page and the CSRF failure page render here with a plain context: no context processors
(they query the database for unread counts, and the database may be what failed).
"""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token

PLAIN_ERROR = (
    '<!doctype html><title>%(status)s</title><h1>%(status)s</h1><p><a href="/">Kring</a></p>'
)


def back_url(request) -> str:
    """The page the person came from, if it was on this site; else empty."""
    referer = request.META.get("HTTP_REFERER", "") if request is not None else ""
    if not referer:
        return ""
    parts = urlsplit(referer)
    try:
        host = request.get_host()
    except Exception:  # a bad Host header is itself a reason for a 400
        return ""
    if parts.netloc and parts.netloc != host:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _signed_in(request) -> bool:
    # The user was loaded (or not) by the middleware already; if that failed, say "not signed in".
    try:
        return bool(request.user.is_authenticated)
    except Exception:
        return False


def plain_context(request, status: int) -> dict:
    """What the error templates need, none of it from the database."""
    return {
        "status_code": status,
        "LANGUAGE_CODE": get_language(),
        "back_url": back_url(request),
        "request_path": getattr(request, "path", ""),
        "signed_in": _signed_in(request) if request is not None else False,
    }


def _render(request, template_name: str, status: int) -> HttpResponse:
    try:
        body = loader.get_template(template_name).render(plain_context(request, status))
    except Exception:  # the error page itself must never fail
        body = PLAIN_ERROR % {"status": status}
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


@requires_csrf_token
def server_error(request):
    """The 500 page, rendered without touching the database."""
    return _render(request, "500.html", 500)


def csrf_failure(request, reason=""):
    """A form that came back without a valid security token (an old page, cookies off)."""
    return _render(request, "403_csrf.html", 403)
