from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import ApiToken, Perspective, User


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
    ]
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
