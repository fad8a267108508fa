"""The report for funders: /communities/{slug}/report."""

from ninja import Router

router = Router(tags=["report"])
