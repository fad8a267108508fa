"""Shared types for the HTTP API's input.

Integers are bounded to what the database stores (64 bits), so a number beyond that is
invalid input (422 in the API's error format) instead of an overflow deep in a query.
Pagination uses the same idea: the largest page or offset still fits in a 64-bit OFFSET.
"""

import re
from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema, pagination
from ninja.conf import settings as ninja_settings
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, BeforeValidator, model_validator

from kring.core import daterange

DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

# Any integer the database can store; and an id, which is never below 1.
DbInt = Annotated[int, Field(ge=DB_INT_MIN, le=DB_INT_MAX)]
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]

ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    """Only ISO 8601 text, as the OpenAPI document says (`format: date` or `date-time`).
    Pydantic would also read a number, or text of digits, as seconds since 1970: `as_of=0`
    meant 1 January 1970 instead of an error."""
    text = isinstance(value, str) and ISO_DATE_START.match(value)
    if isinstance(value, int | float) or (isinstance(value, str) and not text):  # bool: int
        raise ValueError(_("Write the date as YYYY-MM-DD (ISO 8601)."))
    return value


# A date or date-time within the years Kring accepts (kring.core.daterange), written in ISO
# 8601.
SaneDate = Annotated[date, BeforeValidator(_iso_date), AfterValidator(daterange.api_check)]
SaneDateTime = Annotated[datetime, BeforeValidator(_iso_date), AfterValidator(daterange.api_check)]


class InputSchema(Schema):
    """A request body's object. Ninja's Schema reads fields by attribute from any object (it
    is made for model instances), so a body of `null`, `[]`, `1` or `"text"` passed as "every
    field left out": a session was cancelled by `null`. Input must be a JSON object, as the
    OpenAPI document says; anything else is invalid input (422)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # Ninja's own validator has wrapped the input in a DjangoGetter by now.
        received = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(received, dict):
            raise ValueError(_("Send a JSON object."))
        return data


# Far beyond any real list, far below 2**63 even when multiplied by the largest page size.
MAX_OFFSET = 10**15
MAX_PAGE = 10**13


# Each input has a name of its own: the OpenAPI document names schemas by class name.
class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=DB_INT_MAX)


class OffsetInput(Schema):
    limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=DB_INT_MAX)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=N`; a page size above the maximum is capped, as documented."""

    Input = PageInput


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`?limit=N&offset=N`; a limit above the maximum is capped."""

    Input = OffsetInput
