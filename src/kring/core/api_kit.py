"""The pieces every app's API is built from: lazy pagination, references to people and
links to web pages. Errors have one shape for the whole API (see `kring.api`).

An app's `api.py` converts rows to dicts with these, so a person or a page reads the same
in every part of the API.
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch
from ninja import Schema


class Person(Protocol):
    """What the API shows of a person (core knows no `User` model of its own)."""

    pk: Any
    display_name: str
    email: str


class PersonRef(Schema):
    """A person as other people see them in the API: id and display name."""

    id: int
    name: str


class PersonWithEmailRef(Schema):
    """A person with the e-mail address members see in the library."""

    id: int
    name: str
    email: str


def person_ref(user: Person | None, *, email: bool = False) -> dict[str, Any] | None:
    """`PersonRef` (or `PersonWithEmailRef`) as a dict; None stays None."""
    if user is None:
        return None
    out: dict[str, Any] = {"id": user.pk, "name": user.display_name}
    if email:
        out["email"] = user.email
    return out


def page_url(obj: Model) -> str | None:
    """The absolute address of the object's web page, or None while it has none."""
    try:
        return settings.SITE_URL + obj.get_absolute_url()  # type: ignore[attr-defined]
    except NoReverseMatch:
        return None


MAX_OFFSET = 2**31


class LazyPage:
    """Hands django-ninja's paginator a sequence it can slice before rows become dicts.

    Give `row` to convert each row, or `page` to convert a whole page at once (so per-row
    extras are fetched in one query for the page). Give `count` when the number of rows is
    known without counting them (a kept figure): the paginator then does not COUNT.
    """

    def __init__(
        self,
        rows: QuerySet,
        *,
        row: Callable[[Any], Any] | None = None,
        page: Callable[[list[Any]], Sequence[Any]] | None = None,
        count: int | None = None,
    ) -> None:
        if (row is None) == (page is None):
            raise TypeError("LazyPage takes exactly one of row= and page=")
        self.rows = rows
        self._row = row
        self._page = page
        self._count = count

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        if self._count is None:
            self._count = self.rows.count()
        return self._count

    def __getitem__(self, item: slice) -> list[Any]:
        # An offset past any real table (the API takes any integer) is an empty page, not a
        # number the database cannot hold (SQLite: "datatype mismatch" above 2**63).
        if (item.start or 0) >= MAX_OFFSET:
            return []
        item = slice(item.start, min(item.stop, MAX_OFFSET) if item.stop is not None else None)
        rows = list(self.rows[item])
        if self._page is not None:
            return list(self._page(rows))
        assert self._row is not None
        return [self._row(r) for r in rows]
