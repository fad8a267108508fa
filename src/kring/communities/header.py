"""The context the community header (communities/_community_header.html) needs on every
page inside a community, for every feature."""

from kring.communities import permissions


def header_context(request, community, tab: str) -> dict:
    return {
        "community": community,
        "inside": permissions.can_view_inside(request.user, community),
        "can_manage": permissions.can_manage(request.user, community),
        "tab": tab,
    }
