"""The export part of `/me/data/`: ask for a copy, see its state, download it."""

urlpatterns: list = []


def section_context(request) -> dict:
    return {}
