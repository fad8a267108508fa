from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kring.core.models import ActivityEvent, Tag
from kring.core.verbs import verb_label, verbs_registered


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class VerbFilter(admin.SimpleListFilter):
    """Filter by verb, offering every verb the apps registered (the field has no choices)."""

    title = _("verb")
    parameter_name = "verb__exact"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return verbs_registered()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(verb=self.value())
        return queryset


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb_display", "community", "other"]
    list_filter = [VerbFilter, "community"]
    raw_id_fields = ["actor", "other"]

    def formfield_for_dbfield(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "verb":
            return forms.ChoiceField(label=db_field.verbose_name, choices=verbs_registered)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("verb"), ordering="verb")
    def verb_display(self, event: ActivityEvent) -> str:
        return verb_label(event.verb)
