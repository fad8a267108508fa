"""Value stories under /communities/{slug}/value-stories."""

from ninja import Router

router = Router(tags=["value stories"])
