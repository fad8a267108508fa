"""Response headers Django 5.2 does not set by itself."""

from django.conf import settings

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
