"""Filters that apps above communities add to the member directory, without communities
importing them: an app registers a GET parameter and a function that gives the user ids to
keep (a subquery); the directory applies it. The app's own template tag draws the field."""

from collections.abc import Callable

from django.db.models import QuerySet

from kring.communities.models import Community

# GET parameter -> (community, value) -> a values("user_id") queryset of the people to keep.
DirectoryFilter = Callable[[Community, str], QuerySet]
_FILTERS: dict[str, DirectoryFilter] = {}
VALUE_MAX = 40


def register_directory_filter(name: str, people: DirectoryFilter) -> None:
    _FILTERS[name] = people


def directory_filters() -> dict[str, DirectoryFilter]:
    return dict(_FILTERS)
