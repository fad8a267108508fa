"""The erase part of `/me/data/`: delete your account, keeping or removing your contributions."""

urlpatterns: list = []


def section_context(request) -> dict:
    return {}
