"""Shared types for the HTTP API's input.

Integers are bounded to what the database stores (64 bits), so a number beyond that is
invalid input (422 in the API's error format) instead of an overflow deep in a query.
Pagination uses the same idea: the largest page or offset still fits in a 64-bit OFFSET.
"""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema, pagination
from ninja.conf import settings as ninja_settings
from pydantic import AfterValidator

from kring.core import daterange

DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

# Any integer the database can store; and an id, which is never below 1.
DbInt = Annotated[int, Field(ge=DB_INT_MIN, le=DB_INT_MAX)]
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]

# A date or date-time within the years Kring accepts (kring.core.daterange).
SaneDate = Annotated[date, AfterValidator(daterange.api_check)]
SaneDateTime = Annotated[datetime, AfterValidator(daterange.api_check)]

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
