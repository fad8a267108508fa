"""Writes about people: profiles, photos, API tokens."""

import hashlib
import hmac
import io
import secrets
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kring.accounts.models import ApiToken, Perspective, TokenScope, User
from kring.accounts.selectors import PERSPECTIVES_VERSION_KEY, PROFILES_VERSION_KEY
from kring.accounts.verbs import AccountVerb
from kring.core import search
from kring.core.services import activity_record, tags_get_or_create

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_PIXELS = 40_000_000

PROFILE_FIELDS = ("full_name", "organisation", "job_title", "bio", "language")


def person_placeholder_get_or_create(*, email: str, full_name: str) -> User:
    """The account of this address, or a new one for a person known so far only from
    imported history: a real account that cannot sign in (no usable password, not active)
    and gets no e-mail. An invitation to the address completes it and makes it active."""
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is not None:
        return existing
    return User.objects.create_user(
        email=email, password=None, full_name=full_name, is_active=False
    )


def person_language_set(*, user: User, language: str) -> None:
    """Keep the chosen interface language on the account (no other field is touched)."""
    User.objects.filter(pk=user.pk).update(language=language)


def photo_prepare(*, upload: UploadedFile) -> ContentFile:
    """Validate an uploaded image and return a square JPEG of the configured size.

    Raises ValidationError with a message a person understands; nothing is stored.
    """
    size = upload.size or 0
    if size > settings.KRING_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large (%(size)s MB). The maximum is %(max)s MB.")
            % {
                "size": round(size / 1024 / 1024, 1),
                "max": round(settings.KRING_PHOTO_MAX_BYTES / 1024 / 1024, 1),
            },
            code="photo_too_large",
        )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        if probe.format not in ALLOWED_IMAGE_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="photo_format")
        width, height = probe.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("The image has too many pixels."), code="photo_pixels")
        probe.verify()
        upload.seek(0)
        image: Image.Image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF photo."),
            code="photo_invalid",
        ) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    size = settings.KRING_PHOTO_SIZE
    image = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def profiles_changed() -> None:
    """Tell what is cached from member profiles (the directory's filter options) that a
    profile changed: it is read again on the next request."""
    try:
        cache.incr(PROFILES_VERSION_KEY)
    except ValueError:
        cache.set(PROFILES_VERSION_KEY, 1, None)


@transaction.atomic
def profile_update(
    *,
    user: User,
    by: User,
    full_name: str | None = None,
    organisation: str | None = None,
    job_title: str | None = None,
    bio: str | None = None,
    language: str | None = None,
    perspectives: list[Perspective] | None = None,
    help_tags: list[str] | None = None,
    seeking_tags: list[str] | None = None,
    photo: ContentFile | None = None,
    remove_photo: bool = False,
) -> User:
    """Change a profile; only the fields given change. Records one activity event."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied
    values = {
        "full_name": full_name,
        "organisation": organisation,
        "job_title": job_title,
        "bio": bio,
        "language": language,
    }
    changed = []
    for field, value in values.items():
        if value is not None and getattr(user, field) != value.strip():
            setattr(user, field, value.strip())
            changed.append(field)
    if full_name is not None and not user.full_name:
        raise ValidationError({"full_name": _("Your name is required.")})
    old_photo = user.photo.name if user.photo else ""
    if photo is not None:
        user.photo.save(photo.name, photo, save=False)
        changed.append("photo")
    elif remove_photo and user.photo:
        user.photo = ""
        changed.append("photo")
    if changed:
        user.save()
    if perspectives is not None:
        before = set(user.perspectives.values_list("pk", flat=True))
        if before != {p.pk for p in perspectives}:
            user.perspectives.set(perspectives)
            perspectives_changed()
            changed.append("perspectives")
    for field, names in (("help_tags", help_tags), ("seeking_tags", seeking_tags)):
        if names is None:
            continue
        tags = tags_get_or_create(names=names)
        manager = getattr(user, field)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in tags}:
            manager.set(tags)
            changed.append(field)
    if changed:
        activity_record(
            actor=by, verb=AccountVerb.PROFILE_UPDATED, target=user, data={"fields": changed}
        )
        search.index_objects("person", [user.pk])
        transaction.on_commit(profiles_changed)
    if "photo" in changed and old_photo:
        storage = user.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return user


# --- API tokens -----------------------------------------------------------------------------

TOKEN_PREFIX = "kr_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, scope: str = TokenScope.READ, name: str = "") -> tuple:
    """Create a token; returns (token, secret). The secret is never stored and shown once."""
    if scope not in TokenScope.values:
        raise ValidationError(_("Scope must be 'read' or 'write'."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], scope=scope, prefix=secret[:10], token_hash=_hash(secret)
    )
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    if by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """Find the active token for a presented secret, comparing hashes in constant time."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = _hash(secret)
    candidates = ApiToken.objects.filter(
        prefix=secret[:10], revoked_at__isnull=True, user__is_active=True
    ).select_related("user")
    for token in candidates:
        if hmac.compare_digest(token.token_hash, digest):
            now = timezone.now()
            if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return token
    return None


def perspectives_changed() -> None:
    """Someone's perspectives changed: after the commit, counts cached per perspective are
    stale (they are keyed by accounts.selectors.perspectives_version)."""
    transaction.on_commit(_perspectives_version_bump)


def _perspectives_version_bump() -> None:
    try:
        cache.incr(PERSPECTIVES_VERSION_KEY)
    except ValueError:  # not in the cache (yet, or any more): a number not used before
        cache.set(PERSPECTIVES_VERSION_KEY, time.time_ns(), timeout=None)
