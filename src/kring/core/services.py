"""Writes shared by every feature."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kring.core.models import ActivityEvent, Tag
from kring.core.verbs import check_verb


def activity_record(
    *,
    actor: models.Model,
    verb: str,
    community: models.Model | None = None,
    target: models.Model | None = None,
    other: models.Model | None = None,
    at: datetime | None = None,
    data: dict | None = None,
) -> ActivityEvent:
    """Record one activity event. Call inside the transaction of the change it describes.

    `verb` must be registered by some app (kring.core.verbs); anything else raises VerbError,
    so a typo never lands in the ledger."""
    check_verb(verb)
    # Core names neither the user nor the community model (both come from settings), so it
    # takes them as plain models; the stubs type these foreign keys by the resolved classes.
    return ActivityEvent.objects.create(  # type: ignore[misc]
        actor=actor,
        verb=verb,
        community=community,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        other=other,
        created_at=at or timezone.now(),
        data=data or {},
    )


def tags_get_or_create(*, names: list[str]) -> list[Tag]:
    """Return tags for the given names, creating the missing ones; duplicates fold together."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split())[:60]
        slug = Tag.slug_for(clean)
        if slug and slug not in wanted:
            wanted[slug] = clean
    if not wanted:
        return []
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    missing = [Tag(slug=slug, name=name) for slug, name in wanted.items() if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    return [existing[slug] for slug in wanted]
