"""What an outsider sees at a community's own address, when a higher app provides it.

The communities app shows members the community home. For everyone else a public community
shows its spotlight, which is built from stories, sessions and numbers that live in apps above
this one; that app registers its page here (kring.illuminate does, in its AppConfig.ready), so
the address stays `/communities/<slug>/` without this app importing upwards.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kring.communities.models import Community

OutsiderPage = Callable[[HttpRequest, Community], HttpResponse]

_outsider_page: OutsiderPage | None = None


def register_outsider_page(view: OutsiderPage) -> OutsiderPage:
    global _outsider_page
    _outsider_page = view
    return view


def outsider_page() -> OutsiderPage | None:
    return _outsider_page
