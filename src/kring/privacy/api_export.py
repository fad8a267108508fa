"""`POST/GET /api/v1/me/export`."""

from ninja import Router

router = Router(tags=["me"])
