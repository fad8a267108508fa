"""Response headers Django 5.2 does not set by itself."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
