from django.contrib import admin

from kring.core.models import ActivityEvent, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "community", "other"]
    list_filter = ["verb", "community"]
    raw_id_fields = ["actor", "other"]
