"""`DELETE /api/v1/me`."""

from ninja import Router

router = Router(tags=["me"])
