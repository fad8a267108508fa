"""The OpenAPI document at /api/v1/openapi.json describes what the API really answers: one
name per schema, the error answers of every operation with one error schema and one list
of codes, and date-times that are valid RFC 3339."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.signature.details import is_pydantic_model

from kring.api import api
from kring.communities.schemas import MemberOut

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def document(client):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _models():
    """Every model of every operation, with the mode its schema is drawn in."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if is_pydantic_model(model):
                        yield model, "serialization"
                for model in operation.models:
                    yield model, "validation"


def test_every_schema_name_stands_for_one_schema(document):
    """No two models share a schema name: each operation's own definitions are the ones
    the document holds under that name."""
    components = document["components"]["schemas"]
    seen: dict[str, dict] = {}
    for model, mode in _models():
        definitions = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
        ).get("$defs", {})
        for name, definition in definitions.items():
            assert "__" not in name, f"{name}: two models of this name in one operation"
            assert seen.setdefault(name, definition) == definition, f"{name} names two schemas"
            assert components[name] == definition, f"{name} is documented with another schema"


def test_the_members_list_is_described_with_the_members_schema(document):
    """GET /communities/{slug}/members answers items of the members schema, not insights'."""
    answer = document["paths"]["/api/v1/communities/{slug}/members"]["get"]["responses"]["200"]
    listing = _resolve(document, answer["content"]["application/json"]["schema"])
    item = _resolve(document, listing["properties"]["items"]["items"])
    assert set(item["properties"]) == set(MemberOut.model_fields)
    assert "joined_at" in item["properties"]
    assert "betweenness" not in item["properties"]


def test_every_operation_documents_its_error_answers(document):
    """401, 403 and 422 on every operation, 404 where the path names something, 400 where
    there is a body; all with the one shared Error schema."""
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    assert "405 (`method_not_allowed`)" in document["info"]["description"]
    checked = 0
    for path, method, operation in _operations(document):
        expected = {"401", "403", "422"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected.add("400")
        responses = operation["responses"]
        assert expected <= set(responses), f"{method} {path}"
        for status in expected:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, f"{method} {path} {status}"
        checked += 1
    assert checked > 40


def _login_with_csrf(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def _must_enrol(user) -> Client:
    """A browser session held until two-step login is set up (the sign-in policy requires it)."""
    from kring.accounts.two_factor import MUST_ENROL_KEY

    browser = Client()
    browser.force_login(user)
    session = browser.session
    session[MUST_ENROL_KEY] = True
    session.save()
    return browser


def test_the_documented_error_codes_are_those_the_api_answers(
    client, document, make_community, make_member, make_user, bearer
):
    """Every error the API can give, provoked once: their codes are exactly the documented
    list, and each body has the documented shape."""
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    member = make_member(community, full_name="Anna Member", language="en").user
    members = f"/api/v1/communities/{community.slug}/members"
    new = json.dumps({"email": "nieuw@example.org"})
    as_json = {"content_type": "application/json"}
    answers = {
        "unauthenticated": client.get("/api/v1/communities"),
        "read_only_token": client.post(
            members, new, **as_json, **bearer(facilitator, scope="read")
        ),
        "forbidden": client.post(members, new, **as_json, **bearer(member)),
        "not_found": client.get("/api/v1/communities/nergens/members", **bearer(member)),
        "method_not_allowed": client.delete("/api/v1/communities", **bearer(member)),
        "invalid": client.post("/api/v1/communities", "{}", **as_json, **bearer(member)),
        "error (body)": client.post(
            "/api/v1/communities", "{not json", **as_json, **bearer(member)
        ),
        "error (csrf)": _login_with_csrf(facilitator).post(members, new, **as_json),
        "two_factor_required": _must_enrol(facilitator).get("/api/v1/communities"),
    }
    error = document["components"]["schemas"]["Error"]
    codes = set()
    for name, response in answers.items():
        assert 400 <= response.status_code < 500, name
        body = response.json()
        assert set(error["required"]) <= set(body) <= set(error["properties"]), name
        assert body["code"] == name.split(" ")[0], (name, body)
        codes.add(body["code"])
    assert set(error["properties"]["code"]["enum"]) == codes


def test_an_old_date_time_is_valid_rfc3339(client, make_community, make_user, bearer):
    """A session in 1920 (Amsterdam was UTC+00:19:32) answers its times in RFC 3339, in UTC,
    at the same moment; a session today keeps its own whole-minute offset."""
    facilitator = make_user(full_name="Fenna Facilitator", language="en")
    community = make_community(by=facilitator, name="Zorg thuis")
    sessions = f"/api/v1/communities/{community.slug}/sessions"
    old = {"title": "Oud", "location": "Buurthuis"}
    old["starts_at"], old["ends_at"] = "1920-01-01T12:00:00Z", "1920-01-01T14:00:00Z"
    response = client.post(
        sessions, json.dumps(old), content_type="application/json", **bearer(facilitator)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    for field in ("starts_at", "ends_at"):
        assert RFC3339.match(body[field]), body[field]
    assert body["starts_at"] == "1920-01-01T12:00:00Z"
    assert datetime.fromisoformat(body["ends_at"]) == datetime(1920, 1, 1, 14, tzinfo=UTC)

    new = {"title": "Nu", "location": "Buurthuis"}
    new["starts_at"], new["ends_at"] = "2030-01-08T18:30:00Z", "2030-01-08T20:30:00Z"
    response = client.post(
        sessions, json.dumps(new), content_type="application/json", **bearer(facilitator)
    )
    assert response.json()["starts_at"] == "2030-01-08T19:30:00+01:00"
