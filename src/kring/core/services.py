"""Writes shared by every feature."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kring.core.models import ActivityEvent, Tag


def activity_record(
    *,
    actor: AbstractBaseUser,
    verb: str,
    community: models.Model | None = None,
    target: models.Model | None = None,
    other: AbstractBaseUser | None = None,
    at: datetime | None = None,
    data: dict | None = None,
) -> ActivityEvent:
    """Record one activity event. Call inside the transaction of the change it describes."""
    # Core knows no User or Community class; the stubs type these keys by the concrete models.
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
