from django.contrib import admin

from kring.communities.models import Community, GroundRule, Invitation, JoinRequest, Membership


class GroundRuleInline(admin.TabularInline):
    model = GroundRule
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "stage", "visibility"]
    search_fields = ["name", "slug"]
    inlines = [GroundRuleInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "joined_at"]
    list_filter = ["community", "role"]
    raw_id_fields = ["user", "invited_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["community", "email", "role", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["community", "name", "email", "status", "created_at"]
    list_filter = ["status", "community"]
    raw_id_fields = ["user", "handled_by"]
