"""The HTTP API at /api/v1/: one NinjaAPI, routers from the apps, one error format.

Errors always look like {"detail": "...", "code": "...", "errors": {...}?}.
"""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from kring.accounts.services import api_token_authenticate
from kring.communities.api import router as communities_router
from kring.conversations.api import notifications_router
from kring.conversations.api import router as conversations_router
from kring.decisions.api_polls import router as polls_router
from kring.decisions.api_rules import router as rules_router
from kring.growth.api import router as growth_router
from kring.growth.api_teams import router as teams_router
from kring.illuminate.api_report import router as report_router
from kring.illuminate.api_stories import router as value_stories_router
from kring.insights.api import router as insights_router
from kring.knowledge.api import router as knowledge_router
from kring.meetings.api import router as meetings_router
from kring.networks.api import router as networks_router
from kring.networks.api_report import router as network_report_router
from kring.privacy.api import router as privacy_router

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# Every `code` an error answer can carry: the handlers below, kring.accounts.two_factor's
# hold on a session that must set up two-step login first, and kring.core.middleware for
# what is answered before the API runs (a NUL character: `invalid`; a method the path does
# not have: `method_not_allowed`). `error` is django-ninja's own refusals: a CSRF failure
# (403) and a body that cannot be parsed (400). The OpenAPI document lists exactly these.
ERROR_CODES = (
    "unauthenticated",
    "read_only_token",
    "two_factor_required",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "invalid",
    "error",
)


class ReadOnlyToken(Exception):
    pass


class TokenAuth(HttpBearer):
    """Personal access tokens: `Authorization: Bearer kr_...`. Read tokens may only read."""

    openapi_description = "A personal access token from your profile or `kring createtoken`."

    def authenticate(self, request, token):
        found = api_token_authenticate(secret=token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ReadOnlyToken
        request.user = found.user
        return found


class ActiveSessionAuth(SessionAuth):
    """The browser session, with CSRF protection, for htmx and the docs page."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class KringSwagger(Swagger):
    """Swagger UI with the page's language set and Kring's contrast fixes on top."""

    template = "core/api_docs.html"


class KringJSONEncoder(NinjaJSONEncoder):
    """Date-times as RFC 3339. A moment whose offset is not whole minutes (before 1937
    Amsterdam was UTC+00:19:32) is given in UTC instead: RFC 3339 offsets have no seconds,
    and rounding the offset would move the moment. Whole-minute offsets stay as they are, so
    a session still reads in its own time zone."""

    def default(self, o):
        if isinstance(o, datetime):
            offset = o.utcoffset()
            if offset is not None and offset % timedelta(minutes=1):
                o = o.astimezone(UTC)
        return super().default(o)


class KringRenderer(JSONRenderer):
    encoder_class = KringJSONEncoder


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string", "description": "A sentence for people."},
        "code": {
            "title": "Code",
            "type": "string",
            "enum": list(ERROR_CODES),
            "description": "A code for programs.",
        },
        "errors": {
            "title": "Errors",
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Only for invalid input: the messages per field (`__all__` for "
            "the request as a whole).",
        },
    },
    "required": ["detail", "code"],
}

ERROR_RESPONSES = {
    400: "The body could not be read (`error`).",
    401: "No token, or an unknown or revoked one (`unauthenticated`).",
    403: "You may not do this (`forbidden`), a read token tried to change something "
    "(`read_only_token`), the browser session must first set up two-step login "
    "(`two_factor_required`), or the CSRF check failed (`error`).",
    404: "It does not exist, or you may not know it exists (`not_found`).",
    422: "The input is wrong (`invalid`); see `errors`.",
}

ERRORS_NOTE = (
    "Every error answers the `Error` schema. A method a path does not have answers 405 "
    "(`method_not_allowed`), with `Allow` listing those it does."
)


def document_errors(schema: dict) -> dict:
    """Adds the error answers to every operation of an OpenAPI document, all with one shared
    `Error` schema: 401, 403 and 422 everywhere; 404 where the path names something; 400
    where there is a body. (405 is the answer of a method a path does not have, so of no
    operation in the document; its code is in the list all the same.)"""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    info = schema.setdefault("info", {})
    if ERRORS_NOTE not in info.get("description", ""):
        info["description"] = (info.get("description", "") + "\n\n" + ERRORS_NOTE).strip()
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            statuses = [401, 403, 422]
            if "{" in path:
                statuses.append(404)
            if "requestBody" in operation:
                statuses.append(400)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_RESPONSES[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    return schema


class KringNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = KringNinjaAPI(
    renderer=KringRenderer(),
    title="Kring API",
    version="1",
    description=(
        "Communities of Practice: communities, members, their knowledge library, questions "
        "and discussions, and your notifications."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    # Without deep links Swagger UI draws each path as text instead of a link nested inside the
    # operation's toggle button (axe: nested-interactive).
    docs=KringSwagger(settings={"deepLinking": False}),
)


def _error(request, status: int, code: str, detail: str, errors=None):
    body = {"detail": detail, "code": code}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ReadOnlyToken)
def _read_only(request, exc):
    return _error(request, 403, "read_only_token", "This token may only read. Use a write token.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", "Send a valid token: Authorization: Bearer …")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc):
    if hasattr(exc, "error_dict"):
        errors = {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0]
    return _error(request, 422, "invalid", first, errors)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", [])]
        # ("body", "payload", "title") -> "title": drop where it came from, not a field that
        # happens to be called "body".
        if loc and loc[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
    first_field, first_msgs = next(iter(errors.items()), ("__all__", ["invalid"]))
    return _error(request, 422, "invalid", f"{first_field}: {first_msgs[0]}", errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, "error", str(exc))


api.add_router("/communities", communities_router)
# The library lives under each community: /communities/{slug}/knowledge, /{slug}/search.
api.add_router("/communities", knowledge_router)
# Threads live under each community: /communities/{slug}/threads; notifications are yours.
api.add_router("/communities", conversations_router)
api.add_router("/notifications", notifications_router)
# Sessions, series and action points live under each community too.
api.add_router("/communities", meetings_router)
# The facilitator's feelers: /communities/{slug}/insights.
api.add_router("/communities", insights_router)
# Value stories and the report for funders: /communities/{slug}/value-stories, /{slug}/report.
api.add_router("/communities", value_stories_router)
api.add_router("/communities", report_router)
# The development path and the life stage: /communities/{slug}/development.
api.add_router("/communities", growth_router)
# Deciding together and the inner circle: /communities/{slug}/polls, /date-polls,
# /ground-rules, /teams.
api.add_router("/communities", polls_router)
api.add_router("/communities", rules_router)
api.add_router("/communities", teams_router)
api.add_router("/networks", networks_router)
# The network report for coordinators: /networks/{slug}/report.
api.add_router("/networks", network_report_router)
# Your own data: /me/export and DELETE /me.
api.add_router("/me", privacy_router)
