"""Helpers the tests of every app share (fixtures live in the root `conftest.py`)."""

from typing import Any


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Every API error has the same shape: a sentence for people, a code for programs."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body
