from django.conf import settings


def kring(request) -> dict:
    return {"KRING_DEBUG": settings.DEBUG}
