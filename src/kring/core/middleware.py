"""Response headers Django 5.2 does not set by itself."""

import json

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext

POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Sends a strict Content-Security-Policy: Kring serves every script and style itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "KRING_CSP", POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class LanguageMiddleware:
    """Dutch first: the person's own choice (cookie, else their account), else Dutch.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: a
    community that works in Dutch should look Dutch to everyone until they switch.
    Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            user = getattr(request, "user", None)
            account_language = getattr(user, "language", None) if user is not None else None
            language = (
                account_language if account_language in self.available else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


API_PREFIX = "/api/"


def api_error(status: int, code: str, detail: str, errors=None) -> JsonResponse:
    """The API's error shape (see kring/api.py), for answers given before the API runs."""
    body = {"detail": detail, "code": code}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def _nul_in(value, where: str = ""):
    """The dotted place of the first string with a NUL character in parsed JSON, else None."""
    if isinstance(value, str):
        return (where or "__all__") if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        place = f"{where}.{key}" if where else str(key)
        if "\x00" in str(key):
            return place
        found = _nul_in(item, place)
        if found is not None:
            return found
    return None


def _nul_in_querydict(data) -> str | None:
    for key, values in data.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "__all__"
    return None


class NulCharacterMiddleware:
    """Refuses NUL characters, the same on every database (PostgreSQL cannot store them).

    One decision, taken here: a NUL is refused, never silently dropped. In a query string
    anywhere, a web page answers 400; the API answers 422 in its error format, and checks its
    JSON and form bodies too. Web forms refuse a NUL themselves: Django's form fields have a
    validator for it. Comes after LanguageMiddleware, so the answer is in the person's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith(API_PREFIX)
        where = _nul_in_querydict(request.GET)
        if where is None and is_api:
            where = self._nul_in_body(request)
        if where is not None:
            message = gettext("Null characters are not allowed.")
            if is_api:
                return api_error(422, "invalid", f"{where}: {message}", {where: [message]})
            raise BadRequest(message)
        return self.get_response(request)

    def _nul_in_body(self, request) -> str | None:
        content_type = request.content_type or ""
        # A body too large or unreadable is left to the API, which answers it itself.
        try:
            if content_type == "application/json":
                return _nul_in(json.loads(request.body))
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return _nul_in_querydict(request.POST)
        except (ValueError, RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
            return None
        return None


class ApiResponseMiddleware:
    """What every API answer shares that the API framework does not add itself: an answer to
    an authenticated request is private to that person (no shared cache keeps it), and a
    method the path does not have answers 405 in the API's error format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow")
            response = api_error(
                405,
                "method_not_allowed",
                gettext("This address does not take %(method)s.") % {"method": request.method},
            )
            if allow:
                response["Allow"] = allow
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
