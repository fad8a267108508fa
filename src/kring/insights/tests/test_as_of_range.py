"""An `as_of` outside the years Kring accepts is refused (422 in the API, an error in the CLI)
instead of overflowing in the local-time conversion."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kring.insights.compute import compute

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("as_of", ["0001-01-01", "1899-12-31"])
def test_api_as_of_before_the_range_is_422(make_community, make_user, make_client, as_of):
    """`?as_of=0001-01-01` answers 422 in the API's error format, not 500."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    response = make_client(facilitator).get(
        f"/api/v1/communities/{community.slug}/insights?as_of={as_of}"
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"


def test_api_as_of_in_range_still_works(make_community, make_user, make_client):
    """The first day of the range is accepted."""
    facilitator = make_user()
    community = make_community(by=facilitator)
    response = make_client(facilitator).get(
        f"/api/v1/communities/{community.slug}/insights?as_of=1900-01-01"
    )
    assert response.status_code == 200, response.content


def test_cli_as_of_before_the_range_is_an_error(make_community):
    """`kring insights SLUG --as-of 0001-01-01` stops with a clear error, not a traceback."""
    community = make_community()
    with pytest.raises(CommandError, match="outside 1900-2200"):
        call_command("insights", community.slug, "--as-of", "0001-01-01")


def test_compute_refuses_a_moment_outside_the_range(make_community):
    """The computation itself checks the range too."""
    community = make_community()
    with pytest.raises(ValidationError):
        compute(community=community, as_of=datetime(1, 1, 1, tzinfo=UTC))
