"""People: accounts with real names and photos, perspectives, and API tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kring.core.models import Tag


class Perspective(models.Model):
    """Where someone stands: municipality, professional, experience expert, ...

    An editable vocabulary: names are stored in both UI languages so new entries are
    translated as completely as the defaults.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    colour = models.CharField(_("colour"), max_length=7, default="#5b6b7a")
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


# What an erased person's remaining contributions are shown as; translated when shown, never
# stored, so it reads right in every language.
FORMER_MEMBER = _("Former member")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("full_name", email.split("@")[0])
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. No anonymity: a real name is required, and a photo is encouraged."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    job_title = models.CharField(_("function"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=800, blank=True)
    perspectives = models.ManyToManyField(
        Perspective, blank=True, related_name="people", verbose_name=_("perspectives")
    )
    help_tags = models.ManyToManyField(
        Tag, blank=True, related_name="helpers", verbose_name=_("I can help with")
    )
    seeking_tags = models.ManyToManyField(
        Tag, blank=True, related_name="seekers", verbose_name=_("I'm looking for")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set on the "former member" row that takes over what an erased person leaves behind
    # (kring.privacy.erasure): such a row is nobody, and is shown as "Former member".
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(Lower("full_name"), name="user_name_lower"),
            # Lists of people by name (the members directory) walk this and stop after a
            # page, instead of sorting every member: 15 ms -> 0.3 ms on PostgreSQL at 10,000.
            models.Index(fields=["full_name"], name="user_name"),
            models.Index(fields=["organisation"], name="user_organisation"),
        ]

    def __str__(self) -> str:
        if self.is_erased:
            return str(FORMER_MEMBER)
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return str(FORMER_MEMBER) if self.is_erased else self.full_name

    def get_short_name(self) -> str:
        if self.is_erased:
            return str(FORMER_MEMBER)
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_erased(self) -> bool:
        """A "former member": the stand-in for someone who erased their account."""
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        """The name to show: the full name, or "Former member" (in the reader's language)."""
        return self.get_full_name()

    @property
    def initials(self) -> str:
        parts = [p for p in self.full_name.split() if p[:1].isupper()] or self.full_name.split()
        if not parts:
            return "?"
        return (parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")).upper()

    @property
    def has_joined(self) -> bool:
        """False for people who were invited but never set a password nor logged in.

        Logging in through the organisation (OpenID Connect) sets no password: the first such
        login (last_login) counts as joining.
        """
        return self.has_usable_password() or self.last_login is not None


class TokenScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    """A personal access token. Only a hash is stored; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class SignInPolicy(models.Model):
    """How people sign in, set by a platform administrator in the admin. One row (pk 1)."""

    require_two_factor = models.BooleanField(
        _("require two-step login for facilitators and administrators"),
        default=False,
        help_text=_(
            "Facilitators of any community and administrators then set up a code app at their "
            "next login with a password. Logins through single sign-on are not asked."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policy")

    def __str__(self) -> str:
        return str(_("Sign-in policy"))

    def save(self, *args, **kwargs):
        # A singleton: whatever is saved is the one policy.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SignInPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
