"""`/api/v1/me`: your data export and erasing your account."""

from ninja import Router

from kring.privacy import api_erase
from kring.privacy.api_export import router as export_router

router = Router(tags=["me"])
router.add_router("", export_router)
api_erase.mount(router)
