from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static import admin as otp_static_admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts import two_factor
from kring.accounts.models import ApiToken, Perspective, SignInPolicy, User

# django-otp's device pages would show secrets and let an admin make devices for others;
# the only thing an admin needs is the user action below that removes them. (Its admin
# modules are imported above, so their registrations exist to be taken back.)
assert otp_static_admin and otp_totp_admin
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


def _admin_login(request, extra_context=None):
    # The admin's own login form would skip the code step: everyone logs in through Kring's.
    # Someone logged in already but without admin rights gets a refusal, not a loop (Kring's
    # login sends logged-in people on to `next`, which is the admin again).
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _admin_login


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "is_active", "is_staff"]
    search_fields = ["full_name", "email", "organisation"]
    list_filter = ["is_active", "is_staff", "perspectives"]
    filter_horizontal = ["perspectives", "help_tags", "seeking_tags", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "full_name",
                    "photo",
                    "organisation",
                    "job_title",
                    "bio",
                    "perspectives",
                    "help_tags",
                    "seeking_tags",
                    "language",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Two-step login"), {"fields": ["two_factor_status"]}),
    ]
    readonly_fields = ["two_factor_status"]
    actions = ["two_factor_remove"]

    @admin.display(description=_("two-step login"))
    def two_factor_status(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        if two_factor.two_factor_enabled(user=obj):
            return _("On. Lost phone? Use the action 'Remove two-step login' in the list.")
        return _("Off")

    @admin.action(description=_("Remove two-step login (lost phone)"), permissions=["change"])
    def two_factor_remove(self, request, queryset):
        count = 0
        for user in queryset:
            if two_factor.two_factor_reset(user=user, by=request.user):
                self.log_change(request, user, "Removed two-step login (app and backup codes).")
                count += 1
        self.message_user(
            request,
            ngettext(
                "Two-step login removed for %(count)d person. They set it up again at their "
                "next login if it is required.",
                "Two-step login removed for %(count)d people. They set it up again at their "
                "next login if it is required.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Perspective)
class PerspectiveAdmin(admin.ModelAdmin):
    list_display = ["key", "name_nl", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "scope", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "user", "created_at", "last_used_at"]


@admin.register(SignInPolicy)
class SignInPolicyAdmin(admin.ModelAdmin):
    """One policy for the platform: the list goes straight to it."""

    fields = ["require_two_factor", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        policy = SignInPolicy.load()
        return redirect("admin:accounts_signinpolicy_change", policy.pk)
