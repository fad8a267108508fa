"""Who sees which home. check_* raise, can_* answer for templates."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kring.accounts.models import User
from kring.communities.permissions import is_platform_admin


def can_view_platform_overview(user: User | AnonymousUser) -> bool:
    return is_platform_admin(user)


def check_view_platform_overview(user: User | AnonymousUser) -> None:
    # 404, not 403: the page's existence is nobody else's business.
    if not can_view_platform_overview(user):
        raise Http404
